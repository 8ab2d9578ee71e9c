//! The newsloom Chinese text layer.
//!
//! Outlets write the same story in simplified and traditional script, with regional
//! vocabularies and transliterations (普京 / 蒲亭 / 普丁, 特朗普 / 川普, 哈里斯 / 賀錦麗). This
//! crate computes, next to each outlet's untouched text, a **matching form** that sees through
//! those differences, and reads the article for sentences, entities, quotes and dates.
//!
//! ```
//! use newsloom_text::TextLayer;
//! let layer = TextLayer::default();
//! assert_eq!(layer.matching_form("王毅會蒲亭「成熟堅韌」"), layer.matching_form("王毅会普京“成熟坚韧”"));
//! ```
//!
//! Build one [`TextLayer`] per process and share it (it is `Send + Sync`): building loads the
//! dictionaries and compiles the alias table, which takes a fraction of a second.

mod aliases;
mod cases;
mod convert;
mod dates;
mod entities;
mod fold;
mod mining;
mod numerals;
mod quotes;
mod reports;
mod segment;

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind, StartKind};
use jieba_rs::Jieba;
use serde::Serialize;

pub use aliases::{AliasGroup, AliasTable, AliasVariant, CuratedEntry, EntityKind};
pub use cases::named_case;
pub use convert::{opencc_taiwan_phrases, t2s};
pub use dates::{DateMention, dates_in, local_offset};
pub use entities::Entity;
pub use mining::{
    AliasMiner, FormStats, MinedAliases, MinedLink, MinedName, extract_links, latin_key,
};
pub use quotes::Quote;
pub use reports::{RecurringReport, company_results, recurring_report, same_company};
pub use segment::split_sentences;

use aliases::ResolvedAliases;

/// Errors of the text layer; each names the input and the reason.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not valid mined-alias JSON: {source}")]
    Json {
        path: String,
        source: serde_json::Error,
    },
    #[error("{origin}: line {line}: {reason}")]
    Table {
        origin: String,
        line: usize,
        reason: String,
    },
}

/// The matching forms of an article's title and body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchingText {
    pub title: String,
    /// Body blocks in order, one a line.
    pub body: String,
}

/// One sentence: the outlet's text and its matching form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    pub text: String,
    pub matching: String,
}

/// Everything the text layer reads from one article (the `newsloom analyze` JSON object).
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The article id.
    pub id: String,
    pub matching: MatchingText,
    /// Sentences of the title and body, in order (the title is the first sentence).
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    pub dates: Vec<DateMention>,
    /// The market report series and trading session the title announces (`港股低收103點`),
    /// absent for other articles (see [`recurring_report`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<RecurringReport>,
    /// The named case the title reports on (`47人案`), absent for other articles (see
    /// [`named_case`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
}

/// Version of how this layer reads an article: what [`TextLayer::analyze`] and
/// [`TextLayer::matching_form`] return for the same article and alias table. Every change
/// that reads some article differently (a rule for names, a conversion table, a date
/// pattern) bumps it, so that a store analyzed by another release is read again rather than
/// left half in the old reading (`newsloom digest` checks it).
pub const ANALYSIS_VERSION: u32 = 7;

/// The text layer: conversion, folding, alias canonicalization, segmentation and analysis.
pub struct TextLayer {
    aliases: ResolvedAliases,
    /// Leftmost-longest automaton over simplified spellings of every alias and blocker.
    alias_ac: Option<AhoCorasick>,
    /// Per automaton pattern: the replacement (canonical form, or the blocker itself).
    alias_replacement: Vec<String>,
    /// The characters a pattern starts with: only there is the automaton run.
    alias_starts: CharSet,
    jieba: Jieba,
}

impl Default for TextLayer {
    /// The text layer with the curated alias table only.
    fn default() -> Self {
        TextLayer::new(AliasTable::curated())
    }
}

