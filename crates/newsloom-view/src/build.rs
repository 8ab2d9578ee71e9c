//! Building the story view.

use std::collections::{BTreeMap, HashMap, HashSet};

use newsloom_model::{Article, Script};
use newsloom_text::{Analysis, dates_in, local_offset, split_sentences};

use crate::align::{self, Unit, aligned_pairs, content_chars};
use crate::{
    CopiedPassage, Coverage, DuplicateLink, EventInput, PassageLink, PassageSide, QuoteView,
    SharedFact, SingleSource, StoryMeta, StoryView, Summary, SummarySentence, TimelineEntry,
    TimelineKind, Wording, script,
};

/// Sentences with fewer content characters are not statements (subheads, bylines, `图`).
const MIN_STATEMENT_CHARS: usize = 10;
/// Sentences without a closing mark must be at least this long to count (subheads lack one).
const MIN_UNPUNCTUATED_CHARS: usize = 24;
/// Quotes shorter than this are scare quotes or terms (`战略伙伴`, `新的境界`), not speech.
const MIN_QUOTE_CHARS: usize = 6;
/// Summary length in sentences.
const SUMMARY_SENTENCES: usize = 4;
/// A summary candidate this similar to a chosen sentence would repeat it.
const SUMMARY_REDUNDANCY: f64 = 0.4;
/// Two sentences dating the same day with at least this bigram Dice tell the same happening.
const TIMELINE_DICE: f64 = 0.3;

/// One article with what the view needs of it.
struct Doc<'a> {
    article: &'a Article,
    analysis: Option<&'a Analysis>,
}

/// A statement candidate: one sentence of one article.
struct Statement {
    doc: usize,
    sentence: usize,
    text: String,
    unit: Unit,
}

pub(crate) fn build(
    meta: &StoryMeta,
    articles: &[Article],
    analyses: &[Analysis],
    duplicates: &[DuplicateLink],
    passages: &[PassageLink],
    events: &[EventInput],
) -> StoryView {
    let by_id: HashMap<&str, &Analysis> = analyses.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut order: Vec<&Article> = articles.iter().collect();
    order.sort_by(|a, b| {
        let key = |x: &Article| (x.published.is_none(), x.published.map(|p| p.timestamp()));
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    order.dedup_by(|a, b| a.id == b.id);
    let docs: Vec<Doc> = order
        .into_iter()
        .map(|article| Doc {
            article,
            analysis: by_id.get(article.id.as_str()).copied(),
        })
        .collect();
    let index: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.article.id.as_str(), i))
        .collect();

    let coverage = coverage(&docs, duplicates, &index);
    let statements = statements(&docs);
    let (shared_facts, single_source, fact_ranks) = facts(&docs, &statements);
    let quotes = quotes(&docs);
    let timeline = timeline(&docs, events, &index);
    let copied_passages = copied(&docs, passages, &index);
    let summary = summary(meta, &docs, &statements, &fact_ranks, &index);
    StoryView {
        coverage,
        timeline,
        shared_facts,
        single_source,
        quotes,
        copied_passages,
        summary,
    }
}

fn coverage(
    docs: &[Doc],
    duplicates: &[DuplicateLink],
    index: &HashMap<&str, usize>,
) -> Vec<Coverage> {
    let dup_of: HashMap<&str, &str> = duplicates
        .iter()
        .filter(|d| index.contains_key(d.of.as_str()) && d.article != d.of)
        .map(|d| (d.article.as_str(), d.of.as_str()))
        .collect();
    docs.iter()
        .map(|d| {
            let a = d.article;
            Coverage {
                article_id: a.id.clone(),
                outlet: a.outlet.clone(),
                outlet_id: a.outlet_id.clone(),
                published: a.published,
                headline: a.title.clone(),
                script: a.script,
                url: a.url.clone(),
                near_duplicate_of: dup_of.get(a.id.as_str()).map(|s| s.to_string()),
            }
        })
        .collect()
}

/// Number of leading analysis sentences that come from the title.
fn title_sentences(article: &Article) -> usize {
    split_sentences(&article.title).len()
}

