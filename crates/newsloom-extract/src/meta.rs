//! Page metadata: title, publication time, authors, site name, canonical URL, language.
//!
//! Evidence is gathered from everything a page may carry (OpenGraph and `article:*` meta tags,
//! `name=author`/`pubdate`-style meta tags, JSON-LD `NewsArticle`/`BlogPosting`, `<time
//! datetime>`, the `<title>` and `<h1>`) and then ranked; visible date strings in the text
//! (`2019年06月15日08:18`, `2024-11-05 12:36`) are the last resort, looked up by the page
//! extractor near the headline.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use newsloom_model::Precision;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::sync::LazyLock;

/// Metadata read from the `<head>` and structured data of a page.
#[derive(Debug, Clone, Default)]
pub struct PageMeta {
    pub og_title: Option<String>,
    pub jsonld_headline: Option<String>,
    pub html_title: Option<String>,
    /// Text of the `<h1>` elements, in document order.
    pub h1: Vec<String>,
    pub site_name: Option<String>,
    pub published: Option<(DateTime<FixedOffset>, Precision)>,
    /// The last-modified time the page states (`article:modified_time`, `dateUpdate`, …): a
    /// stand-in for the publication time when a page gives nothing better.
    pub modified: Option<(DateTime<FixedOffset>, Precision)>,
    pub authors: Vec<String>,
    pub canonical_url: Option<String>,
    pub language: Option<String>,
    pub description: Option<String>,
    /// `og:type` (`article`, `website`, …).
    pub og_type: Option<String>,
    /// `@type` values of the JSON-LD objects (`NewsArticle`, `BlogPosting`, `WebPage`, …).
    pub jsonld_types: Vec<String>,
}

macro_rules! sel {
    ($name:ident, $css:expr) => {
        static $name: LazyLock<Selector> = LazyLock::new(|| {
            Selector::parse($css).unwrap_or_else(|_| unreachable!("valid selector"))
        });
    };
}

sel!(META, "meta");
sel!(TITLE, "title");
sel!(H1, "h1");
sel!(LINK_CANONICAL, "link[rel=canonical]");
sel!(JSONLD, "script[type=\"application/ld+json\"]");
sel!(TIME, "time[datetime], [itemprop=datePublished]");
sel!(HTML_EL, "html");

/// Meta tag names that carry the publication time, best first.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish_date",
    "pubdate",
    "pub_date",
    "publishtime",
    "publish-time",
    "dc.date.issued",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
    "og:release_date",
    "weibo:article:create_at",
    "created",
    "date",
    "firstpublishedtime",
];

/// Meta tag names that carry the last-modified time.
const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dateupdate",
    "lastmodifiedtime",
    "last-modified",
    "weibo:article:update_at",
];

