//! Character-encoding detection for Chinese web pages.
//!
//! Order of evidence: a byte-order mark, then the charset the server sent (if the caller
//! knows it), then a `<meta charset>` / `http-equiv` declaration in the first bytes, then a
//! statistical guess. A declaration is only trusted while decoding with it stays clean:
//! pages saved from Chinese sites often say `gb2312` but are UTF-8 after re-saving, or say
//! `utf-8` and are GBK; such a lie shows up as malformed sequences, and then the guess wins.
//!
//! GBK and GB2312 labels decode as GB18030 (a strict superset, so characters outside GB2312
//! that sites use anyway still decode).

use encoding_rs::{BIG5, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;

/// How the encoding of a page was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    /// A byte-order mark at the start of the bytes.
    Bom,
    /// The charset given by the caller (e.g. from an HTTP `Content-Type` header).
    Transport,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` declaration in the page.
    Meta,
    /// No usable declaration (absent, unknown, or contradicted by the bytes): guessed.
    Guessed,
}

/// A page decoded to text.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// The encoding the text was decoded with (`GB18030` for GBK/GB2312 pages).
    pub encoding: &'static Encoding,
    pub source: EncodingSource,
    /// The label the page declared, when it declared one (even if it was not used).
    pub declared: Option<String>,
    /// Number of malformed sequences replaced by U+FFFD while decoding.
    pub errors: usize,
}

/// How many bytes at the start of a page are searched for a charset declaration.
/// Browsers prescan 1024 bytes; real pages put long `<script>`/`<style>` blocks before the
/// meta tag, so look further.
const PRESCAN_BYTES: usize = 8192;

/// Decodes HTML bytes to text, choosing the encoding as described in the module docs.
///
/// `transport_charset` is a charset label known from outside the page (HTTP header), if any.
/// `url` is used only for its top-level domain, a hint for the statistical guess
/// (`.tw`/`.hk` lean towards Big5, `.cn` towards GBK).
pub fn decode_html<'a>(
    bytes: &'a [u8],
    transport_charset: Option<&str>,
    url: Option<&str>,
) -> Decoded<'a> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (text, errors) = decode_with(enc, body);
        return Decoded {
            text,
            encoding: enc,
            source: EncodingSource::Bom,
            declared: None,
            errors,
        };
    }

    let declared_label = transport_charset
        .map(|s| (s.trim().to_string(), EncodingSource::Transport))
        .or_else(|| prescan_meta_charset(bytes).map(|s| (s, EncodingSource::Meta)));

    if let Some((label, source)) = &declared_label
        && let Some(enc) = normalize_encoding(label)
    {
        let (text, errors) = decode_with(enc, bytes);
        if !is_lying(errors, &text) {
            return Decoded {
                text,
                encoding: enc,
                source: *source,
                declared: Some(label.clone()),
                errors,
            };
        }
        // The declaration is contradicted by the bytes: fall through to the guess, but
        // keep this decoding if the guess turns out no better.
        let guessed = guess(bytes, url);
        if guessed.errors < errors {
            return Decoded {
                declared: Some(label.clone()),
                ..guessed
            };
        }
        return Decoded {
            text,
            encoding: enc,
            source: *source,
            declared: Some(label.clone()),
            errors,
        };
    }
    let declared = declared_label.map(|(l, _)| l);
    Decoded {
        declared,
        ..guess(bytes, url)
    }
}

/// Maps a charset label to the encoding used to decode it, folding the Chinese national
/// encodings to their supersets and the UTF-16 labels (which a byte-oriented `<meta>` cannot
/// truthfully declare) to UTF-8, as browsers do.
pub fn normalize_encoding(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(
        label
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .as_bytes(),
    )?;
    Some(if enc == GBK || enc == GB18030 {
        GB18030
    } else if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else if enc == encoding_rs::X_USER_DEFINED || enc == encoding_rs::REPLACEMENT {
        WINDOWS_1252
    } else {
        enc
    })
}

/// Decodes without a BOM check (the caller already handled it), counting malformed sequences.
fn decode_with<'a>(enc: &'static Encoding, bytes: &'a [u8]) -> (Cow<'a, str>, usize) {
    if enc == UTF_8
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        return (Cow::Borrowed(s), 0);
    }
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let errors = if had_errors {
        text.chars().filter(|&c| c == '\u{FFFD}').count()
    } else {
        0
    };
    (text, errors)
}

/// A declaration "lies" when decoding with it produces more than a stray malformed
/// sequence: a handful of errors can be a truncated page, hundreds are a wrong charset.
fn is_lying(errors: usize, text: &str) -> bool {
    if errors == 0 {
        return false;
    }
    let chars = text.len().max(1); // bytes are a fine upper bound for the ratio
    errors > 8 || errors * 1000 > chars
}

/// Guesses the encoding from the bytes themselves.
fn guess<'a>(bytes: &'a [u8], url: Option<&str>) -> Decoded<'a> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(s),
            encoding: UTF_8,
            source: EncodingSource::Guessed,
            declared: None,
            errors: 0,
        };
    }
    let mut detector = chardetng::EncodingDetector::new();
    // Feeding the whole page is slow for multi-megabyte pages and adds little: the first
    // 64 KiB hold plenty of CJK text on any Chinese page.
    let sample = bytes.get(..65536).unwrap_or(bytes);
    detector.feed(sample, sample.len() == bytes.len());
    let tld = url.and_then(tld_of);
    let mut enc = detector.guess(tld.as_deref().map(str::as_bytes), true);
    if enc == GBK {
        enc = GB18030;
    }
    let (text, errors) = decode_with(enc, bytes);
    // UTF-8 with a few broken sequences (a truncated download) beats a legacy guess that
    // turns every CJK character into mojibake; chardetng refuses UTF-8 on any error, so
    // compare against lossy UTF-8 explicitly.
    let (utf8_text, utf8_errors) = decode_with(UTF_8, bytes);
    // Single-byte guesses (windows-1252) decode anything without errors, so a handful of
    // broken sequences in a large UTF-8 page (under one per 1,000 bytes) still means UTF-8.
    let rare = utf8_errors * 1000 <= bytes.len();
    if enc != UTF_8 && (utf8_errors <= errors.max(1) || rare) && !is_lying(utf8_errors, &utf8_text)
    {
        return Decoded {
            text: utf8_text,
            encoding: UTF_8,
            source: EncodingSource::Guessed,
            declared: None,
            errors: utf8_errors,
        };
    }
    let _ = BIG5; // Big5 pages are recognized by chardetng (helped by the .tw/.hk hint).
    Decoded {
        text,
        encoding: enc,
        source: EncodingSource::Guessed,
        declared: None,
        errors,
    }
}

/// The last label of the URL's host, e.g. `cn` for `news.sina.com.cn`.
fn tld_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let tld = host.rsplit('.').next()?.to_ascii_lowercase();
    if tld.chars().all(|c| c.is_ascii_alphabetic()) && !tld.is_empty() {
        Some(tld)
    } else {
        None
    }
}

/// Finds a charset declared in a `<meta>` tag near the start of the page.
///
/// This is a byte-level scan, not a parse: the page is not decoded yet. It looks at every
/// `<meta` in the first [`PRESCAN_BYTES`] bytes (skipping comments) for `charset=`.
pub fn prescan_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..PRESCAN_BYTES).unwrap_or(bytes);
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut pos = 0;
    while pos < lower.len() {
        let rest = lower.get(pos..)?;
        if rest.starts_with(b"<!--") {
            let end = find(rest, b"-->").map(|i| i + 3).unwrap_or(rest.len());
            pos += end;
            continue;
        }
        if rest.starts_with(b"<meta") {
            let end = find(rest, b">").unwrap_or(rest.len());
            let tag = rest.get(..end).unwrap_or(rest);
            if let Some(label) = charset_in_tag(tag)
                && Encoding::for_label(label.as_bytes()).is_some()
            {
                return Some(label);
            }
            pos += end.max(1);
            continue;
        }
        pos += 1;
    }
    None
}

/// Extracts the value after `charset=` in one lower-cased `<meta …>` tag.
fn charset_in_tag(tag: &[u8]) -> Option<String> {
    let at = find(tag, b"charset")?;
    let mut rest = tag.get(at + 7..)?;
    while let [b' ' | b'\t' | b'\n' | b'\r', tail @ ..] = rest {
        rest = tail;
    }
    let [b'=', tail @ ..] = rest else { return None };
    rest = tail;
    while let [b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'', tail @ ..] = rest {
        rest = tail;
    }
    let value: Vec<u8> = rest
        .iter()
        .copied()
        .take_while(|b| !matches!(b, b'"' | b'\'' | b';' | b' ' | b'>' | b'/' | b'\t' | b'\n'))
        .collect();
    if value.is_empty() {
        None
    } else {
        String::from_utf8(value).ok()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb2312_meta_decodes_as_gb18030() {
        let (bytes, _, _) = GBK.encode(
            "<html><head><meta charset=\"gb2312\"></head><body>中共中央，你好。</body></html>",
        );
        let d = decode_html(&bytes, None, None);
        assert_eq!(d.encoding, GB18030);
        assert_eq!(d.source, EncodingSource::Meta);
        assert!(d.text.contains("中共中央，你好。"));
    }

    #[test]
    fn http_equiv_declaration_is_found() {
        let page = b"<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=big5\"></head>";
        assert_eq!(prescan_meta_charset(page).as_deref(), Some("big5"));
    }

    #[test]
    fn declaration_in_comment_is_ignored() {
        let page = b"<!-- <meta charset=big5> --><meta charset=utf-8>";
        assert_eq!(prescan_meta_charset(page).as_deref(), Some("utf-8"));
    }

    #[test]
    fn lying_big5_declaration_on_utf8_page_is_overridden() {
        let body = "臺灣新聞：行政院今天宣布，明年起調整基本工資。".repeat(20);
        let page = format!("<meta charset=\"big5\"><p>{body}</p>");
        let d = decode_html(page.as_bytes(), None, None);
        assert_eq!(d.declared.as_deref(), Some("big5"));
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("行政院今天宣布"));
    }

    #[test]
    fn lying_utf8_declaration_on_gbk_page_is_overridden() {
        let body = "新华社北京电，国务院总理今天在人民大会堂会见了来访的外国客人。".repeat(10);
        let page = format!("<meta charset=\"utf-8\"><p>{body}</p>");
        let (bytes, _, _) = GBK.encode(&page);
        let d = decode_html(&bytes, None, None);
        assert_eq!(d.source, EncodingSource::Guessed);
        assert!(
            d.text.contains("国务院总理"),
            "decoded as {}",
            d.encoding.name()
        );
    }

    #[test]
    fn undeclared_big5_is_guessed() {
        let body = "中央社記者台北22日電，行政院長今天表示，政府將持續推動經濟發展與社會福利政策。"
            .repeat(10);
        let page = format!("<p>{body}</p>");
        let (bytes, _, _) = BIG5.encode(&page);
        let d = decode_html(&bytes, None, Some("https://www.cna.com.tw/news/1.aspx"));
        assert_eq!(d.encoding, BIG5);
        assert!(d.text.contains("行政院長"));
    }

    #[test]
    fn bom_wins() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=gbk>中文".as_bytes());
        let d = decode_html(&bytes, None, None);
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.source, EncodingSource::Bom);
        assert!(d.text.ends_with("中文"));
    }

    #[test]
    fn binary_junk_does_not_panic() {
        let junk: Vec<u8> = (0..100_000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let d = decode_html(&junk, Some("no-such-charset"), None);
        assert!(!d.text.is_empty());
    }
}
