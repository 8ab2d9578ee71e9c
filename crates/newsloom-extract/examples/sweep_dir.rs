//! Extracts every file under a directory (any extension) and prints counts by page kind,
//! empty bodies, errors and throughput: a robustness check on material outside the dev set.
//!
//! Usage: `sweep_dir <dir> [--show N]` (prints the first N titles and body starts)

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).ok_or("usage: sweep_dir <dir> [--show N]")?;
    let show: usize = match args.get(2).map(String::as_str) {
        Some("--show") => args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(10),
        _ => 0,
    };
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let (mut bytes_total, mut kinds, mut empty, mut errors) =
        (0usize, std::collections::BTreeMap::new(), 0, 0);
    let start = Instant::now();
    for (i, f) in files.iter().enumerate() {
        let bytes = std::fs::read(f)?;
        bytes_total += bytes.len();
        match newsloom_extract::extract_page(&bytes, Some(&f.to_string_lossy())) {
            Ok(p) => {
                *kinds.entry(p.kind.as_str()).or_insert(0) += 1;
                if p.body.is_empty() {
                    empty += 1;
                }
                if i < show {
                    let body = p.body_text();
                    let head: String = body.chars().take(80).collect();
                    println!(
                        "{} | {:?} | {:?} | {} | {head}",
                        f.display(),
                        p.kind,
                        p.title,
                        p.published.map(|t| t.to_rfc3339()).unwrap_or_default()
                    );
                }
            }
            Err(e) => {
                errors += 1;
                eprintln!("{e}");
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} files, {:.1} MB in {secs:.2}s ({:.1} files/s, {:.1} MB/s); kinds {kinds:?}; empty bodies {empty}; errors {errors}",
        files.len(),
        bytes_total as f64 / 1e6,
        files.len() as f64 / secs,
        bytes_total as f64 / 1e6 / secs
    );
    Ok(())
}
