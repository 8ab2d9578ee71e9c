//! The view on a real multi-outlet story of agora-pen-2411 (South Korea scrambling jets
//! against Chinese and Russian military aircraft, 2024-11-29: RFA, CNA, RTHK ×2), so the
//! alignment thresholds are checked on news other than the seeds.

use newsloom_text::TextLayer;
use newsloom_view::{StoryMeta, StoryView, to_hans};

const FILES: &[&str] = &[
    "rfa/2024/11/29/RFA-中俄11軍機闖防空識別區-南韓出動戰機應對.html",
    "rthk/2024/11/29/RTHK-中俄在日本海相關空域實施聯合空中戰略巡航.html",
    "cna/2024/11/29/CNA-11架中俄軍機闖入防空識別區-南韓出動戰機應對.html",
    "rthk/2024/11/29/RTHK-中俄舉行聯合空中戰略巡航-南韓稱兩國軍機曾進韓方防空識別區.html",
];

#[test]
fn adiz_story_shared_and_single_source() {
    let Some(corpus) =
        newsloom_testkit::corpus("adiz_story_shared_and_single_source", "agora-pen-2411")
    else {
        return;
    };
    let mut articles = Vec::new();
    for f in FILES {
        let outcome = newsloom_ingest::read_file(&corpus.join(f));
        assert_eq!(outcome.articles.len(), 1, "{f}");
        articles.extend(outcome.articles);
    }
    let layer = TextLayer::default();
    let view = StoryView::from_articles(&StoryMeta::default(), &layer, &articles);

    let fact_with = |needle: &str| {
        view.shared_facts
            .iter()
            .find(|f| f.carriers.iter().any(|w| to_hans(&w.text).contains(needle)))
    };
    // All three outlets report the scramble, in differently built sentences.
    let scramble = fact_with("出动空军战机").unwrap_or_else(|| panic!("{:#?}", view.shared_facts));
    for o in ["rfa", "cna", "rthk"] {
        assert!(
            scramble.outlets.iter().any(|x| x == o),
            "{o}: {scramble:#?}"
        );
    }
    // RFA and CNA give the same times and numbers from Yonhap/Reuters.
    let detail = fact_with("上午9时35分").unwrap_or_else(|| panic!("{:#?}", view.shared_facts));
    assert!(detail.outlets.iter().any(|x| x == "rfa") && detail.outlets.iter().any(|x| x == "cna"));
    // What only one outlet says stays single-source, and is not also a shared fact.
    for (outlet, needle) in [("rthk", "表示遗憾"), ("rfa", "白令海")] {
        assert!(
            view.single_source
                .iter()
                .any(|s| s.outlet_id == outlet && to_hans(&s.text).contains(needle)),
            "{needle}: {:#?}",
            view.single_source
        );
        assert!(fact_with(needle).is_none(), "{needle} counted as shared");
    }
    assert!(view.shared_facts.iter().all(|f| f.outlets.len() >= 2));
}