fn is_statement(text: &str, matching: &str) -> bool {
    let n = content_chars(matching).len();
    if n < MIN_STATEMENT_CHARS {
        return false;
    }
    let closed = text.trim_end().ends_with([
        '。', '！', '？', '!', '?', '…', '”', '」', '』', '"', '；', ';',
    ]);
    closed || n >= MIN_UNPUNCTUATED_CHARS
}

fn statements(docs: &[Doc]) -> Vec<Statement> {
    let mut out = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        let Some(analysis) = d.analysis else { continue };
        let skip = title_sentences(d.article);
        for (si, s) in analysis.sentences.iter().enumerate().skip(skip) {
            if !is_statement(&s.text, &s.matching) {
                continue;
            }
            out.push(Statement {
                doc: di,
                sentence: si,
                text: s.text.clone(),
                // A dateline (`（中央社台北22日電）`) says who filed the report, not what
                // happened: it must not make two sentences look alike.
                unit: Unit::new(without_dateline(&s.matching)),
            });
        }
    }
    out
}

fn wording(doc: &Doc, text: &str) -> Wording {
    Wording {
        article_id: doc.article.id.clone(),
        outlet: doc.article.outlet.clone(),
        outlet_id: doc.article.outlet_id.clone(),
        script: doc.article.script,
        text: text.to_string(),
    }
}

