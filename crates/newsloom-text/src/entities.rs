//! Entities: people, places and organizations, each with a canonical id shared across scripts
//! and spellings (`person:普京` for 普京, 普丁 and 蒲亭).
//!
//! Evidence, strongest first: the alias table (curated and mined spellings), jieba's
//! part-of-speech tags on the simplified text (`nr`/`ns`/`nt`), and titles next to a word
//! (`总统`, `外长`, `发言人` before or after an unknown word make it a person).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Serialize;

use crate::TextLayer;
use crate::aliases::EntityKind;
use crate::fold::{fold_char, is_han};

/// One entity of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// `kind:canonical`, the same for every spelling and script.
    pub id: String,
    pub kind: EntityKind,
    /// The spellings seen in this article, as written, in order of first appearance.
    pub names: Vec<String>,
}

/// One mention of an entity in a sentence; positions are char indices into the sentence text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
    pub id: String,
    pub kind: EntityKind,
    /// As written in the sentence.
    pub surface: String,
}

/// Titles and roles that make the neighbouring word a person.
pub(crate) const TITLES: &[&str] = &[
    "总统",
    "副总统",
    "总理",
    "副总理",
    "首相",
    "外长",
    "外交部长",
    "国防部长",
    "防长",
    "部长",
    "国务卿",
    "发言人",
    "主席",
    "副主席",
    "议长",
    "主任",
    "秘书长",
    "总书记",
    "国王",
    "女王",
    "王储",
    "教宗",
    "司令",
    "将军",
    "局长",
    "署长",
    "市长",
    "州长",
    "省长",
    "候选人",
    "总裁",
    "执行长",
    "董事长",
    "大使",
    "委员",
    "院长",
    "部长级",
    "总督",
    "特使",
    "顾问",
    "幕僚长",
    "参议员",
    "众议员",
    "议员",
    "首席执行官",
    "财长",
    "商务部长",
    "司法部长",
    "主委",
    "党魁",
];

/// Words jieba's dictionary tags as names, places or organizations that name nothing in news
/// copy (`data/not_entities.txt`, where the list says how it was chosen).
fn is_listed_non_entity(word: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            include_str!("../data/not_entities.txt")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        })
        .contains(word)
}

/// True when the token ending at char `end` is the given-name part of a full name
/// (`弗拉迪米尔·普京`, `德米特罗·库列巴`): the surname after the dot is the entity.
fn is_given_name(simplified: &str, end: usize) -> bool {
    // The dot may follow directly or after the rest of a given name jieba split off
    // (纳伦|德拉·莫迪).
    let mut rest = simplified.chars().skip(end);
    for _ in 0..=4 {
        match rest.next() {
            Some('·' | '.') => return true,
            Some(c) if is_han(c) => continue,
            _ => return false,
        }
    }
    false
}

/// Words jieba tags as places or organizations that are relations between them
/// (中俄关系, 两国, 俄中).
fn is_not_entity(word: &str) -> bool {
    const ABBREVIATIONS: &str = "中俄美日韩朝英法德台港澳欧印越菲泰乌以巴伊";
    let chars: Vec<char> = word.chars().collect();
    let pair = chars.len() == 2 && chars.iter().all(|&c| ABBREVIATIONS.contains(c));
    // A side, its army or its press (乌军, 以方, 俄媒): jieba's HMM tags the ones its
    // dictionary lacks as names.
    let side =
        matches!(chars.as_slice(), [a, b] if ABBREVIATIONS.contains(*a) && "方军媒".contains(*b));
    pair || side
        || word.ends_with("关系")
        || word.ends_with("各国")
        || matches!(
            word,
            "两国"
                | "双方"
                | "两岸"
                | "各国"
                | "国际"
                | "外国"
                | "国内"
                | "国外"
                | "海外"
                | "全球"
                | "世界"
                | "地区"
                | "本地"
                | "当地"
                | "中外"
                | "中断"
                | "境内"
                | "境外"
                | "全国"
        )
}

/// A sentence seen three ways: the original characters, a one-to-one width fold of them, and
/// its simplified conversion. When conversion keeps the length (it nearly always does), a char
/// index in the simplified text is a char index in the original.
pub(crate) struct SentenceView {
    pub original: Vec<char>,
    pub simplified: String,
    pub aligned: bool,
}

impl SentenceView {
    pub(crate) fn new(text: &str) -> Self {
        let original: Vec<char> = text.chars().collect();
        // fold_char drops zero-width characters; keep a space instead so indices stay aligned.
        let light: String = original
            .iter()
            .map(|&c| fold_char(c).unwrap_or(' '))
            .collect();
        let simplified = crate::convert::t2s(&light);
        let aligned = simplified.chars().count() == original.len();
        SentenceView {
            original,
            simplified,
            aligned,
        }
    }

