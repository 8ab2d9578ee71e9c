//! Block-level boilerplate: what sits inside an article's HTML but is not the article.
//!
//! Outlets append source lines (`来源:看中国`), short URLs, copyright notices, membership and
//! donation appeals, share prompts and editor lines to the body. [`clean_blocks`] removes
//! them, and lifts bylines and editors into a [`Byline`] instead of losing them.

use crate::byline::{Byline, parse_credits, parse_lead};
use newsloom_model::{Block, BlockKind};
use regex::Regex;
use std::sync::LazyLock;

/// Phrases that mark a whole block as boilerplate wherever they appear in it. (Words that
/// articles also use as content, such as 翻墙, are not here: the mirror readers remove the
/// mirror's own navigation before the HTML reaches this point.)
const MARKERS: [&str; 32] = [
    "本文短网址",
    "本文短網址",
    "短网址:",
    "版权所有",
    "版權所有",
    "严禁建立镜像网站",
    "荣誉会员",
    "榮譽會員",
    "手机上长按",
    "手機上長按",
    "原文地址",
    "转载需",
    "轉載需",
    "未经授权",
    "未經授權",
    "不得转载",
    "不得轉載",
    "授权许可",
    "授權許可",
    "All Rights Reserved",
    "All rights reserved",
    "Copyright ©",
    "扫描二维码",
    "掃描二維碼",
    "扫码关注",
    "掃碼關注",
    "点击关注",
    "點擊關注",
    "下载APP",
    "下載APP",
    "订阅我们",
    "訂閱我們",
];

/// All markers in one automaton: every block of every article passes through here.
static MARKER_MATCHER: LazyLock<aho_corasick::AhoCorasick> =
    LazyLock::new(|| aho_corasick::AhoCorasick::new(MARKERS).expect("static patterns"));

/// Prefixes of short blocks that are labels or source lines, not text.
const PREFIXES: [&str; 22] = [
    "来源:",
    "来源：",
    "來源:",
    "來源：",
    "文章来源",
    "文章來源",
    "稿源",
    "出处:",
    "出處：",
    "本文来源",
    "本文來源",
    "相关新闻",
    "相關新聞",
    "相关阅读",
    "相關閱讀",
    "延伸阅读",
    "延伸閱讀",
    "推荐阅读",
    "推薦閱讀",
    "阅读更多",
    "閱讀更多",
    "更多新闻",
];

/// Trailing wire codes (CNA appends a 7-digit code such as `1120222` to the last paragraph).
static TRAILING_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([）)。」”])\s*\d{7}$").expect("static regex"));

/// A bracketed credit line: `（记者…报导/责任编辑：…）`, `（編輯：…）`, `（看中国记者…编译）`.
static CREDIT_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    let roles = crate::byline::EDITOR_ROLES;
    Regex::new(&format!(
        r"[（(][^（）()]{{0,40}}?(?:记者|記者|编译|編譯|报导|報導|撰稿|作者|{roles})[^（）()]{{0,40}}?[)）]"
    ))
    .expect("static regex")
});

/// A block that is only an editor or author line: `责任编辑：林清`, `作者：张三`.
static CREDIT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(]?(?:责任编辑|責任編輯|编辑|編輯|责编|責編|作者|撰稿|文|记者|記者)[:：/／]?\s*[\p{Han}·、/／ ]{2,30}[)）]?$")
        .expect("static regex")
});

/// A block of credits only, role after role: `記者：衛斯　編輯：陸南才　網編：陳家傑`,
/// `編輯/網編：畢子默`, `　網編：程皓楠` (RFA's closing lines).
static CREDIT_ROLES_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let roles = crate::byline::EDITOR_ROLES;
    let role = format!(r"(?:记者|記者|{roles})(?:[/／]{roles})?\s*[:：]\s*");
    let names = r"[\p{Han}·、/／ ]{2,30}(?:[（(]\p{Han}{1,8}[)）])?";
    // `\s` is Unicode's white space: it takes the wide space (U+3000) between roles.
    Regex::new(&format!(r"^(?:{role}{names}\s*)+$")).expect("static regex")
});

/// True when a whole block is credits (see [`CREDIT_LINE`] and [`CREDIT_ROLES_LINE`]).
fn is_credit_line(text: &str) -> bool {
    let text = text.trim();
    text.len() <= 160 && (CREDIT_LINE.is_match(text) || CREDIT_ROLES_LINE.is_match(text))
}

/// A block that is nothing but a timestamp (`2024-11-30T15:28:11.400Z`, `2024-11-05 12:36`):
/// an aggregator's or CMS's stamp, not text.
static TIMESTAMP_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$")
        .expect("static regex")
});

/// True when a whole block is boilerplate.
pub fn is_boilerplate(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return true;
    }
    let short = text.len() <= 180 && text.chars().count() <= 60;
    (short && PREFIXES.iter().any(|p| text.starts_with(p)))
        || text.starts_with("【诚征")
        || text.starts_with("【誠徵")
        || MARKER_MATCHER.is_match(text)
        || (short && TIMESTAMP_ONLY.is_match(text))
}

/// The cleaned body and what the text said about its authors.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Cleaned {
    pub blocks: Vec<Block>,
    pub byline: Byline,
}

