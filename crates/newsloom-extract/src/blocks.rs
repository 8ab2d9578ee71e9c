//! A DOM subtree → body blocks, images with captions, and related links.
//!
//! This is the one place where HTML becomes article text, used by every reader that meets
//! HTML (mirror markdown, feed markdown, Jekyll posts, feeds, whole pages). It walks the tree
//! iteratively (hostile pages nest 10,000 deep), drops what is never article text (scripts,
//! styles, hidden spans, ad slots, forms), and joins text the way Chinese is typeset:
//! whitespace that prettified HTML puts around `<ok>中共</ok>` disappears between CJK
//! characters and collapses to one space between Latin words.

use ego_tree::iter::Edge;
use newsloom_model::{Block, BlockKind, Image, Link};
use scraper::node::{Element, Node};
use scraper::{ElementRef, Html};

/// What the walker found in a subtree.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Fragment {
    pub blocks: Vec<Block>,
    pub images: Vec<Image>,
    pub related: Vec<Link>,
}

/// Parses an HTML fragment (a feed entry's content, a mirror page's embedded HTML) and walks it.
pub fn fragment_from_html(html: &str) -> Fragment {
    let doc = Html::parse_fragment(html);
    walk(doc.root_element())
}

/// Walks the subtree under `root` and collects its blocks, images and related links.
pub fn walk(root: ElementRef<'_>) -> Fragment {
    walk_except(root, &std::collections::HashSet::new())
}

/// Like [`walk`], but leaves out the subtrees rooted at `skip` (the page extractor uses it to
/// keep related-link lists, share bars and comment boxes inside the content container out).
pub fn walk_except(
    root: ElementRef<'_>,
    skip: &std::collections::HashSet<ego_tree::NodeId>,
) -> Fragment {
    let mut walker = Walker {
        skip: Some(skip),
        ..Walker::default()
    };
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => walker.open(node.value(), node.id()),
            Edge::Close(node) => walker.close(node.value(), node.id()),
        }
    }
    walker.flush();
    walker.finish()
}

/// The text of an element, joined as body text is (for titles, captions, bylines).
pub fn element_text(el: ElementRef<'_>) -> String {
    let mut raw = String::new();
    for text in el.text() {
        raw.push_str(text);
    }
    join_cjk_whitespace(&raw)
}

#[derive(Default)]
struct Walker<'s> {
    /// Subtrees the caller asked to leave out.
    skip: Option<&'s std::collections::HashSet<ego_tree::NodeId>>,
    /// Raw text of the block being built.
    text: String,
    /// Characters of `text` that came from inside links, and the links themselves.
    link_chars: usize,
    links: Vec<Link>,
    /// Block kinds of the open block elements, innermost last.
    kinds: Vec<BlockKind>,
    /// While inside a subtree we drop (script, hidden span, ad slot), the id of its root.
    skipping: Option<ego_tree::NodeId>,
    /// Open `<a href>` elements: (node id, href, text length at open).
    open_links: Vec<(ego_tree::NodeId, String, usize)>,
    /// Open caption containers (`<figcaption>`, `<small>`, `.caption`): captions, not body.
    caption_depth: usize,
    caption_text: String,
    blocks: Vec<RawBlock>,
    images: Vec<Image>,
    /// The image seen since the last block: the next block may be its caption.
    pending_image: Option<usize>,
    related: Vec<Link>,
}

struct RawBlock {
    kind: BlockKind,
    text: String,
    /// Index into `images` of the image this block directly follows, if any.
    after_image: Option<usize>,
    all_link: bool,
    links: Vec<Link>,
}

