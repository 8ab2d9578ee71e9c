//! Synthetic articles and batches shaped like an agora-sized corpus, plus a content dump
//! for comparing two databases. Shared by the tests and the insert benchmark example.
#![allow(dead_code)]

use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset};
use newsloom_model::{Article, Block, Format, Image, Precision, Script, Source, article_id};
use newsloom_store::*;

pub const OUTLETS: [(&str, &str); 8] = [
    ("aj", "半岛电视台"),
    ("cna", "中央社"),
    ("dw", "德国之声"),
    ("kyodo", "共同网"),
    ("nhk", "NHK"),
    ("nyt", "纽约时报中文网"),
    ("rfa", "自由亚洲电台"),
    ("rthk", "香港电台"),
];

/// Articles per event and events per story in the synthetic clustering.
pub const EVENT_SIZE: usize = 4;
pub const STORY_EVENTS: usize = 3;

const HANZI: &str = "中国俄罗斯外交部长王毅莫斯科访问会见普京拉夫罗夫战略协作伙伴关系第三方国际形势乌克兰危机和平谈判美国总统选举特朗普川普市场经济发展安全合作记者报道表示认为指出强调宣布声明政府官员会议举行北京台北香港东京华盛顿";

/// splitmix64: a tiny deterministic generator so every run builds the same corpus.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

fn sentence(rng: &mut Rng, chars: usize) -> String {
    let pool: Vec<char> = HANZI.chars().collect();
    let mut s: String = (0..chars)
        .map(|_| pool[rng.below(pool.len() as u64) as usize])
        .collect();
    s.push('。');
    s
}

fn base_time() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2024-11-01T00:00:00+08:00").unwrap()
}

/// Synthetic article number `i`; `variant` > 0 changes its last paragraph (a revision).
pub fn article(i: usize, variant: u32) -> Article {
    let mut rng = Rng(i as u64 * 7919 + 17);
    let (outlet_id, outlet) = OUTLETS[i % OUTLETS.len()];
    let url = format!("https://{outlet_id}.example/news/{i}");
    let published = base_time() + Duration::minutes(6 * i as i64);
    let title = format!("第{i}篇：{}", sentence(&mut rng, 14));
    let mut body: Vec<Block> = (0..6)
        .map(|_| Block::paragraph(sentence(&mut rng, 110)))
        .collect();
    if variant > 0 {
        body.push(Block::paragraph(format!(
            "更新{variant}：{}",
            sentence(&mut rng, 40)
        )));
    }
    Article {
        id: article_id(Some(&url), None, outlet_id, Some(&published), &title),
        source: Source {
            path: location(i),
            format: Format::Html,
        },
        outlet: outlet.to_string(),
        outlet_id: outlet_id.to_string(),
        url: Some(url),
        mirror_url: None,
        title,
        published: Some(published),
        published_precision: Some(Precision::Minute),
        authors: vec!["记者".to_string()],
        editors: vec![],
        dateline: Some("北京".to_string()),
        script: if i.is_multiple_of(3) {
            Script::Hant
        } else {
            Script::Hans
        },
        language: "zh".to_string(),
        body,
        images: vec![Image {
            url: format!("https://img.example/{i}.jpg"),
            caption: Some("图片".into()),
            credit: None,
        }],
        related: vec![],
    }
}

pub fn location(i: usize) -> String {
    let (outlet_id, _) = OUTLETS[i % OUTLETS.len()];
    format!("corpus/{outlet_id}/2024/11/{i}.html")
}

/// The raw "file" bytes of document `i` (what digest would hash).
pub fn document_bytes(i: usize, variant: u32) -> Vec<u8> {
    serde_json::to_vec(&article(i, variant)).unwrap()
}

pub fn event_id(i: usize) -> String {
    format!("e{}", i / EVENT_SIZE)
}

pub fn story_id(i: usize) -> String {
    format!("s{}", i / (EVENT_SIZE * STORY_EVENTS))
}

fn fingerprint(a: &Article) -> FingerprintRecord {
    let text = a.body_text();
    let digest = blake3::hash(text.as_bytes());
    let minhash = digest
        .as_bytes()
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .cycle()
        .take(64)
        .collect();
    FingerprintRecord {
        article_id: a.id.clone(),
        scheme: "test-v1".into(),
        matching_title: a.title.clone(),
        matching_text: text,
        minhash,
    }
}

/// A batch for articles `indices` (ascending) at `variant`, with derived data and the cluster
/// update a deterministic online clusterer would make: event `i / 4`, story `i / 12`, the
/// members being every article up to the batch's last index. `state` records progress.
pub fn batch(
    indices: &[usize],
    variant_of: impl Fn(usize) -> u32,
    all_ids: &dyn Fn(usize) -> String,
) -> Batch {
    let upto = indices.last().map_or(0, |l| l + 1);
    batch_upto(indices, variant_of, all_ids, upto)
}