/// Reads the page's metadata.
pub fn read_meta(doc: &Html) -> PageMeta {
    let mut m = PageMeta::default();
    let mut modified = None;
    let mut published_by_key: Vec<(usize, (DateTime<FixedOffset>, Precision))> = Vec::new();
    for el in doc.select(&META) {
        let v = el.value();
        let key = v
            .attr("property")
            .or_else(|| v.attr("name"))
            .or_else(|| v.attr("itemprop"))
            .or_else(|| v.attr("http-equiv"))
            .map(|k| k.trim().to_ascii_lowercase());
        let (Some(key), Some(content)) = (key, v.attr("content")) else {
            continue;
        };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        match key.as_str() {
            "og:title" | "twitter:title" if m.og_title.is_none() => {
                m.og_title = Some(clean_ws(content))
            }
            "og:site_name" | "application-name" if m.site_name.is_none() => {
                m.site_name = Some(clean_ws(content))
            }
            "og:type" => m.og_type = Some(content.to_ascii_lowercase()),
            "og:url" if m.canonical_url.is_none() => m.canonical_url = Some(content.to_string()),
            "description" | "og:description" if m.description.is_none() => {
                m.description = Some(clean_ws(content))
            }
            "author" | "article:author" | "dc.creator" | "byl" | "sailthru.author" => {
                push_authors(&mut m.authors, content)
            }
            "content-language" | "og:locale" | "language" if m.language.is_none() => {
                m.language = normalize_lang(content)
            }
            _ => {}
        }
        if modified.is_none() && MODIFIED_KEYS.contains(&key.as_str()) {
            modified = parse_date(content);
        }
        if let Some(rank) = PUBLISHED_KEYS.iter().position(|k| *k == key)
            && let Some(t) = parse_date(content)
        {
            published_by_key.push((rank, t));
        }
    }
    published_by_key.sort_by_key(|(rank, _)| *rank);
    m.modified = modified;
    let meta_published = published_by_key.into_iter().next().map(|(_, t)| t);

    if let Some(el) = doc.select(&LINK_CANONICAL).next()
        && let Some(href) = el
            .value()
            .attr("href")
            .map(str::trim)
            .filter(|h| !h.is_empty())
    {
        m.canonical_url = Some(href.to_string());
    }
    if let Some(html) = doc.select(&HTML_EL).next()
        && let Some(lang) = html.value().attr("lang").and_then(normalize_lang)
    {
        // `<html lang="en">` on a Chinese page is common template noise; the page
        // extractor overrides it from the text's script.
        m.language = Some(lang);
    }
    m.html_title = doc
        .select(&TITLE)
        .next()
        .map(|t| clean_ws(&text_of(t)))
        .filter(|t| !t.is_empty());
    m.h1 = doc
        .select(&H1)
        .map(|h| clean_ws(&text_of(h)))
        .filter(|t| !t.is_empty())
        .collect();

    let mut jsonld_published = None;
    for script in doc.select(&JSONLD) {
        let raw = text_of(script);
        let Ok(value) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        read_jsonld(&value, &mut m, &mut jsonld_published, 0);
    }

    let time_published = doc.select(&TIME).find_map(|t| {
        let v = t.value();
        v.attr("datetime")
            .or_else(|| v.attr("content"))
            .and_then(parse_date)
            .or_else(|| {
                let s = text_of(t);
                find_date_in_text(&s)
            })
    });

    // Structured data first: JSON-LD and meta tags are written for machines; <time> may be
    // a comment's or a related item's.
    m.published = jsonld_published.or(meta_published).or(time_published);
    m.authors.dedup();
    m
}

fn read_jsonld(
    v: &Value,
    m: &mut PageMeta,
    published: &mut Option<(DateTime<FixedOffset>, Precision)>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items {
                read_jsonld(item, m, published, depth + 1);
            }
        }
        Value::Object(map) => {
            if let Some(graph) = map.get("@graph") {
                read_jsonld(graph, m, published, depth + 1);
            }
            let types: Vec<String> = match map.get("@type") {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect(),
                _ => vec![],
            };
            let is_article = types
                .iter()
                .any(|t| t.ends_with("Article") || t == "BlogPosting" || t == "Report");
            m.jsonld_types.extend(types);
            if !is_article {
                return;
            }
            if m.jsonld_headline.is_none()
                && let Some(h) = map.get("headline").and_then(Value::as_str)
            {
                m.jsonld_headline = Some(clean_ws(h));
            }
            if published.is_none() {
                *published = map
                    .get("datePublished")
                    .and_then(Value::as_str)
                    .and_then(parse_date);
            }
            if let Some(author) = map.get("author") {
                collect_jsonld_authors(author, &mut m.authors);
            }
        }
        _ => {}
    }
}

fn collect_jsonld_authors(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => push_authors(out, s),
        Value::Array(a) => a.iter().for_each(|x| collect_jsonld_authors(x, out)),
        Value::Object(o) => {
            if let Some(name) = o.get("name").and_then(Value::as_str) {
                push_authors(out, name);
            }
        }
        _ => {}
    }
}

