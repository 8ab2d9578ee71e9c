//! Prints what newsloom extracts from one HTML page, as JSON.
//!
//! Usage: `extract_page <file.html> [url]`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: extract_page <file.html> [url]")?;
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let url = args.get(2).map(String::as_str).unwrap_or(path);
    let p = newsloom_extract::extract_page(&bytes, Some(url))?;
    let json = serde_json::json!({
        "kind": p.kind.as_str(),
        "title": p.title,
        "published": p.published.map(|t| t.to_rfc3339()),
        "precision": p.published_precision,
        "authors": p.authors,
        "editors": p.editors,
        "dateline": p.dateline,
        "site_name": p.site_name,
        "canonical_url": p.canonical_url,
        "language": p.language,
        "script": p.script,
        "encoding": p.encoding,
        "body": p.body.iter().map(|b| format!("{:?}: {}", b.kind, b.text)).collect::<Vec<_>>(),
        "images": p.images,
        "related": p.related,
    });
    println!("{}", serde_json::to_string_pretty(&json)?);
    Ok(())
}
