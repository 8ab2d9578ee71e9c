//! Who wrote an article, where, and when — as the text itself says it.
//!
//! Chinese outlets put this in the text: leads like `【看中国2023年2月23日讯】`,
//! `【新唐人北京时间2023年02月05日讯】`, `（中央社記者鍾佑貞華盛頓22日專電）`, bylines like
//! `（看中国记者闻天清编译）`, and closing lines like `（记者历澄宇综合报导/责任编辑：林清）`,
//! `（編輯：邱國強/楊昇儒）1120222`. The patterns are regular enough for regexes, and no
//! library knows them.

use chrono::{FixedOffset, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// What the text says about the article's authorship and origin.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Byline {
    pub authors: Vec<String>,
    pub editors: Vec<String>,
    /// The place the report was filed from (`台北`, `華盛頓`).
    pub dateline: Option<String>,
    /// The outlet named in the lead (`看中国`, `新唐人`, `中央社`).
    pub outlet: Option<String>,
    pub date: Option<LeadDate>,
}

/// A date written in a lead: full (`2023年2月23日`) or a day of the month only (`22日`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadDate {
    Full {
        date: NaiveDate,
        offset: Option<FixedOffset>,
    },
    Day(u32),
}

impl Byline {
    pub fn merge(&mut self, other: Byline) {
        push_unique(&mut self.authors, other.authors);
        push_unique(&mut self.editors, other.editors);
        self.dateline = self.dateline.take().or(other.dateline);
        self.outlet = self.outlet.take().or(other.outlet);
        self.date = self.date.take().or(other.date);
    }
}

fn push_unique(into: &mut Vec<String>, from: Vec<String>) {
    for name in from {
        if !into.contains(&name) {
            into.push(name);
        }
    }
}

static LEAD_BRACKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^【(?P<outlet>[^【】0-9０-９零〇一二三四五六七八九十]{1,12}?)(?P<tz>北京时间|北京時間|台北时间|台北時間|香港时间|香港時間|美东时间|美東時間)?(?P<date>[0-9０-９零〇一二三四五六七八九十]{2,4}年[0-9零〇一二三四五六七八九十]{1,3}月[0-9零〇一二三四五六七八九十]{1,3}日)(?:讯|訊|报道|報導|报导|電|电)?】",
    )
    .expect("static regex")
});

static LEAD_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[（(](?P<who>[^（）()\d]{1,30}?)(?P<day>\d{1,2})日(?:電|电|專電|专电|綜合外電報導|综合外电报导|综合外电报道|外電|外电)[)）]",
    )
    .expect("static regex")
});

static REPORTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:记者|記者|特约记者|特約記者|通讯员|通訊員)(?P<names>[\p{Han}·、/／ ]{2,24}?)(?:综合|綜合|采访|採訪|连线|連線)?(?:报导|報導|报道|報道|编译|編譯|整理|撰文|撰稿|编写|編寫|发自|發自|/|／|）|\)|$)",
    )
    .expect("static regex")
});

/// A credit role and its colon: the names follow, up to the next role. A reporter
/// (`記者：鍾廣政（台北）`) is an author; editors include CNA's translators and copy editors
/// (`（譯者：張茗喧/核稿：陳昱婷）`) and RFA's web editors (`編輯：施芷珊　網編：畢子默`).
static CREDIT_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(?P<author>记者|記者)|{EDITOR_ROLES})\s*[:：]\s*"
    ))
    .expect("static regex")
});

/// The editing roles credit lines name (`責任編輯`, `網編`, `核稿`…), as a regex group.
pub(crate) const EDITOR_ROLES: &str = "(?:责任编辑|責任編輯|编辑|編輯|责编|責編|网编|網編|校对|校對|审核|審核|核稿|译者|譯者|翻译|翻譯)";

static AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:作者|撰稿|撰文|文|供稿)[:：/／]\s*(?P<names>[\p{Han}·、/／ ]{2,24})$")
        .expect("static regex")
});

/// Parses the lead of the first paragraph: `【…讯】` or `（…日電）`. Returns the byline and
/// the byte length of the lead (which stays in the text: it is part of the article).
pub fn parse_lead(text: &str) -> Option<(Byline, usize)> {
    if let Some(c) = LEAD_BRACKET.captures(text) {
        let offset = c.name("tz").and_then(|_| FixedOffset::east_opt(8 * 3600));
        let outlet = c.name("outlet").map(|m| m.as_str().trim().to_string());
        let date = c.name("date").and_then(|m| parse_cn_date(m.as_str()));
        let byline = Byline {
            outlet: outlet.filter(|o| !o.is_empty()),
            date: date.map(|date| LeadDate::Full { date, offset }),
            ..Byline::default()
        };
        return Some((byline, c.get(0).map_or(0, |m| m.end())));
    }
    let c = LEAD_PAREN.captures(text)?;
    let who = c.name("who").map_or("", |m| m.as_str());
    let day = c.name("day").and_then(|m| m.as_str().parse().ok());
    let mut byline = parse_wire_who(who);
    byline.date = day.map(LeadDate::Day);
    Some((byline, c.get(0).map_or(0, |m| m.end())))
}