/// Splits an author field (`甲、乙`, `A, B and C`) into names, skipping URLs and outlets.
fn push_authors(out: &mut Vec<String>, raw: &str) {
    let raw = clean_ws(raw);
    if raw.starts_with("http") || raw.chars().count() > 80 {
        return;
    }
    for part in raw
        .split(['、', ',', '，', ';', '；', '/'])
        .flat_map(|p| p.split(" and "))
    {
        let name = part.trim();
        if !name.is_empty() && !out.iter().any(|a| a == name) {
            out.push(name.to_string());
        }
    }
}

fn normalize_lang(raw: &str) -> Option<String> {
    let primary = raw
        .trim()
        .split(['-', '_', ',', ';'])
        .next()?
        .trim()
        .to_ascii_lowercase();
    if primary.len() >= 2 && primary.len() <= 3 && primary.chars().all(|c| c.is_ascii_alphabetic())
    {
        Some(primary)
    } else {
        None
    }
}

/// The text of an element, descendants concatenated.
pub(crate) fn text_of(el: ElementRef<'_>) -> String {
    el.text().collect()
}

/// Collapses runs of whitespace (including full-width spaces) to one space and trims.
pub fn clean_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// China, Hong Kong and Taiwan time: the default when a page gives a time without an offset.
fn default_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!("valid offset"))
}

static ISO_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<y>(?:19|20)\d{2}) \s* (?:[-/.]|年) \s* (?P<mo>\d{1,2}) \s* (?:[-/.]|月) \s* (?P<d>\d{1,2}) \s* 日?
        (?: (?:\s*|T|\s*[日]?\s*) (?P<h>\d{1,2}) \s* [:：时時] \s* (?P<mi>\d{2}) (?: \s* [:：分] \s* (?P<s>\d{2}) (?:\.\d+)? )? 分?
            \s* (?P<tz> Z | [+-]\d{2}:?\d{2} )? )?",
    )
    .unwrap_or_else(|_| unreachable!("valid regex"))
});

/// Parses a date or date-time as pages write them: RFC 3339 / ISO 8601 (with or without
/// offset), RFC 2822, `2024-11-05 12:36`, `2024/11/05`, `2019年06月15日08:18`,
/// `2019年6月15日 08:18:33`, a Unix timestamp (seconds or milliseconds). Times without an
/// offset are taken as UTC+8.
pub fn parse_date(raw: &str) -> Option<(DateTime<FixedOffset>, Precision)> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some((t, Precision::Second));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some((t, Precision::Second));
    }
    if s.len() >= 10 && s.len() <= 13 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        let secs = if s.len() == 13 { n / 1000 } else { n };
        let t = DateTime::from_timestamp(secs, 0)?;
        // Plausible news dates only: a 10-digit number can also be a phone number or an id.
        if t.timestamp() < 631_152_000 || t.timestamp() > 4_102_444_800 {
            return None;
        }
        return Some((t.with_timezone(&default_offset()), Precision::Second));
    }
    let caps = ISO_LIKE.captures(s)?;
    // Only accept when the match starts the string: meta content is a date, not prose.
    if caps.get(0)?.start() > 3 {
        return None;
    }
    date_from_caps(&caps)
}

fn date_from_caps(caps: &regex::Captures<'_>) -> Option<(DateTime<FixedOffset>, Precision)> {
    let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let y = caps.name("y")?.as_str().parse::<i32>().ok()?;
    let date = NaiveDate::from_ymd_opt(y, num("mo")?, num("d")?)?;
    let (time, precision) = match (num("h"), num("mi")) {
        (Some(h), Some(mi)) => match num("s") {
            Some(sec) => (NaiveTime::from_hms_opt(h, mi, sec)?, Precision::Second),
            None => (NaiveTime::from_hms_opt(h, mi, 0)?, Precision::Minute),
        },
        _ => (NaiveTime::MIN, Precision::Date),
    };
    let offset = match caps.name("tz").map(|m| m.as_str()) {
        Some("Z") => FixedOffset::east_opt(0)?,
        Some(tz) => parse_offset(tz)?,
        None => default_offset(),
    };
    let t = offset
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()?;
    Some((t, precision))
}

