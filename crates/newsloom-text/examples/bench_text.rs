//! The Rust half of `bench/text.sh`: newsloom's t2s conversion, matching form and segmentation
//! on the text of agora-pen-2411, plus OpenCC's own t2s test cases.
//!
//! bench_text dump OUT.txt            write the corpus text, one page a line (tags stripped)
//! bench_text run TEXT.txt T2S_OUT    time t2s / matching_form / tokens on TEXT, write t2s output
//! bench_text cases TESTCASES.json    run OpenCC's t2s test cases through newsloom's conversion

mod common;

use std::time::Instant;

use newsloom_text::{TextLayer, t2s};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dump") => dump(args.get(1).ok_or_else(|| anyhow::anyhow!("dump OUT.txt"))?),
        Some("run") => run(
            args.get(1)
                .ok_or_else(|| anyhow::anyhow!("run TEXT.txt T2S_OUT"))?,
            args.get(2)
                .ok_or_else(|| anyhow::anyhow!("run TEXT.txt T2S_OUT"))?,
        ),
        Some("cases") => cases(
            args.get(1)
                .ok_or_else(|| anyhow::anyhow!("cases TESTCASES.json"))?,
        ),
        _ => anyhow::bail!("usage: bench_text dump OUT | run TEXT T2S_OUT | cases TESTCASES.json"),
    }
}

fn dump(out: &str) -> anyhow::Result<()> {
    let shared = common::shared_dir().ok_or_else(|| anyhow::anyhow!("../shared not found"))?;
    let root = shared.join("corpora/agora-pen-2411");
    let mut text = String::new();
    for p in common::agora_pages(&root) {
        if let Some(page) = common::read_agora_page(&p, &root) {
            text.push_str(&page.text().replace(['\n', '\r'], " "));
            text.push('\n');
        }
    }
    std::fs::write(out, &text)?;
    eprintln!(
        "wrote {} bytes, {} pages to {out}",
        text.len(),
        text.lines().count()
    );
    Ok(())
}

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn run(path: &str, t2s_out: &str) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let lines: Vec<&str> = text.lines().collect();
    let mb = text.len() as f64 / 1e6;
    let t = Instant::now();
    let layer = TextLayer::default();
    let build = t.elapsed().as_secs_f64();
    // Warm the lazily built converter.
    let _ = t2s("臺灣");

    let mut converted = Vec::with_capacity(lines.len());
    let secs_t2s = best_of(3, || {
        converted = lines.iter().map(|l| t2s(l)).collect::<Vec<_>>();
    });
    std::fs::write(t2s_out, converted.join("\n") + "\n")?;

    let mut matching_bytes = 0usize;
    let secs_match = best_of(3, || {
        matching_bytes = lines.iter().map(|l| layer.matching_form(l).len()).sum();
    });
    let mut tokens = 0usize;
    let secs_tok = best_of(3, || {
        tokens = lines.iter().map(|l| layer.tokens(l).len()).sum();
    });
    // Full analysis (sentences, entities, quotes, dates) on the first 1,000 pages.
    let sample: Vec<newsloom_model::Article> = lines
        .iter()
        .take(1000)
        .map(|l| {
            let page = common::PageText {
                path: path.into(),
                outlet: "bench".into(),
                title: String::new(),
                published: Some("2024-11-15T12:00:00+08:00".into()),
                paragraphs: vec![l.to_string()],
            };
            page.article()
        })
        .collect();
    let sample_mb = sample.iter().map(|a| a.body_chars()).sum::<usize>() as f64;
    let mut entities = 0usize;
    let secs_analyze = best_of(1, || {
        entities = sample.iter().map(|a| layer.analyze(a).entities.len()).sum();
    });
    println!(
        "newsloom_analyze_articles_s\t{:.0}",
        sample.len() as f64 / secs_analyze
    );
    println!(
        "newsloom_analyze_kchars_s\t{:.0}",
        sample_mb / secs_analyze / 1e3
    );
    println!("newsloom_text_mb\t{mb:.2}");
    println!("newsloom_pages\t{}", lines.len());
    println!("newsloom_layer_build_s\t{build:.3}");
    println!("newsloom_t2s_mb_s\t{:.2}", mb / secs_t2s);
    println!("newsloom_matching_mb_s\t{:.2}", mb / secs_match);
    println!(
        "newsloom_matching_articles_s\t{:.0}",
        lines.len() as f64 / secs_match
    );
    println!("newsloom_tokens_mb_s\t{:.2}", mb / secs_tok);
    println!("newsloom_tokens\t{tokens}");
    let _ = matching_bytes;
    Ok(())
}

#[derive(serde::Deserialize)]
struct Suite {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    id: String,
    input: String,
    expected: std::collections::HashMap<String, String>,
}

fn cases(path: &str) -> anyhow::Result<()> {
    // The shipped file has trailing commas, which JSON does not allow.
    let raw = std::fs::read_to_string(path)?;
    let lenient = regex::Regex::new(r",(\s*[\]}])")?
        .replace_all(&raw, "$1")
        .into_owned();
    let suite: Suite = serde_json::from_str(&lenient)?;
    let (mut same, mut total) = (0, 0);
    for case in &suite.cases {
        let Some(expected) = case.expected.get("t2s") else {
            continue;
        };
        total += 1;
        let got = t2s(&case.input);
        if &got == expected {
            same += 1;
        } else {
            eprintln!(
                "differs {}: {} → {} (OpenCC: {})",
                case.id, case.input, got, expected
            );
        }
    }
    println!("opencc_t2s_cases_identical\t{same}/{total}");
    Ok(())
}
