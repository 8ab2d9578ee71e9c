//! Recurring reports: the market reports outlets publish every trading day, and the results
//! companies publish every quarter.
//!
//! `港股收市跌103點`, `日经指数收跌0.16%`, `人民幣兌美元中間價跌24點子`, `金價升近1%`. Their words
//! and shapes repeat every session and from one market to the next, so word overlap cannot
//! tell Tokyo's open from Taipei's, or today's close from yesterday's; what tells them apart is
//! the market they name and the session they report. This module recognizes such titles from a
//! table of markets (`data/markets.tsv`) and dates the session in the market's own time.
//!
//! Results headlines (`快手上季經調整盈利按年升24%`, `百度上季經調整盈利按年跌19%`) share their
//! template the same way; [`company_results`] reads the company off the title so that two
//! companies' results are not taken for one happening.
//!
//! Written by hand because it is domain knowledge, not text processing: no crate knows which
//! words name a market or which trading day a report belongs to.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The shipped table of market series.
const MARKETS_TSV: &str = include_str!("../data/markets.tsv");

/// Words that make a title about a market a report of its move: levels, directions and
/// sessions (`升`, `跌`, `收市`, `初段`, `中间价`), in simplified script.
const MOVE_WORDS: &[&str] = &[
    "升",
    "跌",
    "涨",
    "挫",
    "收市",
    "收报",
    "收盘",
    "高收",
    "低收",
    "收升",
    "收跌",
    "收涨",
    "高开",
    "低开",
    "平开",
    "开市",
    "早段",
    "初段",
    "半日",
    "午市",
    "尾市",
    "靠稳",
    "偏软",
    "回软",
    "造好",
    "反复",
    "变动",
    "回落",
    "反弹",
    "走高",
    "走低",
    "新高",
    "新低",
    "中间价",
    "报价",
    "加码",
    "净投放",
    "净回笼",
    "预托证券",
    // An open-market operation is itself the report (`人行开展3021亿元人民币逆回购操作`).
    "逆回购",
];

/// How far (characters) after a market's name a move word may start for a title that does not
/// open with the name (`受美股拖累日经指数下跌`: `日经指数` is followed by `下跌`).
const MOVE_REACH: usize = 2;

/// A recurring report: the series it belongs to and the trading session it reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecurringReport {
    /// The series id from the market table (`market:hk-equity`).
    pub series: String,
    /// The trading day, in the market's own time zone.
    pub session: NaiveDate,
}

impl RecurringReport {
    /// One key per series and session (`market:hk-equity/2024-11-20`): the reports of one
    /// market's one trading day share it.
    pub fn session_key(&self) -> String {
        format!("{}/{}", self.series, self.session)
    }
}

struct Market {
    series: String,
    offset: FixedOffset,
}

struct MarketTable {
    markets: Vec<Market>,
    /// One pattern per market name; `name_market[pattern]` is its market.
    names: AhoCorasick,
    name_market: Vec<usize>,
    moves: AhoCorasick,
}

fn table() -> Option<&'static MarketTable> {
    static TABLE: OnceLock<Option<MarketTable>> = OnceLock::new();
    TABLE.get_or_init(|| parse_table(MARKETS_TSV)).as_ref()
}

/// Parses the market table; `None` only if the automata cannot be built (a malformed shipped
/// table, caught by the tests).
fn parse_table(tsv: &str) -> Option<MarketTable> {
    let mut markets = Vec::new();
    let mut names = Vec::new();
    let mut name_market = Vec::new();
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.split('\t');
        let (Some(series), Some(offset), Some(list)) = (cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        let Some(offset) = offset
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|h| FixedOffset::east_opt(h * 3600))
        else {
            continue;
        };
        for name in list.split('|').map(str::trim).filter(|n| !n.is_empty()) {
            names.push(name.to_string());
            name_market.push(markets.len());
        }
        markets.push(Market {
            series: series.trim().to_string(),
            offset,
        });
    }
    let names = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(&names)
        .ok()?;
    let moves = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(MOVE_WORDS)
        .ok()?;
    Some(MarketTable {
        markets,
        names,
        name_market,
        moves,
    })
}

