//! What a reader found, before it becomes an [`Article`]: every reader fills a [`Draft`], and
//! [`Draft::into_article`] is the one place where outlet, time, bylines, script and id are
//! decided, so that all formats follow the same rules.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use newsloom_extract::boilerplate::{Cleaned, clean_blocks};
use newsloom_extract::byline::{Byline, LeadDate, parse_lead};
use newsloom_extract::outlet::{self, Outlet};
use newsloom_model::{
    Article, Block, Format, Image, Link, Precision, Script, Source, article_id, detect_script,
};
use regex::Regex;
use std::sync::LazyLock;

/// A publication time and how precise the source was about it.
pub type Stamp = (DateTime<FixedOffset>, Precision);

#[derive(Debug, Default, Clone)]
pub struct Draft {
    pub path: String,
    pub format: Option<Format>,
    pub title: String,
    pub url: Option<String>,
    pub mirror_url: Option<String>,
    /// A time from metadata (front matter, feed, `<i>` date, meta tags): trusted first.
    pub published: Option<Stamp>,
    /// A weaker time (mirror's epoch stamp, file name date) used when nothing else says.
    pub fallback_time: Option<Stamp>,
    /// An outlet name from metadata (`author: (臺)中央社CNA`, feed title).
    pub outlet_hint: Option<String>,
    pub authors: Vec<String>,
    pub editors: Vec<String>,
    pub body: Vec<Block>,
    pub images: Vec<Image>,
    pub related: Vec<Link>,
    pub language: Option<String>,
    /// Set by readers whose extractor already removed boilerplate and lifted bylines (the
    /// HTML page extractor), so the body is not cleaned a second time.
    pub body_is_clean: bool,
    /// The dateline such an extractor found.
    pub dateline: Option<String>,
}

/// Beijing and Taipei time: the zone of dates Chinese-language leads give without one.
fn east8() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

/// Title suffixes that mark photos: `(图)`, `（组图）`, `(視頻)`.
static TITLE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[（(](?:组图|組圖|图|圖|多图|多圖|视频|視頻|图集|圖集|图文|圖文)[)）]\s*$")
        .expect("static regex")
});

/// A date in a URL path: `/2023/02/23/`, `/2023-02-23/`, or compact `/20230222…`.
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})(?:[/-](\d{1,2})[/-](\d{1,2})(?:[/._-]|$)|(\d{2})(\d{2})\d*(?:[/._-]|$))")
        .expect("static regex")
});

impl Draft {
    /// Cleans the body, resolves outlet, time and bylines, and builds the article.
    pub fn into_article(mut self) -> Article {
        self.demote_aggregator_url();
        let cleaned = self.cleaned_body();
        let byline = cleaned.byline;
        let outlet = self.resolve_outlet(&byline);
        let (published, precision) = match self.resolve_time(&byline) {
            Some((t, p)) => (Some(t), Some(p)),
            None => (None, None),
        };
        // One spacing for every reader: the page extractor's (runs of spaces, full-width
        // ones too, are one space), so a feed's title equals its page's. An article without
        // a URL is named after its title as it was spaced before, so that stores keep its id.
        let title = TITLE_SUFFIX
            .replace(&newsloom_extract::meta::clean_ws(&self.title), "")
            .into_owned();
        let id_title = TITLE_SUFFIX.replace(self.title.trim(), "");
        let mut authors = self.authors;
        push_unique(&mut authors, byline.authors);
        authors.retain(|a| outlet::by_name(a).is_none_or(|o| o.id != outlet.id));
        let base = self
            .url
            .as_deref()
            .or(self.mirror_url.as_deref())
            .and_then(|u| url::Url::parse(u).ok());
        let images = absolute_images(self.images, base.as_ref());
        let related = absolute_links(self.related, base.as_ref());
        let mut editors = self.editors;
        push_unique(&mut editors, byline.editors);
        let script = detect_script(&format!("{title}{}", sample_text(&cleaned.blocks)));
        let language = self
            .language
            .unwrap_or_else(|| language_of(script).to_string());
        let id = article_id(
            self.url.as_deref(),
            self.mirror_url.as_deref(),
            &outlet.id,
            published.as_ref(),
            &id_title,
        );
        Article {
            id,
            source: Source {
                path: self.path,
                format: self.format.unwrap_or(Format::Html),
            },
            outlet: outlet.name,
            outlet_id: outlet.id,
            url: self.url,
            mirror_url: self.mirror_url,
            title,
            published,
            published_precision: precision,
            authors,
            editors,
            dateline: byline.dateline,
            script,
            language,
            body: cleaned.blocks,
            images,
            related,
        }
    }

    /// The body without boilerplate and what its text says about authorship; cleaned here
    /// unless the reader's extractor already did it.
    fn cleaned_body(&mut self) -> Cleaned {
        let blocks = std::mem::take(&mut self.body);
        if !self.body_is_clean {
            return clean_blocks(blocks);
        }
        // The lead still names the outlet and the date (`（中央社台北22日電）`); reading it
        // changes no text.
        let mut byline = blocks
            .first()
            .and_then(|b| parse_lead(&b.text))
            .map(|(b, _)| b)
            .unwrap_or_default();
        byline.dateline = self.dateline.take().or(byline.dateline);
        Cleaned { blocks, byline }
    }