fn parse_offset(tz: &str) -> Option<FixedOffset> {
    let sign = if tz.starts_with('-') { -1 } else { 1 };
    let digits: String = tz.chars().filter(char::is_ascii_digit).collect();
    let h: i32 = digits.get(..2)?.parse().ok()?;
    let m: i32 = digits.get(2..4)?.parse().ok()?;
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Finds the first plausible date written in running text (e.g. a byline line
/// `2019年06月15日08:18 来源：…`, `发布时间：2024-11-05 12:36`).
pub fn find_date_in_text(text: &str) -> Option<(DateTime<FixedOffset>, Precision)> {
    ISO_LIKE
        .captures_iter(text)
        .find_map(|c| date_from_caps(&c))
}

/// All dates written in `text`, with their byte offsets.
pub fn dates_in_text(text: &str) -> Vec<(usize, (DateTime<FixedOffset>, Precision))> {
    ISO_LIKE
        .captures_iter(text)
        .filter_map(|c| Some((c.get(0)?.start(), date_from_caps(&c)?)))
        .collect()
}

/// Separators between a headline and the site name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", "|", "_", " - ", " – ", " — ", "——", "--", "-", "｜", " · ",
];

/// Removes a site-name suffix (` | 零新聞 2024.11`, `_网易新闻`, `-新浪新闻`,
/// `_凤凰网资讯_凤凰网`) from a `<title>`.
///
/// Uses the `<h1>` and `og:title` when they are a prefix of the title (the safest cut);
/// otherwise cuts at the first separator whose tail looks like a site name (it names
/// `site_name`, or contains 网/新闻/报/News, or is short), never cutting into a headline.
pub fn strip_site_suffix(title: &str, site_name: Option<&str>, hints: &[&str]) -> String {
    let title = clean_ws(title);
    for hint in hints {
        let hint = clean_ws(hint);
        if hint.chars().count() >= 4 && title.starts_with(&hint) && hint.len() < title.len() {
            let tail = title.get(hint.len()..).unwrap_or_default();
            if tail
                .trim_start()
                .starts_with(|c: char| "|_-–—｜·:".contains(c))
            {
                return hint;
            }
        }
    }
    let mut best = title.clone();
    // Repeatedly cut the last segment while it looks like a site name.
    while let Some((head, tail)) = last_split(&best) {
        if head.chars().count() < 4 || !looks_like_site(tail, site_name) {
            break;
        }
        best = head.trim().to_string();
    }
    best
}

fn last_split(s: &str) -> Option<(&str, &str)> {
    TITLE_SEPARATORS
        .iter()
        .filter_map(|sep| s.rfind(sep).map(|i| (i, sep.len())))
        .max_by_key(|(i, _)| *i)
        .and_then(|(i, len)| Some((s.get(..i)?, s.get(i + len..)?.trim())))
}

fn looks_like_site(tail: &str, site_name: Option<&str>) -> bool {
    if tail.is_empty() {
        return true;
    }
    if let Some(site) = site_name {
        let site = site.trim();
        if !site.is_empty() && (tail.contains(site) || site.contains(tail)) {
            return true;
        }
    }
    let lower = tail.to_lowercase();
    let n = tail.chars().count();
    let siteish = [
        "网",
        "網",
        "新闻",
        "新聞",
        "报",
        "報",
        "频道",
        "頻道",
        "中心",
        "官网",
        "news",
        ".com",
        ".cn",
        "times",
        "daily",
        "the paper",
        "日报",
        "在线",
        "资讯",
        "首页",
        "财经",
        "時報",
        "时报",
        "传媒",
        "设计",
        "星空",
    ];
    n <= 30 && (siteish.iter().any(|s| lower.contains(s)) || n <= 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymdhm(s: &str) -> String {
        parse_date(s)
            .map(|(t, p)| format!("{} {:?}", t.to_rfc3339(), p))
            .unwrap_or_default()
    }

    #[test]
    fn parses_common_forms() {
        assert_eq!(
            ymdhm("2024-11-23T11:34:03+08:00"),
            "2024-11-23T11:34:03+08:00 Second"
        );
        assert_eq!(
            ymdhm("2024-11-05 12:36"),
            "2024-11-05T12:36:00+08:00 Minute"
        );
        assert_eq!(ymdhm("2024/11/05"), "2024-11-05T00:00:00+08:00 Date");
        assert_eq!(
            ymdhm("2019年06月15日08:18"),
            "2019-06-15T08:18:00+08:00 Minute"
        );
        assert_eq!(
            ymdhm("2019年6月5日 08:18:09"),
            "2019-06-05T08:18:09+08:00 Second"
        );
        assert_eq!(
            ymdhm("2024-11-23T09:56:43.253Z"),
            "2024-11-23T09:56:43.253+00:00 Second"
        );
        assert_eq!(
            ymdhm("Fri, 22 Nov 2024 10:00:00 +0000"),
            "2024-11-22T10:00:00+00:00 Second"
        );
        assert_eq!(
            ymdhm("2024-11-27 12:30:38"),
            "2024-11-27T12:30:38+08:00 Second"
        );
        assert_eq!(ymdhm("not a date"), "");
        assert_eq!(ymdhm("2024-13-45"), "");
    }

    #[test]
    fn finds_date_in_byline_text() {
        let (t, p) = find_date_in_text("来源：新华网 发布时间：2019年06月15日 08:18 编辑：张三")
            .unwrap_or_else(|| panic!("no date"));
        assert_eq!(t.to_rfc3339(), "2019-06-15T08:18:00+08:00");
        assert_eq!(p, Precision::Minute);
    }

    #[test]
    fn strips_site_suffixes() {
        assert_eq!(
            strip_site_suffix(
                "避險基金經理人班森特 獲川普提名 | 零新聞 2024.11",
                Some("零新聞 2024.11"),
                &[]
            ),
            "避險基金經理人班森特 獲川普提名"
        );
        assert_eq!(
            strip_site_suffix("姚明对周琦说了啥？周琦上下半场判若两人_网易新闻", None, &[]),
            "姚明对周琦说了啥？周琦上下半场判若两人"
        );
        assert_eq!(
            strip_site_suffix("女童眼睛被塞几十片纸_凤凰网资讯_凤凰网", None, &[]),
            "女童眼睛被塞几十片纸"
        );
        assert_eq!(
            strip_site_suffix("某地发生地震-新浪新闻", None, &[]),
            "某地发生地震"
        );
        // A hyphen inside the headline stays.
        assert_eq!(
            strip_site_suffix("华为Mate20X 5G版半天不到需充电", None, &[]),
            "华为Mate20X 5G版半天不到需充电"
        );
        assert_eq!(
            strip_site_suffix(
                "共享充电宝涨价_10%公司_澎湃新闻-The Paper",
                None,
                &["共享充电宝涨价"]
            ),
            "共享充电宝涨价"
        );
    }

    #[test]
    fn reads_jsonld_and_meta() {
        let html = r#"<html lang="zh-CN"><head><title>标题 | 站点</title>
            <meta property="og:site_name" content="站点">
            <meta name="author" content="张三、李四">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"标题","datePublished":"2024-11-05T12:36:00+08:00","author":[{"@type":"Person","name":"王五"}]}</script>
            </head><body><h1>标题</h1></body></html>"#;
        let m = read_meta(&Html::parse_document(html));
        assert_eq!(m.jsonld_headline.as_deref(), Some("标题"));
        assert_eq!(m.authors, vec!["张三", "李四", "王五"]);
        assert_eq!(m.language.as_deref(), Some("zh"));
        assert_eq!(
            m.published.map(|p| p.0.to_rfc3339()).as_deref(),
            Some("2024-11-05T12:36:00+08:00")
        );
    }
}
