//! Dates in text, resolved to absolute dates against the article's own publication date.
//!
//! `2月22日`, `22日`, `上周六`, `星期三`, `今天`, `二零二零年一月二十一日`, `去年12月`. Relative
//! dates are read in the outlet's local time: the publication offset when it is not UTC, else
//! +08:00 (the Chinese-language outlets newsloom reads publish from Taipei, Hong Kong and
//! Beijing time, and feeds that say UTC usually just normalized the time).

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset};
use regex::Regex;
use serde::Serialize;

use crate::Sentence;
use crate::numerals::parse_number;

/// A date mentioned in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateMention {
    /// The words as written (`上周六`, `2月22日`).
    pub text: String,
    /// ISO date: `YYYY-MM-DD`, or `YYYY-MM` when the text names only a month.
    pub date: String,
}

/// The offset relative dates of an article are read in: its publication offset, or +08:00
/// when that is UTC (or missing).
pub fn local_offset(published: Option<&DateTime<FixedOffset>>) -> FixedOffset {
    match published {
        Some(p) if p.offset().local_minus_utc() != 0 => *p.offset(),
        _ => FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix()),
    }
}

const CN_DIGITS: &str = "〇零一二三四五六七八九十两";

fn date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let n = format!("[{CN_DIGITS}]");
        let pattern = format!(
            concat!(
                // 1: year? month day
                r"(?P<ymd>(?:(?P<y>\d{{4}}|{n}{{4}})年|(?P<ry>今年|去年|前年|明年))?(?P<m>\d{{1,2}}|{n}{{1,3}})月(?P<d>\d{{1,2}}|{n}{{1,3}})[日号號])",
                // 2: year + month (no day)
                r"|(?P<ym>(?:(?P<y2>\d{{4}}|{n}{{4}})年|(?P<ry2>今年|去年|前年|明年))(?P<m2>\d{{1,2}}|{n}{{1,3}})月)",
                // 2b: day of last / this / next month
                r"|(?P<rmd>(?P<rm>上个|上個|上|本|这个|這個|下个|下個|下)月(?P<rmday>\d{{1,2}}|{n}{{1,3}})[日号號])",
                // 3: relative week day
                r"|(?P<wk>(?P<wrel>上上|上|本|这|這|下)(?:个|個)?(?:周|週|星期|礼拜|禮拜)(?P<wd>[一二三四五六日天]))",
                // 4: bare week day
                r"|(?P<bw>(?:星期|礼拜|禮拜|周|週)(?P<bwd>[一二三四五六日天]))",
                // 5: relative day words
                r"|(?P<rd>今天|今日|昨天|昨日|前天|明天|明日|后天|後天)",
                // 6: day of month alone
                r"|(?P<dd>(?P<d3>\d{{1,2}}|{n}{{2,3}})[日号號])",
            ),
            n = n
        );
        Regex::new(&pattern).expect("constant date regex compiles")
    })
}

fn number(s: &str) -> Option<u32> {
    if let Ok(v) = s.parse::<u32>() {
        return Some(v);
    }
    let chars: Vec<char> = s.chars().collect();
    parse_number(&chars).and_then(|v| u32::try_from(v).ok())
}

fn weekday_index(c: &str) -> Option<i64> {
    Some(match c {
        "一" => 0,
        "二" => 1,
        "三" => 2,
        "四" => 3,
        "五" => 4,
        "六" => 5,
        "日" | "天" => 6,
        _ => return None,
    })
}

/// Resolves the dates in `sentences` of an article.
pub(crate) fn find_dates(
    article: &newsloom_model::Article,
    sentences: &[Sentence],
) -> Vec<DateMention> {
    let reference = article
        .published
        .as_ref()
        .map(|p| p.with_timezone(&local_offset(Some(p))).date_naive());
    let mut out = Vec::new();
    for s in sentences {
        out.extend(dates_in(&s.text, reference));
    }
    out
}

