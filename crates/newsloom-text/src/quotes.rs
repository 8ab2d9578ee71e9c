//! Quoted speech and its speaker.
//!
//! Chinese news attributes quotes in a few fixed shapes: the speaker and a speech verb before
//! the quote (`王毅表示，……“……”`, `扎哈洛娃说：“……”`, `王毅說，中俄……「……」`) or right
//! after it (`“……，”王毅说。`). The speaker must be a person the sentence names; pronouns and
//! unnamed sources leave the speaker empty.

use serde::Serialize;

use crate::aliases::EntityKind;
use crate::entities::{Mention, SentenceView};
use crate::{Sentence, TextLayer};

/// A quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The speaker as written, when the sentence names one.
    pub speaker: Option<String>,
    /// The speaker's entity id (`person:王毅`).
    pub speaker_id: Option<String>,
    /// The quoted words as the outlet wrote them, without the quote marks.
    pub text: String,
    /// The matching form of `text`.
    pub matching: String,
    /// Matching forms of the quote's clauses (split at commas, semicolons, colons and sentence
    /// ends): outlets often quote the same words with a clause more or less, so clause forms
    /// match where whole quotes do not.
    pub clauses: Vec<String>,
}

/// Speech verbs, simplified; a speaker is the person right before one of them.
const SPEECH_VERBS: &[&str] = &[
    "表示",
    "说道",
    "说",
    "称",
    "指出",
    "强调",
    "认为",
    "透露",
    "告诉",
    "宣布",
    "回应",
    "警告",
    "呼吁",
    "提到",
    "写道",
    "补充",
    "坦言",
    "直言",
    "重申",
    "声称",
    "批评",
    "质疑",
    "问道",
    "回答",
    "承认",
    "形容",
    "提及",
    "谈到",
    "表态",
    "主张",
    "宣称",
    "发文",
    "还说",
    "又说",
    "则说",
    "也说",
    "对记者说",
    "告诉记者",
    "在声明中说",
    "在声明中表示",
    "称赞",
    "感叹",
];

/// True for a speech verb (`说`, `表示`, `称` …).
pub(crate) fn is_speech_verb(word: &str) -> bool {
    SPEECH_VERBS.contains(&word)
}

/// Quotes shorter than this without a speaker are scare quotes or terms (`“新境界”`).
const MIN_UNATTRIBUTED_CHARS: usize = 10;
/// How far before the quote the speaker and verb may stand.
const MAX_LEAD_CHARS: usize = 80;

/// Finds the quotes of an article's sentences; `mentions` are each sentence's entity mentions.
pub(crate) fn find_quotes(
    layer: &TextLayer,
    sentences: &[Sentence],
    views: &[SentenceView],
    mentions: &[Vec<Mention>],
) -> Vec<Quote> {
    let mut out = Vec::new();
    for ((_, view), ms) in sentences.iter().zip(views).zip(mentions) {
        for (open, close) in quote_spans(&view.original) {
            let text: String = view
                .original
                .get(open + 1..close)
                .unwrap_or_default()
                .iter()
                .collect();
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            if chars < 2 {
                continue;
            }
            let speaker = speaker_before(view, ms, open).or_else(|| speaker_after(view, ms, close));
            if speaker.is_none() && chars < MIN_UNATTRIBUTED_CHARS {
                continue;
            }
            let matching = layer.matching_form(&text);
            let clauses = clauses(&matching);
            out.push(Quote {
                speaker: speaker.map(|m| m.surface.clone()),
                speaker_id: speaker.map(|m| m.id.clone()),
                text,
                matching,
                clauses,
            });
        }
    }
    out
}

fn is_open(c: char) -> bool {
    matches!(c, '“' | '「' | '『' | '﹁')
}

fn is_close(c: char) -> bool {
    matches!(c, '”' | '」' | '』' | '﹂')
}

/// Outermost quote spans (indices of the opening and closing marks).
fn quote_spans(chars: &[char]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut open = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        if is_open(c) {
            if depth == 0 {
                open = i;
            }
            depth += 1;
        } else if is_close(c) && depth > 0 {
            depth -= 1;
            if depth == 0 {
                spans.push((open, i));
            }
        }
    }
    spans
}

/// `王毅表示，……“` : a person before the quote followed by a speech verb, with no other
/// quote in between.
fn speaker_before<'a>(view: &SentenceView, ms: &'a [Mention], open: usize) -> Option<&'a Mention> {
    let simp: Vec<char> = view.simplified.chars().collect();
    // The earliest qualifying person is the clause's subject (`普京会晤王毅时还声称`).
    ms.iter().find(|m| {
        m.kind == EntityKind::Person
            && m.end <= open
            && open - m.end <= MAX_LEAD_CHARS
            && !is_object(&simp, m.start)
            && {
                let between = simp.get(m.end..open).unwrap_or_default();
                !between
                    .iter()
                    .any(|&c| is_open(c) || is_close(c) || c == '“' || c == '”')
                    && starts_with_verb(between)
            }
    })
}

/// True when the word before a mention makes it an object (`普京对王毅说`), not the speaker.
fn is_object(simp: &[char], start: usize) -> bool {
    start
        .checked_sub(1)
        .and_then(|p| simp.get(p))
        .is_some_and(|&c| matches!(c, '对' | '向' | '跟' | '与' | '和' | '同' | '给' | '诉'))
}

/// `“……，”王毅说。` : a person right after the closing mark, followed by a speech verb.
fn speaker_after<'a>(view: &SentenceView, ms: &'a [Mention], close: usize) -> Option<&'a Mention> {
    let simp: Vec<char> = view.simplified.chars().collect();
    let m = ms
        .iter()
        .find(|m| m.kind == EntityKind::Person && m.start > close)?;
    let gap = simp.get(close + 1..m.start).unwrap_or_default();
    if !gap.iter().all(|&c| matches!(c, '，' | ',' | ' ')) {
        return None;
    }
    starts_with_verb(simp.get(m.end..).unwrap_or_default()).then_some(m)
}

/// True when `text` starts with a speech verb, allowing a short adverbial or place phrase
/// first (`王毅则表示`, `王毅在会谈中说`, `普京与王毅坐在一起时对记者说`).
fn starts_with_verb(text: &[char]) -> bool {
    const MAX_GAP: usize = 16;
    let s: String = text.iter().take(MAX_GAP + 72).collect();
    SPEECH_VERBS.iter().any(|v| {
        s.find(v).is_some_and(|byte| {
            let before = s.get(..byte).unwrap_or_default();
            without_brackets(before).chars().count() <= MAX_GAP
                && !before.contains(['。', '！', '？', '；'])
                // A comma before the verb means another clause (`王毅抵达后，普京说`).
                && !before.contains(['，', ','])
        })
    })
}

/// Text with bracketed asides removed: `蒲亭(Vladimir Putin)向王毅` counts as `蒲亭向王毅`.
fn without_brackets(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|&c| match c {
            '(' | '（' => {
                depth += 1;
                false
            }
            ')' | '）' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// Splits a matching form at clause punctuation.
fn clauses(matching: &str) -> Vec<String> {
    matching
        .split([',', '，', ';', '；', ':', '：', '。', '!', '！', '?', '？'])
        .map(|c| {
            c.trim_matches(|ch: char| ch.is_whitespace() || matches!(ch, '“' | '”' | '‘' | '’'))
        })
        .filter(|c| c.chars().count() >= 2)
        .map(String::from)
        .collect()
}
