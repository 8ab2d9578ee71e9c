//! The must-hold checks on the five seed articles, read raw from `examples/seeds`
//! (tags stripped by the dev reader in `examples/common`, until `newsloom-ingest` reads them).
//! Publication times are the ones the seed files state (feed date line / front matter).

#[path = "../examples/common/mod.rs"]
mod common;

use std::path::PathBuf;

use newsloom_text::{Analysis, TextLayer};

fn seed(prefix: &str, published: Option<&str>) -> newsloom_model::Article {
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
    common::read_seed_published(&path, published)
        .expect("seed readable")
        .article()
}

fn analyze(prefix: &str, published: Option<&str>) -> Analysis {
    TextLayer::default().analyze(&seed(prefix, published))
}

fn entity_names(a: &Analysis, id: &str) -> Vec<String> {
    a.entities
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.names.clone())
        .unwrap_or_default()
}

#[test]
fn putin_lavrov_xi_have_one_id_across_outlets_and_scripts() {
    let layer = TextLayer::default();
    let cna = layer.analyze(&seed("004", Some("2023-02-22T18:04:07Z")));
    assert!(
        entity_names(&cna, "person:普京").contains(&"蒲亭".to_string()),
        "{:?}",
        cna.entities
    );
    assert!(entity_names(&cna, "person:拉夫罗夫").contains(&"拉夫羅夫".to_string()));
    assert!(entity_names(&cna, "person:习近平").contains(&"習近平".to_string()));
    for prefix in ["000", "001", "002", "003"] {
        let a = layer.analyze(&seed(prefix, None));
        assert!(
            entity_names(&a, "person:普京").contains(&"普京".to_string()),
            "seed {prefix}: {:?}",
            a.entities
        );
    }
    for prefix in ["000", "002"] {
        let a = layer.analyze(&seed(prefix, None));
        assert!(
            entity_names(&a, "person:拉夫罗夫").contains(&"拉夫罗夫".to_string()),
            "seed {prefix}"
        );
        assert!(
            entity_names(&a, "person:习近平").contains(&"习近平".to_string()),
            "seed {prefix}"
        );
    }
    // And the matching forms agree.
    assert!(cna.matching.body.contains("俄罗斯总统普京"));
}

#[test]
fn wang_yi_quote_in_voa_and_cna() {
    let voa = analyze("002", Some("2023-02-22T17:22:43Z"));
    let cna = analyze("004", Some("2023-02-22T18:04:07Z"));
    let find = |a: &Analysis| {
        a.quotes
            .iter()
            .find(|q| q.matching.contains("成熟坚韧、稳如泰山"))
            .cloned()
            .unwrap_or_else(|| panic!("no 稳如泰山 quote in {}: {:#?}", a.id, a.quotes))
    };
    let (q2, q4) = (find(&voa), find(&cna));
    assert_eq!(q2.speaker.as_deref(), Some("王毅"));
    assert_eq!(q4.speaker.as_deref(), Some("王毅"));
    assert_eq!(q2.speaker_id.as_deref(), Some("person:王毅"));
    assert_eq!(q2.speaker_id, q4.speaker_id);
    // The outlets quote one clause differently (风云考验 / 風雲的考驗); the quoted clause that
    // both carry has one matching form.
    let shared: Vec<&String> = q2
        .clauses
        .iter()
        .filter(|c| q4.clauses.contains(c))
        .collect();
    assert_eq!(
        shared,
        vec!["成熟坚韧、稳如泰山"],
        "{:?} / {:?}",
        q2.clauses,
        q4.clauses
    );
    assert_eq!(q4.text, "歷經國際風雲的考驗，成熟堅韌、穩如泰山");
}

#[test]
fn zakharova_quote_in_seed_000() {
    let a = analyze("000", Some("2023-02-23T00:00:00+08:00"));
    let q = a
        .quotes
        .iter()
        .find(|q| q.text.starts_with("中方合作伙伴向我方介绍"))
        .unwrap_or_else(|| panic!("{:#?}", a.quotes));
    assert_eq!(q.speaker.as_deref(), Some("扎哈洛娃"));
    assert_eq!(q.speaker_id.as_deref(), Some("person:扎哈罗娃"));
}

#[test]
fn seed_002_dates_resolve_against_publication() {
    let a = analyze("002", Some("2023-02-22T17:22:43Z"));
    let date_of = |text: &str| {
        a.dates
            .iter()
            .find(|d| d.text == text)
            .map(|d| d.date.clone())
            .unwrap_or_default()
    };
    assert_eq!(date_of("2月22日"), "2023-02-22");
    assert_eq!(date_of("上周六"), "2023-02-18");
    assert_eq!(date_of("星期三"), "2023-02-22");
    assert_eq!(date_of("去年12月"), "2022-12");
}
