//! Page classification: is this page one article, a list of articles, or something else?
//!
//! `ingest` reports and skips list pages, so a list page taken for an article would put a
//! page of headlines into the story stream, and an article taken for a list would lose news.
//! The decision combines what the page says about itself (`og:type`, JSON-LD `@type`,
//! `itemprop=articleBody`), the URL's shape (`index.html`, `pageN/`, `/tag/`), and the
//! shape of its text: an article has a block of running text with sentence punctuation and
//! few links; a list page has many same-shaped links and little running prose.

use serde::{Deserialize, Serialize};

/// What kind of page this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// One article (news report, commentary, announcement).
    Article,
    /// An index of other pages: home page, section or tag page, pagination, archive.
    List,
    /// An error page (`404`, `页面不存在`): what a site serves where no article is. Never an
    /// article, whatever text it carries.
    Error,
    /// Anything else: about pages, empty shells.
    Other,
}

impl PageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Article => "article",
            PageKind::List => "list",
            PageKind::Error => "error",
            PageKind::Other => "other",
        }
    }
}

/// The measurements classification is based on; computed by the page extractor.
#[derive(Debug, Clone, Default)]
pub struct PageSignals {
    /// The URL or file path of the page, if known.
    pub location: Option<String>,
    /// The page declares itself an article (`og:type=article`, JSON-LD `*Article`/`BlogPosting`).
    pub declares_article: bool,
    /// The page carries an explicit article body container (`itemprop=articleBody`).
    pub has_article_body_marker: bool,
    /// Characters of running text in the chosen main-content container (links excluded).
    pub content_chars: usize,
    /// Sentence punctuation marks (。！？；，) in that text.
    pub content_punctuation: usize,
    /// Prose runs (sentences outside links, not teasers under linked headlines) in the main
    /// content container.
    pub content_paragraphs: usize,
    /// Share of the main content container's characters that are link text.
    pub content_link_density: f64,
    /// The largest number of links with the same shape (same parent tag path) on the page.
    pub largest_link_group: usize,
    /// Total characters of link text on the page.
    pub page_link_chars: usize,
    /// Total characters of visible text on the page.
    pub page_text_chars: usize,
    /// The page has a title (headline) to give the article.
    pub has_title: bool,
    /// The page says it is an error page (`404`, `页面不存在`, …) in its title, its location
    /// or its few lines of text.
    pub looks_like_error: bool,
}

/// Classifies a page.
pub fn classify(s: &PageSignals) -> PageKind {
    if s.looks_like_error {
        return PageKind::Error;
    }
    let path_says_list = s.location.as_deref().is_some_and(location_looks_like_list);
    let prose = s.content_chars >= 80 && s.content_punctuation >= 2;
    let link_ratio = if s.page_text_chars == 0 {
        1.0
    } else {
        s.page_link_chars as f64 / s.page_text_chars as f64
    };
    let link_heavy = s.largest_link_group >= 8 && link_ratio > 0.45;

    if path_says_list && !(s.has_article_body_marker && prose && !link_heavy) {
        return PageKind::List;
    }
    if prose && (s.declares_article || s.has_article_body_marker) {
        return PageKind::Article;
    }
    // A one-line notice (`美國感恩節假期，金融市場休市。`) or an embed with a credit line, in
    // an explicit article-body container.
    if s.has_article_body_marker && s.has_title && s.content_chars >= 1 && !link_heavy {
        return PageKind::Article;
    }
    // A headline-only article (its body container is empty in the source) is still an
    // article, not a list: say so, and let the caller decide what to do with no text.
    if s.has_article_body_marker && s.declares_article && s.has_title && !link_heavy {
        return PageKind::Article;
    }
    // Many same-shaped links and not one sentence of running text: an index, even when each
    // link carries a summary.
    if s.largest_link_group >= 8 && s.content_paragraphs == 0 {
        return PageKind::List;
    }
    if (link_heavy || s.content_link_density > 0.5) && s.content_paragraphs < 3 {
        return PageKind::List;
    }
    if prose && s.content_paragraphs >= 1 && s.has_title {
        return PageKind::Article;
    }
    if s.largest_link_group >= 10 && s.content_chars < 200 {
        return PageKind::List;
    }
    // Short notices (a one-paragraph announcement) are still articles when they have a
    // headline and a sentence.
    if s.has_title && s.content_chars >= 30 && s.content_punctuation >= 1 && !link_heavy {
        return PageKind::Article;
    }
    PageKind::Other
}

