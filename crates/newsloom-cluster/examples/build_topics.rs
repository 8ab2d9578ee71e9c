//! Builds the latent topic model shipped as `data/topics.bin.gz` (see
//! `newsloom_cluster::topics`).
//!
//! `cargo run --release -p newsloom-cluster --example build_topics -- OUT [--dims N]
//!  [--terms N] [--exclude SUBSTR]... PATH...`
//!
//! Reads every document under the paths (any format newsloom ingests), takes each article's
//! background terms exactly as the clusterer does (title, first body characters, entity
//! ids, in matching form), weights them by sublinear tf-idf, normalizes each article, and
//! computes the truncated SVD of the article-term matrix with a randomized range finder
//! (Halko, Martinsson and Tropp 2011): a few products with the sparse matrix, QR
//! factorizations and one small symmetric eigenproblem, all with `nalgebra`. Inputs whose
//! path contains an `--exclude` string are left out: the shipped model leaves out the two
//! labelled development days of agora-pen-2411 (`/2024/11/20/`, `/2024/11/21/`), so the
//! dev-set scores are measured on text the model never saw.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use nalgebra::{DMatrix, SymmetricEigen};
use newsloom_cluster::topics::{TopicModel, TopicTerm};
use newsloom_cluster::{Clusterer, Config};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

mod common;

/// Terms seen in fewer articles carry no co-occurrence to learn from.
const MIN_DF: u32 = 3;
/// Extra dimensions of the random range finder, and power iterations: the usual choices
/// for an accurate leading subspace when the spectrum decays slowly, as text spectra do.
const OVERSAMPLE: usize = 16;
const POWER_ITERATIONS: usize = 4;

struct Args {
    out: PathBuf,
    dims: usize,
    max_terms: usize,
    exclude: Vec<String>,
    roots: Vec<PathBuf>,
}

fn parse_args() -> anyhow::Result<Args> {
    let usage = "usage: build_topics OUT [--dims N] [--terms N] [--exclude SUBSTR]... PATH...";
    let mut it = std::env::args().skip(1);
    let out = PathBuf::from(it.next().context(usage)?);
    let mut args = Args {
        out,
        dims: 96,
        max_terms: 32_000,
        exclude: Vec::new(),
        roots: Vec::new(),
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dims" => args.dims = it.next().context(usage)?.parse()?,
            "--terms" => args.max_terms = it.next().context(usage)?.parse()?,
            "--exclude" => args.exclude.push(it.next().context(usage)?),
            _ => args.roots.push(PathBuf::from(a)),
        }
    }
    if args.roots.is_empty() || args.dims == 0 {
        bail!(usage);
    }
    Ok(args)
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let clusterer = Clusterer::new(Config::default());
    let (inputs, docs) = common::map_corpus(&args.roots, &args.exclude, |f| {
        clusterer.background_terms(f)
    });
    let (vocab, idf) = vocabulary(&docs, args.max_terms);
    let rows = tfidf_rows(&docs, &vocab, &idf);
    eprintln!(
        "{} inputs, {} articles ({} with known terms), {} terms",
        inputs,
        docs.len(),
        rows.len(),
        vocab.len()
    );
    let (vectors, sigma) = truncated_svd(&rows, vocab.len(), args.dims);
    eprintln!(
        "singular values: {:.2?} … {:.2?}",
        &sigma[..sigma.len().min(5)],
        sigma.last()
    );
    let mut names: Vec<(&str, u32)> = vocab.iter().map(|(t, &i)| (t.as_str(), i)).collect();
    names.sort_unstable_by_key(|&(_, i)| i);
    let terms = names.iter().map(|&(term, i)| {
        let i = i as usize;
        TopicTerm {
            term,
            idf: idf[i] as f32,
            vector: &vectors[i * args.dims..(i + 1) * args.dims],
        }
    });
    let file = std::fs::File::create(&args.out).with_context(|| args.out.display().to_string())?;
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    TopicModel::write(args.dims, terms, &mut gz)?;
    gz.finish()?.flush()?;
    eprintln!("-> {}", args.out.display());
    Ok(())
}

/// The `max_terms` most frequent terms seen in at least [`MIN_DF`] articles (term → column)
/// and their smoothed idf, `ln((1 + N) / (1 + df)) + 1`.
fn vocabulary(docs: &[Vec<(String, u32)>], max_terms: usize) -> (FxHashMap<String, u32>, Vec<f64>) {
    let mut df: FxHashMap<&str, u32> = FxHashMap::default();
    for d in docs {
        for (t, _) in d {
            *df.entry(t.as_str()).or_insert(0) += 1;
        }
    }
    let mut kept: Vec<(&str, u32)> = df.into_iter().filter(|&(_, n)| n >= MIN_DF).collect();
    kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    kept.truncate(max_terms);
    let n = docs.len() as f64;
    let idf = kept
        .iter()
        .map(|&(_, d)| ((1.0 + n) / (1.0 + d as f64)).ln() + 1.0)
        .collect();
    let vocab = kept
        .iter()
        .enumerate()
        .map(|(i, &(t, _))| (t.to_string(), i as u32))
        .collect();
    (vocab, idf)
}