    /// The original text of chars `start..end` of the simplified text.
    pub(crate) fn surface(&self, start: usize, end: usize, fallback: &str) -> String {
        if self.aligned
            && let Some(s) = self.original.get(start..end)
        {
            return s.iter().collect();
        }
        fallback.to_string()
    }
}

/// Function words jieba's HMM glues onto the name next to them (`而黎智英`, `对黎智英`): none
/// starts a Chinese surname or a transliteration.
const GLUED_BEFORE: &str = "而及对指称按问据让被把与并";
/// Speech verbs and prepositions glued after a name (`吴心伯说`, `陈梓华于`, `何良懋指`).
const GLUED_AFTER: &str = "说称指于以及则冀在";

/// The name inside a word the dictionary does not know, without a function word glued before
/// or after it, and its char span: `对黎智英` at 5..9 is `黎智英` at 6..9. Known words and
/// words that would keep fewer than two characters are returned as they are.
fn unglued<'w>(
    layer: &TextLayer,
    word: &'w str,
    start: usize,
    end: usize,
) -> (&'w str, usize, usize) {
    let chars = word.chars().count();
    if chars < 3 || !word.chars().all(is_han) || layer.jieba().has_word(word) {
        return (word, start, end);
    }
    let mut name = word;
    let (mut start, mut end) = (start, end);
    if let Some(first) = name.chars().next()
        && GLUED_BEFORE.contains(first)
    {
        name = &name[first.len_utf8()..];
        start += 1;
    }
    if name.chars().count() >= 3
        && let Some(last) = name.chars().next_back()
        && GLUED_AFTER.contains(last)
    {
        name = &name[..name.len() - last.len_utf8()];
        end -= 1;
    }
    (name, start, end)
}

/// Finds the entity mentions of one sentence.
pub(crate) fn sentence_mentions(layer: &TextLayer, view: &SentenceView) -> Vec<Mention> {
    let resolved = layer.resolved();
    let tags = layer.jieba().tag(&view.simplified, true);
    let mut out = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        let (word, start, mut end) = unglued(layer, tag.word, tag.start, tag.end);
        let (id, kind) = if let Some(group) = resolved
            .by_form
            .get(word)
            .and_then(|&g| resolved.groups.get(g))
        {
            (group.id.clone(), group.kind)
        } else {
            let han = word.chars().count() >= 2 && word.chars().all(is_han);
            // Listed ordinary words and titles are no names, whatever jieba's dictionary says
            // (it tags 顾问 `nr`, and `顾问表示` then reads as a person speaking).
            if !han || is_listed_non_entity(word) || TITLES.contains(&word) {
                continue;
            }
            let prev = i.checked_sub(1).and_then(|p| tags.get(p)).map(|t| t.word);
            let next = tags.get(i + 1).map(|t| t.word);
            let titled = prev.is_some_and(|w| TITLES.contains(&w))
                || next.is_some_and(|w| TITLES.contains(&w));
            if is_not_entity(word) || is_given_name(&view.simplified, end) {
                continue;
            }
            // jieba's dictionary tags many ordinary words `nr` (公正, 文明): a known word is a
            // person only with a title or a speech verb next to it; unknown words (names jieba
            // found with its HMM: 邱国强) need no such evidence.
            let known = layer.jieba().has_word(word);
            let spoke = next.is_some_and(crate::quotes::is_speech_verb);
            let kind = match tag.tag {
                "nr" | "nrfg" | "nrt" if !known || titled || spoke => EntityKind::Person,
                "nr" | "nrfg" | "nrt" => continue,
                "ns" => EntityKind::Place,
                "nt" => EntityKind::Org,
                // Unknown words (HMM-found, `x`/`nz`) next to a title are people.
                "x" | "nz" if titled => EntityKind::Person,
                _ => continue,
            };
            // A given name's last character that jieba leaves as a bound morpheme of its own
            // (崔善|姬: 崔善姬, North Korea's foreign minister) belongs to the name.
            let mut name = word.to_string();
            if kind == EntityKind::Person
                && end == tag.end
                && let Some(t) = tags.get(i + 1)
                && is_name_morpheme(layer, t.word, t.tag)
            {
                name.push_str(t.word);
                end = t.end;
            }
            let canonical = crate::numerals::convert_numerals(&name);
            (format!("{}:{}", kind.as_str(), canonical), kind)
        };
        out.push(Mention {
            start,
            end,
            surface: view.surface(start, end, word),
            id,
            kind,
        });
    }
    out
}

