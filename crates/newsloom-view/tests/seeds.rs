//! The story view of the five seed articles (one story), built directly from the seeds, the
//! text layer and the clusterer's duplicates, passages and events.

use std::path::Path;
use std::sync::OnceLock;

use newsloom_model::Article;
use newsloom_text::TextLayer;
use newsloom_view::{ReaderScript, StoryMeta, StoryView, TimelineKind};

fn seed_articles() -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let outcome = newsloom_ingest::read_file(&p);
        assert!(
            !outcome.articles.is_empty(),
            "{} yields no article",
            p.display()
        );
        out.extend(outcome.articles);
    }
    out
}

fn view() -> &'static (Vec<Article>, StoryView) {
    static VIEW: OnceLock<(Vec<Article>, StoryView)> = OnceLock::new();
    VIEW.get_or_init(|| {
        let layer = TextLayer::default();
        let articles = seed_articles();
        assert_eq!(articles.len(), 5);
        let meta = StoryMeta {
            id: "seeds".into(),
            title: "王毅访俄".into(),
            title_article_id: None,
        };
        let view = StoryView::from_articles(&meta, &layer, &articles);
        (articles, view)
    })
}

fn outlet_id(articles: &[Article], name: &str) -> String {
    articles
        .iter()
        .find(|a| a.outlet == name)
        .map(|a| a.outlet_id.clone())
        .unwrap_or_else(|| panic!("no article from {name}"))
}

fn to_hans(s: &str) -> String {
    newsloom_view::to_hans(s)
}

#[test]
fn json_has_exactly_the_view_keys() {
    let (_, view) = view();
    let json = serde_json::to_value(view).expect("serializes");
    let mut keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "copied_passages",
            "coverage",
            "quotes",
            "shared_facts",
            "single_source",
            "summary",
            "timeline"
        ]
    );
    assert_eq!(view.coverage.len(), 5);
    let scripts: Vec<_> = view.coverage.iter().map(|c| c.script.as_str()).collect();
    assert!(scripts.contains(&"hant") && scripts.contains(&"hans"));
}

#[test]
fn shared_facts_across_scripts() {
    let (articles, view) = view();
    let voa = outlet_id(articles, "美国之音");
    let cna = outlet_id(articles, "中央社");
    let carried_by_both = |needle: &str| {
        view.shared_facts.iter().any(|f| {
            f.carriers.iter().any(|w| to_hans(&w.text).contains(needle))
                && f.outlets.contains(&voa)
                && f.outlets.contains(&cna)
        })
    };
    assert!(
        carried_by_both("成熟坚韧、稳如泰山"),
        "{:#?}",
        view.shared_facts
    );
    assert!(carried_by_both("通篇未提"), "{:#?}", view.shared_facts);
    // Each outlet's own wording: the traditional one stays traditional.
    let fact = view
        .shared_facts
        .iter()
        .find(|f| f.text.contains("稳如泰山") || f.text.contains("穩如泰山"))
        .expect("fact");
    assert!(fact.carriers.iter().any(|w| w.text.contains("穩如泰山")));
    assert!(fact.carriers.iter().any(|w| w.text.contains("稳如泰山")));
    // Nothing a single outlet says twice counts as shared.
    assert!(view.shared_facts.iter().all(|f| f.outlets.len() >= 2));
}

#[test]
fn zakharova_is_single_source() {
    let (articles, view) = view();
    let kzg = outlet_id(articles, "看中国");
    let z = view
        .single_source
        .iter()
        .find(|s| s.text.contains("扎哈洛娃"))
        .unwrap_or_else(|| panic!("{:#?}", view.single_source));
    assert_eq!(z.outlet_id, kzg);
    assert!(
        !view
            .shared_facts
            .iter()
            .any(|f| f.carriers.iter().any(|w| w.text.contains("扎哈洛娃")))
    );
}

#[test]
fn wang_yi_quote_with_both_outlets() {
    let (articles, view) = view();
    let voa = outlet_id(articles, "美国之音");
    let cna = outlet_id(articles, "中央社");
    let q = view
        .quotes
        .iter()
        .find(|q| to_hans(&q.text).contains("从不针对第三方"))
        .unwrap_or_else(|| panic!("{:#?}", view.quotes));
    assert_eq!(q.speaker.as_deref(), Some("王毅"), "{q:#?}");
    assert!(
        q.outlets.contains(&voa) && q.outlets.contains(&cna),
        "{q:#?}"
    );
    assert!(q.carriers.iter().any(|w| w.text.contains("從不針對第三方")));
}

