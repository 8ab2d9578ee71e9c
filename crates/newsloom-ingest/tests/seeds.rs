//! Golden tests: every field of the five seed articles (examples/seeds, shipped in the repo).

use newsloom_ingest::read_file;
use newsloom_model::{Article, BlockKind, Format, Precision, Script};
use std::path::PathBuf;

fn seed(prefix: &str) -> Article {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    let path = std::fs::read_dir(&dir)
        .expect("examples/seeds exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .expect("seed file exists");
    let mut outcome = read_file(&path);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.articles.len(), 1);
    outcome.articles.remove(0)
}

fn published(a: &Article) -> String {
    a.published.expect("published").to_rfc3339()
}

fn headings(a: &Article) -> Vec<&str> {
    a.body
        .iter()
        .filter(|b| b.kind == BlockKind::Heading)
        .map(|b| b.text.as_str())
        .collect()
}

const FORBIDDEN: [&str; 12] = [
    "翻墙",
    "荣誉会员",
    "本文短网址",
    "手机上长按",
    "原文地址",
    "来源:",
    "版权所有",
    "💌",
    "二维码",
    "1120222",
    "编辑：",
    "編輯：",
];

fn assert_clean(a: &Article) {
    for block in &a.body {
        for word in FORBIDDEN {
            assert!(
                !block.text.contains(word),
                "{}: body contains {word:?}: {}",
                a.source.path,
                block.text
            );
        }
        // Prettified HTML must not leave spaces between CJK characters.
        assert!(!block.text.contains("中共 中央"), "{}", block.text);
        assert!(!block.text.contains('\n'));
    }
    assert!(
        a.related
            .iter()
            .all(|l| !a.body.iter().any(|b| b.text == l.title))
    );
}

#[test]
fn seed_000_secretchina_mirror() {
    let a = seed("000");
    assert_eq!(a.source.format, Format::MirrorMarkdown);
    assert_eq!(
        (a.outlet.as_str(), a.outlet_id.as_str()),
        ("看中国", "secretchina")
    );
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.secretchina.com/news/gb/2023/02/23/1029612.html")
    );
    assert_eq!(
        a.mirror_url.as_deref(),
        Some("https://github.com/begood0513/goodnews/blob/master/pages/p9/1029612.md")
    );
    assert_eq!(a.title, "王毅访俄 莫斯科：没有商讨“北京和平方案”");
    assert_eq!(published(&a), "2023-02-23T00:00:00+08:00");
    assert_eq!(a.published_precision, Some(Precision::Date));
    assert_eq!(a.authors, vec!["闻天清"]);
    assert!(a.editors.is_empty());
    assert_eq!(a.dateline, None);
    assert_eq!((a.script, a.language.as_str()), (Script::Hans, "zh"));
    assert_eq!(
        headings(&a),
        vec![
            "俄罗斯：没有讨论北京和平方案",
            "美国担忧北京与莫斯科同一阵线"
        ]
    );
    assert!(
        a.body[0].text.starts_with(
            "【看中国2023年2月23日讯】中共中央外事工作委员会办公室主任王毅访问俄罗斯期间"
        ),
        "{}",
        a.body[0].text
    );
    assert!(a.body.last().unwrap().text.ends_with("第40次面对面会晤。"));
    assert_eq!(a.body.len(), 14);
    assert_eq!(a.images.len(), 1);
    assert_eq!(
        a.images[0].url,
        "https://img5.secretchina.com/pic/2023/2-23/p3292104a906240994-ss.jpg"
    );
    assert_eq!(
        a.images[0].caption.as_deref(),
        Some("2月22日，俄罗斯总统普京会见王毅。")
    );
    assert_eq!(
        a.images[0].credit.as_deref(),
        Some("ANTON NOVODEREZHKIN/SPUTNIK/AFP/Getty Images")
    );
    assert!(
        a.body
            .iter()
            .any(|b| b.text.starts_with("扎哈洛娃说：“中方合作伙伴"))
    );
    assert_clean(&a);
}

#[test]
fn seed_001_secretchina_mirror() {
    let a = seed("001");
    assert_eq!(a.outlet_id, "secretchina");
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.secretchina.com/news/gb/2023/02/20/1029400.html")
    );
    assert_eq!(a.title, "王毅抵达斯莫斯科 不排除与普京会晤可能性");
    assert_eq!(published(&a), "2023-02-20T00:00:00+08:00");
    assert_eq!(a.authors, vec!["闻天清"]);
    assert_eq!(
        headings(&a),
        vec!["俄罗斯不排除普京会晤王毅的可能性", "王毅访欧主要目的"]
    );
    assert!(
        a.body[0]
            .text
            .starts_with("【看中国2023年2月20日讯】中共中央外事工作委员会办公室主任王毅抵达莫斯科")
    );
    assert_eq!(a.images.len(), 1);
    assert_eq!(
        a.images[0].credit.as_deref(),
        Some("Johannes Simon/Getty Images")
    );
    assert_clean(&a);
}

