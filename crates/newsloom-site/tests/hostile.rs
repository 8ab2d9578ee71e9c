//! Articles carrying `<script>`, `onerror=`, `javascript:`, `<iframe>` and `<style>` in every
//! field go through the store to the generated site; none of it may survive as markup.

mod common;

use chrono::DateTime;
use newsloom_model::{Article, Block, BlockKind, Format, Image, Link, Script, Source};
use newsloom_site::{ExportFormat, SiteOptions, build_site, export};
use newsloom_store::Store;
use newsloom_text::TextLayer;

const EVIL: &[&str] = &[
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(2)\">点我</a>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<style>body{display:none}</style>",
    "\"><svg onload=alert(3)>",
    "' onmouseover='alert(4)",
];

fn evil(i: usize) -> &'static str {
    EVIL[i % EVIL.len()]
}

fn article(n: usize) -> Article {
    let text = |k: usize| {
        format!(
            "王毅在莫斯科会见普京，双方讨论乌克兰问题{}。{}第{k}段。",
            evil(n + k),
            evil(n + k + 1)
        )
    };
    Article {
        id: format!("aevil{n}"),
        source: Source {
            path: format!("evil{n}.jsonl"),
            format: Format::Jsonl,
        },
        outlet: format!("坏媒体{}", evil(n)),
        outlet_id: format!("evil{n}"),
        url: Some(if n.is_multiple_of(2) {
            "javascript:alert(5)".to_string()
        } else {
            format!("https://example.com/a{n}\"><script>alert(6)</script>")
        }),
        mirror_url: Some(" JaVaScRiPt:alert(7)".into()),
        title: format!("王毅访俄{}", evil(n + 2)),
        published: DateTime::parse_from_rfc3339(&format!("2023-02-2{}T10:00:00+08:00", n % 3)).ok(),
        published_precision: None,
        authors: vec![evil(n + 3).to_string()],
        editors: vec![],
        dateline: Some(evil(n + 4).to_string()),
        script: Script::Hans,
        language: "zh".into(),
        body: vec![
            Block::paragraph(text(0)),
            Block::new(BlockKind::Heading, evil(n + 5)),
            Block::new(BlockKind::Quote, text(1)),
            Block::new(BlockKind::ListItem, text(2)),
            Block::paragraph("王毅表示，中俄关系“成熟坚韧、稳如泰山”<script>alert(8)</script>。"),
        ],
        images: vec![
            Image {
                url: "javascript:alert(9)".into(),
                caption: Some(evil(n + 6).into()),
                credit: Some(evil(n).into()),
            },
            Image {
                url: "https://img.example/p.jpg\" onerror=\"alert(10)".into(),
                caption: Some("图<iframe src=x>".into()),
                credit: None,
            },
            Image {
                url: "https://img.example/ok.jpg".into(),
                caption: Some(format!("正常图片{}", evil(n + 1))),
                credit: Some("<b onclick=alert(11)>摄影</b>".into()),
            },
        ],
        related: vec![
            Link {
                url: "javascript:alert(12)".into(),
                title: evil(n + 2).into(),
            },
            Link {
                url: "https://example.com/r".into(),
                title: format!("相关{}", evil(n + 3)),
            },
        ],
    }
}

fn assert_inert(name: &str, html: &str) {
    // Literal markup from sources is escaped, so these never appear raw.
    for raw in ["<script>", "<iframe", "<style", "<svg", "<b onclick"] {
        assert!(!html.contains(raw), "{name}: raw {raw} survived");
    }
    let doc = scraper::Html::parse_document(html);
    let all = scraper::Selector::parse("*").expect("selector");
    for el in doc.select(&all) {
        let v = el.value();
        match v.name() {
            "iframe" | "style" | "object" | "embed" | "svg" => {
                panic!("{name}: <{}> element survived", v.name())
            }
            // Only the site's own script file.
            "script" => assert!(
                v.attr("src").is_some_and(|s| s.ends_with("assets/site.js"))
                    && el.inner_html().trim().is_empty(),
                "{name}: foreign script {}",
                el.html()
            ),
            _ => {}
        }
        for (attr, value) in v.attrs() {
            assert!(
                !attr.starts_with("on"),
                "{name}: event handler {attr}={value}"
            );
            assert!(attr != "style", "{name}: style attribute");
            let lower = value.trim().to_ascii_lowercase();
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "srcset" | "poster"
            ) {
                assert!(
                    !lower.starts_with("javascript:") && !lower.starts_with("data:"),
                    "{name}: {attr}={value}"
                );
                assert!(
                    !value.contains('"') && !value.contains('<'),
                    "{name}: {attr}={value}"
                );
            }
        }
    }
}

#[test]
fn hostile_articles_yield_an_inert_site() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let layer = TextLayer::default();
    let articles: Vec<Article> = (0..6).map(article).collect();
    let db = tmp.path().join("evil.db");
    common::one_story_store(&db, &articles, &layer);
    let store = Store::open_read_only(&db).expect("store");
    let out = tmp.path().join("site");
    let report = build_site(&store, &layer, &out, &SiteOptions::default()).expect("site");
    assert_eq!(report.articles, 6);

    let pages = common::files(&out, "html");
    assert!(pages.len() >= 8, "{pages:?}");
    let mut saw_text = false;
    for p in &pages {
        let html = std::fs::read_to_string(p).expect("page");
        assert_inert(&p.display().to_string(), &html);
        // The text itself is kept, shown as text.
        saw_text |= common::visible_text(&html).contains("<script>alert(8)</script>");
    }
    assert!(saw_text, "escaped source text should still be readable");
    // The one legitimate image and link survive.
    let article_page = std::fs::read_to_string(out.join("articles/aevil1.html")).expect("page");
    assert!(article_page.contains("src=\"https://img.example/ok.jpg\""));
    assert!(article_page.contains("href=\"https://example.com/r\""));

    for f in common::files(&out.join("feeds"), "atom") {
        let xml = std::fs::read_to_string(&f).expect("feed");
        assert!(
            !xml.contains("<script") && !xml.contains("<iframe"),
            "{}",
            f.display()
        );
        assert!(!xml.contains("href=\"javascript:"), "{}", f.display());
        feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }

    let md = tmp.path().join("md");
    export(&store, &layer, ExportFormat::Markdown, &md).expect("markdown");
    for f in common::files(&md, "md") {
        let text = std::fs::read_to_string(&f).expect("md");
        for raw in ["<script", "<iframe", "<img", "<style", "](javascript:"] {
            assert!(!text.contains(raw), "{}: {raw}", f.display());
        }
    }
}
