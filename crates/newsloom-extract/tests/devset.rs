//! Regression guard on the labelled dev set (tests/fixtures/html): every page is an article,
//! the published time is right on ≥ 95 % of pages that show one, titles match, and the body
//! shingle F1 stays high. The benchmark (bench/extract.sh) reports the full numbers.

use newsloom_extract::{PageKind, extract_page, score::shingle_prf};
use std::path::Path;

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn devset_quality() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/html");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    assert!(entries.len() >= 40, "dev set has {} pages", entries.len());

    let (mut f1_sum, mut dated, mut dates_ok, mut titles_ok) = (0.0, 0, 0, 0);
    for path in &entries {
        let gold: serde_json::Value = serde_json::from_slice(
            &std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = gold["file"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no file", path.display()));
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let page = extract_page(&bytes, Some(gold["url"].as_str().unwrap_or(file)))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.kind, PageKind::Article, "{file}");

        let gold_body: Vec<&str> = gold["body"]
            .as_array()
            .map(|b| b.iter().filter_map(|p| p.as_str()).collect())
            .unwrap_or_default();
        f1_sum += shingle_prf(&page.body_text(), &gold_body.join("\n")).2;

        if squash(page.title.as_deref().unwrap_or(""))
            == squash(gold["title"].as_str().unwrap_or("-"))
        {
            titles_ok += 1;
        } else {
            eprintln!("{file}: title {:?} != {:?}", page.title, gold["title"]);
        }
        if let Some(want) = gold["published"].as_str() {
            dated += 1;
            // Gold is either a day (`2019-09-25`) or a time with offset.
            let ok = match chrono::DateTime::parse_from_rfc3339(want) {
                Ok(t) => page
                    .published
                    .is_some_and(|p| (p - t).num_seconds().abs() <= 300),
                Err(_) => page
                    .published
                    .is_some_and(|p| p.format("%Y-%m-%d").to_string() == want),
            };
            if ok {
                dates_ok += 1;
            } else {
                eprintln!("{file}: published {:?} != {want}", page.published);
            }
        }
    }
    let n = entries.len();
    let f1 = f1_sum / n as f64;
    eprintln!(
        "dev set: {n} pages, body F1 {f1:.3}, dates {dates_ok}/{dated}, titles {titles_ok}/{n}"
    );
    assert!(
        dates_ok * 100 >= dated * 95,
        "dates right on {dates_ok}/{dated}"
    );
    assert!(titles_ok * 10 >= n * 9, "titles right on {titles_ok}/{n}");
    assert!(f1 >= 0.93, "body F1 {f1:.3}");
}