#[test]
fn seed_002_voa_feed_markdown() {
    let a = seed("002");
    assert_eq!(a.source.format, Format::FeedMarkdown);
    assert_eq!(
        (a.outlet.as_str(), a.outlet_id.as_str()),
        ("美国之音", "voa")
    );
    assert_eq!(
        a.url.as_deref(),
        Some(
            "https://www.voachinese.com/a/putin-says-xi-to-visit-russia-ties-with-china-reaching-new-frontiers--20230222/6974233.html"
        )
    );
    assert_eq!(a.mirror_url, None);
    assert_eq!(a.title, "普京会晤王毅，证实习将访俄称俄中关系达到“新境界”");
    assert_eq!(published(&a), "2023-02-22T17:22:43+00:00");
    assert_eq!(a.published_precision, Some(Precision::Second));
    assert_eq!(a.script, Script::Hans);
    assert!(a.authors.is_empty() && a.editors.is_empty());
    assert_eq!(a.body.len(), 18);
    assert!(
        a.body[0]
            .text
            .starts_with("俄罗斯总统弗拉迪米尔·普京星期三（2月22日）")
    );
    assert!(a.body.iter().any(|b| b.text.contains("成熟坚韧、稳如泰山")));
    assert_eq!(a.images.len(), 3);
    assert_eq!(
        a.images[0].url,
        "https://gdb.voanews.com/01000000-0aff-0242-1301-08db14d02b34_cx0_cy8_cw0_r1_s_w900.jpg"
    );
    assert_eq!(
        a.images[2].caption.as_deref(),
        Some("中国外交事务主管王毅与俄罗斯外长拉夫罗夫在莫斯科会谈前交谈。（2023年2月22日）")
    );
    // Captions are not body text.
    assert!(
        !a.body
            .iter()
            .any(|b| b.text.starts_with("俄罗斯总统普京在克里姆林宫会晤到访"))
    );
    assert_clean(&a);
}

#[test]
fn seed_003_ntdtv_mirror() {
    let a = seed("003");
    assert_eq!(
        (a.outlet.as_str(), a.outlet_id.as_str()),
        ("新唐人", "ntdtv")
    );
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.ntdtv.com/gb/2023/02/04/a103642134.html")
    );
    assert_eq!(a.title, "莫斯科预告习近平来访 北京随即派马朝旭赴俄磋商");
    assert_eq!(published(&a), "2023-02-05T00:00:00+08:00");
    assert_eq!(a.published_precision, Some(Precision::Date));
    assert_eq!(a.authors, vec!["历澄宇"]);
    assert_eq!(a.editors, vec!["林清"]);
    assert!(
        a.body[0]
            .text
            .starts_with("【新唐人北京时间2023年02月05日讯】俄罗斯官方1月31日宣布")
    );
    assert!(
        a.body
            .last()
            .unwrap()
            .text
            .ends_with("也没有公开地给与俄罗斯军事支持。")
    );
    assert_eq!(a.images.len(), 1);
    assert_eq!(
        a.images[0].caption.as_deref(),
        Some("2022年9月16日，俄罗斯总统普京与习近平在上合峰会上交谈。")
    );
    assert_eq!(
        a.images[0].credit.as_deref(),
        Some("SERGEI BOBYLYOV/SPUTNIK/AFP via Getty Images")
    );
    assert_clean(&a);
}

#[test]
fn seed_004_cna_jekyll_traditional() {
    let a = seed("004");
    assert_eq!(a.source.format, Format::JekyllPost);
    assert_eq!((a.outlet.as_str(), a.outlet_id.as_str()), ("中央社", "cna"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.cna.com.tw/news/aopl/202302220400.aspx")
    );
    assert_eq!(a.title, "王毅會蒲亭 中方發布通篇未提習近平將訪俄");
    assert_eq!(published(&a), "2023-02-22T18:04:07+00:00");
    assert_eq!(a.published_precision, Some(Precision::Second));
    assert_eq!((a.script, a.language.as_str()), (Script::Hant, "zh"));
    assert_eq!(a.editors, vec!["邱國強", "楊昇儒"]);
    assert!(a.authors.is_empty());
    assert_eq!(a.dateline.as_deref(), Some("台北"));
    assert!(
        a.body[0]
            .text
            .starts_with("（中央社台北22日電）中共中央外事工作委員會辦公室主任王毅")
    );
    assert!(
        a.body
            .last()
            .unwrap()
            .text
            .ends_with("推動兩國關係取得更大發展。")
    );
    assert_eq!(a.body.len(), 9);
    assert_eq!(a.images.len(), 1);
    assert_eq!(
        a.images[0].credit.as_deref(),
        Some("Sputnik/Anton Novoderezhkin/Pool via 路透社")
    );
    assert_eq!(a.related.len(), 1);
    assert_eq!(
        a.related[0].url,
        "https://www.cna.com.tw/news/aopl/202302220383.aspx"
    );
    assert_clean(&a);
}

#[test]
fn ids_are_stable_and_distinct() {
    let ids: Vec<String> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|s| seed(s).id)
        .collect();
    let again: Vec<String> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|s| seed(s).id)
        .collect();
    assert_eq!(ids, again);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5);
}

#[test]
fn jsonl_export_import_round_trips() {
    let articles: Vec<Article> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|s| seed(s))
        .collect();
    let jsonl: String = articles
        .iter()
        .map(|a| serde_json::to_string(a).unwrap() + "\n")
        .collect();
    let outcome = newsloom_ingest::read_bytes(jsonl.as_bytes(), "articles.jsonl");
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.articles, articles);
}