/// Star clustering over an alignment graph: the best-connected unassigned node takes its
/// unassigned neighbours. Unlike connected components this does not chain unrelated
/// sentences through a middle one. A node left alone although it aligns with another
/// outlet joins its best neighbour's group. Returns groups of node indices, centre first.
fn star_groups(
    n: usize,
    pairs: &[(usize, usize, f64)],
    outlet_of: impl Fn(usize) -> usize,
    position: impl Fn(usize) -> (usize, usize),
) -> Vec<Vec<usize>> {
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(i, j, s) in pairs {
        if let Some(v) = adj.get_mut(i) {
            v.push((j, s));
        }
        if let Some(v) = adj.get_mut(j) {
            v.push((i, s));
        }
    }
    let cross = |i: usize| -> usize {
        let own = outlet_of(i);
        let set: HashSet<usize> = adj
            .get(i)
            .into_iter()
            .flatten()
            .map(|&(j, _)| outlet_of(j))
            .filter(|&o| o != own)
            .collect();
        set.len()
    };
    let mut nodes: Vec<(usize, usize, usize)> = (0..n)
        .map(|i| (i, cross(i), adj.get(i).map_or(0, Vec::len)))
        .collect();
    nodes.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.2.cmp(&a.2))
            .then_with(|| position(a.0).cmp(&position(b.0)))
    });
    let mut group_of: Vec<Option<usize>> = vec![None; n];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, _, _) in nodes {
        if group_of.get(i).copied().flatten().is_some() {
            continue;
        }
        let neighbours = adj.get(i).cloned().unwrap_or_default();
        let free: Vec<usize> = neighbours
            .iter()
            .map(|&(j, _)| j)
            .filter(|&j| group_of.get(j).copied().flatten().is_none())
            .collect();
        let own = outlet_of(i);
        let free_cross = free.iter().any(|&j| outlet_of(j) != own);
        if !free_cross {
            // Aligned only with sentences already grouped: join the best such group.
            let best = neighbours
                .iter()
                .filter(|&&(j, _)| outlet_of(j) != own)
                .filter_map(|&(j, s)| group_of.get(j).copied().flatten().map(|g| (g, s)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((g, _)) = best
                && let Some(group) = groups.get_mut(g)
            {
                group.push(i);
                if let Some(slot) = group_of.get_mut(i) {
                    *slot = Some(g);
                }
                continue;
            }
        }
        let g = groups.len();
        let mut members = vec![i];
        members.extend(free);
        members.sort_by_key(|&m| (m != i, position(m)));
        members.dedup();
        for &m in &members {
            if let Some(slot) = group_of.get_mut(m) {
                *slot = Some(g);
            }
        }
        groups.push(members);
    }
    groups
}

/// Per statement: `Some(number of outlets)` when it belongs to a shared fact.
type FactRanks = Vec<Option<usize>>;

fn outlet_index(docs: &[Doc]) -> Vec<usize> {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    docs.iter()
        .map(|d| {
            let next = ids.len();
            *ids.entry(d.article.outlet_id.as_str()).or_insert(next)
        })
        .collect()
}

fn facts(
    docs: &[Doc],
    statements: &[Statement],
) -> (Vec<SharedFact>, Vec<SingleSource>, FactRanks) {
    let outlet_of_doc = outlet_index(docs);
    let outlet_of = |i: usize| {
        statements
            .get(i)
            .and_then(|s| outlet_of_doc.get(s.doc).copied())
            .unwrap_or(usize::MAX)
    };
    let units: Vec<Unit> = statements.iter().map(|s| s.unit.clone()).collect();
    let pairs = aligned_pairs(&units, |i, j| {
        statements.get(i).map(|s| s.doc) == statements.get(j).map(|s| s.doc)
    });
    let position = |i: usize| {
        statements
            .get(i)
            .map_or((usize::MAX, 0), |s| (s.doc, s.sentence))
    };
    let groups = star_groups(statements.len(), &pairs, outlet_of, position);

    let mut shared = Vec::new();
    let mut single = Vec::new();
    let mut ranks: FactRanks = vec![None; statements.len()];
    for group in groups {
        let outlets = ordered_outlets(group.iter().filter_map(|&m| {
            statements
                .get(m)
                .and_then(|s| docs.get(s.doc))
                .map(|d| d.article.outlet_id.as_str())
        }));
        let Some(center) = group.first().and_then(|&c| statements.get(c)) else {
            continue;
        };
        let first = group.iter().map(|&m| position(m)).min().unwrap_or_default();
        if outlets.len() >= 2 {
            let mut seen = HashSet::new();
            let mut members = group.clone();
            members.sort_by_key(|&m| position(m));
            let carriers: Vec<Wording> = members
                .iter()
                .filter_map(|&m| statements.get(m))
                .filter(|s| seen.insert(s.doc))
                .filter_map(|s| docs.get(s.doc).map(|d| wording(d, &s.text)))
                .collect();
            for &m in &group {
                if let Some(r) = ranks.get_mut(m) {
                    *r = Some(outlets.len());
                }
            }
            shared.push((
                outlets.len(),
                first,
                SharedFact {
                    text: center.text.clone(),
                    outlets,
                    carriers,
                },
            ));
        } else if let Some(doc) = docs.get(center.doc) {
            let mut articles: Vec<(usize, String)> = group
                .iter()
                .filter_map(|&m| statements.get(m))
                .filter_map(|s| docs.get(s.doc).map(|d| (s.doc, d.article.id.clone())))
                .collect();
            articles.sort();
            articles.dedup();
            single.push((
                first,
                SingleSource {
                    text: center.text.clone(),
                    outlet: doc.article.outlet.clone(),
                    outlet_id: doc.article.outlet_id.clone(),
                    articles: articles.into_iter().map(|(_, id)| id).collect(),
                },
            ));
        }
    }
    shared.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    single.sort_by_key(|a| a.0);
    (
        shared.into_iter().map(|(_, _, f)| f).collect(),
        single.into_iter().map(|(_, s)| s).collect(),
        ranks,
    )
}

/// Distinct outlet ids in first-seen order.
fn ordered_outlets<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for id in ids {
        if seen.insert(id) {
            out.push(id.to_string());
        }
    }
    out
}

struct QuoteItem<'a> {
    doc: usize,
    order: usize,
    quote: &'a newsloom_text::Quote,
    unit: Unit,
}

