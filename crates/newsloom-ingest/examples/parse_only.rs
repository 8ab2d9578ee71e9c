//! Reference for the ingest benchmark: how fast the HTML5 parser alone reads the same files
//! (read + UTF-8 decode + html5ever tree build, nothing else). `bench/ingest.sh` runs it side
//! by side with `newsloom ingest` and reports the ratio.

use std::time::Instant;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: parse_only DIR");
        std::process::exit(2);
    };
    let start = Instant::now();
    let (mut bytes, mut pages, mut nodes) = (0u64, 0u64, 0usize);
    for entry in walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(data) = std::fs::read(entry.path()) else {
            continue;
        };
        let text = String::from_utf8_lossy(&data);
        nodes += scraper::Html::parse_document(&text).tree.nodes().count();
        bytes += data.len() as u64;
        pages += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"pages\": {pages}, \"bytes\": {bytes}, \"seconds\": {secs:.3}, \"mb_per_s\": {:.1}, \"pages_per_s\": {:.1}, \"nodes\": {nodes}}}",
        bytes as f64 / 1e6 / secs,
        pages as f64 / secs
    );
}