impl Walker<'_> {
    fn open(&mut self, node: &Node, id: ego_tree::NodeId) {
        if self.skipping.is_some() {
            return;
        }
        match node {
            Node::Text(t) => {
                if self.caption_depth > 0 {
                    self.caption_text.push_str(t);
                } else {
                    self.text.push_str(t);
                }
            }
            Node::Element(el) => self.open_element(el, id),
            _ => {}
        }
    }

    fn open_element(&mut self, el: &Element, id: ego_tree::NodeId) {
        let name = el.name();
        if is_dropped(el) || self.skip.is_some_and(|s| s.contains(&id)) {
            self.skipping = Some(id);
            return;
        }
        match name {
            "img" => self.image(el),
            "br" | "hr" => self.flush(),
            "a" => {
                if let Some(href) = el.attr("href") {
                    self.open_links
                        .push((id, href.to_string(), self.text.len()));
                }
            }
            _ => {}
        }
        if is_caption(el) {
            self.flush();
            self.caption_depth += 1;
        } else if let Some(kind) = block_kind(name) {
            self.flush();
            self.kinds.push(kind);
        }
    }

    fn close(&mut self, node: &Node, id: ego_tree::NodeId) {
        if let Some(skip) = self.skipping {
            if skip == id {
                self.skipping = None;
            }
            return;
        }
        let Node::Element(el) = node else { return };
        if el.name() == "a" {
            self.close_link(id);
        }
        if is_caption(el) {
            self.caption_depth = self.caption_depth.saturating_sub(1);
            if self.caption_depth == 0 {
                let caption = std::mem::take(&mut self.caption_text);
                self.attach_caption(&join_cjk_whitespace(&caption));
            }
        } else if block_kind(el.name()).is_some() {
            self.flush();
            self.kinds.pop();
        }
    }

    fn close_link(&mut self, id: ego_tree::NodeId) {
        let Some(pos) = self.open_links.iter().rposition(|(lid, _, _)| *lid == id) else {
            return;
        };
        let (_, href, start) = self.open_links.remove(pos);
        let title = join_cjk_whitespace(self.text.get(start..).unwrap_or(""));
        if title.is_empty() {
            return;
        }
        self.link_chars += title.chars().count();
        self.links.push(Link { url: href, title });
    }

    fn image(&mut self, el: &Element) {
        let Some(url) = image_url(el) else { return };
        if is_ad_or_pixel(el, &url) {
            return;
        }
        // An image inside running text ends the block before it: its caption follows it.
        self.flush();
        let alt = el
            .attr("alt")
            .map(join_cjk_whitespace)
            .filter(|a| !a.is_empty());
        let (caption, credit) = match alt {
            Some(a) => split_credit(&a),
            None => (None, None),
        };
        self.images.push(Image {
            url,
            caption,
            credit,
        });
        self.pending_image = Some(self.images.len() - 1);
    }

    /// A `<figcaption>`/`<small>`/`.caption` text belongs to the latest image.
    fn attach_caption(&mut self, caption: &str) {
        if caption.is_empty() {
            return;
        }
        match self.images.last_mut() {
            Some(img) => {
                let (text, credit) = split_credit(caption);
                img.caption = text.or(img.caption.take());
                if credit.is_some() {
                    img.credit = credit;
                }
            }
            // A caption with no image is still text of the page, not boilerplate.
            None => self.text.push_str(caption),
        }
    }

    fn flush(&mut self) {
        let text = join_cjk_whitespace(&self.text);
        self.text.clear();
        // Links still open continue into the next block.
        for link in &mut self.open_links {
            link.2 = 0;
        }
        let link_chars = std::mem::take(&mut self.link_chars);
        let links = std::mem::take(&mut self.links);
        if text.is_empty() {
            return;
        }
        let chars = text.chars().count();
        self.blocks.push(RawBlock {
            kind: self.kinds.last().copied().unwrap_or(BlockKind::Paragraph),
            text,
            after_image: self.pending_image.take(),
            all_link: !links.is_empty() && link_chars * 10 >= chars * 9,
            links,
        });
    }

    fn finish(mut self) -> Fragment {
        let mut fragment = Fragment {
            images: std::mem::take(&mut self.images),
            ..Fragment::default()
        };
        for block in self.blocks {
            if let Some(i) = block.after_image
                && let Some(img) = fragment.images.get_mut(i)
                && is_caption_of(&block.text, img)
            {
                let (text, credit) = split_credit(&block.text);
                img.caption = text.or(img.caption.take());
                if credit.is_some() {
                    img.credit = credit;
                }
                continue;
            }
            if block.all_link && block.kind != BlockKind::Heading {
                fragment.related.extend(block.links);
                continue;
            }
            fragment.blocks.push(Block::new(block.kind, block.text));
        }
        self.related.append(&mut fragment.related);
        fragment.related = self.related;
        fragment
    }
}

/// Is a text block right after an image its caption? Captions repeat the alt text, or are
/// short and end with a credit in brackets, as news captions do.
fn is_caption_of(text: &str, img: &Image) -> bool {
    let (body, credit) = split_credit(text);
    if let (Some(alt), Some(body)) = (&img.caption, &body)
        && (body.contains(alt.as_str()) || alt.contains(body.as_str()))
        // A lead paragraph often repeats the caption sentence and goes on (DW, AJ): a block
        // much longer than the caption is text, not the caption.
        && body.chars().count() <= alt.chars().count() * 3 / 2 + 20
    {
        return true;
    }
    credit.is_some() && text.chars().count() <= 200
}

