//! Chinese numerals in dates and counts → ASCII digits, where that is safe.
//!
//! `二零一九年` → `2019年`, `一月二十一日` → `1月21日`, `三十余万` → `30余万`, `第二十届` → `第20届`.
//! Numerals inside words and idioms (`统一`, `一些`, `千万不要`, `十分`) must survive, so a
//! numeral run is only rewritten when what follows is a date part or a counter, and single
//! characters only as months and days of a month.

/// The value of one Chinese digit character.
#[inline]
pub(crate) fn digit_value(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' | '○' | 'Ｏ' => 0,
        '一' => 1,
        '二' | '两' | '兩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

#[inline]
fn unit_value(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

#[inline]
fn big_unit_value(c: char) -> Option<u64> {
    Some(match c {
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

#[inline]
pub(crate) fn is_numeral_char(c: char) -> bool {
    digit_value(c).is_some() || unit_value(c).is_some() || big_unit_value(c).is_some()
}

/// Parses a run of numeral characters: either a digit string (`二零二零` → 2020) or a positional
/// number (`三百零五` → 305, `二十一` → 21, `十` → 10). Returns `None` for anything else
/// (`一五一十`, `万万`).
pub(crate) fn parse_number(run: &[char]) -> Option<u64> {
    if run.is_empty() {
        return None;
    }
    if run.iter().all(|&c| digit_value(c).is_some()) {
        if run.len() == 1 {
            return run.first().and_then(|&c| digit_value(c));
        }
        // A digit string like 二零二零; 两 is never a digit in one.
        if run.iter().any(|&c| matches!(c, '两' | '兩')) {
            return None;
        }
        let mut v: u64 = 0;
        for &c in run {
            v = v.checked_mul(10)?.checked_add(digit_value(c)?)?;
        }
        return Some(v);
    }
    parse_positional(run)
}

fn parse_positional(run: &[char]) -> Option<u64> {
    let mut total: u64 = 0; // completed 亿 groups
    let mut section: u64 = 0; // completed 万 groups within the current 亿 group
    let mut small: u64 = 0; // current < 万 part
    let mut digit: Option<u64> = None;
    let mut last_unit = u64::MAX; // the last 十/百/千 seen in `small`, to reject 十百
    for &c in run {
        if let Some(d) = digit_value(c) {
            if digit.is_some() && d != 0 {
                return None; // two digits in a row: 一五
            }
            digit = if d == 0 { None } else { Some(d) };
        } else if let Some(u) = unit_value(c) {
            if u >= last_unit {
                return None;
            }
            // A bare 十 at the start means 一十.
            let d = match digit.take() {
                Some(d) => d,
                None if small == 0 => 1,
                None => return None,
            };
            small += d * u;
            last_unit = u;
        } else if let Some(b) = big_unit_value(c) {
            let part = small + digit.take().unwrap_or(0);
            if b == 100_000_000 {
                let group = section + part;
                if group == 0 && total == 0 {
                    return None;
                }
                total = total.checked_add(group.checked_mul(b)?)?;
                section = 0;
            } else {
                if part == 0 {
                    return None;
                }
                section = section.checked_add(part.checked_mul(b)?)?;
            }
            small = 0;
            last_unit = u64::MAX;
        } else {
            return None;
        }
    }
    Some(total + section + small + digit.unwrap_or(0))
}

/// Characters after a multi-character numeral run that make it a count or date part.
fn is_counter(c: char) -> bool {
    matches!(
        c,
        '年' | '月'
            | '日'
            | '号'
            | '號'
            | '岁'
            | '歲'
            | '人'
            | '名'
            | '位'
            | '个'
            | '個'
            | '余'
            | '餘'
            | '多'
            | '元'
            | '块'
            | '次'
            | '天'
            | '周'
            | '週'
            | '小'
            | '分'
            | '秒'
            | '公'
            | '米'
            | '吨'
            | '架'
            | '艘'
            | '辆'
            | '枚'
            | '家'
            | '所'
            | '座'
            | '国'
            | '项'
            | '条'
            | '件'
            | '只'
            | '头'
            | '批'
            | '轮'
            | '场'
            | '届'
            | '期'
            | '%'
            | '％'
            | '倍'
            | '亩'
            | '户'
            | '起'
            | '例'
            | '票'
            | '席'
            | '美'
            | '英'
            | '欧'
            | '港'
            | '台'
            | '亿'
            | '万'
            | '时'
            | '点'
            | '度'
            | '层'
            | '栋'
            | '间'
            | '张'
            | '部'
            | '本'
            | '篇'
            | '首'
            | '枪'
            | '发'
    )
}

/// Rewrites numerals in `text` (already folded and converted to simplified script).
/// Unchanged text is copied in slices; only numeral runs are looked at character by character.
pub(crate) fn convert_numerals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0usize; // bytes of `text` already in `out`
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    let mut run: Vec<char> = Vec::new(); // reused: numeral characters (一) are frequent
    while let Some((i, c)) = iter.next() {
        if !is_numeral_char(c) {
            prev = Some(c);
            continue;
        }
        run.clear();
        run.push(c);
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = iter.peek() {
            if !is_numeral_char(d) {
                break;
            }
            run.push(d);
            end = j + d.len_utf8();
            iter.next();
        }
        let next = iter.peek().map(|&(_, d)| d);
        if let Some(rendered) = rewrite_run(&run, prev, next) {
            out.push_str(text.get(copied..i).unwrap_or_default());
            out.push_str(&rendered);
            copied = end;
            // What follows sees the rewritten digits (一月一日 → 1月1日: 日 follows 月).
            prev = rendered.chars().next_back();
        } else {
            prev = run.last().copied();
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// Decides whether one numeral run is a safe count or date part and renders it.
fn rewrite_run(run: &[char], prev: Option<char>, next: Option<char>) -> Option<String> {
    // Approximations (数十万, 几百) and ordinals of words (一一) stay as written.
    if matches!(prev, Some('数' | '几' | '幾' | '好' | '數')) {
        return None;
    }
    // A run glued to a preceding digit or Latin letter is part of something else.
    if prev.is_some_and(|p| p.is_ascii_alphanumeric()) {
        return None;
    }
    let all_digits = run.iter().all(|&c| digit_value(c).is_some());
    let next = next?;
    if all_digits && run.len() >= 2 {
        // 二零一九年: a year written digit by digit.
        if next == '年' && run.len() == 4 {
            return parse_number(run).map(|v| v.to_string());
        }
        return None;
    }
    let value = parse_number(run)?;
    if run.len() == 1 {
        // Single characters only as months (一月 .. 十月) and days after a month (一月一日).
        let month_ok = next == '月' && (1..=12).contains(&value);
        let day_ok =
            matches!(next, '日' | '号') && (1..=31).contains(&value) && matches!(prev, Some('月'));
        return (month_ok || day_ok).then(|| value.to_string());
    }
    let ordinal = matches!(prev, Some('第'));
    if !(is_counter(next) || ordinal) {
        return None;
    }
    if next == '月' && !(1..=12).contains(&value) {
        return None;
    }
    Some(render(run, value))
}

/// Renders a value, keeping a trailing 万/亿 as a unit the way mainland copy writes counts
/// (`一千二百万` → `1200万`).
fn render(run: &[char], value: u64) -> String {
    if let Some((&last, head)) = run.split_last()
        && let Some(b) = big_unit_value(last)
        && let Some(h) = parse_number(head)
        && h > 0
        && h < 10_000
        && !head.iter().any(|&c| big_unit_value(c).is_some())
    {
        let unit = if b == 10_000 { '万' } else { '亿' };
        return format!("{h}{unit}");
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<u64> {
        parse_number(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn parses() {
        assert_eq!(p("二零二零"), Some(2020));
        assert_eq!(p("二十一"), Some(21));
        assert_eq!(p("十"), Some(10));
        assert_eq!(p("十二"), Some(12));
        assert_eq!(p("三百零五"), Some(305));
        assert_eq!(p("一千二百万"), Some(12_000_000));
        assert_eq!(p("一亿二千万"), Some(120_000_000));
        assert_eq!(p("一五一十"), None);
        assert_eq!(p("十百"), None);
    }

    #[test]
    fn converts_safely() {
        assert_eq!(convert_numerals("二零一九年一月二十一日"), "2019年1月21日");
        assert_eq!(convert_numerals("三十余万人"), "30余万人");
        assert_eq!(convert_numerals("一千二百万美元"), "1200万美元");
        assert_eq!(convert_numerals("第二十届"), "第20届");
        assert_eq!(
            convert_numerals("统一与一些千万不要十分"),
            "统一与一些千万不要十分"
        );
        assert_eq!(convert_numerals("数十万人"), "数十万人");
        assert_eq!(convert_numerals("星期三"), "星期三");
        assert_eq!(convert_numerals("十二月"), "12月");
    }
}
