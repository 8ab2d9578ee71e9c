//! The store after digests: one story for the seeds, nothing done twice, late arrivals join,
//! changed documents become revisions, overlapping inputs never duplicate.

use newsloom_digest::{DigestOptions, DigestReport, digest};
use newsloom_store::{ClusterMembership, Store, StoryFilter};
use std::path::{Path, PathBuf};

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds")
}

fn copy_seeds(to: &Path, which: &[&str]) {
    for entry in std::fs::read_dir(seeds_dir())
        .unwrap()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy().to_string();
        if which.iter().any(|w| name.starts_with(w)) {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

fn run(store: &mut Store, roots: &[PathBuf]) -> DigestReport {
    digest(
        store,
        roots,
        &DigestOptions {
            batch_documents: 2,
            ..DigestOptions::default()
        },
        &|_| {},
    )
    .unwrap()
}

/// A store in `dir` with seeds 000–003 digested from the folder `dir/in`, which it returns.
fn digest_all_but_004(dir: &Path) -> (PathBuf, Store) {
    let input = dir.join("in");
    std::fs::create_dir(&input).unwrap();
    copy_seeds(&input, &["000", "001", "002", "003"]);
    let mut store = Store::open(dir.join("n.db")).unwrap();
    run(&mut store, std::slice::from_ref(&input));
    (input, store)
}

/// Everything a user can see: story → event → sorted article ids, plus the article count.
/// Everything a user can see of the clustering, plus the article count.
fn shape(store: &Store) -> (u64, ClusterMembership) {
    (
        store.counts().unwrap().articles,
        store.cluster_membership().unwrap(),
    )
}

// Issues 5 and 6: the five seeds are one story from four outlets (with three events).
#[test]
fn seeds_make_one_story_of_five_articles_from_four_outlets() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("n.db")).unwrap();
    let report = run(&mut store, &[seeds_dir()]);
    assert_eq!(
        (report.parsed, report.new_articles, report.clustered),
        (5, 5, 5)
    );
    let stories = store.stories(&StoryFilter::default()).unwrap();
    assert_eq!(stories.len(), 1, "{stories:#?}");
    assert_eq!(stories[0].article_count, 5);
    let mut outlets: Vec<&str> = stories[0].outlets.iter().map(|o| o.id.as_str()).collect();
    outlets.sort();
    assert_eq!(outlets, vec!["cna", "ntdtv", "secretchina", "voa"]);
}

#[test]
fn a_second_digest_changes_nothing_and_parses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("n.db")).unwrap();
    run(&mut store, &[seeds_dir()]);
    let before = shape(&store);
    let again = run(&mut store, &[seeds_dir()]);
    assert_eq!(
        (
            again.parsed,
            again.unchanged,
            again.new_articles,
            again.clustered
        ),
        (0, 5, 0, 0)
    );
    assert_eq!(shape(&store), before);
}

#[test]
fn a_late_article_joins_the_existing_story_and_event() {
    let dir = tempfile::tempdir().unwrap();
    let (input, mut store) = digest_all_but_004(dir.path());
    let before = shape(&store);
    copy_seeds(&input, &["004"]);
    let report = run(&mut store, std::slice::from_ref(&input));
    assert_eq!(
        (report.parsed, report.unchanged, report.new_articles),
        (1, 4, 1)
    );
    let after = shape(&store);
    assert_eq!(after.1.len(), before.1.len(), "no new story");
    // Seed 004 (CNA, 22 February) sits in the event of seeds 000 and 002.
    let id_of = |prefix: &str| {
        let path = std::fs::read_dir(&input)
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
            .unwrap()
            .path();
        newsloom_ingest::read_file(&path).articles.remove(0).id
    };
    let (cna, voa) = (id_of("004"), id_of("002"));
    let event_of = |id: &str| {
        after
            .1
            .values()
            .flat_map(|evs| evs.iter())
            .find(|(_, ids)| ids.contains(&id.to_string()))
            .map(|(e, _)| e.clone())
    };
    assert!(event_of(&cna).is_some());
    assert_eq!(event_of(&cna), event_of(&voa));
}

