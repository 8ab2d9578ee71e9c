//! Hostile input: every bad file gets a clear error or a correct article, and nothing else stops.

use newsloom_ingest::{Options, Summary, collect_inputs, ingest, read_file};
use newsloom_model::Article;
use std::path::{Path, PathBuf};

fn seed_bytes(prefix: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap();
    std::fs::read(path).unwrap()
}

fn one_article(path: &Path) -> Article {
    let mut outcome = read_file(path);
    assert!(
        outcome.errors.is_empty(),
        "{}: {:?}",
        path.display(),
        outcome.errors
    );
    assert_eq!(outcome.articles.len(), 1);
    outcome.articles.remove(0)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn legacy_encodings_read_like_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = write(dir.path(), "000.md", &seed_bytes("000"));
    let text = String::from_utf8(seed_bytes("000")).unwrap();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let gb = write(dir.path(), "000-gb18030.md", &gb);
    let expected = one_article(&utf8);
    let got = one_article(&gb);
    assert_eq!(
        (got.title.as_str(), &got.body, &got.url),
        (expected.title.as_str(), &expected.body, &expected.url)
    );

    let text = String::from_utf8(seed_bytes("004")).unwrap();
    let (big5, _, _) = encoding_rs::BIG5.encode(&text);
    let big5 = write(dir.path(), "004-big5.md", &big5);
    let got = one_article(&big5);
    assert_eq!(got.title, "王毅會蒲亭 中方發布通篇未提習近平將訪俄");
    assert_eq!(got.outlet_id, "cna");
    assert!(got.body[0].text.starts_with("（中央社台北22日電）"));
}

#[test]
fn invalid_utf8_keeps_the_readable_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = seed_bytes("002");
    let at = bytes.len() / 2;
    bytes.splice(at..at, [0xff, 0xfe, 0xc3]);
    let a = one_article(&write(dir.path(), "002-broken.md", &bytes));
    assert_eq!(a.title, "普京会晤王毅，证实习将访俄称俄中关系达到“新境界”");
    assert!(a.body.len() >= 17);
}

#[test]
fn truncated_html_still_gives_the_text_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = seed_bytes("002");
    let text = String::from_utf8(bytes).unwrap();
    let cut = text.find("<p>王毅则表示").unwrap() + 20;
    let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap();
    let a = one_article(&write(
        dir.path(),
        "002-truncated.md",
        &text.as_bytes()[..cut],
    ));
    assert_eq!(a.body.len(), 6);
    assert!(a.body[5].text.starts_with("王毅"));
}

#[test]
fn a_50_mb_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut page = String::from("### 巨大的页面\n------\n<div>\n");
    let paragraph = "<p>\n  这是一段很长的正文，用来测试五十兆字节的输入不会让程序崩溃。\n</p>\n";
    while page.len() < 50 * 1024 * 1024 {
        page.push_str(paragraph);
    }
    page.push_str("</div>\n<hr/>\n原文地址（需翻墙访问）：https://www.minghui.org/mh/articles/2020/1/2/1.html\n");
    let a = one_article(&write(dir.path(), "huge.md", page.as_bytes()));
    assert_eq!(a.title, "巨大的页面");
    assert!(a.body.len() > 500_000);
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2020-01-02T00:00:00+08:00"
    );
}

#[test]
fn bad_files_are_reported_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a-empty.md", b"");
    write(
        root,
        "b-binary.md",
        &(0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    );
    write(root, "c-seed.md", &seed_bytes("004"));
    write(
        root,
        "d-garbage.md",
        "就是一些没有格式的文字。\n".repeat(10).as_bytes(),
    );
    write(root, "e-bad.jsonl", b"{\"id\": \"x\", \"body\": 3}\n");
    write(root, "style.css", b"body{}");
    std::fs::create_dir(root.join("loop")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("loop/back")).unwrap();

    let mut summary = Summary::default();
    let inputs = collect_inputs(&[root.to_path_buf()], &mut summary);
    let mut articles = Vec::new();
    ingest(
        &inputs,
        &Options { jobs: 2 },
        &mut summary,
        &|_| {},
        &mut |a| articles.push(a),
    )
    .unwrap();

    assert_eq!(articles.len(), 1, "only the seed is an article");
    assert_eq!(articles[0].outlet_id, "cna");
    let reason = |name: &str| {
        summary
            .failed
            .iter()
            .find(|f| f.path.contains(name))
            .map(|f| f.reason.clone())
            .unwrap_or_else(|| panic!("{name} not reported: {:?}", summary.failed))
    };
    assert_eq!(reason("a-empty.md"), "empty file");
    assert!(reason("b-binary.md").contains("binary"));
    assert_eq!(reason("d-garbage.md"), "not a format newsloom reads");
    assert!(reason("e-bad.jsonl").starts_with("line 1:"));
    #[cfg(unix)]
    assert_eq!(reason("loop/back"), "symbolic link loop");
    assert_eq!(summary.skipped.get("not a document (.css)"), Some(&1));
    assert_eq!(summary.articles, 1);
}

#[test]
fn gzip_compressed_pages_are_read_like_plain_ones() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let page = r#"<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>王毅會蒲亭 | 中央社</title>
<meta property="og:title" content="王毅會蒲亭"><meta property="article:published_time" content="2023-02-22T18:04:07+08:00">
<link rel="canonical" href="https://www.cna.com.tw/news/aopl/202302220400.aspx"></head>
<body><nav><a href="/">首頁</a></nav><article><h1>王毅會蒲亭</h1><div itemprop="articleBody">
<p>（中央社台北22日電）中共中央外事工作委員會辦公室主任王毅今天在莫斯科與俄羅斯總統蒲亭會談，雙方討論了烏克蘭問題。</p>
<p>王毅表示，當前國際情勢確實嚴峻複雜，但是中俄關係「歷經國際風雲的考驗，成熟堅韌、穩如泰山」。</p></div></article></body></html>"#;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(page.as_bytes()).unwrap();
    let plain = one_article(&write(dir.path(), "cna.html", page.as_bytes()));
    let packed = one_article(&write(dir.path(), "cna.html.gz", &gz.finish().unwrap()));
    assert_eq!(packed.title, "王毅會蒲亭");
    assert_eq!(packed.outlet_id, "cna");
    assert_eq!(packed.dateline.as_deref(), Some("台北"));
    assert_eq!(
        (&packed.body, &packed.url, packed.published),
        (&plain.body, &plain.url, plain.published)
    );
    assert_eq!(packed.body.len(), 2);
}
