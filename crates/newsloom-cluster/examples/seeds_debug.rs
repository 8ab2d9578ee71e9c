//! Prints the seed clustering and pairwise similarities (development aid).
use newsloom_cluster::{ArticleFeatures, Clusterer, Config};

fn main() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let text = newsloom_text::TextLayer::default();
    let mut arts: Vec<_> = files
        .iter()
        .flat_map(|p| newsloom_ingest::read_file(p).articles)
        .collect();
    arts.sort_by_key(|a| a.published);
    let config: Config = std::env::var("NEWSLOOM_CLUSTER_CONFIG")
        .ok()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let mut c = Clusterer::new(config);
    if let Ok(dir) = std::env::var("PRIME") {
        let mut stack = vec![std::path::PathBuf::from(dir)];
        let mut n = 0;
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    for a in newsloom_ingest::read_file(&p).articles {
                        c.prime_df(&ArticleFeatures::from_article(&text, &a));
                        n += 1;
                    }
                }
            }
        }
        eprintln!("primed {n}");
    }
    let feats: Vec<_> = arts
        .iter()
        .map(|a| ArticleFeatures::from_analysis(&text, a, &text.analyze(a)))
        .collect();
    for a in &arts {
        let an = text.analyze(a);
        println!(
            "entities {:?} quotes {}",
            an.entities.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
            an.quotes.len()
        );
    }
    for (a, f) in arts.iter().zip(&feats) {
        let asg = c.add(f);
        println!(
            "{} {:?} {} -> {} {} dup={:?}",
            &a.source.path[a.source.path.len() - 28..],
            a.published,
            a.title,
            asg.event,
            asg.story,
            asg.duplicate_of.map(|d| d.of)
        );
    }
    // The later four as one pseudo-article: how close is 003 to the story they form?
    let mut merged = feats[1].clone();
    for f in &feats[2..] {
        merged.title_form.push_str(&f.title_form);
        merged.blocks.extend(f.blocks.iter().cloned());
        merged.entities.extend(f.entities.iter().cloned());
    }
    println!("003 vs rest: {:.3}", c.pair_cosine(&feats[0], &merged));
    for i in 0..feats.len() {
        for j in i + 1..feats.len() {
            println!("{i}-{j}: {:.3}", c.pair_cosine(&feats[i], &feats[j]));
        }
    }
}
