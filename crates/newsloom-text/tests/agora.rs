//! Checks on the agora-pen-2411 corpus (`<repo>/../shared`): skipped with a message when the
//! corpus is absent, a failure when `CI=true`.

#[path = "../examples/common/mod.rs"]
mod common;

use std::path::PathBuf;

use newsloom_text::{AliasMiner, AliasTable, TextLayer};

fn corpus() -> Option<PathBuf> {
    let root = common::shared_dir()
        .map(|s| s.join("corpora/agora-pen-2411"))
        .filter(|p| p.is_dir());
    if root.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "../shared/corpora/agora-pen-2411 missing under CI"
        );
        eprintln!("skipping: ../shared/corpora/agora-pen-2411 not present");
    }
    root
}

/// Entity ids under which `name` is seen in the first pages of `outlet` that mention it.
fn ids_for(layer: &TextLayer, root: &std::path::Path, outlet: &str, name: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let dir = root.join(outlet);
    for p in common::agora_pages(root)
        .into_iter()
        .filter(|p| p.starts_with(&dir))
    {
        let Some(page) = common::read_agora_page(&p, root) else {
            continue;
        };
        if !page.text().contains(name) {
            continue;
        }
        let a = layer.analyze(&page.article());
        for e in &a.entities {
            if e.names.iter().any(|n| n == name) && !ids.contains(&e.id) {
                ids.push(e.id.clone());
            }
        }
        if !ids.is_empty() {
            break;
        }
    }
    ids
}

#[test]
fn trump_and_harris_resolve_to_one_id_across_outlets() {
    let Some(root) = corpus() else { return };
    // Mine the corpus first, as newsloom does, and match with curated + mined aliases.
    let mut miner = AliasMiner::new();
    for p in common::agora_pages(&root) {
        if let Some(page) = common::read_agora_page(&p, &root) {
            miner.observe_text(&page.text());
        }
    }
    let mined = miner.finish();
    let harris = mined
        .names
        .get("kamala harris")
        .map(|n| n.forms.contains_key("賀錦麗"));
    assert_eq!(harris, Some(true), "mining sees 賀錦麗（Kamala Harris）");
    let layer = TextLayer::new(AliasTable::curated().with_mined(mined));

    assert_eq!(ids_for(&layer, &root, "cna", "川普"), vec!["person:特朗普"]);
    assert_eq!(
        ids_for(&layer, &root, "aj", "特朗普"),
        vec!["person:特朗普"]
    );
    assert_eq!(
        ids_for(&layer, &root, "rfa", "特朗普")
            .first()
            .map(String::as_str),
        Some("person:特朗普")
    );
    assert_eq!(
        ids_for(&layer, &root, "cna", "賀錦麗"),
        vec!["person:哈里斯"]
    );
    assert_eq!(
        ids_for(&layer, &root, "aj", "哈里斯")
            .first()
            .map(String::as_str),
        Some("person:哈里斯")
    );
    assert_eq!(
        layer.matching_form("川普與賀錦麗"),
        layer.matching_form("特朗普与哈里斯")
    );

    // A spelling only mining knows joins the curated group through the shared Latin name:
    // CNA's 班森特 (Scott Bessent) is the mainland 贝森特.
    assert_eq!(
        layer.alias_group("班森特").map(|g| g.id.as_str()),
        Some("person:贝森特")
    );
}