/// The recurring report a title announces, if any: `matching_title` is the title's matching
/// form, `published` the publication time (a report without one has no session).
///
/// A title is a market report when it names a market and a move: either it opens with the
/// market's name (after a bracketed tag such as `【快讯】` or a short `label:`) and has a move
/// word anywhere, or a move word follows the name within [`MOVE_REACH`] characters; of
/// several such names the last is the report's subject.
pub fn recurring_report(
    matching_title: &str,
    published: Option<DateTime<Utc>>,
) -> Option<RecurringReport> {
    let published = published?;
    let table = table()?;
    let title = strip_tag(matching_title);
    if !table.moves.is_match(title) {
        return None;
    }
    let mut mentions = table.names.find_iter(title).peekable();
    let opening = mentions.peek().filter(|m| m.start() == 0).copied();
    let market = match opening {
        Some(m) => m,
        // Otherwise the last market a move follows: the subject comes after what moved it
        // (`受美股涨势暂歇影响日经指数大跌` is Tokyo's report).
        None => mentions
            .filter(|m| {
                let rest = title.get(m.end()..).unwrap_or_default();
                table.moves.find_iter(rest).next().is_some_and(|mv| {
                    rest.get(..mv.start())
                        .is_some_and(|gap| gap.chars().count() <= MOVE_REACH)
                })
            })
            .last()?,
    };
    let market = table.name_market.get(market.pattern().as_usize())?;
    let market = table.markets.get(*market)?;
    Some(RecurringReport {
        series: market.series.clone(),
        session: published.with_timezone(&market.offset).date_naive(),
    })
}

/// The company whose results a title (matching form) reports, as the title names it:
/// `快手` for `快手上季经调整盈利按年升24%胜预期`, `六福料` for `六福料中期盈利按年跌约50%`
/// (compare names with [`same_company`]). A results headline names a reporting period
/// (`上季`, `第3季`, `中期`, `全年`…) followed closely by a results figure (`盈利`, `业绩`,
/// `收入`, `亏损`, Hong Kong's `转蚀`…); the company is what comes before the period.
pub fn company_results(matching_title: &str) -> Option<String> {
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| {
            regex::Regex::new(
                "^(.{2,24}?)(?:上季|第[0-9一二三四]季度?|首[0-9三]季|前[0-9三]季|中期|上半年度?|\
                 下半年度?|半年|全年度?|年度|财年)\
                 .{0,8}?(?:盈利|业绩|纯利|净利|收入|亏损|营收|利润|溢利|盈警|蚀)",
            )
            .ok()
        })
        .as_ref()?;
    let title = strip_flash_label(matching_title);
    let company = re.captures(title)?.get(1)?.as_str().trim();
    (company.chars().count() >= 2).then(|| company.to_string())
}

/// Whether two [`company_results`] names may be the same company: one contains the other
/// (`六福` and `六福料`, `美团` and `市场料美团`) or they start alike (`阿里巴巴`, `阿里:淘天集团`).
/// Generous on purpose: it only keeps results of clearly different companies apart.
pub fn same_company(a: &str, b: &str) -> bool {
    let prefix = |s: &str| s.chars().take(2).collect::<String>();
    a.contains(b) || b.contains(a) || prefix(a) == prefix(b)
}

/// The title without a leading bracketed tag or a news-flash label (`【详讯】`, `快讯:`):
/// those say how, not what, is reported. Other labels (`阿里:`) name the subject.
fn strip_flash_label(title: &str) -> &str {
    const FLASH: &[&str] = &["快讯", "详讯", "简讯", "更新", "独家", "突发"];
    let title = title.trim_start();
    if title.starts_with('【') {
        return strip_tag(title);
    }
    match title.split_once(':') {
        Some((label, rest)) if FLASH.contains(&label.trim()) => rest.trim_start(),
        _ => title,
    }
}

