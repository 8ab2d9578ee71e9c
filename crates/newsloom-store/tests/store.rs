//! Behaviour of the store API: migrations, incremental document status, revisions, batches,
//! clusters and the story reads.

mod common;

use common::*;
use newsloom_store::*;

fn fresh() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newsloom.db");
    (dir, path)
}

fn ingest(store: &mut Store, range: std::ops::Range<usize>, variant: u32) -> BatchOutcome {
    let idx: Vec<usize> = range.collect();
    store.put_batch(&batch(&idx, |_| variant, &id_of)).unwrap()
}

#[test]
fn open_creates_a_migrated_wal_database() {
    let (_dir, path) = fresh();
    let store = Store::open(&path).unwrap();
    assert!(store.is_writer());
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let applied: Vec<(u32, String)> = conn
        .prepare("SELECT version, name FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(applied.len() as u32, SCHEMA_VERSION);
    drop(conn);
    // Reopening an up-to-date store changes nothing and works for readers too.
    drop(Store::open(&path).unwrap());
    let reader = Store::open_read_only(&path).unwrap();
    assert!(!reader.is_writer());
    assert_eq!(reader.counts().unwrap(), StoreCounts::default());
}

#[test]
fn document_status_goes_new_unchanged_changed() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    let loc = location(0);
    let v0 = ContentHash::of(&document_bytes(0, 0));
    assert_eq!(
        store.document_status(&loc, &v0).unwrap(),
        DocumentStatus::New
    );
    ingest(&mut store, 0..1, 0);
    assert_eq!(
        store.document_status(&loc, &v0).unwrap(),
        DocumentStatus::Unchanged {
            outcome: OutcomeKind::Parsed,
            article_ids: vec![id_of(0)]
        }
    );
    let all = store.document_hashes().unwrap();
    assert_eq!(all.get(&loc), Some(&(v0, OutcomeKind::Parsed)));
    assert_eq!(all.len(), 1);
    let v1 = ContentHash::of(&document_bytes(0, 1));
    assert_eq!(
        store.document_status(&loc, &v1).unwrap(),
        DocumentStatus::Changed {
            article_ids: vec![id_of(0)]
        }
    );
}

#[test]
fn a_changed_document_becomes_a_new_revision_of_the_same_article() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    let first = ingest(&mut store, 0..8, 0);
    assert_eq!(
        first,
        BatchOutcome {
            documents: 8,
            new_articles: 8,
            revised_articles: 0,
            unchanged_articles: 0
        }
    );
    // The same content again (e.g. through another mirror) is no new revision.
    let again = ingest(&mut store, 0..8, 0);
    assert_eq!(again.unchanged_articles, 8);
    assert_eq!(again.new_articles + again.revised_articles, 0);
    let changed = ingest(&mut store, 0..2, 1);
    assert_eq!(changed.revised_articles, 2);
    let counts = store.counts().unwrap();
    assert_eq!(counts.articles, 8);
    assert_eq!(counts.article_revisions, 10);
    let stored = store.article(&id_of(0)).unwrap().unwrap();
    assert_eq!(stored.revision, 2);
    assert_eq!(stored.article, article(0, 1));
    assert_eq!(stored.documents, vec![location(0)]);
    let history = store.article_revisions(&id_of(0)).unwrap();
    assert_eq!(
        history.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(history[0].article, article(0, 0));
    assert_ne!(history[0].content_hash, history[1].content_hash);
    // The new revision's fingerprint replaced the old one.
    let fp = store.fingerprint(&id_of(0)).unwrap().unwrap();
    assert!(fp.matching_text.contains("更新1"));
    assert_eq!(fp.minhash.len(), 64);
    assert!(store.article("a-missing").unwrap().is_none());
}

#[test]
fn a_bad_batch_writes_nothing() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..4, 0);
    let before = dump(&path);
    let mut bad = batch(&[4, 5], |_| 0, &id_of);
    bad.documents.push(DocumentRecord {
        location: "corpus/x.html".into(),
        source_root: None,
        format: None,
        content_hash: ContentHash::of(b"x"),
        size: 1,
        outcome: DocumentOutcome::Parsed {
            article_ids: vec!["a-not-there".into()],
        },
    });
    let err = store.put_batch(&bad).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::InvalidBatch { .. }), "{msg}");
    assert!(
        msg.contains("a-not-there") && msg.contains("corpus/x.html") && msg.contains("newsloom.db"),
        "{msg}"
    );
    assert_eq!(dump(&path), before, "a rejected batch must leave no trace");
    // An event naming an unknown article is refused too, also atomically.
    let mut bad = batch(&[4], |_| 0, &id_of);
    if let Some(c) = bad.clusters.as_mut() {
        c.events[0].article_ids.push("a-ghost".into());
    }
    let err = store.put_batch(&bad).unwrap_err();
    assert!(err.to_string().contains("a-ghost"), "{err}");
    assert_eq!(dump(&path), before);
}