/// True when a token after a person's name is a bound morpheme that ends the name: one Han
/// character that jieba's dictionary has only as a morpheme (tags `ng`, `zg`, `g` …: it is
/// no word on its own, so the HMM-found name before it was cut one character short), and
/// not a function word or speech verb glued to the name (`崔善姬在`, `黎称`). jieba tags a
/// few adverbs that way too (`李伟很高兴`: 很 `zg`), and two nouns' endings that follow words
/// it mistakes for names (`嘉许状`, `天悦邨`): read off the agora month, where the rule
/// completes 50 names in 99 articles (崔善姬, 瓦尔兹, 葛来仪, 樱田义孝 …).
fn is_name_morpheme(layer: &TextLayer, token: &str, tag: &str) -> bool {
    const NEVER: &str = "很往仍稍过更也都就又才均皆亦曾将已正再还并而今逾状邨";
    let mut chars = token.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    is_han(c)
        && tag.ends_with('g')
        && tag.len() <= 2
        && !GLUED_AFTER.contains(c)
        && !NEVER.contains(c)
        && !is_surname_glue(layer, c)
}

/// Drops the people named in the wire lead a sentence opens with (`（中央社記者陳韻聿倫敦3日
/// 專電）`): the reporter is a credit of the report, not someone it is about, and jieba cuts
/// the name wrong besides (`陈韵|聿伦敦`), so the byline credit does not catch it. The filing
/// place stays a mention: it is often where the news is. Measured: dropping the places too
/// moved the stream story F1 of the dev set from 0.893 to 0.889.
pub(crate) fn drop_wire_lead_mentions(views: &[SentenceView], mentions: &mut [Vec<Mention>]) {
    for (view, sentence) in views.iter().zip(mentions.iter_mut()) {
        if let Some(end) = wire_lead_end(&view.simplified) {
            sentence.retain(|m| m.start >= end || m.kind != EntityKind::Person);
        }
    }
}

/// The char index just after the wire lead a (simplified) sentence opens with: a bracket of
/// at most 48 characters whose text ends as a wire lead does (`…日电`, `…综合外电报导`).
fn wire_lead_end(simplified: &str) -> Option<usize> {
    if !simplified.starts_with(['(', '（']) {
        return None;
    }
    let close = simplified
        .chars()
        .take(48)
        .position(|c| matches!(c, ')' | '）'))?;
    let inside: String = simplified.chars().take(close).collect();
    ["电", "报导", "报道"]
        .iter()
        .any(|e| inside.ends_with(e))
        .then_some(close + 1)
}

/// Makes an article's unknown person names agree with each other. jieba's HMM cuts the same
/// name differently by what follows it: `黎智英表示` gives 黎智英 but `黎智英及3间` gives
/// 黎智|英及, and `续由黎智英` glues the verb on. A name that the article also writes longer
/// right at this place becomes the longer one (黎智 → 黎智英); then an unknown word that ends
/// with another of the article's person names of three characters or more, one the article
/// reads at least as often, becomes that name (续由黎智英 → 黎智英), as does such a name with
/// one character glued after it (戴耀廷外 → 戴耀廷). Names from the alias table are left as
/// they are.
pub(crate) fn consistent_names(
    layer: &TextLayer,
    views: &[SentenceView],
    mentions: &mut [Vec<Mention>],
) {
    let texts: Vec<Vec<char>> = views
        .iter()
        .map(|v| v.simplified.chars().collect())
        .collect();
    for pass in [Fix::Extend, Fix::Trim, Fix::Surname] {
        let names = article_person_names(&texts, mentions);
        for ((view, text), sentence) in views.iter().zip(&texts).zip(mentions.iter_mut()) {
            let mut moved = Vec::new();
            for (i, m) in sentence.iter_mut().enumerate() {
                let Some(word) = unresolved_person(layer, text, m) else {
                    continue;
                };
                let better = match pass {
                    Fix::Extend => longer_here(&names, &word, text, m.start),
                    Fix::Trim => name_inside(layer, &names, &word, m.start),
                    Fix::Surname => surname_reference(layer, &names, &word, m.start),
                };
                if let Some((n, start, end)) = better {
                    let fallback: String =
                        text.get(start..end).unwrap_or_default().iter().collect();
                    m.surface = view.surface(start, end, &fallback);
                    (m.start, m.end, m.id) = (start, end, n.id.clone());
                    moved.push(i);
                }
            }
            drop_overlapped(sentence, &moved);
        }
    }
    drop_ambiguous_surnames(layer, &texts, mentions);
}

