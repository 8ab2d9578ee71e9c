//! Feeds: RSS 2.0, Atom and JSON Feed, one article per entry with the full content.

use newsloom_ingest::read_bytes;
use newsloom_model::Format;

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>美国之音中文网</title><link>https://www.voachinese.com</link><language>zh-cn</language>
<item>
  <title>普京会晤王毅</title>
  <link>https://www.voachinese.com/a/6974233.html</link>
  <pubDate>Wed, 22 Feb 2023 17:22:43 GMT</pubDate>
  <description>摘要</description>
  <content:encoded><![CDATA[<p>俄罗斯总统普京星期三在莫斯科会见王毅。</p><p>第二段。</p><script>alert(1)</script>]]></content:encoded>
</item>
<item><title></title><link>https://www.voachinese.com/a/1.html</link></item>
</channel></rss>"#;

const JSON_FEED: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "中央社", "items": [
  {"id": "1", "url": "https://www.cna.com.tw/news/aopl/202302220400.aspx", "title": "王毅會蒲亭",
   "content_html": "<p>（中央社台北22日電）王毅今天在莫斯科與蒲亭會談。（編輯：邱國強）1120222</p>",
   "date_published": "2023-02-22T18:04:07+08:00"}]}"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>零新聞</title>
<entry><title type="html">王毅晤土庫曼外長</title>
<link href="https://agora0.github.io/pen/2411/rthk/2024/11/30/RTHK-x.html" rel="alternate" type="text/html"/>
<published>2024-11-30T23:57:07+08:00</published><id>x</id>
<content type="html">&lt;p&gt;中共中央政治局委員、外長王毅在成都會見土庫曼副總理。&lt;/p&gt;</content></entry></feed>"#;

#[test]
fn rss_items_become_articles_and_bad_items_are_reported() {
    let outcome = read_bytes(RSS.as_bytes(), "voa.xml");
    assert_eq!(outcome.articles.len(), 1);
    let a = &outcome.articles[0];
    assert_eq!(a.source.format, Format::Rss);
    assert_eq!(
        (a.outlet_id.as_str(), a.title.as_str()),
        ("voa", "普京会晤王毅")
    );
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2023-02-22T17:22:43+00:00"
    );
    let texts: Vec<&str> = a.body.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        texts,
        vec!["俄罗斯总统普京星期三在莫斯科会见王毅。", "第二段。"]
    );
    assert_eq!(outcome.errors.len(), 1, "the untitled item is reported");
    assert_eq!(outcome.errors[0].0, "voa.xml#2");
}

#[test]
fn json_feed_items_are_cleaned_like_pages() {
    let outcome = read_bytes(JSON_FEED.as_bytes(), "cna.json");
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let a = &outcome.articles[0];
    assert_eq!(a.source.format, Format::JsonFeed);
    assert_eq!(
        (a.outlet.as_str(), a.dateline.as_deref()),
        ("中央社", Some("台北"))
    );
    assert_eq!(a.editors, vec!["邱國強"]);
    assert_eq!(
        a.body[0].text,
        "（中央社台北22日電）王毅今天在莫斯科與蒲亭會談。"
    );
    assert_eq!(a.published.unwrap().timestamp(), 1677060247);
}

#[test]
fn atom_entries_from_an_aggregator_keep_the_outlet_and_the_mirror() {
    let outcome = read_bytes(ATOM.as_bytes(), "feed.xml");
    let a = &outcome.articles[0];
    assert_eq!(a.source.format, Format::Atom);
    assert_eq!(a.outlet_id, "rthk");
    assert_eq!(a.url, None);
    assert_eq!(
        a.mirror_url.as_deref(),
        Some("https://agora0.github.io/pen/2411/rthk/2024/11/30/RTHK-x.html")
    );
    assert_eq!(a.script, newsloom_model::Script::Hant);
}

/// feed-rs keeps only the instant (in UTC); the article keeps the zone the feed wrote.
#[test]
fn entries_keep_the_time_zone_their_feed_wrote() {
    let published = |bytes: &str, path: &str| -> Vec<String> {
        let outcome = read_bytes(bytes.as_bytes(), path);
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        outcome
            .articles
            .iter()
            .map(|a| a.published.map(|t| t.to_rfc3339()).unwrap_or_default())
            .collect()
    };
    assert_eq!(
        published(ATOM, "feed.xml"),
        vec!["2024-11-30T23:57:07+08:00"]
    );
    assert_eq!(
        published(JSON_FEED, "cna.json"),
        vec!["2023-02-22T18:04:07+08:00"]
    );
    let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>联合早报</title>
<item><title>一</title><link>https://www.zaobao.com/a/1</link><description>甲。</description>
  <pubDate>Sat, 30 Nov 2024 22:34:03 +0800</pubDate></item>
<item><title>二</title><link>https://www.zaobao.com/a/2</link><description>乙。</description>
  <dc:date><![CDATA[2024-11-30T09:00:00-05:00]]></dc:date></item>
<item><title>三</title><link>https://www.zaobao.com/a/3</link><description>丙。</description>
  <pubDate>Sat, 30 Nov 2024 14:34:03 GMT</pubDate></item>
</channel></rss>"#;
    assert_eq!(
        published(rss, "zaobao.xml"),
        vec![
            "2024-11-30T22:34:03+08:00",
            "2024-11-30T09:00:00-05:00",
            "2024-11-30T14:34:03+00:00"
        ]
    );
}

/// A feed's title is spaced as the page extractor spaces its page's (RTHK separates the
/// parts of a headline with a full-width space; agora's page of it has a plain one).
#[test]
fn feed_titles_are_spaced_as_their_pages() {
    let feed = ATOM.replace(
        "王毅晤土庫曼外長",
        "王毅晤土庫曼外長\u{3000}冀雙方進一步提升貿易投資合作規模",
    );
    let outcome = read_bytes(feed.as_bytes(), "feed.xml");
    assert_eq!(
        outcome.articles[0].title,
        "王毅晤土庫曼外長 冀雙方進一步提升貿易投資合作規模"
    );
}
