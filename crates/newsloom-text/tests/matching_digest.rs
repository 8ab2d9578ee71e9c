//! The matching form is a contract: fingerprints, clusterer state and stored indexes are
//! computed from it, so speed work on the text layer must not change a single byte. This
//! test pins a digest of the matching forms of every agora-pen-2411 title, body block and
//! whole page text (`<repo>/../shared`; skipped with a message when absent, a failure when
//! `CI=true`). Change the digest only together with a deliberate change of the matching form.
//! A second digest pins what `analyze` reads from a sample of the pages to
//! `ANALYSIS_VERSION`, which stores record (see that constant).

#[path = "../examples/common/mod.rs"]
mod common;

use newsloom_testkit::{Digest, corpus};
use newsloom_text::TextLayer;

#[test]
fn agora_matching_forms_are_unchanged() {
    let Some(root) = corpus("agora_matching_forms_are_unchanged", "agora-pen-2411") else {
        return;
    };
    let layer = TextLayer::default();
    let mut digest = Digest::default();
    let (mut texts, mut bytes) = (0usize, 0usize);
    let mut add = |form: String| {
        digest.add(form.as_bytes());
        digest.add(&[0xff]);
        texts += 1;
        bytes += form.len();
    };
    for path in common::agora_pages(&root) {
        let Some(page) = common::read_agora_page(&path, &root) else {
            continue;
        };
        let article = page.article();
        add(layer.matching_form(&article.title));
        for block in &article.body {
            add(layer.matching_form(&block.text));
        }
        add(layer.matching_form(&page.text()));
    }
    eprintln!(
        "{texts} texts, {bytes} bytes of matching form, digest {:#018x}",
        digest.0
    );
    assert_eq!((texts, digest.0), (72_089, 0x08d4_7be6_98d4_f074));
}

/// What the layer reads from an article is versioned ([`newsloom_text::ANALYSIS_VERSION`]):
/// `newsloom digest` reads a store's articles again when the version it recorded differs.
/// This pins a digest of the analyses (sentences, entities, quotes, dates) of every fifth
/// agora-pen-2411 page to the version, so no change reads articles differently unnoticed:
/// when it fails, bump `ANALYSIS_VERSION` and pin the new digest with it.
#[test]
fn agora_analyses_are_those_of_this_analysis_version() {
    let test = "agora_analyses_are_those_of_this_analysis_version";
    let Some(root) = corpus(test, "agora-pen-2411") else {
        return;
    };
    let layer = TextLayer::default();
    let mut digest = Digest::default();
    let mut analyses = 0usize;
    for path in common::agora_pages(&root).iter().step_by(5) {
        let Some(page) = common::read_agora_page(path, &root) else {
            continue;
        };
        let analysis = layer.analyze(&page.article());
        let json = serde_json::to_vec(&analysis).expect("an analysis serializes");
        digest.add(&json);
        analyses += 1;
    }
    eprintln!("{analyses} analyses, digest {:#018x}", digest.0);
    assert_eq!(
        (newsloom_text::ANALYSIS_VERSION, analyses, digest.0),
        (7, 1438, 0xb4cc_13fc_9658_7f79),
        "the layer reads articles differently: bump ANALYSIS_VERSION, pin the new digest"
    );
}