/// Drops the mentions that overlap one of the `moved` ones: a name extended over the next
/// word (黎智|英及 → 黎智英) takes its place, and the rest of that word (`place:英及`) is no
/// mention.
fn drop_overlapped(sentence: &mut Vec<Mention>, moved: &[usize]) {
    let spans: Vec<(usize, usize, usize)> = moved
        .iter()
        .filter_map(|&i| sentence.get(i).map(|m| (i, m.start, m.end)))
        .collect();
    let mut i = 0;
    sentence.retain(|m| {
        let keep = spans
            .iter()
            .all(|&(j, s, e)| j == i || m.end <= s || m.start >= e);
        i += 1;
        keep
    });
}

/// The longest of the article's person names that starts with `word` and that the text
/// reads right here, at char `start`.
fn longer_here<'n>(
    names: &'n [PersonName],
    word: &str,
    text: &[char],
    start: usize,
) -> Option<(&'n PersonName, usize, usize)> {
    names
        .iter()
        .filter(|n| n.name.len() > word.len() && n.name.starts_with(word))
        .filter(|n| {
            let len = n.name.chars().count();
            text.get(start..start + len)
                .is_some_and(|w| w.iter().copied().eq(n.name.chars()))
        })
        .max_by_key(|n| n.name.len())
        .map(|n| (n, start, start + n.name.chars().count()))
}

/// The person name inside an unknown `word` (at char `start`) with a glued word before or a
/// glued character after it, when the article reads that name at least as often as `word`.
/// A word that only adds characters after a shorter name is often the full name (岩屋毅
/// after 岩屋, 齐藤铁夫 after 齐藤): only one character glued after a full name goes
/// (戴耀廷外). Before a name, the kept part must be a full name (岩屋毅 is not 屋毅 because
/// the HMM once cut 屋毅 out of it) and what goes must not begin a name.
fn name_inside<'n>(
    layer: &TextLayer,
    names: &'n [PersonName],
    word: &str,
    start: usize,
) -> Option<(&'n PersonName, usize, usize)> {
    if layer.jieba().has_word(word) {
        return None;
    }
    let own = names
        .iter()
        .find(|n| n.name == word)
        .map_or(0, |n| n.mentions);
    let len = word.chars().count();
    names
        .iter()
        .filter(|n| n.name.len() < word.len() && n.mentions >= own)
        .filter_map(|n| {
            let name_len = n.name.chars().count();
            if name_len < 3 {
                return None;
            }
            let skip = if word.starts_with(n.name.as_str()) && len == name_len + 1 {
                0
            } else if word.ends_with(n.name.as_str()) && is_glued_head(layer, word, len - name_len)
            {
                len - name_len
            } else {
                return None;
            };
            Some((n, start + skip, start + skip + name_len))
        })
        .max_by_key(|(n, _, _)| n.name.len())
}

/// True when the first `chars` characters of `word` are a word glued before a name rather
/// than the start of a longer name: two characters or more (续由, 传召, 一窥), or one that
/// jieba's dictionary tags as a function word or verb (但, 为, 救, 令). A character tagged
/// a name, a noun or an adjective (罗, 葛, 古) may begin a transliteration or a Japanese
/// name (罗辛斯基, 古贺辰德) and stays.
fn is_glued_head(layer: &TextLayer, word: &str, chars: usize) -> bool {
    chars >= 2
        || (chars == 1
            && word
                .chars()
                .next()
                .is_some_and(|c| is_function_char(layer, c)))
}

/// True when a character next to a bare surname joins it to the sentence rather than being
/// a given name: an adverb, preposition, conjunction, particle or pronoun as jieba tags it
/// (`黎曾`, `向黎`), or the first character of a reporting verb (`黎续指`, `黎称`, `黎否认`).
/// Other verbs are common in given names (`黎见恩`, `邓强`) and are left alone, as are characters
/// of transliterations (`马特`, `沃特` are not 马斯克 and 沃尔兹) and `某` (`王某` is someone
/// unnamed).
fn is_surname_glue(layer: &TextLayer, c: char) -> bool {
    const VERBS: &str = "续称指说表回认否直透问答批促";
    const NEVER: &str = "特斯尔克坦尼某";
    if NEVER.contains(c) {
        return false;
    }
    VERBS.contains(c) || char_tagged(layer, c, &["c", "p", "d", "u", "r"])
}

/// True when jieba's dictionary tags the character, as a word of its own, a conjunction,
/// preposition, verb, adverb, time word, particle or pronoun: never a name's first character.
fn is_function_char(layer: &TextLayer, c: char) -> bool {
    char_tagged(layer, c, &["c", "p", "v", "d", "t", "u", "r"])
}