/// [`batch`] where an event's members are all its articles below `upto` (those stored so
/// far, this batch included), as an online clusterer that kept its state would see it.
pub fn batch_upto(
    indices: &[usize],
    variant_of: impl Fn(usize) -> u32,
    all_ids: &dyn Fn(usize) -> String,
    upto: usize,
) -> Batch {
    let mut b = Batch::default();
    for &i in indices {
        let v = variant_of(i);
        let a = article(i, v);
        let bytes = document_bytes(i, v);
        b.documents.push(DocumentRecord {
            location: location(i),
            source_root: Some("corpus".into()),
            format: Some(Format::Html),
            content_hash: ContentHash::of(&bytes),
            size: bytes.len() as u64,
            outcome: DocumentOutcome::Parsed {
                article_ids: vec![a.id.clone()],
            },
        });
        b.fingerprints.push(fingerprint(&a));
        let ent = format!("ent{}", i % 50);
        b.entities.push(EntityRecord {
            id: ent.clone(),
            kind: "person".into(),
            name: format!("人物{}", i % 50),
            aliases: vec![format!("别名{}", i % 50)],
        });
        b.mentions.push(MentionRecord {
            article_id: a.id.clone(),
            entity_id: ent,
            alias: format!("别名{}", i % 50),
            count: 1 + (i % 3) as u32,
        });
        if i % EVENT_SIZE == 1 {
            // The second article of an event nearly duplicates the first and reuses a passage.
            b.near_duplicates.push(NearDuplicate {
                article_a: all_ids(i - 1),
                article_b: a.id.clone(),
                kind: DuplicateKind::Near,
                similarity: 0.91,
            });
            b.passages.push(PassageReuse {
                article_a: all_ids(i - 1),
                block_a: 0,
                start_a: 0,
                end_a: 40,
                article_b: a.id.clone(),
                block_b: 1,
                start_b: 5,
                end_b: 45,
                chars: 40,
                similarity: 1.0,
            });
        }
        b.articles.push(a);
    }
    if let (Some(&first), Some(&last)) = (indices.first(), indices.last()) {
        let mut update = ClusterUpdate::default();
        let events: Vec<usize> = (first / EVENT_SIZE..=last / EVENT_SIZE).collect();
        for e in events {
            let start = e * EVENT_SIZE;
            let members: Vec<String> = (start..(start + EVENT_SIZE).min(upto.max(last + 1)))
                .map(all_ids)
                .collect();
            let s = story_id(start);
            if !update.stories.iter().any(|st| st.id == s) {
                update.stories.push(StoryRecord {
                    id: s.clone(),
                    title: format!("故事{s}"),
                    title_article_id: Some(all_ids(start - start % (EVENT_SIZE * STORY_EVENTS))),
                });
            }
            update.events.push(EventRecord {
                id: event_id(start),
                story_id: s,
                title: format!("事件{e}"),
                title_article_id: members.first().cloned(),
                article_ids: members,
            });
        }
        update.state = Some(ClusterState {
            format: "json".into(),
            version: 1,
            data: format!("{{\"upto\":{}}}", upto.max(last + 1)).into_bytes(),
        });
        b.clusters = Some(update);
    }
    b
}

/// The id of synthetic article `i` (ids do not depend on the variant).
pub fn id_of(i: usize) -> String {
    article(i, 0).id
}

/// Every content row of the database, excluding times and run ids, in a stable order.
pub fn dump(path: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let queries = [
        "SELECT root FROM sources ORDER BY root",
        "SELECT id, revision, outlet_id, outlet, url, published, published_utc, title, script, language FROM articles ORDER BY id",
        "SELECT article_id, revision, hex(content_hash), json, document FROM article_revisions ORDER BY article_id, revision",
        "SELECT d.location, s.root, format, hex(content_hash), size, outcome, detail, revision FROM documents d LEFT JOIN sources s ON s.id = d.source_id ORDER BY location",
        "SELECT d.location, article_id, article_revision FROM document_articles da JOIN documents d ON d.id = da.document_id ORDER BY 1, 2",
        "SELECT article_id, revision, scheme, matching_title, matching_text, hex(minhash) FROM fingerprints ORDER BY article_id",
        "SELECT id, kind, name FROM entities ORDER BY id",
        "SELECT entity_id, alias FROM entity_aliases ORDER BY 1, 2",
        "SELECT article_id, entity_id, alias, count FROM article_mentions ORDER BY 1, 2, 3",
        "SELECT article_a, article_b, kind, similarity FROM near_duplicates ORDER BY 1, 2",
        "SELECT * FROM passage_reuse ORDER BY 1, 2, 3, 5, 6, 7",
        "SELECT id, title, title_article_id, first_utc, last_utc, article_count, outlet_count FROM stories ORDER BY id",
        "SELECT id, story_id, title, title_article_id, first_utc, last_utc, article_count FROM events ORDER BY id",
        "SELECT event_id, article_id FROM event_articles ORDER BY 1, 2",
        "SELECT old_id, new_id FROM story_redirects ORDER BY 1",
        "SELECT key, format, version, hex(value) FROM kv ORDER BY key",
    ];
    let mut out = Vec::new();
    for q in queries {
        let mut stmt = conn.prepare(q).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let vals: Vec<String> = (0..n)
                .map(|c| format!("{:?}", row.get::<_, rusqlite::types::Value>(c).unwrap()))
                .collect();
            out.push(format!("{q}\t{}", vals.join("|")));
        }
    }
    out
}

/// BLAKE3 of a file's bytes, to show a refused file was left as it was.
pub fn file_hash(path: &Path) -> String {
    blake3::hash(&std::fs::read(path).unwrap())
        .to_hex()
        .to_string()
}
