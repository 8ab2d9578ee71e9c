//! Measures whether OpenCC's regional t2s configs (tw2sp: Taiwan phrases, hk2s) bring
//! traditional-script outlets closer to the simplified-script ones than plain t2s does.
//!
//! For each traditional page of agora-pen-2411 (detected script), every phrase the regional
//! config changes relative to t2s is counted, with how often the t2s form and the regional form
//! occur in the simplified pages. A regional rewrite helps matching when simplified copy uses
//! its output more than the t2s output.
//!
//! With `--write PATH` it also selects, phrase by phrase, the OpenCC Taiwan phrasings
//! (TWPhrasesRev) whose rewritten form simplified copy uses clearly more (at least 3 times, while
//! the t2s form occurs at most twice, or at most 15 times and 20× less; a few computing senses
//! are vetoed) and writes them as `data/regional_phrases.tsv`.
//!
//! cargo run --release -p newsloom-text --example regional_variants [-- --write PATH]

mod common;

use std::collections::HashMap;

use ferrous_opencc::{OpenCC, config::BuiltinConfig};
use newsloom_model::Script;

fn main() -> anyhow::Result<()> {
    let shared = common::shared_dir().ok_or_else(|| anyhow::anyhow!("../shared not found"))?;
    let root = shared.join("corpora/agora-pen-2411");
    let (mut trad, mut simp) = (Vec::new(), String::new());
    for p in common::agora_pages(&root) {
        let Some(page) = common::read_agora_page(&p, &root) else {
            continue;
        };
        let text = page.text();
        match newsloom_model::detect_script(&text) {
            Script::Hant => trad.push(text),
            Script::Hans => {
                simp.push_str(&text);
                simp.push('\n');
            }
            _ => {}
        }
    }
    for (name, cfg) in [
        ("tw2sp", BuiltinConfig::Tw2sp),
        ("tw2s", BuiltinConfig::Tw2s),
        ("hk2s", BuiltinConfig::Hk2s),
    ] {
        let regional = OpenCC::from_config(cfg)?;
        // (t2s form, regional form) → occurrences in traditional pages
        let mut changes: HashMap<(String, String), usize> = HashMap::new();
        for t in &trad {
            let a: Vec<char> = newsloom_text::t2s(t).chars().collect();
            let b: Vec<char> = regional.convert(t).chars().collect();
            if a.len() != b.len() {
                continue;
            }
            let mut i = 0;
            while i < a.len() {
                if a.get(i) != b.get(i) {
                    let mut j = i;
                    while j < a.len() && a.get(j) != b.get(j) {
                        j += 1;
                    }
                    // Widen to two characters of context so counts are of words, not glyphs.
                    let s = i.saturating_sub(1);
                    let e = (j + 1).min(a.len());
                    let from: String = a.get(s..e).unwrap_or_default().iter().collect();
                    let to: String = b.get(s..e).unwrap_or_default().iter().collect();
                    *changes.entry((from, to)).or_default() += 1;
                    i = j;
                }
                i += 1;
            }
        }
        let (mut helps, mut hurts, mut neutral) = (0usize, 0usize, 0usize);
        let mut rows: Vec<_> = changes.iter().collect();
        rows.sort_by(|x, y| y.1.cmp(x.1));
        println!(
            "== {name}: {} distinct rewrites in {} traditional pages",
            rows.len(),
            trad.len()
        );
        for ((from, to), n) in &rows {
            let f = simp.matches(from.as_str()).count();
            let t = simp.matches(to.as_str()).count();
            if t > f {
                helps += *n;
            } else if f > t {
                hurts += *n;
            } else {
                neutral += *n;
            }
        }
        for ((from, to), n) in rows.iter().take(15) {
            println!(
                "  {from} → {to}  ×{n}  (in simplified pages: {} vs {})",
                simp.matches(from.as_str()).count(),
                simp.matches(to.as_str()).count()
            );
        }
        println!(
            "  occurrences where the regional form is more common in simplified copy: {helps}, less common: {hurts}, tie: {neutral}"
        );
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let path = args
            .get(i + 1)
            .ok_or_else(|| anyhow::anyhow!("--write PATH"))?;
        let trad_all: String = trad.join("\n");
        let mut out = String::from(
            "# Taiwan phrasings (OpenCC TWPhrasesRev) that the matching form rewrites, selected by\n\
             # measurement (examples/regional_variants.rs --write): kept when simplified copy uses the\n\
             # rewritten form clearly more than the t2s form. Columns: traditional key, traditional value,\n\
             # t2s-form count, rewritten-form count in the simplified pages of agora-pen-2411.\n",
        );
        let (mut kept, mut seen) = (0, 0);
        for (key, value) in newsloom_text::opencc_taiwan_phrases() {
            if !trad_all.contains(key.as_str()) {
                continue;
            }
            seen += 1;
            let (from, to) = (newsloom_text::t2s(&key), newsloom_text::t2s(&value));
            if from == to {
                continue;
            }
            let (f, t) = (
                simp.matches(from.as_str()).count(),
                simp.matches(to.as_str()).count(),
            );
            // Mainland copy must (almost) never use the Taiwan word itself, else rewriting
            // Taiwan's uses splits them from the mainland's; and the rewritten form must be
            // clearly the mainland word. Computing senses that news uses otherwise are vetoed.
            const VETO: &[&str] = &[
                "宣告", "行程", "物件", "存取", "檢視", "智慧", "呼叫", "引數", "取樣", "批次",
                "相容", "社群", "資料",
            ];
            if VETO.contains(&key.as_str()) {
                continue;
            }
            if t >= 3 && (f <= 2 || (f <= 15 && t >= 20 * f)) {
                kept += 1;
                out.push_str(&format!("{key}\t{value}\t{f}\t{t}\n"));
            }
        }
        std::fs::write(path, out)?;
        eprintln!("{kept} of {seen} Taiwan phrasings seen in traditional pages kept → {path}");
    }
    Ok(())
}
