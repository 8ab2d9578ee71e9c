//! Prints the story view of a set of article files treated as one story, as JSON:
//! `cargo run -p newsloom-view --example view_files -- examples/seeds/*.txt`.

use newsloom_text::TextLayer;
use newsloom_view::{DuplicateLink, EventInput, PassageLink, StoryMeta, StoryView};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut articles = Vec::new();
    for path in std::env::args().skip(1) {
        let outcome = newsloom_ingest::read_file(std::path::Path::new(&path));
        articles.extend(outcome.articles);
    }
    let layer = TextLayer::default();
    let analyses: Vec<_> = articles.iter().map(|a| layer.analyze(a)).collect();
    let clusters =
        newsloom_cluster::cluster_articles(&layer, &articles, &newsloom_cluster::Config::default());
    let duplicates: Vec<DuplicateLink> = clusters.duplicates.iter().map(Into::into).collect();
    let passages: Vec<PassageLink> = clusters.passages.iter().map(Into::into).collect();
    let events: Vec<EventInput> = clusters.events.iter().map(Into::into).collect();
    let view = StoryView::build(
        &StoryMeta::default(),
        &articles,
        &analyses,
        &duplicates,
        &passages,
        &events,
    );
    println!("{}", serde_json::to_string_pretty(&view)?);
    Ok(())
}
