//! Prints the story view of a set of article files treated as one story, as JSON:
//! `cargo run -p newsloom-view --example view_files -- examples/seeds/*.txt`.

use newsloom_text::TextLayer;
use newsloom_view::{StoryMeta, StoryView};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut articles = Vec::new();
    for path in std::env::args().skip(1) {
        let outcome = newsloom_ingest::read_file(std::path::Path::new(&path));
        articles.extend(outcome.articles);
    }
    let layer = TextLayer::default();
    let view = StoryView::from_articles(&StoryMeta::default(), &layer, &articles);
    println!("{}", serde_json::to_string_pretty(&view)?);
    Ok(())
}