#[test]
fn a_changed_document_is_a_new_revision_and_overlapping_inputs_never_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let nested = input.join("nested");
    std::fs::create_dir_all(&nested).unwrap();
    copy_seeds(&input, &["000", "001", "003"]);
    copy_seeds(&nested, &["002"]);
    let mut store = Store::open(dir.path().join("n.db")).unwrap();
    run(&mut store, std::slice::from_ref(&input));
    // The same files again through an overlapping root: nothing new.
    let overlap = run(&mut store, &[nested.clone(), input.clone()]);
    assert_eq!((overlap.parsed, overlap.new_articles), (0, 0));
    assert_eq!(store.counts().unwrap().articles, 4);
    // Edit seed 002's text: same URL, so the same article id, as a new revision.
    let voa = std::fs::read_dir(&nested)
        .unwrap()
        .filter_map(Result::ok)
        .next()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&voa)
        .unwrap()
        .replace("北京虽然经常呼吁", "北京虽然一再呼吁");
    std::fs::write(&voa, text).unwrap();
    let edit = run(&mut store, std::slice::from_ref(&input));
    assert_eq!(
        (edit.parsed, edit.new_articles, edit.revised_articles),
        (1, 0, 1)
    );
    assert_eq!(store.counts().unwrap().articles, 4);
    let id = newsloom_ingest::read_file(&voa).articles.remove(0).id;
    assert_eq!(store.article_revisions(&id).unwrap().len(), 2);
}

/// A store whose clusterer state was saved by another version of newsloom (another layout)
/// is not refused: the next digest clusters every stored article again with a new
/// clusterer, and the late article still lands in the one story.
#[test]
fn a_clusterer_state_of_another_version_is_rebuilt_from_the_stored_articles() {
    use newsloom_store::{Batch, ClusterState, ClusterUpdate};
    let dir = tempfile::tempdir().unwrap();
    let (input, mut store) = digest_all_but_004(dir.path());
    let stale = ClusterState {
        format: "json".into(),
        version: 1,
        data: br#"{"layout":"of an older release"}"#.to_vec(),
    };
    store
        .put_batch(&Batch {
            clusters: Some(ClusterUpdate {
                state: Some(stale),
                ..Default::default()
            }),
            ..Default::default()
        })
        .unwrap();
    copy_seeds(&input, &["004"]);
    let report = run(&mut store, std::slice::from_ref(&input));
    assert_eq!((report.parsed, report.new_articles), (1, 1));
    assert_eq!(report.clustered, 5, "every stored article is placed again");
    let stories = store.stories(&StoryFilter::default()).unwrap();
    assert_eq!(stories.len(), 1, "{stories:#?}");
    assert_eq!(stories[0].article_count, 5);
    let saved = store.load_cluster_state().unwrap().unwrap();
    assert_ne!(saved.version, 1, "the rebuilt state replaces the stale one");
    // And the rebuilt state resumes like any other.
    let again = run(&mut store, std::slice::from_ref(&input));
    assert_eq!((again.parsed, again.clustered), (0, 0));
    assert_eq!(shape(&store).0, 5);
}

/// What an older release records under a store key (`kv`): that its version 0 did that job.
fn version_of_an_older_release(key: &str) -> (String, newsloom_store::ClusterState) {
    let blob = newsloom_store::ClusterState {
        format: "json".into(),
        version: 0,
        data: b"0".to_vec(),
    };
    (key.to_string(), blob)
}

/// A store whose articles an older text layer read (here: one that found an entity the
/// current layer does not, and recorded analysis version 0) is read again as a whole: the
/// stale mention and entity go, every article's mentions are the current reading's, and the
/// clustering is the same as a fresh digest's.
#[test]
fn articles_read_by_another_text_layer_are_read_again() {
    use newsloom_store::{Batch, EntityRecord, MentionRecord};
    let dir = tempfile::tempdir().unwrap();
    let (input, mut store) = digest_all_but_004(dir.path());
    let current = store.counts().unwrap();
    assert!(current.mentions > 0, "the seeds mention people and places");
    // What an older release left: its own reading of an article, under its version.
    let article = store.all_articles().unwrap().remove(0).id;
    store
        .put_batch(&Batch {
            blobs: vec![version_of_an_older_release("text_analysis")],
            entities: vec![EntityRecord {
                id: "person:王毅访".into(),
                kind: "person".into(),
                name: "王毅访".into(),
                aliases: vec!["王毅访".into()],
            }],
            mentions: vec![MentionRecord {
                article_id: article.clone(),
                entity_id: "person:王毅访".into(),
                alias: "王毅访".into(),
                count: 1,
            }],
            ..Default::default()
        })
        .unwrap();
    let before = shape(&store);

    let report = run(&mut store, std::slice::from_ref(&input));
    assert_eq!(report.parsed, 0, "documents are not parsed again");
    assert_eq!(report.clustered, 4, "every stored article is read again");
    let after = store.counts().unwrap();
    assert_eq!(
        (after.entities, after.mentions),
        (current.entities, current.mentions),
        "the old reading's entity and mention are gone, the current reading's are all there"
    );
    assert_eq!(shape(&store), before, "same events and stories as before");
    // Read once: the next digest resumes.
    let again = run(&mut store, std::slice::from_ref(&input));
    assert_eq!((again.parsed, again.clustered), (0, 0));
}

