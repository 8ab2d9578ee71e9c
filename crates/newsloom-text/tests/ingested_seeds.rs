//! The seed checks again, on the articles `newsloom-ingest` reads from the real seed files
//! (title, body blocks and publication time from the readers, not from the dev reader).

use std::path::PathBuf;

use newsloom_model::Article;
use newsloom_text::{Analysis, TextLayer};

fn seed(prefix: &str) -> Article {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    let path = std::fs::read_dir(&dir)
        .expect("examples/seeds is in the repo")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .expect("seed file present");
    let outcome = newsloom_ingest::read_file(&path);
    assert!(
        outcome.errors.is_empty(),
        "{}: {:?}",
        path.display(),
        outcome.errors
    );
    outcome
        .articles
        .into_iter()
        .next()
        .expect("one article per seed")
}

fn names(a: &Analysis, id: &str) -> Vec<String> {
    a.entities
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.names.clone())
        .unwrap_or_default()
}

#[test]
fn ingested_seeds_hold_the_text_layer_checks() {
    let layer = TextLayer::default();
    let a: Vec<Analysis> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|p| layer.analyze(&seed(p)))
        .collect();
    let [s0, s1, s2, s3, s4] = [&a[0], &a[1], &a[2], &a[3], &a[4]];

    for s in [s0, s1, s2, s3] {
        assert!(
            names(s, "person:普京").contains(&"普京".to_string()),
            "{}: {:?}",
            s.id,
            s.entities
        );
    }
    assert!(
        names(s4, "person:普京").contains(&"蒲亭".to_string()),
        "{:?}",
        s4.entities
    );
    assert!(names(s4, "person:拉夫罗夫").contains(&"拉夫羅夫".to_string()));
    assert!(names(s2, "person:拉夫罗夫").contains(&"拉夫罗夫".to_string()));
    assert!(names(s4, "person:习近平").contains(&"習近平".to_string()));
    assert!(names(s2, "person:习近平").contains(&"习近平".to_string()));

    let quote = |s: &Analysis| {
        s.quotes
            .iter()
            .find(|q| q.matching.contains("成熟坚韧、稳如泰山"))
            .cloned()
            .unwrap_or_else(|| panic!("{}: {:#?}", s.id, s.quotes))
    };
    let (q2, q4) = (quote(s2), quote(s4));
    assert_eq!(
        (q2.speaker.as_deref(), q4.speaker.as_deref()),
        (Some("王毅"), Some("王毅"))
    );
    assert!(q2.clauses.contains(&"成熟坚韧、稳如泰山".to_string()));
    assert!(q4.clauses.contains(&"成熟坚韧、稳如泰山".to_string()));

    let zakharova = s0
        .quotes
        .iter()
        .find(|q| q.text.starts_with("中方合作伙伴"))
        .map(|q| q.speaker.clone());
    assert_eq!(
        zakharova,
        Some(Some("扎哈洛娃".to_string())),
        "{:#?}",
        s0.quotes
    );

    let date = |t: &str| {
        s2.dates
            .iter()
            .find(|d| d.text == t)
            .map(|d| d.date.clone())
    };
    assert_eq!(
        date("2月22日").as_deref(),
        Some("2023-02-22"),
        "{:?}",
        s2.dates
    );
    assert_eq!(date("上周六").as_deref(), Some("2023-02-18"));
    // CNA's dateline day (台北22日電) against a UTC feed time read in +08:00.
    assert!(
        s4.dates
            .iter()
            .any(|d| d.text == "22日" && d.date == "2023-02-22"),
        "{:?}",
        s4.dates
    );
}