/// Splits a trailing credit `（图片来源：AFP/Getty Images）` off a caption.
///
/// A bracketed tail is a credit when it names a source (图片来源, 摄影, Getty, 路透社, …) or is
/// mostly Latin names (`Sputnik/Anton Novoderezhkin/Pool via 路透社`); a date in brackets
/// (`（2023年2月22日）`) stays part of the caption.
pub fn split_credit(caption: &str) -> (Option<String>, Option<String>) {
    let caption = caption.trim();
    let non_empty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let Some(open) = caption.rfind(['（', '(']) else {
        return (non_empty(caption), None);
    };
    let Some(inner) = caption[open..]
        .strip_prefix(['（', '('])
        .and_then(|s| s.strip_suffix(['）', ')']))
    else {
        return (non_empty(caption), None);
    };
    const LABELS: [&str; 10] = [
        "图片来源",
        "圖片來源",
        "图源",
        "圖源",
        "摄影",
        "攝影",
        "照片",
        "图片",
        "圖片",
        "Photo",
    ];
    let label = LABELS.iter().find(|l| inner.starts_with(*l));
    let credit = match label {
        Some(l) => inner[l.len()..].trim_start_matches([':', '：', ' ']).trim(),
        None => inner.trim(),
    };
    let latin = credit.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let agency = [
        "路透",
        "美联社",
        "美聯社",
        "法新社",
        "新华社",
        "新華社",
        "中央社",
        "Getty",
        "AP",
        "AFP",
    ]
    .iter()
    .any(|a| credit.contains(a));
    let is_credit =
        !credit.is_empty() && (label.is_some() || agency || latin * 2 >= credit.chars().count());
    if is_credit {
        (non_empty(&caption[..open]), Some(credit.to_string()))
    } else {
        (non_empty(caption), None)
    }
}

fn block_kind(name: &str) -> Option<BlockKind> {
    Some(match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading,
        "blockquote" => BlockKind::Quote,
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "p" | "div" | "section" | "article" | "main" | "figure" | "center" | "table" | "tr"
        | "td" | "th" | "ul" | "ol" | "dl" | "pre" | "header" | "address" | "body" | "picture" => {
            BlockKind::Paragraph
        }
        _ => return None,
    })
}

fn is_caption(el: &Element) -> bool {
    matches!(el.name(), "figcaption" | "small")
        || el
            .classes()
            .any(|c| c.eq_ignore_ascii_case("caption") || c.eq_ignore_ascii_case("wp-caption-text"))
}

/// Subtrees that never hold article text.
fn is_dropped(el: &Element) -> bool {
    const NAMES: [&str; 19] = [
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
        "form", "input", "button", "select", "textarea", "nav", "ins", "audio", "video", "head",
    ];
    if NAMES.contains(&el.name()) || el.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    let id = el.id().unwrap_or("");
    id.starts_with("div-gpt-ad") || el.classes().any(|c| c.starts_with("adsbygoogle"))
}

/// Advertisement images, banners and tracking pixels are not article images.
fn is_ad_or_pixel(el: &Element, url: &str) -> bool {
    let tiny = |a: &str| {
        el.attr(a)
            .is_some_and(|v| matches!(v.trim().trim_end_matches("px"), "0" | "1"))
    };
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let ad_path = path.split('/').any(|seg| {
        matches!(
            seg.to_ascii_lowercase().as_str(),
            "ad" | "ads" | "advert" | "adv" | "banner" | "banners"
        )
    });
    let ad_alt = el
        .attr("alt")
        .is_some_and(|a| !a.trim().is_empty() && crate::boilerplate::is_boilerplate(a));
    tiny("width") || tiny("height") || ad_path || ad_alt
}

fn image_url(el: &Element) -> Option<String> {
    let raw = ["src", "data-src", "data-original", "data-lazy-src"]
        .iter()
        .filter_map(|a| el.attr(a))
        .find(|v| !v.trim().is_empty() && !v.starts_with("data:"))
        .or_else(|| el.attr("srcset").and_then(|s| s.split_whitespace().next()))?;
    Some(unwrap_image_proxy(raw.trim()))
}