#[test]
fn stories_list_newest_first_with_outlets_span_and_timeline() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..30, 0); // stories s0 (0..12), s1 (12..24), s2 (24..30)
    let stories = store.stories(&StoryFilter::default()).unwrap();
    assert_eq!(
        stories.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        vec!["s2", "s1", "s0"]
    );
    let s1 = &stories[1];
    assert_eq!(s1.article_count, 12);
    assert_eq!(
        s1.events.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        vec!["e3", "e4", "e5"]
    );
    assert_eq!(s1.first_published, article(12, 0).published);
    assert_eq!(s1.last_published, article(23, 0).published);
    assert_eq!(s1.outlets.len(), 8);
    assert_eq!(s1.outlets.iter().map(|o| o.articles).sum::<usize>(), 12);
    assert_eq!(s1.outlets[0].id, OUTLETS[12 % 8].0);
    assert_eq!(s1.events[0].outlets.len(), 4);
    // --since keeps stories active on or after the day; --outlet those the outlet covered.
    let late = article(24, 0).published.unwrap();
    let since = store
        .stories(&StoryFilter {
            since: Some(late),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        since.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        vec!["s2"]
    );
    let day = store
        .stories(
            &StoryFilter::default()
                .since_date(chrono::NaiveDate::from_ymd_opt(2024, 11, 2).unwrap()),
        )
        .unwrap();
    assert!(
        day.is_empty(),
        "all synthetic articles 0..30 are from 1 November"
    );
    // Articles 24..30 come from outlets 0..6: rthk (7) is only in s0 and s1.
    let rthk = store
        .stories(&StoryFilter {
            outlet_id: Some("rthk".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        rthk.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        vec!["s1", "s0"]
    );
    let limited = store
        .stories(&StoryFilter {
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(limited.len(), 1);
    // JSON keys for --json.
    let json = serde_json::to_value(&stories[0]).unwrap();
    for key in [
        "id",
        "title",
        "outlets",
        "first_published",
        "last_published",
        "article_count",
        "events",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn story_detail_has_events_articles_duplicates_and_passages() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..12, 0);
    let s = store.story("s0").unwrap().unwrap();
    assert_eq!(s.article_count, 12);
    assert_eq!(s.events.len(), 3);
    assert_eq!(
        s.events[0]
            .articles
            .iter()
            .map(|a| a.id.clone())
            .collect::<Vec<_>>(),
        (0..4).map(id_of).collect::<Vec<_>>()
    );
    assert_eq!(s.near_duplicates.len(), 3);
    assert_eq!(s.passages.len(), 3);
    // Article 1 nearly duplicates the earlier article 0.
    assert_eq!(s.events[0].articles[1].duplicate_of, Some(id_of(0)));
    assert_eq!(s.events[0].articles[0].duplicate_of, None);
    let arts = store.articles_of_story("s0").unwrap();
    assert_eq!(arts.len(), 12);
    assert_eq!(arts[0], article(0, 0));
    assert!(store.story("nope").unwrap().is_none());
    assert!(store.articles_of_story("nope").unwrap().is_empty());
}

#[test]
fn articles_join_existing_stories_and_merges_redirect() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..6, 0);
    assert_eq!(store.story("s0").unwrap().unwrap().article_count, 6);
    ingest(&mut store, 6..9, 0);
    assert_eq!(
        store.memberships(&id_of(8)).unwrap(),
        vec![Membership {
            event_id: "e2".into(),
            story_id: "s0".into()
        }]
    );
    let s0 = store.story("s0").unwrap().unwrap();
    assert_eq!(s0.article_count, 9);
    assert_eq!(s0.events.len(), 3);
    assert_eq!(s0.last_published, article(8, 0).published);
    ingest(&mut store, 12..16, 0);
    // The clusterer decides s1 is part of s0: move its event, merge the story.
    let update = ClusterUpdate {
        events: vec![EventRecord {
            id: "e3".into(),
            story_id: "s0".into(),
            title: "事件3".into(),
            title_article_id: None,
            article_ids: (12..16).map(id_of).collect(),
        }],
        merges: vec![StoryMerge {
            from: "s1".into(),
            into: "s0".into(),
        }],
        state: Some(ClusterState {
            format: "json".into(),
            version: 2,
            data: b"{\"merged\":true}".to_vec(),
        }),
        ..Default::default()
    };
    store.put_clusters(&update).unwrap();
    let merged = store.story("s1").unwrap().unwrap();
    assert_eq!(merged.id, "s0");
    assert_eq!(merged.article_count, 13);
    assert_eq!(store.counts().unwrap().stories, 1);
    assert_eq!(store.load_cluster_state().unwrap().unwrap().version, 2);
    // Merging into a story that does not exist is refused.
    let bad = ClusterUpdate {
        merges: vec![StoryMerge {
            from: "s0".into(),
            into: "s404".into(),
        }],
        ..Default::default()
    };
    let err = store.put_clusters(&bad).unwrap_err();
    assert!(err.to_string().contains("s404"), "{err}");
    assert_eq!(
        store.story("s0").unwrap().unwrap().article_count,
        13,
        "{err}"
    );
    // A merge moves the remaining events along, and chains within one update resolve:
    // s2 -> s0 and s0 -> s9 put everything in s9; old ids s0, s1, s2 all lead there.
    ingest(&mut store, 24..26, 0);
    let chain = ClusterUpdate {
        stories: vec![StoryRecord {
            id: "s9".into(),
            title: "合并".into(),
            title_article_id: None,
        }],
        merges: vec![
            StoryMerge {
                from: "s2".into(),
                into: "s0".into(),
            },
            StoryMerge {
                from: "s0".into(),
                into: "s9".into(),
            },
        ],
        ..Default::default()
    };
    store.put_clusters(&chain).unwrap();
    for old in ["s0", "s1", "s2", "s9"] {
        let s = store.story(old).unwrap().unwrap();
        assert_eq!((s.id.as_str(), s.article_count), ("s9", 15), "via {old}");
    }
    assert_eq!(store.counts().unwrap().stories, 1);
    assert_eq!(store.memberships(&id_of(24)).unwrap()[0].story_id, "s9");
    // A cycle is refused and leaves everything as it was.
    let cycle = ClusterUpdate {
        stories: vec![StoryRecord {
            id: "s8".into(),
            title: "x".into(),
            title_article_id: None,
        }],
        merges: vec![
            StoryMerge {
                from: "s9".into(),
                into: "s8".into(),
            },
            StoryMerge {
                from: "s8".into(),
                into: "s9".into(),
            },
        ],
        ..Default::default()
    };
    let err = store.put_clusters(&cycle).unwrap_err();
    assert!(err.to_string().contains("cycle"), "{err}");
    assert!(store.story("s8").unwrap().is_none());
    assert_eq!(store.story("s9").unwrap().unwrap().article_count, 15);
}

#[test]
fn replace_all_rebuilds_clusters() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..8, 0);
    let update = ClusterUpdate {
        replace_all: true,
        stories: vec![StoryRecord {
            id: "only".into(),
            title: "唯一".into(),
            title_article_id: None,
        }],
        events: vec![EventRecord {
            id: "ev".into(),
            story_id: "only".into(),
            title: "t".into(),
            title_article_id: None,
            article_ids: (0..8).map(id_of).collect(),
        }],
        ..Default::default()
    };
    store.put_clusters(&update).unwrap();
    let list = store.stories(&StoryFilter::default()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].article_count, 8);
    assert_eq!(store.counts().unwrap().events, 1);
}