/// True when jieba's part-of-speech tag of one character, read as a word of its own, is one
/// of `tags`.
fn char_tagged(layer: &TextLayer, c: char, tags: &[&str]) -> bool {
    let mut utf8 = [0; 4];
    let tagged = layer.jieba().tag(c.encode_utf8(&mut utf8), false);
    tagged.first().is_some_and(|t| tags.contains(&t.tag))
}

/// The person a surname stands for in an unknown two-character word that glues it to the
/// sentence (`黎曾`, `黎续`, `向黎`: Hong Kong copy names 黎智英 by his surname
/// after the first mention), when exactly one of the article's full names (three characters
/// or more) has that surname: the name, and the surname's span.
fn surname_reference<'n>(
    layer: &TextLayer,
    names: &'n [PersonName],
    word: &str,
    start: usize,
) -> Option<(&'n PersonName, usize, usize)> {
    let (at, bearers) = surname_bearers(layer, names, word)?;
    let [only] = bearers.as_slice() else {
        return None;
    };
    Some((only, start + at, start + at + 1))
}

/// For an unknown two-character word that glues a surname to the sentence: the surname's
/// offset in the word, and the article's distinct full names (three characters or more, by
/// entity id) that bear the surname.
fn surname_bearers<'n>(
    layer: &TextLayer,
    names: &'n [PersonName],
    word: &str,
) -> Option<(usize, Vec<&'n PersonName>)> {
    let chars: Vec<char> = word.chars().collect();
    let [a, b] = chars.as_slice() else {
        return None;
    };
    if layer.jieba().has_word(word) {
        return None;
    }
    let (surname, at) = if is_surname_glue(layer, *b) {
        (*a, 0)
    } else if is_surname_glue(layer, *a) {
        (*b, 1)
    } else {
        return None;
    };
    let mut bearers: Vec<&PersonName> = Vec::new();
    for n in names
        .iter()
        .filter(|n| n.name.chars().count() >= 3 && n.name.starts_with(surname))
    {
        if !bearers.iter().any(|b| b.id == n.id) {
            bearers.push(n);
        }
    }
    Some((at, bearers))
}

/// Drops the person mentions that glue to the sentence a surname several of the article's
/// full names bear (`李为`, `问李` beside 李柱铭 and 李永达): it stands for one of them, but
/// the text does not say which, and it is no person of its own.
fn drop_ambiguous_surnames(layer: &TextLayer, texts: &[Vec<char>], mentions: &mut [Vec<Mention>]) {
    let names = article_person_names(texts, mentions);
    for (text, sentence) in texts.iter().zip(mentions.iter_mut()) {
        sentence.retain(|m| {
            let bearers = unresolved_person(layer, text, m)
                .and_then(|word| surname_bearers(layer, &names, &word));
            bearers.is_none_or(|(_, b)| b.len() < 2)
        });
    }
}

#[derive(Clone, Copy)]
enum Fix {
    Extend,
    Trim,
    Surname,
}

/// Every person name the article's mentions read (simplified), with its entity id and the
/// number of mentions that read it.
fn article_person_names(texts: &[Vec<char>], mentions: &[Vec<Mention>]) -> Vec<PersonName> {
    let mut names: Vec<PersonName> = Vec::new();
    for (text, sentence) in texts.iter().zip(mentions) {
        for m in sentence.iter().filter(|m| m.kind == EntityKind::Person) {
            let Some(word) = text
                .get(m.start..m.end)
                .map(|w| w.iter().collect::<String>())
            else {
                continue;
            };
            match names.iter_mut().find(|n| n.name == word) {
                Some(n) => n.mentions += 1,
                None => names.push(PersonName {
                    name: word,
                    id: m.id.clone(),
                    mentions: 1,
                }),
            }
        }
    }
    names
}

struct PersonName {
    name: String,
    id: String,
    mentions: usize,
}

/// The simplified word of a person mention the alias table did not name.
fn unresolved_person(layer: &TextLayer, text: &[char], m: &Mention) -> Option<String> {
    if m.kind != EntityKind::Person {
        return None;
    }
    let word: String = text.get(m.start..m.end)?.iter().collect();
    (!layer.resolved().by_form.contains_key(&word)).then_some(word)
}

/// Collects the entities of an article from its sentences' mentions, merged by id.
pub(crate) fn collect_entities(mentions: &[Vec<Mention>]) -> Vec<Entity> {
    let mut order: Vec<Entity> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for m in mentions.iter().flatten() {
        let i = *index.entry(m.id.clone()).or_insert_with(|| {
            order.push(Entity {
                id: m.id.clone(),
                kind: m.kind,
                names: Vec::new(),
            });
            order.len() - 1
        });
        if let Some(e) = order.get_mut(i)
            && !e.names.contains(&m.surface)
        {
            e.names.push(m.surface.clone());
        }
    }
    order
}