/// Unit-length sublinear tf-idf rows (column, weight) of the articles with known terms.
fn tfidf_rows(
    docs: &[Vec<(String, u32)>],
    vocab: &FxHashMap<String, u32>,
    idf: &[f64],
) -> Vec<Vec<(u32, f64)>> {
    docs.iter()
        .filter_map(|d| {
            let mut row: Vec<(u32, f64)> = d
                .iter()
                .filter_map(|(t, n)| {
                    let c = *vocab.get(t)?;
                    Some((c, (1.0 + (*n as f64).ln()) * idf[c as usize]))
                })
                .collect();
            let norm = row.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
            if norm <= 0.0 {
                return None;
            }
            row.iter_mut().for_each(|x| x.1 /= norm);
            Some(row)
        })
        .collect()
}

/// The leading `k` right singular vectors of the sparse matrix `rows` (n × m), as a
/// row-major m × k array, and the singular values.
fn truncated_svd(rows: &[Vec<(u32, f64)>], m: usize, k: usize) -> (Vec<f32>, Vec<f64>) {
    let l = (k + OVERSAMPLE).min(m).min(rows.len());
    // A random test matrix: any distribution with independent, zero-mean entries works for
    // the range finder, so a seeded SplitMix64 stream keeps the build reproducible without
    // a random-number crate.
    let mut state = 0x5EED_u64;
    let omega: Vec<f64> = (0..m * l)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        })
        .collect();
    let mut q = orthonormal(rows.len(), l, x_times(rows, &omega, l));
    for _ in 0..POWER_ITERATIONS {
        let z = orthonormal(m, l, xt_times(rows, m, &q, l));
        q = orthonormal(rows.len(), l, x_times(rows, &z, l));
    }
    // B = Qᵀ X (l × m), kept transposed (m × l). Its right singular vectors are X's: from
    // B Bᵀ = W Σ² Wᵀ, V = Bᵀ W Σ⁻¹.
    let bt = xt_times(rows, m, &q, l);
    let btm = DMatrix::from_row_slice(m, l, &bt);
    let gram = btm.transpose() * &btm;
    let eig = SymmetricEigen::new(gram);
    let mut order: Vec<usize> = (0..l).collect();
    order.sort_unstable_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let k = k.min(l);
    let mut vectors = vec![0.0f32; m * k];
    let mut sigma = Vec::with_capacity(k);
    for (j, &c) in order.iter().take(k).enumerate() {
        let s = eig.eigenvalues[c].max(0.0).sqrt();
        sigma.push(s);
        if s <= 0.0 {
            continue;
        }
        let v = &btm * eig.eigenvectors.column(c);
        for t in 0..m {
            vectors[t * k + j] = (v[t] / s) as f32;
        }
    }
    (vectors, sigma)
}

/// X · M for the sparse n × m matrix X and a dense row-major m × l matrix M.
fn x_times(rows: &[Vec<(u32, f64)>], mat: &[f64], l: usize) -> Vec<f64> {
    rows.par_iter()
        .flat_map_iter(|row| {
            let mut out = vec![0.0; l];
            for &(c, v) in row {
                let r = &mat[c as usize * l..(c as usize + 1) * l];
                out.iter_mut().zip(r).for_each(|(o, x)| *o += v * x);
            }
            out
        })
        .collect()
}

/// Xᵀ · Q for the sparse n × m matrix X and a dense row-major n × l matrix Q (m × l out).
fn xt_times(rows: &[Vec<(u32, f64)>], m: usize, q: &[f64], l: usize) -> Vec<f64> {
    let mut out = vec![0.0; m * l];
    for (d, row) in rows.iter().enumerate() {
        let qd = &q[d * l..(d + 1) * l];
        for &(c, v) in row {
            let o = &mut out[c as usize * l..(c as usize + 1) * l];
            o.iter_mut().zip(qd).for_each(|(o, x)| *o += v * x);
        }
    }
    out
}

/// An orthonormal basis (thin QR's Q) of the columns of a row-major r × l matrix, row-major.
fn orthonormal(r: usize, l: usize, a: Vec<f64>) -> Vec<f64> {
    let q = DMatrix::from_row_slice(r, l, &a).qr().q();
    // Column-major r × l is row-major l × r: transpose to get row-major r × l.
    q.transpose().as_slice().to_vec()
}