/// Undoes image proxies (`https://images.weserv.nl?url=host/path`) to the original URL.
pub fn unwrap_image_proxy(url: &str) -> String {
    if let Some(pos) = url.find("images.weserv.nl")
        && let Some(q) = url[pos..].find("url=")
    {
        let inner = &url[pos + q + 4..];
        let inner = inner.split('&').next().unwrap_or(inner);
        let inner = percent_decode(inner);
        return if inner.starts_with("http://") || inner.starts_with("https://") {
            inner
        } else {
            format!("https://{inner}")
        };
    }
    url.to_string()
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

/// True for characters typeset without spaces around them: Han, kana, hangul, CJK and
/// full-width punctuation.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}' | '\u{2018}'..='\u{201F}'
        | '\u{2026}' | '\u{2014}' | '\u{00B7}' | '\u{20000}'..='\u{2FFFF}')
}

/// Collapses whitespace runs, trimmed at both ends. A run that holds a line break is layout
/// (prettified HTML breaks lines around every inline tag): it disappears next to a CJK
/// character. A run of plain spaces is the author's: it stays one space. Between Latin
/// words any run is one space. Ideographic spaces (U+3000) are content and kept.
pub fn join_cjk_whitespace(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut pending: Option<bool> = None; // Some(run holds a line break)
    // Copy runs of non-space text as slices: this runs over every character of every article.
    while !rest.is_empty() {
        let run_end = rest.find(is_collapsible_space).unwrap_or(rest.len());
        if run_end > 0 {
            let run = &rest[..run_end];
            if let (Some(newline), Some(prev), Some(next)) =
                (pending.take(), out.chars().next_back(), run.chars().next())
            {
                let touches_cjk =
                    is_cjk(prev) || is_cjk(next) || prev == '\u{3000}' || next == '\u{3000}';
                if !(touches_cjk && newline) {
                    out.push(' ');
                }
            }
            out.push_str(run);
            rest = &rest[run_end..];
        }
        let spaces = rest
            .find(|c: char| !is_collapsible_space(c))
            .unwrap_or(rest.len());
        if spaces > 0 {
            if !out.is_empty() {
                let newline = rest[..spaces].contains(['\n', '\r']);
                pending = Some(pending.unwrap_or(false) || newline);
            }
            rest = &rest[spaces..];
        }
    }
    out
}

/// Whitespace that layout may collapse; the ideographic space (U+3000) is content.
fn is_collapsible_space(c: char) -> bool {
    c.is_whitespace() && c != '\u{3000}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_prettified_cjk() {
        let f = fragment_from_html(
            "<p>\n 【看中国】\n <ok>\n  中共\n </ok>\n 中央外事工作委员会\n (Vladimir\n Putin)\n 说\n</p>",
        );
        assert_eq!(
            f.blocks[0].text,
            "【看中国】中共中央外事工作委员会(Vladimir Putin)说"
        );
    }

    #[test]
    fn drops_hidden_ads_and_scripts() {
        let f = fragment_from_html(
            r#"<p>正文<span style="color:red;display:none;">隐藏</span></p><div id="div-gpt-ad-1"><p>广告</p></div><script>x()</script><ins class="adsbygoogle">ad</ins>"#,
        );
        assert_eq!(f.blocks, vec![Block::paragraph("正文")]);
    }

    #[test]
    fn pairs_images_with_captions_and_credits() {
        let f = fragment_from_html(
            r#"<p><img alt="普京会见王毅。" src="https://a/x.jpg"/><br>2月22日，普京会见王毅。（图片来源：AFP/Getty Images）</p><p>正文一。</p>
               <img src="https://images.weserv.nl?url=gdb.voanews.com/y.jpg"><div><small>会谈。（2023年2月22日）</small></div><p>正文二。</p>"#,
        );
        assert_eq!(f.blocks.len(), 2, "{:?}", f.blocks);
        assert_eq!(
            f.images[0].caption.as_deref(),
            Some("2月22日，普京会见王毅。")
        );
        assert_eq!(f.images[0].credit.as_deref(), Some("AFP/Getty Images"));
        assert_eq!(f.images[1].url, "https://gdb.voanews.com/y.jpg");
        assert_eq!(
            f.images[1].caption.as_deref(),
            Some("会谈。（2023年2月22日）")
        );
        assert_eq!(f.images[1].credit, None);
    }

    #[test]
    fn link_only_blocks_are_related() {
        let f = fragment_from_html(
            r#"<p>正文。</p><div><a href="/a/1.html"><span>蒲亭宣布習近平將訪莫斯科</span></a></div>"#,
        );
        assert_eq!(f.blocks.len(), 1);
        assert_eq!(
            f.related,
            vec![Link {
                url: "/a/1.html".into(),
                title: "蒲亭宣布習近平將訪莫斯科".into()
            }]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(20_000) + "深" + &"</div>".repeat(20_000);
        let f = fragment_from_html(&html);
        assert_eq!(f.blocks[0].text, "深");
    }
}