/// `中央社記者鍾佑貞華盛頓` → outlet 中央社, author 鍾佑貞, dateline 華盛頓.
fn parse_wire_who(who: &str) -> Byline {
    let mut byline = Byline::default();
    let (outlet, rest) = match KNOWN_WIRES.iter().find(|w| who.starts_with(*w)) {
        Some(w) => (Some(w.to_string()), &who[w.len()..]),
        None => (None, who),
    };
    byline.outlet = outlet;
    let rest = rest.trim();
    let place_part = match rest
        .strip_prefix("記者")
        .or_else(|| rest.strip_prefix("记者"))
    {
        Some(named) => {
            let (names, place) = split_name_place(named);
            byline.authors = split_names(names);
            place
        }
        None => rest,
    };
    byline.dateline = Some(place_part.trim().to_string()).filter(|p| !p.is_empty());
    byline
}

const KNOWN_WIRES: [&str; 12] = [
    "中央社",
    "新华社",
    "新華社",
    "中新社",
    "法新社",
    "路透社",
    "美联社",
    "美聯社",
    "共同社",
    "大纪元",
    "大紀元",
    "新唐人",
];

const PLACES: [&str; 40] = [
    "台北",
    "臺北",
    "北京",
    "上海",
    "香港",
    "澳門",
    "澳门",
    "華盛頓",
    "华盛顿",
    "紐約",
    "纽约",
    "東京",
    "东京",
    "莫斯科",
    "倫敦",
    "伦敦",
    "巴黎",
    "柏林",
    "首爾",
    "首尔",
    "新加坡",
    "布魯塞爾",
    "布鲁塞尔",
    "日內瓦",
    "日内瓦",
    "洛杉磯",
    "洛杉矶",
    "舊金山",
    "旧金山",
    "雪梨",
    "悉尼",
    "曼谷",
    "河內",
    "河内",
    "台中",
    "臺中",
    "高雄",
    "台南",
    "臺南",
    "基輔",
];

/// Splits `鍾佑貞華盛頓` into a reporter name and a place: a known place at the end wins;
/// otherwise Chinese names have two or three characters.
fn split_name_place(s: &str) -> (&str, &str) {
    for place in PLACES {
        if let Some(name) = s.strip_suffix(place)
            && name.chars().count() >= 2
        {
            return (name, place);
        }
    }
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let name_len = if chars.len() >= 5 {
        3
    } else {
        2.min(chars.len())
    };
    let cut = chars.get(name_len).map_or(s.len(), |(i, _)| *i);
    (&s[..cut], &s[cut..])
}

/// Finds bylines anywhere in a short block: reporters, editors, `作者：` lines.
pub fn parse_credits(text: &str) -> Byline {
    let mut byline = Byline::default();
    for c in REPORTER.captures_iter(text) {
        if let Some(m) = c.name("names") {
            push_unique(&mut byline.authors, split_names(m.as_str()));
        }
    }
    let roles: Vec<_> = CREDIT_ROLE.captures_iter(text).collect();
    for (i, role) in roles.iter().enumerate() {
        let (Some(whole), until) = (
            role.get(0),
            roles
                .get(i + 1)
                .and_then(|next| next.get(0))
                .map_or(text.len(), |next| next.start()),
        ) else {
            continue;
        };
        // The names run to the next role, a bracket (`李向陽（台北）`) or a wide space.
        let names: String = text
            .get(whole.end()..until)
            .unwrap_or_default()
            .chars()
            .take_while(|&c| crate::page::is_han(c) || matches!(c, '·' | '、' | '/' | '／' | ' '))
            .take(30)
            .collect();
        let into = if role.name("author").is_some() {
            &mut byline.authors
        } else {
            &mut byline.editors
        };
        push_unique(into, split_names(&names));
    }
    if let Some(c) = AUTHOR.captures(text.trim())
        && let Some(m) = c.name("names")
    {
        push_unique(&mut byline.authors, split_names(m.as_str()));
    }
    byline
}

fn split_names(s: &str) -> Vec<String> {
    s.split(['、', '/', '／', ' ', '，', ','])
        .map(str::trim)
        .filter(|n| (2..=12).contains(&n.chars().count()))
        .map(str::to_string)
        .collect()
}

