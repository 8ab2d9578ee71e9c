//! HTML to clean article parts.
//!
//! - [`blocks`]: a DOM subtree → body blocks, images with captions, related links;
//! - [`boilerplate`]: block-level rules that drop what is not the article (sources lines,
//!   short URLs, copyright, donation appeals, share prompts) and lift bylines out of the text;
//! - [`byline`]: authors, editors, datelines and dates written in the text;
//! - [`outlet`]: which outlet a URL, domain or name belongs to.

pub mod blocks;
pub mod boilerplate;
pub mod byline;
pub mod classify;
pub mod encoding;
pub mod meta;
pub mod outlet;
pub mod page;
pub mod score;

pub use blocks::{Fragment, fragment_from_html, walk};
pub use classify::PageKind;
pub use page::{ExtractError, PageExtract, extract_page};