fn quotes(docs: &[Doc]) -> Vec<QuoteView> {
    let mut items: Vec<QuoteItem> = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        let Some(analysis) = d.analysis else { continue };
        for (qi, q) in analysis.quotes.iter().enumerate() {
            if content_chars(&q.matching).len() < MIN_QUOTE_CHARS {
                continue;
            }
            items.push(QuoteItem {
                doc: di,
                order: qi,
                quote: q,
                unit: Unit::new(&q.matching),
            });
        }
    }
    // Two quotes of different named speakers are different quotes, however alike.
    let conflicting = |i: usize, j: usize| -> bool {
        let (Some(a), Some(b)) = (items.get(i), items.get(j)) else {
            return true;
        };
        if a.doc == b.doc {
            return true;
        }
        matches!((&a.quote.speaker_id, &b.quote.speaker_id), (Some(x), Some(y)) if x != y)
    };
    let units: Vec<Unit> = items.iter().map(|q| q.unit.clone()).collect();
    let mut pairs = aligned_pairs(&units, conflicting);
    // The text layer's clause forms: outlets quote the same words with a clause more or less.
    let mut by_clause: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, q) in items.iter().enumerate() {
        for c in &q.quote.clauses {
            if content_chars(c).len() >= MIN_QUOTE_CHARS {
                by_clause.entry(c.as_str()).or_default().push(i);
            }
        }
    }
    let mut have: HashSet<(usize, usize)> = pairs.iter().map(|&(i, j, _)| (i, j)).collect();
    for list in by_clause.values() {
        for (k, &i) in list.iter().enumerate() {
            for &j in list.iter().skip(k + 1) {
                let (i, j) = (i.min(j), i.max(j));
                if i != j && !conflicting(i, j) && have.insert((i, j)) {
                    pairs.push((i, j, 0.75));
                }
            }
        }
    }
    let outlet_of_doc = outlet_index(docs);
    let outlet_of = |i: usize| {
        items
            .get(i)
            .and_then(|q| outlet_of_doc.get(q.doc).copied())
            .unwrap_or(usize::MAX)
    };
    let position = |i: usize| items.get(i).map_or((usize::MAX, 0), |q| (q.doc, q.order));
    let groups = star_groups(items.len(), &pairs, outlet_of, position);
    let mut out: Vec<(usize, (usize, usize), QuoteView)> = Vec::new();
    for mut group in groups {
        // A group may hold two conflicting speakers through the centre's neighbours; keep
        // the centre's (or the first named) speaker.
        group.sort_by_key(|&m| position(m));
        let members: Vec<&QuoteItem> = group.iter().filter_map(|&m| items.get(m)).collect();
        // The most frequent named speaker; on a tie, the first carrier's.
        let mut speakers: Vec<((&str, &str), usize)> = Vec::new();
        for q in &members {
            if let (Some(s), Some(id)) = (&q.quote.speaker, &q.quote.speaker_id) {
                match speakers
                    .iter_mut()
                    .find(|(k, _)| *k == (id.as_str(), s.as_str()))
                {
                    Some((_, n)) => *n += 1,
                    None => speakers.push(((id.as_str(), s.as_str()), 1)),
                }
            }
        }
        let top = speakers.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let speaker = speakers
            .iter()
            .find(|(_, n)| *n == top)
            .map(|&((id, s), _)| (id.to_string(), s.to_string()));
        let Some(fullest) = members
            .iter()
            .max_by_key(|q| content_chars(&q.quote.matching).len())
        else {
            continue;
        };
        let mut seen = HashSet::new();
        let carriers: Vec<Wording> = members
            .iter()
            .filter(|q| seen.insert(q.doc))
            .filter_map(|q| docs.get(q.doc).map(|d| wording(d, &q.quote.text)))
            .collect();
        let outlets = ordered_outlets(carriers.iter().map(|w| w.outlet_id.as_str()));
        let first = group.iter().map(|&m| position(m)).min().unwrap_or_default();
        out.push((
            outlets.len(),
            first,
            QuoteView {
                speaker: speaker.as_ref().map(|(_, s)| s.clone()),
                speaker_id: speaker.map(|(id, _)| id),
                text: fullest.quote.text.clone(),
                outlets,
                carriers,
            },
        ));
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(_, _, q)| q).collect()
}

