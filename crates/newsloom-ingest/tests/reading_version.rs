//! What the readers make of documents is versioned ([`newsloom_ingest::READING_VERSION`]):
//! `newsloom digest` reads a store's documents again when the version it recorded differs.
//! This pins a digest of the articles read from every fifth document and every feed of
//! agora-pen-2411 and mh-news (`../shared`; skipped with a message when absent, a failure
//! when `CI=true`) to the version, so no change reads documents differently unnoticed: when
//! it fails, bump `READING_VERSION` and pin the new digest with it.

use newsloom_ingest::{READING_VERSION, Summary, collect_inputs, read_file};
use newsloom_testkit::Digest;

#[test]
fn the_corpora_read_as_this_reading_version_reads_them() {
    let mut digest = Digest::default();
    let (mut documents, mut articles) = (0usize, 0usize);
    for name in ["agora-pen-2411", "mh-news"] {
        let Some(dir) = newsloom_testkit::corpus("reading_version", name) else {
            return;
        };
        let mut summary = Summary::default();
        let mut inputs = collect_inputs(std::slice::from_ref(&dir), &mut summary);
        inputs.sort_by(|a, b| a.path.cmp(&b.path));
        // Every fifth document, and every feed: a corpus has few feeds, each many entries.
        let sampled = inputs
            .iter()
            .enumerate()
            .filter(|(i, input)| i % 5 == 0 || input.path.extension().is_some_and(|e| e == "xml"));
        for (_, input) in sampled {
            let outcome = read_file(&input.path);
            documents += 1;
            // Paths relative to the corpus, so the digest does not depend on where it lies.
            let relative = input.path.strip_prefix(&dir).unwrap_or(&input.path);
            digest.add(relative.display().to_string().as_bytes());
            for mut article in outcome.articles {
                article.source.path = String::new();
                let json = serde_json::to_vec(&article).expect("an article serializes");
                digest.add(&json);
                articles += 1;
            }
        }
    }
    eprintln!(
        "{documents} documents, {articles} articles, digest {:#018x}",
        digest.0
    );
    assert_eq!(
        (READING_VERSION, documents, articles, digest.0),
        (4, 2057, 2035, 0x38ff_3092_0e25_a8a3),
        "documents read differently: bump READING_VERSION, pin the new digest"
    );
}