#[test]
fn revisions_refresh_story_spans_and_drop_stale_pairs() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..4, 0);
    assert_eq!(store.counts().unwrap().near_duplicates, 1);
    // Article 1 changes and moves a day later; the batch carries no pair data for it.
    let mut a = article(1, 1);
    a.published = a.published.map(|t| t + chrono::Duration::days(1));
    store
        .put_batch(&Batch {
            articles: vec![a.clone()],
            ..Default::default()
        })
        .unwrap();
    let c = store.counts().unwrap();
    assert_eq!(
        (c.near_duplicates, c.passages, c.fingerprints),
        (0, 0, 3),
        "stale derived rows of the old revision go"
    );
    let s = store.story("s0").unwrap().unwrap();
    assert_eq!(s.last_published, a.published);
    assert_eq!(
        store.stories(&StoryFilter::default()).unwrap()[0].last_published,
        a.published
    );
}

#[test]
fn alias_groups_count_mentions_without_double_counting() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..100, 0);
    ingest(&mut store, 0..100, 0); // re-put: mentions are replaced, not added
    let groups = store.alias_groups().unwrap();
    assert_eq!(groups.len(), 50);
    let g = groups.iter().find(|g| g.id == "ent7").unwrap();
    assert_eq!(g.aliases.len(), 1);
    assert_eq!(g.aliases[0].alias, "别名7");
    assert_eq!(g.aliases[0].articles, 2); // articles 7 and 57
    assert_eq!(g.aliases[0].count, 3); // 1 + 7 % 3 for article 7, 1 + 57 % 3 for article 57
    let mut expected = vec![id_of(7), id_of(57)];
    expected.sort();
    assert_eq!(g.aliases[0].examples, expected);
}

