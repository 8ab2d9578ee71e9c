//! Escaping, two-script text, safe URLs, the sanitizer and the page frame.
//!
//! Every string that comes from a source (titles, body text, captions, URLs, outlet names)
//! enters a page through [`esc`], [`z`] or [`safe_url`]; on top of that the whole `<main>`
//! fragment of every page goes through `ammonia` with a narrow allow-list (no script, style,
//! iframe, event handler or non-http(s) URL), so a mistake in one template cannot let
//! source markup through.

use std::collections::HashSet;
use std::sync::OnceLock;

use newsloom_view::{to_hans, to_hant};

/// Escapes text for HTML element content and attribute values (also valid XML), dropping
/// control characters that HTML and XML do not allow.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The `data-hans`/`data-hant` attributes of a text: each only when that script differs
/// from the text as written. Empty for text the scripts write alike.
pub fn script_attrs(text: &str) -> String {
    if text.is_ascii() {
        return String::new();
    }
    let mut attrs = String::new();
    let hans = to_hans(text);
    if hans != text {
        attrs.push_str(&format!(" data-hans=\"{}\"", esc(&hans)));
    }
    let hant = to_hant(text);
    if hant != text {
        attrs.push_str(&format!(" data-hant=\"{}\"", esc(&hant)));
    }
    attrs
}

/// Text as the outlet wrote it, with both script renderings for the display switch
/// (`assets/site.js` swaps the text of elements carrying `data-hans`/`data-hant`).
pub fn z(text: &str) -> String {
    let attrs = script_attrs(text);
    if attrs.is_empty() {
        esc(text)
    } else {
        format!("<span class=\"z\"{attrs}>{}</span>", esc(text))
    }
}

/// Text given in both scripts already (the summary): simplified by default.
pub fn z2(hans: &str, hant: &str) -> String {
    if hans == hant {
        return esc(hans);
    }
    format!(
        "<span class=\"z\" data-hans=\"{}\" data-hant=\"{}\">{}</span>",
        esc(hans),
        esc(hant),
        esc(hans)
    )
}

/// An absolute http(s) URL without whitespace or control characters, escaped for an
/// attribute; `None` for anything else (`javascript:`, `data:`, relative junk).
pub fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    let clean = !u
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    (scheme_ok && clean && u.len() > 8).then(|| esc(u))
}

/// A file name for an id: ids are `[A-Za-z0-9_-]` in practice; anything else is replaced
/// so no id can climb out of its folder or break a link.
pub fn file_stem(id: &str) -> String {
    let stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if stem.is_empty() { "_".into() } else { stem }
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["section"])
            .add_generic_attributes(["class", "id", "data-hans", "data-hant", "datetime"])
            .url_schemes(HashSet::from(["http", "https"]))
            .link_rel(Some("noopener noreferrer nofollow"))
            .strip_comments(true);
        b
    })
}

/// Sanitizes a page fragment built from source data.
pub fn sanitize(fragment: &str) -> String {
    sanitizer().clean(fragment).to_string()
}

/// A whole page. `root` is the relative path from the page to the site root (`""` or
/// `"../"`); `title` is source text; `main` is sanitized here.
pub fn page(root: &str, site_title: &str, title: &str, main: &str) -> String {
    let main = sanitize(main);
    format!(
        r#"<!DOCTYPE html>
<html lang="zh" data-script="orig">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title{title_attrs}>{title}</title>
<link rel="stylesheet" href="{root}assets/site.css">
<link rel="alternate" type="application/atom+xml" title="stories" href="{root}feeds/stories.atom">
<script src="{root}assets/site.js" defer></script>
</head>
<body>
<header class="site"><a class="home" href="{root}index.html">{site}</a>
<nav class="script-switch" aria-label="script"><button type="button" data-set-script="orig">原文</button><button type="button" data-set-script="hans">简体</button><button type="button" data-set-script="hant">繁體</button></nav>
</header>
<main>
{main}
</main>
<footer class="site">newsloom · <a href="{root}feeds/stories.atom">Atom</a></footer>
</body>
</html>
"#,
        title_attrs = script_attrs(title),
        title = esc(title),
        site = esc(site_title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_urls() {
        assert_eq!(
            esc("<a href='x'>&\"\u{1}"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url(" JavaScript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
        assert_eq!(safe_url("https://a.b/c d"), None);
        assert_eq!(
            safe_url("https://a.b/c?x=1&y=2").as_deref(),
            Some("https://a.b/c?x=1&amp;y=2")
        );
        assert_eq!(file_stem("../etc/passwd"), "___etc_passwd");
    }

    #[test]
    fn two_scripts() {
        let s = z("穩如泰山");
        assert!(s.contains("data-hans=\"稳如泰山\"") && !s.contains("data-hant"));
        assert_eq!(z("abc<"), "abc&lt;");
    }

    #[test]
    fn sanitizer_drops_active_content() {
        let out = sanitize(
            r#"<p onclick="x()">a<script>b()</script><iframe src="https://e"></iframe><a href="javascript:c()">d</a><img src="x" onerror="e()"><style>p{}</style></p>"#,
        );
        for bad in [
            "onclick",
            "<script",
            "<iframe",
            "javascript:",
            "onerror",
            "<style",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
    }
}