/// The title without a leading bracketed tag or a short `label:` prefix (`【快讯】`, `快讯:`).
fn strip_tag(title: &str) -> &str {
    let title = title.trim_start();
    if let Some(rest) = title.strip_prefix('【')
        && let Some(end) = rest.find('】')
    {
        return rest
            .get(end + '】'.len_utf8()..)
            .unwrap_or(title)
            .trim_start();
    }
    if let Some((label, rest)) = title.split_once(':')
        && label.chars().count() <= 4
    {
        return rest.trim_start();
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(rfc3339: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(rfc3339)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    fn report(title: &str, time: &str) -> Option<(String, String)> {
        recurring_report(title, at(time)).map(|r| (r.series, r.session.to_string()))
    }

    #[test]
    fn the_shipped_table_parses() {
        let t = table().expect("market table");
        // Every line of the table is read (a malformed line would be skipped).
        let lines = MARKETS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(t.markets.len(), lines);
        assert!(t.markets.len() >= 15);
        assert!(t.markets.iter().any(|m| m.series == "market:hk-equity"));
    }

    #[test]
    fn market_reports_name_their_market_and_session() {
        let r = |s: &str, d: &str| Some((s.to_string(), d.to_string()));
        // Opening with the market's name (titles are matching forms: simplified script).
        assert_eq!(
            report(
                "港股美国预托证券大多下挫美团跌逾1%",
                "2024-11-20T06:10:00+08:00"
            ),
            r("market:hk-equity", "2024-11-20")
        );
        assert_eq!(
            report(
                "恒指反复高收41点主板成交减至近1147亿元",
                "2024-11-20T16:20:00+08:00"
            ),
            r("market:hk-equity", "2024-11-20")
        );
        // The subject is the market followed by the move, not the first market named.
        assert_eq!(
            report("受美股拖累日经指数下跌0.85%", "2024-11-21T15:30:00+09:00"),
            r("market:jp-equity", "2024-11-21")
        );
        assert_eq!(
            report(
                "受美股涨势暂歇影响日经指数大跌1.66%",
                "2024-11-14T15:30:00+09:00"
            ),
            r("market:jp-equity", "2024-11-14")
        );
        // Wall Street's close, published the next morning in Hong Kong, is the New York day.
        assert_eq!(
            report(
                "道指高收139点纳指回软nvidia绩后曾挫近5%",
                "2024-11-21T05:30:00+08:00"
            ),
            r("market:us-equity", "2024-11-20")
        );
        assert_eq!(
            report("人民币兑美元中间价跌24点子", "2024-11-20T09:20:00+08:00"),
            r("market:cny", "2024-11-20")
        );
        assert_eq!(
            report(
                "人行开展3021亿元人民币逆回购操作",
                "2024-11-20T09:20:00+08:00"
            ),
            r("market:pboc-omo", "2024-11-20")
        );
        assert_eq!(
            report("【快讯】a股收市跌1%", "2024-11-20T15:05:00+08:00"),
            r("market:cn-equity", "2024-11-20")
        );
    }

    #[test]
    fn odd_titles_are_no_reports() {
        let t = at("2024-11-20T10:00:00+08:00");
        let long = "港股".repeat(5_000) + "跌";
        for title in [
            "",
            "【",
            "【】",
            "】港股跌",
            ":",
            "快讯:",
            "升",
            "跌跌跌",
            long.as_str(),
        ] {
            // Never a panic; a report only where a market is named.
            let r = recurring_report(title, t);
            assert_eq!(r.is_some(), title.contains("港股"), "{title:.20}");
            let _ = company_results(title);
        }
        assert_eq!(company_results(""), None);
    }

    #[test]
    fn results_headlines_name_their_company() {
        let c = |t: &str| company_results(t);
        assert_eq!(
            c("快手上季经调整盈利按年升24%胜预期").as_deref(),
            Some("快手")
        );
        assert_eq!(
            c("nvidia上季业绩胜预期收入增长放缓至不足1倍").as_deref(),
            Some("nvidia")
        );
        assert_eq!(
            c("详讯:丰田半年财报净利润大减26.4%").as_deref(),
            Some("丰田")
        );
        assert_eq!(c("华虹第3季盈利按季升近6倍").as_deref(), Some("华虹"));
        assert_eq!(
            c("远东发展料中期转蚀最多9亿元").as_deref(),
            Some("远东发展料")
        );
        assert_eq!(c("六福料中期盈利按年跌约50%").as_deref(), Some("六福料"));
        assert_eq!(
            c("阿里:淘天集团上季收入升1%云智能收入升7%").as_deref(),
            Some("阿里:淘天集团")
        );
        // Not results: no period, or no figure after it.
        assert_eq!(c("日本10月出口按年升3.1%超出预期"), None);
        assert_eq!(c("道富:美企盈利增长有望延续"), None);
        assert_eq!(c("中期选举结果出炉"), None);
        assert!(same_company("六福", "六福料"));
        assert!(same_company("阿里巴巴", "阿里:淘天集团"));
        assert!(same_company("美团", "市场料美团"));
        assert!(!same_company("快手", "百度"));
        assert!(!same_company("大快活", "大家乐"));
    }

    #[test]
    fn news_about_a_market_is_not_a_market_report() {
        let t = "2024-11-20T10:00:00+08:00";
        // A market named, but no move.
        assert_eq!(report("港股通将纳入更多科技企业", t), None);
        assert_eq!(report("人行维持lpr不变", t), None);
        assert_eq!(
            report("人行在港发行450亿元人民币央票包括3个月及1年期", t),
            None
        );
        // A move, but the market is neither the title's subject nor followed by it.
        assert_eq!(report("分析称中国让人民币贬值以加强出口", t), None);
        assert_eq!(report("特朗普胜选推动比特币升至历史新高", t), None);
        assert_eq!(report("川普2.0对中经济政策失望中国相关股遭抛售", t), None);
        // No publication time, no session.
        assert_eq!(recurring_report("港股低收103点", None), None);
        assert!(recurring_report("港股低收103点", Utc.timestamp_opt(0, 0).single()).is_some());
    }
}