#[test]
fn copied_passages_between_seed_000_and_001() {
    let (articles, view) = view();
    let id_of = |prefix: &str| {
        articles
            .iter()
            .find(|a| a.source.path.contains(prefix))
            .map(|a| a.id.clone())
            .expect("seed")
    };
    let (a, b) = (id_of("000_"), id_of("001_"));
    let between: Vec<_> = view
        .copied_passages
        .iter()
        .filter(|p| {
            (p.from.article_id == a && p.to.article_id == b)
                || (p.from.article_id == b && p.to.article_id == a)
        })
        .collect();
    assert!(!between.is_empty(), "{:#?}", view.copied_passages);
    assert!(
        between
            .iter()
            .any(|p| p.from.text.contains("北京间谍气球事件"))
    );
    for p in between {
        assert_eq!(p.from.text.chars().count(), p.from.end - p.from.start);
        assert!(!p.to.text.is_empty());
    }
}

#[test]
fn timeline_in_order() {
    let (_, view) = view();
    // Entries keep the first outlet's wording; compare in simplified script.
    let timeline: Vec<newsloom_view::TimelineEntry> = view
        .timeline
        .iter()
        .map(|e| newsloom_view::TimelineEntry {
            text: to_hans(&e.text),
            ..e.clone()
        })
        .collect();
    let find = |pred: &dyn Fn(&newsloom_view::TimelineEntry) -> bool, what: &str| {
        timeline
            .iter()
            .position(pred)
            .unwrap_or_else(|| panic!("no timeline entry for {what}: {:#?}", view.timeline))
    };
    let mention = |e: &newsloom_view::TimelineEntry| e.kind == TimelineKind::Mention;
    let announce = find(
        &|e| {
            mention(e)
                && (e.date == "2023-01-30" || e.date == "2023-01-31")
                && e.text.contains("习近平")
                && e.text.contains("宣布")
        },
        "Russia announcing Xi's visit",
    );
    let ma = find(
        &|e| {
            mention(e)
                && (e.date == "2023-02-02" || e.date == "2023-02-03")
                && e.text.contains("马朝旭")
        },
        "Ma Zhaoxu's trip",
    );
    let arrival = find(
        &|e| e.date == "2023-02-20" && e.text.contains("王毅") && e.text.contains("抵达"),
        "Wang's arrival",
    );
    let lavrov = find(
        &|e| mention(e) && e.date == "2023-02-22" && e.text.contains("拉夫罗夫"),
        "meeting Lavrov",
    );
    let putin = find(
        &|e| {
            mention(e)
                && e.date == "2023-02-22"
                && (e.text.contains("普京") || e.text.contains("蒲亭"))
                && e.text.contains("会")
        },
        "meeting Putin",
    );
    assert!(announce < ma && ma < arrival && arrival < lavrov.min(putin));
    let dates: Vec<&str> = view.timeline.iter().map(|e| e.date.as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert!(view.timeline.iter().any(|e| e.kind == TimelineKind::Event));
    // One entry per happening: no sentence is listed twice for the same day.
    let mut seen = std::collections::HashSet::new();
    for e in &view.timeline {
        assert!(
            seen.insert((e.date.clone(), e.text.clone())),
            "twice: {e:?}"
        );
    }
}

#[test]
fn summary_favours_shared_facts_in_both_scripts() {
    let (_, view) = view();
    let s = &view.summary;
    assert!(s.sentences.len() >= 3, "{s:#?}");
    assert!(
        s.sentences.iter().take(2).all(|x| x.outlets.len() >= 2),
        "{s:#?}"
    );
    let hans = s.text(ReaderScript::Hans);
    let hant = s.text(ReaderScript::Hant);
    assert_ne!(hans, hant);
    assert_eq!(
        newsloom_model::detect_script(&hant),
        newsloom_model::Script::Hant
    );
    assert_eq!(
        newsloom_model::detect_script(&hans),
        newsloom_model::Script::Hans
    );
}