/// Strips a leading dateline in brackets (`【看中国2023年2月20日讯】`, `（中央社台北22日電）`).
fn without_dateline(text: &str) -> &str {
    let t = text.trim_start();
    for (open, close) in [('【', '】'), ('[', ']'), ('（', '）'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open)
            && let Some(end) = rest.find(close)
        {
            let inner = rest.get(..end).unwrap_or_default();
            let tail = rest.get(end + close.len_utf8()..).unwrap_or_default();
            if inner.chars().count() <= 40
                && inner.ends_with(['讯', '訊', '电', '電', '报', '報'])
                && !tail.trim().is_empty()
            {
                return tail.trim_start();
            }
        }
    }
    t
}

struct Mention {
    doc: usize,
    sentence: usize,
    date: String,
    date_text: String,
    text: String,
    grams: Vec<u64>,
}

fn timeline(
    docs: &[Doc],
    events: &[EventInput],
    index: &HashMap<&str, usize>,
) -> Vec<TimelineEntry> {
    let mut entries: Vec<((String, u8, usize, usize), TimelineEntry)> = Vec::new();
    for e in events {
        let mut members: Vec<usize> = e
            .article_ids
            .iter()
            .filter_map(|id| index.get(id.as_str()).copied())
            .collect();
        members.sort_unstable();
        members.dedup();
        let Some(first) = members.first().and_then(|&i| docs.get(i)) else {
            continue;
        };
        let date = first
            .article
            .published
            .map(|p| {
                p.with_timezone(&local_offset(Some(&p)))
                    .date_naive()
                    .format("%Y-%m-%d")
                    .to_string()
            })
            .unwrap_or_default();
        if date.is_empty() {
            continue;
        }
        let articles: Vec<String> = members
            .iter()
            .filter_map(|&i| docs.get(i).map(|d| d.article.id.clone()))
            .collect();
        let outlets = ordered_outlets(
            members
                .iter()
                .filter_map(|&i| docs.get(i).map(|d| d.article.outlet_id.as_str())),
        );
        entries.push((
            (date.clone(), 1, members.first().copied().unwrap_or(0), 0),
            TimelineEntry {
                date,
                kind: TimelineKind::Event,
                text: e.title.clone(),
                date_text: String::new(),
                event_id: Some(e.id.clone()),
                articles,
                outlets,
            },
        ));
    }

    // Dated happenings: the text layer's date resolution, sentence by sentence.
    let mut by_date: BTreeMap<String, Vec<Mention>> = BTreeMap::new();
    for (di, d) in docs.iter().enumerate() {
        let Some(analysis) = d.analysis else { continue };
        let reference = d
            .article
            .published
            .as_ref()
            .map(|p| p.with_timezone(&local_offset(Some(p))).date_naive());
        let skip = title_sentences(d.article);
        for (si, s) in analysis.sentences.iter().enumerate().skip(skip) {
            // `星期三（2月22日）` names one day twice: one mention per sentence and day.
            let mut days: HashSet<String> = HashSet::new();
            let tail = without_dateline(&s.text);
            let has_dateline = tail.len() < s.text.trim_start().len();
            let tail_dated = has_dateline && !dates_in(tail, reference).is_empty();
            for m in dates_in(&s.text, reference) {
                // Only whole days place a happening on the timeline.
                if m.date.len() != 10 {
                    continue;
                }
                // The dateline dates the report; when the sentence dates its happening
                // itself (`【…2月5日讯】俄罗斯官方1月31日宣布…`), the dateline's date is not it.
                if tail_dated && !tail.contains(m.text.as_str()) {
                    continue;
                }
                let text = tail.to_string();
                if content_chars(&text).len() < MIN_STATEMENT_CHARS || !days.insert(m.date.clone())
                {
                    continue;
                }
                by_date.entry(m.date.clone()).or_default().push(Mention {
                    doc: di,
                    sentence: si,
                    date: m.date,
                    date_text: m.text,
                    grams: align::bigrams(&s.matching),
                    text,
                });
            }
        }
    }
    for (date, mentions) in by_date {
        let mut pairs = Vec::new();
        for (i, a) in mentions.iter().enumerate() {
            for (j, b) in mentions.iter().enumerate().skip(i + 1) {
                let d = align::dice(&a.grams, &b.grams);
                if d >= TIMELINE_DICE && !(a.doc == b.doc && a.sentence == b.sentence) {
                    pairs.push((i, j, d));
                }
            }
        }
        let outlet_of_doc = outlet_index(docs);
        let groups = star_groups(
            mentions.len(),
            &pairs,
            |i| {
                mentions
                    .get(i)
                    .and_then(|m| outlet_of_doc.get(m.doc).copied())
                    .unwrap_or(usize::MAX)
            },
            |i| {
                mentions
                    .get(i)
                    .map_or((usize::MAX, 0), |m| (m.doc, m.sentence))
            },
        );
        for group in groups {
            let members: Vec<&Mention> = group.iter().filter_map(|&m| mentions.get(m)).collect();
            let Some(center) = members.first() else {
                continue;
            };
            let mut docs_of: Vec<usize> = members.iter().map(|m| m.doc).collect();
            docs_of.sort_unstable();
            docs_of.dedup();
            let articles = docs_of
                .iter()
                .filter_map(|&i| docs.get(i).map(|d| d.article.id.clone()))
                .collect();
            let outlets = ordered_outlets(
                docs_of
                    .iter()
                    .filter_map(|&i| docs.get(i).map(|d| d.article.outlet_id.as_str())),
            );
            let first = members
                .iter()
                .map(|m| (m.doc, m.sentence))
                .min()
                .unwrap_or_default();
            entries.push((
                (date.clone(), 0, first.0, first.1),
                TimelineEntry {
                    date: center.date.clone(),
                    kind: TimelineKind::Mention,
                    text: center.text.clone(),
                    date_text: center.date_text.clone(),
                    event_id: None,
                    articles,
                    outlets,
                },
            ));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.into_iter().map(|(_, e)| e).collect()
}

/// The chars `start..end` of block `block` of an article, if the range is valid.
fn block_slice(article: &Article, block: usize, start: usize, end: usize) -> Option<String> {
    let text = &article.body.get(block)?.text;
    if start >= end {
        return None;
    }
    let s: String = text.chars().skip(start).take(end - start).collect();
    (s.chars().count() == end - start).then_some(s)
}

fn copied(
    docs: &[Doc],
    passages: &[PassageLink],
    index: &HashMap<&str, usize>,
) -> Vec<CopiedPassage> {
    let mut out: Vec<((usize, usize, usize), CopiedPassage)> = Vec::new();
    let mut seen = HashSet::new();
    for p in passages {
        let (Some(&ia), Some(&ib)) = (
            index.get(p.article_a.as_str()),
            index.get(p.article_b.as_str()),
        ) else {
            continue;
        };
        let (Some(da), Some(db)) = (docs.get(ia), docs.get(ib)) else {
            continue;
        };
        // The earlier article is the source, whichever order the link was stored in.
        let (src, dst, (bs, ss, es), (bd, sd, ed), is, id) = if ia <= ib {
            (
                da,
                db,
                (p.block_a, p.start_a, p.end_a),
                (p.block_b, p.start_b, p.end_b),
                ia,
                ib,
            )
        } else {
            (
                db,
                da,
                (p.block_b, p.start_b, p.end_b),
                (p.block_a, p.start_a, p.end_a),
                ib,
                ia,
            )
        };
        if !seen.insert((is, bs, ss, id, bd, sd)) {
            continue;
        }
        let (Some(from_text), Some(to_text)) = (
            block_slice(src.article, bs, ss, es),
            block_slice(dst.article, bd, sd, ed),
        ) else {
            continue;
        };
        let side = |d: &Doc, block, start, end, text| PassageSide {
            article_id: d.article.id.clone(),
            outlet: d.article.outlet.clone(),
            outlet_id: d.article.outlet_id.clone(),
            block,
            start,
            end,
            text,
        };
        out.push((
            (is, bs, ss),
            CopiedPassage {
                from: side(src, bs, ss, es, from_text),
                to: side(dst, bd, sd, ed, to_text),
                chars: p.chars,
            },
        ));
    }
    out.sort_by_key(|a| a.0);
    out.into_iter().map(|(_, p)| p).collect()
}

fn summary(
    meta: &StoryMeta,
    docs: &[Doc],
    statements: &[Statement],
    ranks: &FactRanks,
    index: &HashMap<&str, usize>,
) -> Summary {
    // Candidates: sentences of shared facts (most outlets first, then earliest in their
    // article: news puts the main facts first), then the leads of the central article and of
    // the others, so a story reported by one outlet still gets a summary.
    let mut shared: Vec<(usize, usize, usize, usize)> = statements
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            ranks
                .get(i)
                .copied()
                .flatten()
                .map(|r| (r, s.sentence, s.doc, i))
        })
        .collect();
    shared.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let central = meta
        .title_article_id
        .as_deref()
        .and_then(|id| index.get(id).copied());
    let mut leads: Vec<usize> = (0..statements.len()).collect();
    leads.sort_by_key(|&i| {
        statements
            .get(i)
            .map_or((true, usize::MAX, usize::MAX), |s| {
                (Some(s.doc) != central, s.sentence, s.doc)
            })
    });
    let candidates = shared.iter().map(|c| c.3).chain(leads);

    let mut chosen: Vec<usize> = Vec::new();
    for i in candidates {
        if chosen.len() >= SUMMARY_SENTENCES {
            break;
        }
        let Some(s) = statements.get(i) else { continue };
        let redundant = chosen.iter().any(|&c| {
            statements
                .get(c)
                .is_some_and(|o| align::dice(&o.unit.grams, &s.unit.grams) >= SUMMARY_REDUNDANCY)
        });
        if !redundant {
            chosen.push(i);
        }
    }
    // Renderings may take another outlet's wording, so redundancy is checked again on them.
    let mut sentences: Vec<SummarySentence> = Vec::new();
    let mut rendered_grams: Vec<Vec<u64>> = Vec::new();
    for i in chosen {
        let Some(s) = statements.get(i) else { continue };
        let rendered = summary_sentence(i, s, docs, statements);
        let grams = align::bigrams(&rendered.hans);
        if !rendered_grams
            .iter()
            .any(|g| align::dice(g, &grams) >= SUMMARY_REDUNDANCY)
        {
            rendered_grams.push(grams);
            sentences.push(rendered);
        }
    }
    Summary { sentences }
}