/// Documents another release's readers read are read again, though their files did not
/// change: the store holds what this release reads in them.
#[test]
fn documents_read_by_another_release_are_read_again() {
    use newsloom_store::Batch;
    let dir = tempfile::tempdir().unwrap();
    let (input, mut store) = digest_all_but_004(dir.path());
    let before = shape(&store);
    store
        .put_batch(&Batch {
            blobs: vec![version_of_an_older_release("reading")],
            ..Default::default()
        })
        .unwrap();
    let report = run(&mut store, std::slice::from_ref(&input));
    assert_eq!(
        (report.parsed, report.unchanged),
        (4, 0),
        "every document is parsed again"
    );
    assert_eq!(
        (report.new_articles, report.revised_articles),
        (0, 0),
        "the same articles: nothing new, nothing revised"
    );
    assert_eq!(shape(&store), before);
    let again = run(&mut store, std::slice::from_ref(&input));
    assert_eq!(
        (again.parsed, again.unchanged),
        (0, 4),
        "read once, then skipped"
    );
}

/// A run over other folders than the stored documents' leaves those documents as the older
/// readers read them, and says so: the version is recorded once one run has read every
/// stored document (the store keeps one version, not one per document, so digesting the
/// folders one at a time reads them again until a run covers them all).
#[test]
fn documents_of_other_folders_are_read_again_when_digested() {
    use newsloom_store::Batch;
    let dir = tempfile::tempdir().unwrap();
    let (input, mut store) = digest_all_but_004(dir.path());
    store
        .put_batch(&Batch {
            blobs: vec![version_of_an_older_release("reading")],
            ..Default::default()
        })
        .unwrap();
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    copy_seeds(&other, &["004"]);
    let report = run(&mut store, std::slice::from_ref(&other));
    assert_eq!(report.parsed, 1);
    // Not recorded yet: the first folder's documents are read again when it is digested.
    let report = run(&mut store, std::slice::from_ref(&input));
    assert_eq!((report.parsed, report.unchanged), (4, 0));
    let both = run(&mut store, &[input.clone(), other.clone()]);
    assert_eq!(
        (both.parsed, both.unchanged),
        (5, 0),
        "one run over the whole store"
    );
    let again = run(&mut store, &[input, other]);
    assert_eq!(
        (again.parsed, again.unchanged),
        (0, 5),
        "all read by this release now"
    );
}

fn feed_and_page() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feed-and-page")
}

/// The fixture's feed with one paragraph fewer than the page: a feed that carries a
/// summary, or an earlier state of the article.
fn write_short_feed(to: &Path, tag: &str) {
    let feed = std::fs::read_to_string(feed_and_page().join("feed.xml")).unwrap();
    let short = feed.replace(
        "央行還提到，通膨率在這之後的未來幾個月，可能回升到5%的目標水準。",
        "",
    );
    assert_ne!(short, feed);
    std::fs::write(to.join("feed.xml"), format!("{short}<!-- {tag} -->")).unwrap();
}

/// The stored text of the fixture's one article: (revisions, format of the head).
fn stored_reading(store: &Store) -> (usize, newsloom_model::Format) {
    let page = newsloom_ingest::read_file(&feed_and_page().join("page.html"));
    let id = &page.articles[0].id;
    let head = store.article(id).unwrap().unwrap();
    (
        store.article_revisions(id).unwrap().len(),
        head.article.source.format,
    )
}

/// A feed re-read because it changed (it gained entries) does not replace the text of an
/// article read from its page; a page does replace what a feed said.
#[test]
fn a_feed_entry_never_revises_an_article_read_from_its_page() {
    use newsloom_model::Format;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(feed_and_page().join("page.html"), input.join("page.html")).unwrap();
    let mut store = Store::open(dir.path().join("n.db")).unwrap();
    run(&mut store, std::slice::from_ref(&input));
    write_short_feed(&input, "1");
    let feed = run(&mut store, std::slice::from_ref(&input));
    assert_eq!(
        (feed.parsed, feed.new_articles, feed.revised_articles),
        (1, 0, 0)
    );
    write_short_feed(&input, "2");
    run(&mut store, std::slice::from_ref(&input));
    assert_eq!(stored_reading(&store), (1, Format::Html));

    // The other way round: the feed first, then the page revises it; later feeds do not.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_short_feed(&input, "1");
    let mut store = Store::open(dir.path().join("n.db")).unwrap();
    run(&mut store, std::slice::from_ref(&input));
    assert_eq!(stored_reading(&store), (1, Format::Atom));
    std::fs::copy(feed_and_page().join("page.html"), input.join("page.html")).unwrap();
    let page = run(&mut store, std::slice::from_ref(&input));
    assert_eq!((page.parsed, page.revised_articles), (1, 1));
    write_short_feed(&input, "2");
    run(&mut store, std::slice::from_ref(&input));
    assert_eq!(stored_reading(&store), (2, Format::Html));
}