/// Drops the entities that only credit the article: its own reporters and editors
/// (`（中央社記者李雅雯台北21日電）`) and its own outlet. They are in every article the
/// reporter files, whatever it is about, so as entities they would tie unrelated reports
/// together and list the byline among the people a story mentions.
pub(crate) fn without_credits(
    entities: Vec<Entity>,
    article: &newsloom_model::Article,
) -> Vec<Entity> {
    let simplified = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .map(|n| crate::convert::t2s(n.trim()))
            .collect()
    };
    let people: Vec<String> = [simplified(&article.authors), simplified(&article.editors)].concat();
    let outlet = crate::convert::t2s(article.outlet.trim());
    entities
        .into_iter()
        .filter(|e| {
            let name = e.id.split_once(':').map_or(e.id.as_str(), |(_, n)| n);
            match e.kind {
                EntityKind::Person => !people.iter().any(|p| p == name),
                EntityKind::Org => outlet.is_empty() || name != outlet,
                _ => true,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use newsloom_model::{Article, Block, Format, Script, Source};

    use crate::TextLayer;

    /// The opening of a real CNA report (agora-pen-2411, 2024-11-21, `呂禮詩條款 陸委會：有必要處理`).
    fn cna_report(authors: &[&str]) -> Article {
        Article {
            id: "cna-test".into(),
            source: Source {
                path: "test".into(),
                format: Format::Html,
            },
            outlet: "中央社".into(),
            outlet_id: "cna".into(),
            url: None,
            mirror_url: None,
            title: "呂禮詩條款 陸委會：有必要處理".into(),
            published: None,
            published_precision: None,
            authors: authors.iter().map(|a| a.to_string()).collect(),
            editors: vec!["張淑伶".into()],
            dateline: Some("台北".into()),
            script: Script::Hant,
            language: "zh".into(),
            body: vec![
                Block::paragraph(
                    "（中央社記者李雅雯台北21日電）前海軍少校艦長呂禮詩在陸參觀航展讚揚共軍武器裝備，立委擬修正兩岸條例，擴大處罰適用對象。陸委會回應，這是有必要處理的。",
                ),
                Block::paragraph(
                    "大陸委員會（陸委會）21日召開例行記者會，副主委兼發言人梁文傑於會上做出上述表示。",
                ),
            ],
            images: Vec::new(),
            related: Vec::new(),
        }
    }

    fn ids(a: &Article) -> Vec<String> {
        let layer = TextLayer::default();
        layer
            .analyze(a)
            .entities
            .into_iter()
            .map(|e| e.id)
            .collect()
    }

    /// Sentences from agora-pen-2411 where jieba glues a function word onto a name.
    #[test]
    fn function_words_glued_to_a_name_are_not_part_of_it() {
        let mut a = cna_report(&["李雅雯"]);
        a.title = "孫東稱河套園區無人低空跨境運輸　可帶動未來低空經濟發展".into();
        a.body = vec![Block::paragraph(
            "而黎智英真正的代表律師近日澄清，黎智英在獄中獲適切治療及待遇。",
        )];
        let found = ids(&a);
        assert!(found.contains(&"person:孙东".to_string()), "{found:?}");
        assert!(found.contains(&"person:黎智英".to_string()), "{found:?}");
        for glued in ["person:孙东称", "person:而黎智英"] {
            assert!(!found.contains(&glued.to_string()), "{found:?}");
        }
        let layer = TextLayer::default();
        let names = layer
            .analyze(&a)
            .entities
            .into_iter()
            .find(|e| e.id == "person:黎智英")
            .map(|e| e.names);
        assert_eq!(
            names,
            Some(vec!["黎智英".to_string()]),
            "the surface is the name alone"
        );
    }

    /// Sentences from agora-pen-2411 where jieba leaves a name's last character as a bound
    /// morpheme of its own (崔善|姬, 瓦尔|兹, 朱凯|廸), and one where the morpheme is an adverb.
    #[test]
    fn a_name_cut_before_its_last_character_is_read_whole() {
        let a = report(
            "朝鮮外務相崔善姬訪問莫斯科",
            &[
                "朝鮮外務相崔善姬在莫斯科表示，朝鮮將堅定支持俄羅斯。",
                "副總統候選人瓦爾茲表示，民主黨會繼續努力。",
                "前立法會議員朱凱廸指，案件審訊已近尾聲。",
                "委員李偉很高興看到計劃落實。",
            ],
        );
        let found = ids(&a);
        for whole in ["person:崔善姬", "person:瓦尔兹", "person:朱凯廸"] {
            assert!(found.contains(&whole.to_string()), "{whole}: {found:?}");
        }
        for cut in ["person:崔善", "person:瓦尔", "person:朱凯", "person:李伟很"] {
            assert!(!found.contains(&cut.to_string()), "{cut}: {found:?}");
        }
    }

    /// A report with this title and these paragraphs (the rest as in [`cna_report`]).
    fn report(title: &str, paragraphs: &[&str]) -> Article {
        Article {
            title: title.into(),
            body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
            ..cna_report(&[])
        }
    }

    /// Sentences of one report (agora-pen-2411, 2024-11-22, `【黎智英案】黎否認「遊說」指制裁…`):
    /// jieba's HMM cuts 黎智|英及 in one and glues 续由 onto the name in another.
    #[test]
    fn an_article_reads_one_name_however_jieba_cuts_it() {
        let found = ids(&report(
            "【黎智英案】黎否認「遊說」指制裁",
            &[
                "黎智英表示「旁人可即管錯誤解讀，真相終將在天國得勝，對我來說這已足夠」。",
                "壹傳媒創辦人黎智英及3間與《蘋果日報》相關的公司，被控「串謀勾結外國勢力」及「串謀刊印煽動刊物」等罪，周五（22日）在西九龍裁判法院踏入第95天審訊，續由黎智英出庭作供接受辯方主問。",
            ],
        ));
        assert!(found.contains(&"person:黎智英".to_string()), "{found:?}");
        for cut in ["person:黎智", "person:续由黎智英", "place:英及"] {
            assert!(!found.contains(&cut.to_string()), "{cut} in {found:?}");
        }
    }

    /// Hong Kong copy names 黎智英 by his surname after the first mention (agora-pen-2411,
    /// 2024-11-20, `【黎智英案】首日作供申蘋果核心價值…`); jieba glues the surname to the next
    /// word (`黎续`, `黎曾`). His son 黎見恩 is not him.
    #[test]
    fn a_surname_alone_is_the_article_s_person_of_that_name() {
        let layer = TextLayer::default();
        let a = report(
            "【黎智英案】首日作供申蘋果核心價值：與港人同冀法治民主自由",
            &[
                "黎智英的太太、女兒、兒子黎見恩、天主教香港教區榮休主教陳日君樞機均有到庭旁聽。",
                "黎續指，當時拍下林榮基離港照片的攝影師要求《蘋果》把照片放在頭版，故他把照片亦傳予陳沛敏，最終陳決定照片刊登在《蘋果》頭版。",
                "至於在2020年5月時，黎曾向張發訊息提及「請考慮蘋果日報發動一人一信救香港」，黎確認為編採指示。",
            ],
        );
        let entities = layer.analyze(&a).entities;
        let found: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
        for junk in ["person:黎续", "person:黎曾"] {
            assert!(!found.contains(&junk), "{junk} in {found:?}");
        }
        let lai = entities.iter().find(|e| e.id == "person:黎智英");
        assert_eq!(
            lai.map(|e| e.names.clone()),
            Some(vec!["黎智英".to_string(), "黎".to_string()]),
            "{found:?}"
        );
        assert!(
            found.iter().any(|id| id.starts_with("person:黎见")),
            "the son stays apart: {found:?}"
        );
    }

    /// A title is nobody, even where jieba's dictionary tags it a name (agora-pen-2411,
    /// 2024-11: 14 reports had `person:顾问`).
    #[test]
    fn a_title_is_no_person() {
        let found = ids(&report(
            "國家安全顧問：拜登將在過渡會議上敦促特朗普支持烏克蘭",
            &["這位顧問表示，特朗普「與其他總統不同，他可能會根據早上用哪隻腳觸地來改變決定」。"],
        ));
        assert!(found.contains(&"person:特朗普".to_string()), "{found:?}");
        assert!(!found.iter().any(|id| id.contains("顾问")), "{found:?}");
    }

    /// A surname glued to the sentence that two of the article's people bear is neither of
    /// them for sure, and nobody of its own (agora-pen-2411, 2024-11-20, the sentencing of
    /// the 47: 岑子杰 and 岑敖晖).
    #[test]
    fn a_surname_two_people_bear_is_no_person_of_its_own() {
        let found = ids(&report(
            "【47人案】45人判囚4年2個月至10年",
            &[
                "法官在判詞又指，社民連的岑子杰（4年3個月）是「積極參加者」，同意如當選會無差別否決預算案，亦以7年作量刑起點，另因岑曾任沙田區區議員再給予2個月減刑。",
                "岑敖暉被判6年9個月。",
                "至於就辯方指岑如獲獄中行為良好的刑期扣減，其還押日數可被視為已服畢5年刑期，法官就認為岑是否獲減刑屬懲教署署長事務。",
            ],
        ));
        assert!(found.contains(&"person:岑子杰".to_string()), "{found:?}");
        for junk in ["person:因岑", "person:指岑"] {
            assert!(!found.contains(&junk.to_string()), "{junk} in {found:?}");
        }
    }

    /// Ordinary words jieba's dictionary tags as places or names are no entities
    /// (`data/not_entities.txt`; sentences from mh-news and agora-pen-2411).
    #[test]
    fn ordinary_words_tagged_as_names_are_no_entities() {
        let found = ids(&report(
            "德國議員：我們能容忍這個罪行嗎？",
            &[
                "許多人在其他地方必須要忍受的東西令我痛心，柏林是一個講究人權的城市。",
                "維護基本人權是普世價值，台灣各縣市議會陸續通過提案。",
            ],
        ));
        assert!(found.contains(&"place:柏林".to_string()), "{found:?}");
        assert!(found.contains(&"place:台湾".to_string()), "{found:?}");
        for junk in ["place:东西", "place:城市", "person:普世"] {
            assert!(!found.contains(&junk.to_string()), "{junk} in {found:?}");
        }
    }

    /// The wire lead's reporter is nobody the report is about; its filing place stays
    /// (agora-pen-2411, 2024-11-03).
    #[test]
    fn the_wire_lead_s_reporter_is_no_mention() {
        let found = ids(&report(
            "俄羅斯基金會懸賞",
            &[
                "（中央社記者陳韻聿倫敦3日專電）俄羅斯一個支持安全情治單位退役人員的基金會近日發布懸賞。",
            ],
        ));
        assert!(found.contains(&"place:俄罗斯".to_string()), "{found:?}");
        assert!(found.contains(&"place:伦敦".to_string()), "{found:?}");
        assert!(!found.iter().any(|id| id.contains("陈韵")), "{found:?}");
    }

    /// A side's army is not a person (agora-pen-2411, 2024-11).
    #[test]
    fn a_sides_army_is_no_person() {
        let found = ids(&report(
            "美国允许国防承包商赴乌克兰维修武器",
            &[
                "据美国官员称，美国允许少数美国国防承包商在乌克兰境内工作，以维护和修理由五角大楼向乌军提供的武器。",
            ],
        ));
        assert!(found.contains(&"place:乌克兰".to_string()), "{found:?}");
        assert!(!found.contains(&"person:乌军".to_string()), "{found:?}");
    }

    /// A transliteration is not cut to the part the HMM also found on its own (agora-pen-2411,
    /// 2024-11: 羅辛斯基 in the report that names 布里辛斯基).
    #[test]
    fn a_full_name_is_not_cut_to_a_shorter_one() {
        let found = ids(&report(
            "波蘭核電廠計畫",
            &[
                "美國駐波蘭大使布里辛斯基（Mark Brzezinski）將該專案稱為「兩國共同致力於清潔、安全能源未來的象徵」，並重申美國對支援波蘭能源轉型的承諾。",
                "PEJ財務總監羅辛斯基（Wojciech Rosiński）指出，這進一步強化了波美兩國的合作關係，也為兩國未來的技術與經濟合作開啟新篇章。",
            ],
        ));
        assert!(found.contains(&"person:辛斯基".to_string()), "{found:?}");
        assert!(found.contains(&"person:罗辛斯基".to_string()), "{found:?}");
    }

    #[test]
    fn the_byline_and_the_outlet_are_not_entities_of_their_own_article() {
        let credited = ids(&cna_report(&["李雅雯"]));
        assert!(
            credited.contains(&"person:梁文杰".to_string()),
            "{credited:?}"
        );
        assert!(credited.contains(&"org:陆委会".to_string()), "{credited:?}");
        assert!(
            !credited.contains(&"person:李雅雯".to_string()),
            "{credited:?}"
        );
        assert!(
            !credited.contains(&"org:中央社".to_string()),
            "{credited:?}"
        );
        // Without the byline credit, the wire lead she opens the report with is no mention
        // either.
        let uncredited = ids(&cna_report(&[]));
        assert!(
            !uncredited.contains(&"person:李雅雯".to_string()),
            "{uncredited:?}"
        );
        // Her name elsewhere in the text: the credit decides.
        let quoted = |authors: &[&str]| {
            let mut a = cna_report(authors);
            a.body.push(Block::paragraph(
                "梁文傑接受記者李雅雯訪問時表示，陸委會會持續關注。",
            ));
            ids(&a)
        };
        let person = "person:李雅雯".to_string();
        assert!(quoted(&[]).contains(&person), "{:?}", quoted(&[]));
        assert!(!quoted(&["李雅雯"]).contains(&person));
    }
}
