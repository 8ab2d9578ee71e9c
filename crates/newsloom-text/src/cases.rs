//! Named cases: the court or criminal case a headline names (`47人案`, `黎智英案`).
//!
//! Outlets name a big case and keep using the name for everything that follows: the
//! sentencing, the reactions abroad, the officials' rebuttals, the supporters outside the
//! court (`【47人案】港府譴責西方…`, `47人顛覆案｜駐港國安公署…`, `台灣團體聲援47人案…`).
//! Those reports share few words beyond the name, yet a reader follows them as one story, so
//! the clusterer keeps the reports of one named case in one story.
//!
//! Written by hand: recognizing a case name in a headline is a matter of this domain's
//! headline conventions (tags, a count of defendants), not of a general text library.

use std::sync::OnceLock;

/// The case a title (matching form) names, as a key: `47人案` for `香港47人案被重判…`,
/// `【47人案】…` and `47人颠覆案|…` alike; `黎智英案` for `【黎智英案】首日作供…`.
///
/// Two shapes are read:
/// * a count of defendants before `案` (`47人案`, `47人颠覆案`): the count names the case.
///   Two digits at least: small counts (`3人`) recur across unrelated cases;
/// * a case in a headline's tag: `【X案】…`, `X案|…`, `X案:…`, where X is two to ten Han
///   characters or digits (`【反恐第二案】`).
///
/// Generic words ending in `案` (`草案`, `方案`, `法案`…) are never tags of this shape.
pub fn named_case(matching_title: &str) -> Option<String> {
    static RES: OnceLock<Option<(regex::Regex, regex::Regex)>> = OnceLock::new();
    let (count, tag) = RES
        .get_or_init(|| {
            let count = regex::Regex::new(r"(?:^|[^0-9])([0-9]{2,})人\p{Han}{0,4}?案").ok()?;
            let tag =
                regex::Regex::new(r"^(?:【([\p{Han}0-9]{2,10}案)】|([\p{Han}0-9]{2,10}案)[|:])")
                    .ok()?;
            Some((count, tag))
        })
        .as_ref()?;
    let title = matching_title.trim_start();
    if let Some(n) = count.captures(title).and_then(|c| c.get(1)) {
        return Some(format!("{}人案", n.as_str()));
    }
    let caps = tag.captures(title)?;
    let name = caps.get(1).or_else(|| caps.get(2))?.as_str();
    (!GENERIC.iter().any(|g| name.ends_with(g))).then(|| name.to_string())
}

/// Words ending in `案` that are not a case: bills, plans, proposals, files.
const GENERIC: &[&str] = &[
    "草案", "方案", "法案", "提案", "议案", "答案", "档案", "预案", "备案", "个案", "图案", "文案",
    "教案", "专案",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TextLayer;

    fn case(title: &str) -> Option<String> {
        named_case(&TextLayer::default().matching_form(title))
    }

    /// Titles from agora-pen-2411 (2024-11-19..21).
    #[test]
    fn one_case_under_its_several_headline_shapes() {
        for title in [
            "香港47人案 在台港人：一國兩制是假的",
            "【47人案】港府譴責西方肆無忌憚抹黑攻擊 批美恫嚇制裁特區官員",
            "47人顛覆案｜駐港國安公署指美國等少數國家為犯罪分子包庇張目",
            "台灣團體聲援47人案 在台港人：中共搞垮香港下個目標是台灣",
        ] {
            assert_eq!(case(title).as_deref(), Some("47人案"), "{title}");
        }
        assert_eq!(
            case("【黎智英案】首日作供申蘋果核心價值：與港人同冀法治民主自由").as_deref(),
            Some("黎智英案")
        );
        assert_eq!(
            case("【反恐第二案】8男女涉爆炸品案明正式開審 高院抽出陪審團").as_deref(),
            Some("反恐第二案")
        );
    }

    /// `newsloom analyze` shows the case, so a reader can see why reports were grouped.
    #[test]
    fn the_analysis_carries_the_case() {
        let article: newsloom_model::Article = serde_json::from_value(serde_json::json!({
            "id": "rthk-47", "source": {"path": "t.html", "format": "html"},
            "outlet": "香港電台", "outlet_id": "rthk", "url": null, "mirror_url": null,
            "title": "47人顛覆案｜中聯辦堅決支持司法機構公正判決　譴責外部抹黑",
            "published": null, "published_precision": null, "authors": [], "editors": [],
            "dateline": null, "script": "hant", "language": "zh",
            "body": [{"kind": "paragraph", "text": "中聯辦表示，堅決支持司法機構依法作出公正判決。"}],
            "images": [], "related": []
        }))
        .unwrap_or_else(|e| panic!("test article: {e}"));
        let analysis = TextLayer::default().analyze(&article);
        assert_eq!(analysis.case.as_deref(), Some("47人案"));
        let json = serde_json::to_value(&analysis).unwrap_or_default();
        assert_eq!(json["case"], "47人案");
    }

    #[test]
    fn plans_bills_small_counts_and_plain_titles_name_no_case() {
        for title in [
            "COP29成果文件草案未就援助發展中國家明示金額",
            "菲律賓出爐南海新法案 北京召見菲國大使提交涉",
            "【草案】立法會明審議",
            "涉3人謀殺案 警拘兩男",
            "珠海汽車衝撞案已35死43傷",
            "黎智英被控違國安法案 出庭自辯稱辦報為傳遞自由",
            "",
            "案",
            "【",
            "47人",
        ] {
            assert_eq!(case(title), None, "{title}");
        }
        let long = "案".repeat(10_000);
        assert_eq!(case(&long), None);
    }
}
