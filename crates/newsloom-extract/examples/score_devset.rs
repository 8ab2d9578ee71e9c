//! Runs newsloom's page extractor over a labelled dev set and writes its output as JSON for
//! `bench/score.py` (the one shingle-F1 scorer shared with the Python peers).
//!
//! Usage: `score_devset <fixtures dir> <out.json> [repeats]`
//!
//! Every `*.json` gold file in the directory names its page (`file`); each page is extracted
//! `repeats` times (default 5) to time the extractor, and the output of the last run is
//! written as `[{file, title, published, authors, body: [..], kind}]`. Prints pages/s and the
//! body shingle F1/precision/recall (`newsloom_extract::score`, the same measure as
//! `bench/score.py`, which scores all systems side by side).

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .ok_or("usage: score_devset <fixtures dir> <out.json> [repeats]")?;
    let out = args
        .get(2)
        .ok_or("usage: score_devset <fixtures dir> <out.json> [repeats]")?;
    let repeats: usize = args
        .get(3)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(5)
        .max(1);

    let mut pages = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let gold: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)?;
        let file = gold
            .get("file")
            .and_then(|f| f.as_str())
            .ok_or_else(|| format!("{}: no \"file\"", path.display()))?;
        let url = gold.get("url").and_then(|u| u.as_str()).map(str::to_string);
        let bytes = std::fs::read(std::path::Path::new(dir).join(file))?;
        let gold_body = body_text(&gold);
        pages.push((file.to_string(), url, bytes, gold_body));
    }

    let start = Instant::now();
    let mut results = Vec::new();
    for round in 0..repeats {
        for (file, url, bytes, _) in &pages {
            let page = newsloom_extract::extract_page(bytes, Some(url.as_deref().unwrap_or(file)));
            if round + 1 == repeats {
                results.push(match page {
                    Ok(p) => serde_json::json!({
                        "file": file,
                        "title": p.title,
                        "published": p.published.map(|t| t.to_rfc3339()),
                        "authors": p.authors,
                        "body": p.body.iter().map(|b| b.text.clone()).collect::<Vec<_>>(),
                        "kind": p.kind.as_str(),
                    }),
                    Err(e) => serde_json::json!({"file": file, "error": e.to_string(), "body": []}),
                });
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = (pages.len() * repeats) as f64;
    std::fs::write(
        out,
        serde_json::to_vec_pretty(&serde_json::json!({
            "system": "newsloom",
            "pages_per_sec": n / secs,
            "pages": results,
        }))?,
    )?;
    let (mut sp, mut sr, mut sf) = (0.0, 0.0, 0.0);
    for ((_, _, _, gold), res) in pages.iter().zip(&results) {
        let body = body_text(res);
        let (p, r, f) = newsloom_extract::score::shingle_prf(&body, gold);
        sp += p;
        sr += r;
        sf += f;
    }
    let k = pages.len().max(1) as f64;
    println!(
        "newsloom: {} pages x {repeats} in {secs:.3}s = {:.1} pages/s; body F1 {:.3} P {:.3} R {:.3}",
        pages.len(),
        n / secs,
        sf / k,
        sp / k,
        sr / k
    );
    Ok(())
}

/// The `"body"` array of a gold or result record, one block per line.
fn body_text(record: &serde_json::Value) -> String {
    record
        .get("body")
        .and_then(|b| b.as_array())
        .map(|b| {
            b.iter()
                .filter_map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}
