//! The seed site: structure, relative links that resolve, feeds that parse, exports.

mod common;

use std::path::Path;

use common::{files, seed_store};
use newsloom_site::{ExportFormat, SiteOptions, build_site, export};
use newsloom_store::Store;
use newsloom_text::TextLayer;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn seed_site_pages_links_and_feeds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let layer = TextLayer::default();
    // The real pipeline: `newsloom digest` of the seeds makes them one story.
    let db = seed_store(tmp.path());
    let store = Store::open_read_only(&db).expect("store");
    let out = tmp.path().join("site");
    let report = build_site(&store, &layer, &out, &SiteOptions::default()).expect("site");
    assert_eq!(report.stories, 1, "{report:?}");
    assert_eq!(report.articles, 5);

    let index = read(&out.join("index.html"));
    let stories = files(&out.join("stories"), "html");
    assert_eq!(stories.len(), 1);
    let story = read(&stories[0]);
    // Index lists the story with its outlets.
    for outlet in ["美国之音", "中央社", "看中国", "新唐人"] {
        assert!(index.contains(outlet), "{outlet} missing from the index");
        assert!(story.contains(outlet));
    }
    for section in [
        "id=\"coverage-table\"",
        "id=\"timeline\"",
        "id=\"shared-facts\"",
        "id=\"single-source\"",
        "id=\"quotes\"",
        "id=\"copied-passages\"",
        "id=\"summary\"",
    ] {
        assert!(story.contains(section), "{section} missing");
    }
    // Both renderings of a traditional outlet's statement are in the page.
    assert!(story.contains("穩如泰山") && story.contains("稳如泰山"));
    assert_eq!(files(&out.join("articles"), "html").len(), 5);

    // Every link is relative and resolves inside the folder (or is an http(s) original).
    let sel = scraper::Selector::parse("a[href], link[href], script[src], img[src]").expect("sel");
    for page in files(&out, "html") {
        let html = read(&page);
        let doc = scraper::Html::parse_document(&html);
        for el in doc.select(&sel) {
            let v = el.value();
            let target = v.attr("href").or_else(|| v.attr("src")).unwrap_or_default();
            if target.starts_with("https://") || target.starts_with("http://") {
                continue;
            }
            assert!(
                !target.starts_with('/'),
                "{}: absolute link {target}",
                page.display()
            );
            let path = target.split(['#', '?']).next().unwrap_or_default();
            let resolved = page.parent().expect("parent").join(path);
            assert!(
                resolved.exists(),
                "{}: broken link {target}",
                page.display()
            );
        }
    }

    // Feeds parse as Atom; the stories feed has the story, each outlet has a feed.
    let feeds = files(&out.join("feeds"), "atom");
    assert_eq!(feeds.len(), 1 + 4, "{feeds:?}");
    for f in &feeds {
        let bytes = std::fs::read(f).expect("feed");
        let parsed = feed_rs::parser::parse(bytes.as_slice())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(!parsed.entries.is_empty(), "{}", f.display());
    }
}

#[test]
fn exports_jsonl_and_markdown() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let layer = TextLayer::default();
    let db = seed_store(tmp.path());
    let store = Store::open_read_only(&db).expect("store");

    let stories_n = store.stories(&Default::default()).expect("stories").len();
    assert_eq!(stories_n, 1);
    let dir = tmp.path().join("jsonl");
    let r = export(&store, &layer, ExportFormat::Jsonl, &dir).expect("jsonl");
    assert_eq!((r.articles, r.stories), (5, stories_n));
    let arts = read(&dir.join("articles.jsonl"));
    let parsed: Vec<newsloom_model::Article> = arts
        .lines()
        .map(|l| serde_json::from_str(l).expect("article json"))
        .collect();
    assert_eq!(parsed.len(), 5);
    let stories = read(&dir.join("stories.jsonl"));
    let mut ids = 0;
    for line in stories.lines() {
        let story: serde_json::Value = serde_json::from_str(line).expect("story json");
        assert!(
            story["view"]["coverage"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
        );
        ids += story["article_ids"].as_array().map_or(0, Vec::len);
    }
    assert_eq!(stories.lines().count(), stories_n);
    assert!(ids >= 5);

    let one = tmp.path().join("all.jsonl");
    export(&store, &layer, ExportFormat::Jsonl, &one).expect("single file");
    let types: Vec<String> = read(&one)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["type"].to_string())
        .collect();
    assert_eq!(
        types.iter().filter(|t| t.as_str() == "\"article\"").count(),
        5
    );
    assert_eq!(
        types.iter().filter(|t| t.as_str() == "\"story\"").count(),
        stories_n
    );

    let md = tmp.path().join("md");
    let r = export(&store, &layer, ExportFormat::Markdown, &md).expect("markdown");
    assert_eq!(r.files, 5 + stories_n);
    let mds = files(&md.join("articles"), "md");
    assert_eq!(mds.len(), 5);
    for f in &mds {
        let text = read(f);
        assert!(text.starts_with("---\nid: "), "{}", f.display());
        assert!(
            !text.contains("分享") || !text.contains("facebook"),
            "boilerplate in {}",
            f.display()
        );
    }
    let cna = mds
        .iter()
        .map(|f| read(f))
        .find(|t| t.contains("outlet: \"中央社\""))
        .expect("cna markdown");
    assert!(cna.contains("成熟堅韌、穩如泰山"));
    let story_md: String = files(&md.join("stories"), "md")
        .iter()
        .map(|f| read(f))
        .collect();
    // Story markdown links to the article files that exist.
    for line in story_md
        .lines()
        .filter(|l| l.starts_with("- ") && l.contains("](../articles/"))
    {
        let target = line
            .rsplit("](")
            .next()
            .unwrap_or_default()
            .trim_end_matches(')');
        assert!(md.join("stories").join(target).exists(), "{target}");
    }
}