#[test]
fn runs_are_recorded_with_counts_and_interrupted_runs_marked() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    let run = store
        .begin_run(&RunInfo {
            command: "newsloom digest corpus".into(),
            roots: vec!["corpus".into()],
        })
        .unwrap();
    ingest(&mut store, 0..10, 0);
    let counts = RunCounts {
        read: 12,
        skipped: 1,
        failed: 1,
        parsed: 10,
        unchanged: 0,
    };
    let rec = store.finish_run(&counts).unwrap();
    assert_eq!(rec.id, run);
    assert_eq!(rec.status, RunStatus::Completed);
    assert_eq!(rec.counts, counts);
    assert_eq!((rec.batches, rec.new_articles), (1, 10));
    assert!(rec.finished_at.is_some());
    // A run left running (the process died) is marked interrupted by the next writer.
    store.begin_run(&RunInfo::default()).unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    let runs = store.runs(10).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].status, RunStatus::Interrupted);
    assert_eq!(runs[1].status, RunStatus::Completed);
    assert_eq!(store.counts().unwrap().sources, 1);
}

#[test]
fn read_only_handles_refuse_writes() {
    let (_dir, path) = fresh();
    drop(Store::open(&path).unwrap());
    let mut reader = Store::open_read_only(&path).unwrap();
    let err = reader.put_batch(&Batch::default()).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnlyHandle { .. }), "{err}");
    assert!(reader.begin_run(&RunInfo::default()).is_err());
    let missing = Store::open_read_only(path.with_file_name("missing.db")).unwrap_err();
    assert!(
        matches!(missing, StoreError::NotFound { .. })
            && missing.to_string().contains("missing.db"),
        "{missing}"
    );
}

#[test]
fn cluster_state_is_saved_with_its_batch() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    assert!(store.load_cluster_state().unwrap().is_none());
    ingest(&mut store, 0..5, 0);
    assert_eq!(
        store.load_cluster_state().unwrap().unwrap().data,
        b"{\"upto\":5}"
    );
    store
        .save_cluster_state(&ClusterState {
            format: "bincode".into(),
            version: 3,
            data: vec![0, 1, 2],
        })
        .unwrap();
    let state = store.load_cluster_state().unwrap().unwrap();
    assert_eq!(
        (state.format.as_str(), state.version, state.data),
        ("bincode", 3, vec![0, 1, 2])
    );
}

#[test]
fn integrity_check_passes_on_a_used_store() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..50, 0);
    ingest(&mut store, 10..20, 1);
    assert_eq!(store.integrity_check().unwrap(), Vec::<String>::new());
}

#[test]
fn unclustered_articles_are_those_in_no_event() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..4, 0);
    assert!(store.unclustered_articles().unwrap().is_empty());
    // Articles stored without a cluster update (a crash before clustering) wait here.
    let mut b = batch(&[5, 4], |_| 0, &id_of);
    b.clusters = None;
    store.put_batch(&b).unwrap();
    let waiting = store.unclustered_articles().unwrap();
    assert_eq!(waiting, vec![article(4, 0), article(5, 0)], "oldest first");
    store.put_batch(&batch(&[4, 5], |_| 0, &id_of)).unwrap();
    assert!(store.unclustered_articles().unwrap().is_empty());
}

#[test]
fn an_article_is_in_one_event_and_an_emptied_event_is_gone() {
    let (_dir, path) = fresh();
    let mut store = Store::open(&path).unwrap();
    ingest(&mut store, 0..4, 0);
    let (story, first) = (story_id(0), event_id(0));
    let mut ids: Vec<String> = (0..4).map(id_of).collect();
    ids.sort(); // membership lists are sorted
    let event = |id: &str, members: &[String]| EventRecord {
        id: id.to_string(),
        story_id: story.clone(),
        title: format!("事件{id}"),
        title_article_id: members.first().cloned(),
        article_ids: members.to_vec(),
    };
    let update = |events: Vec<EventRecord>| Batch {
        clusters: Some(ClusterUpdate {
            events,
            ..ClusterUpdate::default()
        }),
        ..Batch::default()
    };
    // The clusterer splits the event: the second group takes two of its articles.
    store
        .put_batch(&update(vec![
            event(&first, &ids[..2]),
            event("ev-split", &ids[2..]),
        ]))
        .unwrap();
    let events = &store.cluster_membership().unwrap()[&story];
    assert_eq!(events[&first], ids[..2].to_vec());
    assert_eq!(events["ev-split"], ids[2..].to_vec());
    // Later it regroups them: the first event takes its articles back, and the emptied
    // group is no event any more.
    store.put_batch(&update(vec![event(&first, &ids)])).unwrap();
    let events = &store.cluster_membership().unwrap()[&story];
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[&first], ids);
    assert_eq!(store.integrity_check().unwrap(), Vec::<String>::new());
}