/// A summary sentence in both scripts. Where an outlet wrote the statement in the reader's
/// script, its own wording is used; otherwise the chosen sentence is converted.
fn summary_sentence(
    i: usize,
    s: &Statement,
    docs: &[Doc],
    statements: &[Statement],
) -> SummarySentence {
    let mut aligned: Vec<(f64, &Statement)> = vec![(f64::INFINITY, s)];
    aligned.extend(statements.iter().enumerate().filter_map(|(j, o)| {
        if j == i || o.doc == s.doc {
            return None;
        }
        align::score(&o.unit, &s.unit).map(|sc| (sc, o))
    }));
    aligned.sort_by(|a, b| b.0.total_cmp(&a.0));
    let aligned: Vec<&Statement> = aligned.into_iter().map(|(_, o)| o).collect();
    let written_in = |script: Script| {
        aligned
            .iter()
            .find(|o| docs.get(o.doc).is_some_and(|d| d.article.script == script))
            .map(|o| without_dateline(&o.text).to_string())
    };
    let base = without_dateline(&s.text);
    let hans = written_in(Script::Hans).unwrap_or_else(|| script::to_hans(base));
    let hant = written_in(Script::Hant).unwrap_or_else(|| script::to_hant(base));
    let mut articles: Vec<(usize, String)> = aligned
        .iter()
        .filter_map(|o| docs.get(o.doc).map(|d| (o.doc, d.article.id.clone())))
        .collect();
    articles.sort();
    articles.dedup();
    let outlets = ordered_outlets(
        articles
            .iter()
            .filter_map(|(d, _)| docs.get(*d).map(|d| d.article.outlet_id.as_str())),
    );
    SummarySentence {
        hans,
        hant,
        outlets,
        articles: articles.into_iter().map(|(_, id)| id).collect(),
    }
}