/// Finds and resolves dates in one text; `reference` is the article's local publication date.
/// Without a reference only dates that carry their year resolve.
pub fn dates_in(text: &str, reference: Option<NaiveDate>) -> Vec<DateMention> {
    // Width-fold digits one to one so `２２日` reads as `22日`; positions stay char-aligned.
    let original: Vec<char> = text.chars().collect();
    let light: String = original
        .iter()
        .map(|&c| crate::fold::fold_char(c).unwrap_or(' '))
        .collect();
    let mut out = Vec::new();
    for caps in date_regex().captures_iter(&light) {
        let Some(all) = caps.get(0) else { continue };
        // 日 right after a digit-less context: skip 日本, 日期 etc. only for day-alone matches.
        let start_char = light
            .get(..all.start())
            .map(|s| s.chars().count())
            .unwrap_or(0);
        let len = all.as_str().chars().count();
        let text_span: String = original
            .get(start_char..start_char + len)
            .unwrap_or_default()
            .iter()
            .collect();
        if let Some(date) = resolve(&caps, &light, all.end(), reference) {
            out.push(DateMention {
                text: text_span,
                date,
            });
        }
    }
    out
}

fn resolve(
    caps: &regex::Captures<'_>,
    light: &str,
    end: usize,
    reference: Option<NaiveDate>,
) -> Option<String> {
    let ymd = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
    };
    let rel_year = |r: &str, refd: NaiveDate| -> i32 {
        refd.year()
            + match r {
                "去年" => -1,
                "前年" => -2,
                "明年" => 1,
                _ => 0,
            }
    };
    if caps.name("ymd").is_some() {
        let m = number(caps.name("m")?.as_str())?;
        let d = number(caps.name("d")?.as_str())?;
        if let Some(y) = caps.name("y") {
            let y = i32::try_from(number(y.as_str())?).ok()?;
            return ymd(y, m, d);
        }
        let refd = reference?;
        if let Some(r) = caps.name("ry") {
            return ymd(rel_year(r.as_str(), refd), m, d);
        }
        // No year: the reference year, unless that puts it well after publication.
        let same = NaiveDate::from_ymd_opt(refd.year(), m, d)?;
        let y = if same > refd + Duration::days(60) {
            refd.year() - 1
        } else {
            refd.year()
        };
        return ymd(y, m, d);
    }
    if caps.name("ym").is_some() {
        let m = number(caps.name("m2")?.as_str())?;
        if !(1..=12).contains(&m) {
            return None;
        }
        let y = match (caps.name("y2"), caps.name("ry2")) {
            (Some(y), _) => i32::try_from(number(y.as_str())?).ok()?,
            (None, Some(r)) => rel_year(r.as_str(), reference?),
            _ => return None,
        };
        return Some(format!("{y:04}-{m:02}"));
    }
    let refd = reference?;
    let monday = refd - Duration::days(i64::from(refd.weekday().num_days_from_monday()));
    if caps.name("rmd").is_some() {
        let d = number(caps.name("rmday")?.as_str())?;
        let first = refd.with_day(1)?;
        let month_start = match caps.name("rm")?.as_str() {
            "上" | "上个" | "上個" => (first - Duration::days(1)).with_day(1)?,
            "下" | "下个" | "下個" => (first + Duration::days(32)).with_day(1)?,
            _ => first,
        };
        return ymd(month_start.year(), month_start.month(), d);
    }
    if caps.name("wk").is_some() {
        let wd = weekday_index(caps.name("wd")?.as_str())?;
        let weeks = match caps.name("wrel")?.as_str() {
            "上上" => -2,
            "上" => -1,
            "下" => 1,
            _ => 0,
        };
        return Some(
            (monday + Duration::days(weeks * 7 + wd))
                .format("%Y-%m-%d")
                .to_string(),
        );
    }
    if caps.name("bw").is_some() {
        // A bare week day is the latest such day on or before publication: news reports
        // what happened (星期三（2月22日）in a Thursday-morning article is yesterday).
        let wd = weekday_index(caps.name("bwd")?.as_str())?;
        let today = i64::from(refd.weekday().num_days_from_monday());
        let back = (today - wd).rem_euclid(7);
        return Some((refd - Duration::days(back)).format("%Y-%m-%d").to_string());
    }
    if let Some(r) = caps.name("rd") {
        let delta = match r.as_str() {
            "今天" | "今日" => 0,
            "昨天" | "昨日" => -1,
            "前天" => -2,
            "明天" | "明日" => 1,
            _ => 2,
        };
        return Some(
            (refd + Duration::days(delta))
                .format("%Y-%m-%d")
                .to_string(),
        );
    }
    if caps.name("dd").is_some() {
        // 日本, 日期: a day number must not run into a word.
        if light
            .get(end..)
            .and_then(|s| s.chars().next())
            .is_some_and(|c| matches!(c, '本' | '期' | '报' | '報' | '圆' | '圓' | '元'))
        {
            return None;
        }
        let d = number(caps.name("d3")?.as_str())?;
        if !(1..=31).contains(&d) {
            return None;
        }
        // A day after today by more than ten days is last month's.
        let (y, m) = if i64::from(d) - i64::from(refd.day()) > 10 {
            let prev = refd.with_day(1)? - Duration::days(1);
            (prev.year(), prev.month())
        } else {
            (refd.year(), refd.month())
        };
        return ymd(y, m, d);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(text: &str, y: i32, m: u32, d: u32) -> Vec<(String, String)> {
        dates_in(text, NaiveDate::from_ymd_opt(y, m, d))
            .into_iter()
            .map(|x| (x.text, x.date))
            .collect()
    }

    #[test]
    fn resolves_common_forms() {
        let r = on("星期三（2月22日）在莫斯科，布林肯上周六会晤", 2023, 2, 23);
        assert_eq!(
            r,
            vec![
                ("星期三".into(), "2023-02-22".into()),
                ("2月22日".into(), "2023-02-22".into()),
                ("上周六".into(), "2023-02-18".into())
            ]
        );
        assert_eq!(
            on("二零二零年一月二十一日", 2024, 5, 1),
            vec![("二零二零年一月二十一日".into(), "2020-01-21".into())]
        );
        assert_eq!(
            on("去年12月曾举行", 2023, 2, 22),
            vec![("去年12月".into(), "2022-12".into())]
        );
        assert_eq!(
            on("（中央社台北22日電）今天", 2023, 2, 22),
            vec![
                ("22日".into(), "2023-02-22".into()),
                ("今天".into(), "2023-02-22".into())
            ]
        );
        assert_eq!(
            on("30日", 2024, 12, 2),
            vec![("30日".into(), "2024-11-30".into())]
        );
        assert_eq!(
            on("12月30日", 2025, 1, 2),
            vec![("12月30日".into(), "2024-12-30".into())]
        );
        assert!(on("日本首相", 2024, 1, 1).is_empty());
    }

    #[test]
    fn days_of_relative_months() {
        assert_eq!(
            on("她於上月24日再度入院", 2024, 11, 7),
            vec![("上月24日".into(), "2024-10-24".into())]
        );
        assert_eq!(
            on("下個月3日", 2024, 12, 20),
            vec![("下個月3日".into(), "2025-01-03".into())]
        );
    }

    #[test]
    fn offset_rule() {
        let utc = DateTime::parse_from_rfc3339("2023-02-22T18:04:07Z").ok();
        assert_eq!(local_offset(utc.as_ref()).local_minus_utc(), 8 * 3600);
        let tw = DateTime::parse_from_rfc3339("2024-11-23T11:34:03+09:00").ok();
        assert_eq!(local_offset(tw.as_ref()).local_minus_utc(), 9 * 3600);
    }
}