    /// A "source" URL on an aggregator (`…github.io/pen/2411/cna/…`) is where the article was
    /// mirrored, not the outlet's own URL: the outlet is known from the path, not the domain.
    fn demote_aggregator_url(&mut self) {
        let Some(url) = self.url.as_deref() else {
            return;
        };
        if outlet::by_url(url).is_none() && outlet::by_path(url).is_some() {
            self.mirror_url = self.mirror_url.take().or(self.url.take());
        }
    }

    fn resolve_outlet(&self, byline: &Byline) -> Outlet {
        self.url
            .as_deref()
            .and_then(outlet::by_url)
            .or_else(|| self.outlet_hint.as_deref().and_then(outlet::by_name))
            .or_else(|| byline.outlet.as_deref().and_then(outlet::by_name))
            .or_else(|| {
                [self.mirror_url.as_deref(), Some(self.path.as_str())]
                    .into_iter()
                    .flatten()
                    .find_map(outlet::by_path)
            })
            .or_else(|| self.unknown_outlet())
            .unwrap_or_else(|| Outlet {
                id: "unknown".into(),
                name: "unknown".into(),
            })
    }

    /// An outlet the registry does not know: the slug from its domain when there is a URL,
    /// the name from metadata when there is one.
    fn unknown_outlet(&self) -> Option<Outlet> {
        let hint = self
            .outlet_hint
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty());
        match (self.url.as_deref().and_then(outlet::unknown_domain), hint) {
            (Some(domain), Some(name)) => Some(Outlet {
                id: domain.id,
                name: name.to_string(),
            }),
            (Some(domain), None) => Some(domain),
            (None, Some(name)) => Some(Outlet {
                id: slug(name),
                name: name.to_string(),
            }),
            (None, None) => None,
        }
    }

    /// Metadata time first; then the lead's full date (`【看中国2023年2月23日讯】`, in
    /// Beijing time unless it says otherwise); then a date in the URL path; then the fallback.
    fn resolve_time(&self, byline: &Byline) -> Option<Stamp> {
        if let Some(stamp) = self.published {
            return Some(stamp);
        }
        if let Some(LeadDate::Full { date, offset }) = byline.date {
            return day_stamp(date, offset.unwrap_or_else(east8));
        }
        if let Some(date) = self.url.as_deref().and_then(date_in_url) {
            return day_stamp(date, east8());
        }
        self.fallback_time
    }
}

/// Pages link images and related articles relative to themselves; articles keep them absolute.
fn absolute(url: &str, base: Option<&url::Url>) -> String {
    match base.and_then(|b| b.join(url).ok()) {
        Some(joined) if !url.starts_with("http://") && !url.starts_with("https://") => {
            joined.to_string()
        }
        _ => url.to_string(),
    }
}

fn absolute_images(images: Vec<Image>, base: Option<&url::Url>) -> Vec<Image> {
    images
        .into_iter()
        .map(|i| Image {
            url: absolute(&i.url, base),
            ..i
        })
        .collect()
}

fn absolute_links(links: Vec<Link>, base: Option<&url::Url>) -> Vec<Link> {
    links
        .into_iter()
        .map(|l| Link {
            url: absolute(&l.url, base),
            ..l
        })
        .collect()
}

fn day_stamp(date: NaiveDate, offset: FixedOffset) -> Option<Stamp> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let t = offset.from_local_datetime(&midnight).single()?;
    Some((t, Precision::Date))
}

/// The date in an article URL's path, if it has one.
pub fn date_in_url(url: &str) -> Option<NaiveDate> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    URL_DATE.captures_iter(path).find_map(|c| {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (month, day) = match (num(2), num(3)) {
            (Some(m), Some(d)) => (m, d),
            _ => (num(4)?, num(5)?),
        };
        NaiveDate::from_ymd_opt(num(1)? as i32, month, day)
    })
}

fn push_unique(into: &mut Vec<String>, from: Vec<String>) {
    for name in from {
        if !into.contains(&name) {
            into.push(name);
        }
    }
}

/// The first few thousand characters: enough to tell the script, cheap on huge articles.
fn sample_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .flat_map(|b| b.text.chars())
        .take(3000)
        .collect()
}

fn language_of(script: Script) -> &'static str {
    match script {
        Script::Latin => "en",
        _ => "zh",
    }
}

/// A slug from a name: ASCII alphanumerics lowercased, others kept (ids may be Chinese).
pub fn slug(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !"()（）[]【】".contains(*c))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if s.is_empty() { "unknown".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_dates() {
        assert_eq!(
            date_in_url("https://www.ntdtv.com/gb/2023/02/04/a103642134.html"),
            NaiveDate::from_ymd_opt(2023, 2, 4)
        );
        assert_eq!(
            date_in_url("http://www.minghui.org/mh/articles/2018/7/23/x-371433.html"),
            NaiveDate::from_ymd_opt(2018, 7, 23)
        );
        assert_eq!(
            date_in_url("https://www.cna.com.tw/news/aopl/202302220400.aspx"),
            NaiveDate::from_ymd_opt(2023, 2, 22)
        );
        assert_eq!(
            date_in_url("https://www.voachinese.com/a/6974233.html"),
            None
        );
    }

    #[test]
    fn title_suffixes() {
        assert_eq!(
            TITLE_SUFFIX.replace("王毅访俄 莫斯科：没有商讨“北京和平方案”(图)", ""),
            "王毅访俄 莫斯科：没有商讨“北京和平方案”"
        );
        assert_eq!(TITLE_SUFFIX.replace("标题（组图）", ""), "标题");
    }
}