/// Removes boilerplate blocks, lifts bylines out of the text and strips trailing codes.
pub fn clean_blocks(blocks: Vec<Block>) -> Cleaned {
    let mut byline = Byline::default();
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        if is_boilerplate(&block.text) {
            continue;
        }
        let text = if out.is_empty() {
            lift_lead(&block.text, &mut byline)
        } else {
            block.text
        };
        let text = lift_credits(&text, &mut byline);
        if !text.is_empty() {
            out.push(Block {
                kind: block.kind,
                text,
            });
        }
    }
    // Headings left dangling at the end (a "related" label, a section title with nothing
    // after it) are not part of the article.
    while out.last().is_some_and(|b| b.kind == BlockKind::Heading) {
        out.pop();
    }
    Cleaned {
        blocks: out,
        byline,
    }
}

/// Reads the lead (`【看中国2023年2月23日讯】`, `（中央社台北22日電）`) and removes a byline
/// bracket that directly follows it; the lead itself stays in the text.
fn lift_lead(text: &str, byline: &mut Byline) -> String {
    let Some((lead, end)) = parse_lead(text) else {
        return text.to_string();
    };
    byline.merge(lead);
    let (head, rest) = text.split_at(end);
    match CREDIT_PAREN.find(rest).filter(|m| m.start() == 0) {
        Some(m) => {
            byline.merge(parse_credits(m.as_str()));
            format!("{head}{}", &rest[m.end()..])
        }
        None => text.to_string(),
    }
}

/// Removes credit brackets and credit-only lines, recording the names.
fn lift_credits(text: &str, byline: &mut Byline) -> String {
    let text = text.trim();
    // Cheap tests first: this runs on every block of every article.
    let trimmed = if text.ends_with(|c: char| c.is_ascii_digit()) {
        TRAILING_CODE.replace(text, "$1")
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    if is_credit_line(&trimmed) {
        byline.merge(parse_credits(&trimmed));
        return String::new();
    }
    // Only brackets at the end (closing credits) or forming the whole block are credits;
    // a bracket in the middle of a sentence is text.
    let mut text = trimmed.into_owned();
    while let Some(m) = CREDIT_PAREN
        .find_iter(&text)
        .last()
        .filter(|m| m.end() == text.len())
    {
        byline.merge(parse_credits(m.as_str()));
        let start = m.start();
        text.truncate(start);
        text = text.trim_end().to_string();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Block {
        Block::paragraph(t)
    }

    #[test]
    fn cleans_seed_like_blocks() {
        let cleaned = clean_blocks(vec![
            p("【看中国2023年2月23日讯】（看中国记者闻天清编译）中共中央外事工作委员会"),
            p("正文。"),
            p("来源:看中国"),
            p("本文短网址:版权所有，任何形式转载需看中国授权许可。严禁建立镜像网站."),
            p("【诚征荣誉会员】溪流能够汇成大海"),
            p("2024-11-30T15:28:11.400Z"),
        ]);
        assert_eq!(
            cleaned.blocks,
            vec![
                p("【看中国2023年2月23日讯】中共中央外事工作委员会"),
                p("正文。")
            ]
        );
        assert_eq!(cleaned.byline.authors, vec!["闻天清"]);
        assert_eq!(cleaned.byline.outlet.as_deref(), Some("看中国"));
    }

    #[test]
    fn lifts_closing_credits_and_codes() {
        let cleaned = clean_blocks(vec![
            p("（中央社台北22日電）王毅今天在莫斯科。"),
            p("推動兩國關係取得更大發展。（編輯：邱國強/楊昇儒）1120222"),
            p("（记者历澄宇综合报导/责任编辑：林清）"),
        ]);
        assert_eq!(
            cleaned.blocks,
            vec![
                p("（中央社台北22日電）王毅今天在莫斯科。"),
                p("推動兩國關係取得更大發展。")
            ]
        );
        assert_eq!(cleaned.byline.editors, vec!["邱國強", "楊昇儒", "林清"]);
        assert_eq!(cleaned.byline.authors, vec!["历澄宇"]);
        assert_eq!(cleaned.byline.dateline.as_deref(), Some("台北"));
    }

    /// Closing credits of CNA's translated reports and RFA's stories (agora-pen-2411): the
    /// names are the article's staff, not its text.
    #[test]
    fn lifts_translator_and_web_editor_credits() {
        let cleaned = clean_blocks(vec![
            p("英國派出約60名軍事人員。（譯者：張茗喧/核稿：陳昱婷）"),
            p("記者：鍾廣政（台北）　編輯：李榮添　網編：池煥衡"),
            p("編輯/網編：畢子默"),
        ]);
        assert_eq!(cleaned.blocks, vec![p("英國派出約60名軍事人員。")]);
        assert_eq!(
            cleaned.byline.editors,
            vec!["張茗喧", "陳昱婷", "李榮添", "池煥衡", "畢子默"]
        );
        assert_eq!(cleaned.byline.authors, vec!["鍾廣政"]);
        // A sentence that only mentions an editor stays.
        let kept = clean_blocks(vec![p("編輯部表示：會繼續報導此事。")]);
        assert_eq!(kept.blocks.len(), 1);
    }
}
