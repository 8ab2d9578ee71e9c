//! Hostile input: the extractor must return (a result or a clear error), never panic.

use newsloom_extract::{PageKind, extract_page};

const PARA: &str = "<p>市政府今天宣布，明年起将调整公共交通票价，并加强对老旧小区的改造。</p>";

#[test]
fn unclosed_tags() {
    let mut html = String::from("<html><head><title>未闭合的页面</title><body><div class=content>");
    for i in 0..2000 {
        html.push_str(&format!(
            "<div><p>第{i}段，市政府今天宣布新规。<b>粗体<i>斜体<table><tr><td>单元"
        ));
    }
    let page =
        extract_page(html.as_bytes(), Some("unclosed.html")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        page.body_text().contains("市政府今天宣布新规"),
        "{:?}",
        page.body.first()
    );
    // An unclosed <title> swallows the rest of the page as title text: no body, no panic.
    let swallowed = "<html><head><title>未闭合".to_string() + &PARA.repeat(50);
    extract_page(swallowed.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn ten_thousand_deep_nesting() {
    let depth = 10_000;
    let html = format!(
        "<html><head><title>深层嵌套</title></head><body>{}{PARA}{PARA}{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let page = extract_page(html.as_bytes(), Some("deep.html")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        page.body_text().contains("调整公共交通票价"),
        "{:?}",
        page.body
    );
    let spans = format!(
        "<p>{}深{}</p>",
        "<span><b>".repeat(depth),
        "</b></span>".repeat(depth)
    );
    extract_page(spans.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn fifty_megabyte_page() {
    let mut html = String::with_capacity(51 << 20);
    html.push_str("<html><head><meta charset=utf-8><title>超大页面_新闻网</title></head><body><h1>超大页面</h1><div class=article>");
    while html.len() < 50 << 20 {
        html.push_str(PARA);
        html.push_str("<div class=related><a href=/x>相关链接标题</a></div>");
    }
    html.push_str("</div></body></html>");
    let page = extract_page(html.as_bytes(), Some("big.html")).unwrap_or_else(|e| panic!("{e}"));
    assert!(page.body.len() > 100_000);
    assert_eq!(page.kind, PageKind::Article);
}

#[test]
fn binary_junk() {
    // A deterministic pseudo-random byte stream (xorshift), with NULs and invalid UTF-8.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let junk: Vec<u8> = (0..1_000_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    match extract_page(&junk, Some("junk.bin")) {
        Ok(page) => assert_ne!(page.kind, PageKind::Article, "junk taken for an article"),
        Err(e) => assert!(e.to_string().contains("junk.bin")),
    }
    let mut with_tags = junk.clone();
    with_tags.splice(0..0, b"<html><body><p>".iter().copied());
    extract_page(&with_tags, None)
        .map(|_| ())
        .unwrap_or_else(|e| assert!(!e.to_string().is_empty()));
    assert!(extract_page(b"", Some("empty.html")).is_err());
}

#[test]
fn wrong_declared_charset() {
    // GBK bytes declared as UTF-8, and UTF-8 bytes declared as Big5.
    let body = PARA.repeat(10);
    let page = format!(
        "<html><head><meta charset=\"utf-8\"><title>编码错误</title></head><body><div>{body}</div></body></html>"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&page);
    let p = extract_page(&gbk, Some("gbk-as-utf8.html")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        p.body_text().contains("调整公共交通票价"),
        "{:?} {}",
        p.body.first(),
        p.encoding
    );

    let page = page.replace("utf-8", "big5");
    let p =
        extract_page(page.as_bytes(), Some("utf8-as-big5.html")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        p.body_text().contains("调整公共交通票价"),
        "{:?} {}",
        p.body.first(),
        p.encoding
    );

    // An unknown charset label falls back to detection.
    let page = page.replace("big5", "x-no-such-charset");
    let p = extract_page(page.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    assert!(p.body_text().contains("调整公共交通票价"));
}
