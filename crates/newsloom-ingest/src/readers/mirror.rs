//! Mirror markdown: the community mirrors of blocked outlets (seeds 000, 001, 003; mh-news).
//!
//! ```text
//! ### title
//! ------------------------
//! #### [首页](…) | [翻墙教程](…)          ← navigation
//! <div>…outlet HTML, prettified…        ← with promo lines `#### [ 💌 …](…)` injected
//! <hr/>
//! 手机上长按并复制下列链接或二维码分享本文章：<br/>
//! https://github.com/…/1029612.md <br/>    ← the mirror URL
//! 原文地址（需翻墙访问）：https://…          ← the original URL
//! ------------------------
//! #### [首页](…)                          ← navigation again, tracking image
//! ```

use super::{ReadError, first_url};
use crate::draft::Draft;
use newsloom_extract::fragment_from_html;
use newsloom_model::Format;

const SHARE_PROMPTS: [&str; 2] = ["手机上长按", "手機上長按"];
const ORIGINAL_MARKERS: [&str; 3] = ["原文地址（需翻墙访问）", "原文地址(需翻墙访问)", "原文地址"];

/// True when `text` looks like mirror markdown.
pub fn sniff(text: &str) -> bool {
    let head = text.get(..text.len().min(4096)).unwrap_or(text);
    head.trim_start().starts_with("### ") && (text.contains("原文地址") || head.contains("#### ["))
}

pub fn read(text: &str, path: &str) -> Result<Draft, ReadError> {
    let mut lines = text.lines();
    let title = lines
        .by_ref()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| l.trim().strip_prefix("### "))
        .map(str::trim)
        .ok_or(ReadError::Malformed(
            "mirror markdown without a `### title` line",
        ))?
        .to_string();

    let mut html = String::with_capacity(text.len());
    let mut mirror_url = None;
    let mut url = None;
    let mut in_footer = false;
    for line in lines {
        // ASCII trimming: prettified lines carry deep indentation, and this runs on every line.
        let trimmed = line.trim_ascii();
        if SHARE_PROMPTS.iter().any(|p| trimmed.starts_with(p)) {
            in_footer = true;
            continue;
        }
        if let Some(rest) = ORIGINAL_MARKERS
            .iter()
            .find_map(|m| trimmed.strip_prefix(m))
        {
            url = first_url(rest.trim_start_matches([':', '：', ' ']));
            in_footer = true;
            continue;
        }
        if in_footer {
            if mirror_url.is_none() && url.is_none() && trimmed.starts_with("http") {
                mirror_url = first_url(trimmed);
            }
            continue;
        }
        if is_mirror_chrome(trimmed) {
            continue;
        }
        // Prettified HTML indents deeply nested tags by hundreds of spaces; a line break is
        // all the whitespace the walker needs to see (it only asks whether a run held one).
        html.push_str(trimmed);
        html.push('\n');
    }
    // The `<hr/>` that opens the share footer belongs to the mirror, not the article; the
    // walker treats it as a break, so it needs no removal.
    let fragment = fragment_from_html(&html);
    Ok(Draft {
        path: path.to_string(),
        format: Some(Format::MirrorMarkdown),
        title,
        url,
        mirror_url,
        body: fragment.blocks,
        images: fragment.images,
        related: fragment.related,
        ..Draft::default()
    })
}

/// Markdown the mirror adds around the HTML: rules, navigation and promo link lines.
fn is_mirror_chrome(line: &str) -> bool {
    line.starts_with("#### [")
        || line.starts_with("####[")
        || (!line.is_empty() && line.chars().all(|c| c == '-' || c == '='))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_footer_urls_and_skips_chrome() {
        let text = "### 标题(图)\n------\n\n#### [首页](../README.md) | [翻墙教程](x)\n<p>\n 正文\n</p>\n\n---\n#### [ 💌 推广](http://x)\n<p>第二段</p>\n<hr/>\n手机上长按并复制下列链接或二维码分享本文章：<br/>\nhttps://github.com/a/b/pages/p9/1.md <br/>\n原文地址（需翻墙访问）：https://www.secretchina.com/news/gb/2023/02/23/1029612.html\n";
        assert!(sniff(text));
        let d = read(text, "x.md").unwrap();
        assert_eq!(
            d.url.as_deref(),
            Some("https://www.secretchina.com/news/gb/2023/02/23/1029612.html")
        );
        assert_eq!(
            d.mirror_url.as_deref(),
            Some("https://github.com/a/b/pages/p9/1.md")
        );
        let texts: Vec<&str> = d.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["正文", "第二段"]);
    }
}