/// Parses `2023年2月23日`, `２０２３年…` and `二零一八年七月二十三日`.
pub fn parse_cn_date(s: &str) -> Option<NaiveDate> {
    let (y, rest) = s.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.split('日').next()?;
    let year = cn_number(y, true)?;
    let year = if year < 100 { year + 2000 } else { year };
    NaiveDate::from_ymd_opt(year as i32, cn_number(m, false)?, cn_number(d, false)?)
}

/// Digits (ASCII or full-width) or Chinese numerals. Years are read digit by digit
/// (`二零一八` = 2018), months and days positionally (`二十三` = 23).
pub fn cn_number(s: &str, digitwise: bool) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        match c {
            '0'..='9' => c.to_digit(10),
            '０'..='９' => Some(c as u32 - '０' as u32),
            '零' | '〇' | '○' | 'Ｏ' => Some(0),
            '一' => Some(1),
            '二' | '两' | '兩' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        }
    };
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if digitwise || !s.contains('十') {
        return s
            .chars()
            .try_fold(0u32, |acc, c| Some(acc.checked_mul(10)? + digit(c)?));
    }
    let (tens, ones) = s.split_once('十')?;
    let tens = if tens.is_empty() {
        1
    } else {
        digit(tens.chars().next()?)?
    };
    let ones = if ones.is_empty() {
        0
    } else {
        digit(ones.chars().next()?)?
    };
    Some(tens * 10 + ones)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_leads() {
        let (b, len) = parse_lead("【看中国2023年2月23日讯】（看中国记者闻天清编译）中共").unwrap();
        assert_eq!(b.outlet.as_deref(), Some("看中国"));
        assert_eq!(
            b.date,
            Some(LeadDate::Full {
                date: NaiveDate::from_ymd_opt(2023, 2, 23).unwrap(),
                offset: None
            })
        );
        assert_eq!(len, "【看中国2023年2月23日讯】".len());
        let (b, _) = parse_lead("【新唐人北京时间2023年02月05日讯】俄罗斯").unwrap();
        assert_eq!(b.outlet.as_deref(), Some("新唐人"));
        assert!(
            matches!(b.date, Some(LeadDate::Full { offset: Some(o), .. }) if o.local_minus_utc() == 8 * 3600)
        );
        let (b, _) = parse_lead("【明慧网二零一八年七月二十三日】两千四百年前").unwrap();
        assert_eq!(b.outlet.as_deref(), Some("明慧网"));
        assert_eq!(
            b.date,
            Some(LeadDate::Full {
                date: NaiveDate::from_ymd_opt(2018, 7, 23).unwrap(),
                offset: None
            })
        );
    }

    #[test]
    fn wire_leads() {
        let (b, _) = parse_lead("（中央社台北22日電）中共中央").unwrap();
        assert_eq!(
            (b.outlet.as_deref(), b.dateline.as_deref(), b.date),
            (Some("中央社"), Some("台北"), Some(LeadDate::Day(22)))
        );
        let (b, _) = parse_lead("（中央社記者鍾佑貞華盛頓22日專電）川普").unwrap();
        assert_eq!(b.authors, vec!["鍾佑貞"]);
        assert_eq!(b.dateline.as_deref(), Some("華盛頓"));
    }

    #[test]
    fn credits() {
        assert_eq!(
            parse_credits("（看中国记者闻天清编译）").authors,
            vec!["闻天清"]
        );
        let b = parse_credits("（记者历澄宇综合报导/责任编辑：林清）");
        assert_eq!(
            (b.authors, b.editors),
            (vec!["历澄宇".to_string()], vec!["林清".to_string()])
        );
        assert_eq!(
            parse_credits("（編輯：邱國強/楊昇儒）1120222").editors,
            vec!["邱國強", "楊昇儒"]
        );
        // CNA's translated reports (agora-pen-2411, 2024-11-27).
        assert_eq!(
            parse_credits("（譯者：張茗喧/核稿：陳昱婷）").editors,
            vec!["張茗喧", "陳昱婷"]
        );
        // RFA's closing lines (agora-pen-2411).
        let b = parse_credits("記者：鍾廣政（台北）　編輯：李榮添　網編：池煥衡");
        assert_eq!(
            (b.authors, b.editors),
            (
                vec!["鍾廣政".to_string()],
                vec!["李榮添".to_string(), "池煥衡".to_string()]
            )
        );
        assert_eq!(parse_credits("編輯/網編：畢子默").editors, vec!["畢子默"]);
        assert_eq!(parse_credits("責編 ：鄧波兒").editors, vec!["鄧波兒"]);
    }
}