impl TextLayer {
    /// Builds the layer from an alias table (curated, optionally with mined aliases).
    pub fn new(aliases: AliasTable) -> Self {
        let resolved = ResolvedAliases::build(&aliases);
        let mut patterns: Vec<String> = Vec::new();
        let mut replacement: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for blocker in &resolved.blockers {
            if seen.insert(blocker.clone()) {
                patterns.push(blocker.clone());
                replacement.push(blocker.clone());
            }
        }
        let mut forms: Vec<(&String, &usize)> = resolved.by_form.iter().collect();
        forms.sort();
        for (form, &g) in forms {
            let Some(group) = resolved.groups.get(g) else {
                continue;
            };
            // Patterns are matched against text whose numerals are already digits.
            let key = numerals::convert_numerals(form);
            if key.chars().count() < 2 || !seen.insert(key.clone()) {
                continue;
            }
            patterns.push(key);
            replacement.push(group.canonical.clone());
        }
        // The default kind (a contiguous NFA here), measured against a DFA: the DFA took
        // about a tenth off the matching form but cost 16 MB and 50-70 ms more to build with
        // the mined aliases (3,777 patterns), which every warm digest run would pay.
        let alias_ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&patterns)
            .ok();
        let alias_starts = CharSet::new(patterns.iter().filter_map(|p| p.chars().next()));
        let jieba = segment::build_jieba(&resolved);
        TextLayer {
            aliases: resolved,
            alias_ac,
            alias_replacement: replacement,
            alias_starts,
            jieba,
        }
    }

    /// The matching form of a text: width and punctuation folded, whitespace cleaned,
    /// traditional → simplified (OpenCC t2s), Chinese numerals in dates and counts as digits,
    /// and regional name variants rewritten to their canonical form. Display text is never
    /// changed; this is a separate string for comparing.
    pub fn matching_form(&self, text: &str) -> String {
        // The script decision counts the folded characters as fold writes them.
        let mut script = convert::ScriptCount::new();
        let folded = fold::fold_observing(text, |c| script.observe(c));
        let simplified = convert::to_simplified_as(&folded, script.is_traditional());
        let numbered = numerals::convert_numerals(&simplified);
        self.canonicalize_names(&numbered)
    }

    /// Rewrites every alias spelling in `text` (already simplified) to its canonical form:
    /// leftmost-longest, without overlaps.
    ///
    /// The automaton runs anchored, only where a pattern's first character stands: the
    /// longest match at the first such place that has one is the leftmost-longest match, and
    /// an unanchored search walked every byte of the text through thousands of patterns'
    /// states (a fifth of the matching form's time).
    fn canonicalize_names(&self, text: &str) -> String {
        let Some(ac) = &self.alias_ac else {
            return text.to_string();
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut at = 0;
        while let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) {
            if self.alias_starts.contains(c) {
                let input = aho_corasick::Input::new(text)
                    .range(at..)
                    .anchored(aho_corasick::Anchored::Yes);
                if let Ok(Some(m)) = ac.try_find(input)
                    && let Some(rep) = self.alias_replacement.get(m.pattern().as_usize())
                {
                    out.push_str(text.get(last..m.start()).unwrap_or_default());
                    out.push_str(rep);
                    (last, at) = (m.end(), m.end());
                    continue;
                }
            }
            at += c.len_utf8();
        }
        out.push_str(text.get(last..).unwrap_or_default());
        out
    }

    /// Segments a matching form into words (jieba with the news dictionary, HMM for unknown
    /// words). Whitespace is dropped.
    pub fn tokens(&self, matching: &str) -> Vec<String> {
        self.jieba
            .cut(matching, true)
            .into_iter()
            .filter(|t| !t.word.trim().is_empty())
            .map(|t| t.word.to_string())
            .collect()
    }

    /// The alias groups this layer canonicalizes with.
    pub fn alias_groups(&self) -> &[AliasGroup] {
        &self.aliases.groups
    }

    /// The alias group a spelling (any script) belongs to.
    pub fn alias_group(&self, name: &str) -> Option<&AliasGroup> {
        let key = convert::name_key(name);
        self.aliases
            .by_form
            .get(&key)
            .and_then(|&g| self.aliases.groups.get(g))
    }

    /// Reads one article: matching forms, sentences, entities, quotes and dates.
    pub fn analyze(&self, article: &newsloom_model::Article) -> Analysis {
        let body = article.body_text();
        let matching = MatchingText {
            title: self.matching_form(&article.title),
            body: self.matching_form(&body),
        };
        let mut sentences = Vec::new();
        for text in split_sentences(&article.title)
            .into_iter()
            .chain(split_sentences(&body))
        {
            sentences.push(Sentence {
                text: text.to_string(),
                matching: self.matching_form(text),
            });
        }
        let views: Vec<entities::SentenceView> = sentences
            .iter()
            .map(|s| entities::SentenceView::new(&s.text))
            .collect();
        let mut mentions: Vec<Vec<entities::Mention>> = views
            .iter()
            .map(|v| entities::sentence_mentions(self, v))
            .collect();
        entities::drop_wire_lead_mentions(&views, &mut mentions);
        entities::consistent_names(self, &views, &mut mentions);
        let entities = entities::without_credits(entities::collect_entities(&mentions), article);
        let quotes = quotes::find_quotes(self, &sentences, &views, &mentions);
        let dates = dates::find_dates(article, &sentences);
        let published = article.published.map(|p| p.with_timezone(&chrono::Utc));
        let report = recurring_report(&matching.title, published);
        let case = named_case(&matching.title);
        Analysis {
            id: article.id.clone(),
            matching,
            sentences,
            entities,
            quotes,
            dates,
            report,
            case,
        }
    }

    pub(crate) fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    pub(crate) fn resolved(&self) -> &ResolvedAliases {
        &self.aliases
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn layer_is_shareable() {
        assert_send_sync::<TextLayer>();
    }

    #[test]
    fn char_set_holds_exactly_its_characters() {
        let set = CharSet::new(['川', 'a', '\u{FFFF}', '\u{20000}', '𠀋', '川']);
        for c in ['川', 'a', '\u{FFFF}', '\u{20000}', '𠀋'] {
            assert!(set.contains(c), "{c:?}");
        }
        for c in ['四', 'b', '\u{0}', '\u{1F600}', '\u{20001}'] {
            assert!(!set.contains(c), "{c:?}");
        }
    }

    #[test]
    fn matching_form_sees_through_script_and_names() {
        let l = TextLayer::default();
        assert_eq!(l.matching_form("俄羅斯總統蒲亭"), "俄罗斯总统普京");
        assert_eq!(l.matching_form("川普與賀錦麗"), "特朗普与哈里斯");
        assert_eq!(l.matching_form("澤倫斯基"), "泽连斯基");
        assert_eq!(l.matching_form("四川普通话"), "四川普通话");
        assert_eq!(
            l.matching_form("「二零一九年一月二十一日」"),
            "“2019年1月21日”"
        );
        assert_eq!(l.matching_form("三十余万人　ＡＢＣ"), "30余万人ABC");
    }

    #[test]
    fn regional_stage_only_on_traditional_text() {
        let l = TextLayer::default();
        assert_eq!(
            l.matching_form("台灣資訊安全隨著網路發展"),
            "台湾信息安全随着网络发展"
        );
        assert_eq!(l.matching_form("什么信息"), "什么信息");
        // A simplified sentence quoting one traditional word keeps simplified rules.
        assert_eq!(
            l.matching_form("他在莫斯科对记者说，双方讨论了很多问题，包括什么是「資訊」"),
            "他在莫斯科对记者说,双方讨论了很多问题,包括什么是“资讯”"
        );
        assert_eq!(
            l.matching_form("香港著名的衞生部門與醫院發言人說"),
            "香港著名的卫生部门与医院发言人说"
        );
    }

    #[test]
    fn tokens_keep_names_whole() {
        let l = TextLayer::default();
        let t = l.tokens(&l.matching_form("扎哈洛娃说拉夫罗夫会见了蒲亭"));
        assert!(t.contains(&"扎哈罗娃".to_string()), "{t:?}");
        assert!(t.contains(&"拉夫罗夫".to_string()), "{t:?}");
        assert!(t.contains(&"普京".to_string()), "{t:?}");
    }
}

/// A set of characters: a bit per Basic Multilingual Plane character (8 KB, answered without
/// hashing on every character of a text), a sorted list for the rest.
#[derive(Debug, Clone)]
struct CharSet {
    bmp: Vec<u64>,
    astral: Vec<char>,
}

impl CharSet {
    fn new(chars: impl IntoIterator<Item = char>) -> Self {
        let mut set = CharSet {
            bmp: vec![0; 0x1_0000 / 64],
            astral: Vec::new(),
        };
        for c in chars {
            let code = c as usize;
            match set.bmp.get_mut(code / 64) {
                Some(word) => *word |= 1 << (code % 64),
                None => set.astral.push(c),
            }
        }
        set.astral.sort_unstable();
        set.astral.dedup();
        set
    }

    #[inline]
    fn contains(&self, c: char) -> bool {
        let code = c as usize;
        match self.bmp.get(code / 64) {
            Some(word) => word & (1 << (code % 64)) != 0,
            None => self.astral.binary_search(&c).is_ok(),
        }
    }
}