/// URL or file path shapes that name index pages: `index.html` at a section root,
/// `pageN/`, `page/N`, `/tag/…`, `/category/…`, `list_…`, `?page=N`.
pub fn location_looks_like_list(loc: &str) -> bool {
    let loc = loc
        .split(['?', '#'])
        .next()
        .unwrap_or(loc)
        .to_ascii_lowercase();
    let query = loc.split_once('?').map(|(_, q)| q).unwrap_or("");
    let segments: Vec<&str> = loc.split(['/', '\\']).filter(|s| !s.is_empty()).collect();
    let Some(last) = segments.last() else {
        return true;
    };
    let is_index_file = matches!(
        *last,
        "index.html" | "index.htm" | "index.shtml" | "default.html" | "default.aspx" | "index.php"
    );
    let paged = segments.iter().any(|s| {
        s.strip_prefix("page")
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    }) || segments
        .windows(2)
        .any(|w| matches!(w, [a, b] if *a == "page" && b.chars().all(|c| c.is_ascii_digit())));
    let section = segments.iter().any(|s| {
        matches!(
            *s,
            "tag" | "tags" | "category" | "categories" | "archive" | "archives" | "topics"
        )
    }) || last.starts_with("list_")
        || last.starts_with("list-");
    // An `index.html` deep inside a dated path (`…/2024/11/05/slug/index.html`) is how
    // static sites publish single articles, so only treat index files as lists when the
    // path has no day component.
    let dated = segments.windows(3).any(|w| {
        w.iter().all(|s| s.chars().all(|c| c.is_ascii_digit()))
            && w.first().is_some_and(|y| y.len() == 4)
    });
    paged || section || query.contains("page=") || (is_index_file && !dated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_locations() {
        for loc in [
            "agora/index.html",
            "agora/page12/index.html",
            "https://x.com/tag/china/",
            "https://x.com/news/page/3",
            "cna/index.html",
            "/",
        ] {
            assert!(location_looks_like_list(loc), "{loc}");
        }
        for loc in [
            "cna/2024/11/23/CNA-標題.html",
            "https://news.163.com/19/0615/08/EHD.html",
            "blog/2024/11/05/slug/index.html",
        ] {
            assert!(!location_looks_like_list(loc), "{loc}");
        }
    }

    #[test]
    fn prose_with_marker_is_article_link_farm_is_list() {
        let article = PageSignals {
            declares_article: true,
            content_chars: 800,
            content_punctuation: 30,
            content_paragraphs: 6,
            largest_link_group: 12,
            page_link_chars: 300,
            page_text_chars: 1500,
            has_title: true,
            ..Default::default()
        };
        assert_eq!(classify(&article), PageKind::Article);
        let list = PageSignals {
            content_chars: 120,
            content_punctuation: 1,
            largest_link_group: 40,
            page_link_chars: 1200,
            page_text_chars: 1500,
            has_title: true,
            ..Default::default()
        };
        assert_eq!(classify(&list), PageKind::List);
        let paged = PageSignals {
            location: Some("site/page7/index.html".into()),
            ..article.clone()
        };
        assert_eq!(classify(&paged), PageKind::List);
        let error = PageSignals {
            looks_like_error: true,
            ..article
        };
        assert_eq!(classify(&error), PageKind::Error);
    }
}
