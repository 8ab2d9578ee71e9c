//! A latent topic space (LSA) for story-level similarity.
//!
//! Reports of one story told weeks apart, or by outlets with different vocabularies, often
//! share few terms: Russia *announces* Xi's visit (`预告习近平来访`), later Putin *confirms*
//! it (`证实习将访俄`). Terms that occur in the same articles (`访俄`, `来访`, `克里姆林宫`,
//! `拉夫罗夫`) lie close together in a latent semantic space learned from a background news
//! corpus, so two such reports are close there even when their terms barely overlap.
//!
//! The model maps each of the clusterer's own terms (Han bigrams, Latin/digit words,
//! entity ids, in matching form) to a `dims`-dimensional vector: the right singular vectors
//! of the tf-idf term-document matrix of the background corpus, scaled so that an article's
//! embedding is its tf-idf vector projected onto them (what truncated SVD does). It is built
//! by the `build_topics` example and ships with the crate as `data/topics.bin.gz`.
//!
//! File format (after gzip), little endian: the magic `NLTOPIC1`, `dims: u32`, `terms: u32`,
//! then per term `len: u8`, the term's UTF-8 bytes (entity terms spelled `ent:ID`),
//! `idf: f32`, `scale: f32` and `dims` signed bytes (the vector is `scale · byte`).

use std::io::Read;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::prior::{file_term, file_term_key};

const MAGIC: &[u8; 8] = b"NLTOPIC1";
/// Size of the known-term filter in bits (32 KiB): about 6 % false positives at 16,000 terms.
const FILTER_BITS: usize = 1 << 18;

/// Slot of a term hash in the known-term filter (the hash's top bits: they are well mixed).
#[inline]
fn filter_slot(term: u64) -> usize {
    (term >> (64 - FILTER_BITS.trailing_zeros())) as usize
}

/// Term → latent vector, keyed by the clusterer's term hash.
#[derive(Debug, Default)]
pub struct TopicModel {
    dims: usize,
    rows: FxHashMap<u64, u32>,
    /// One bit per slot of `FILTER_BITS`, set for the slot of every model term: most of an
    /// article's terms are not in the model, and this small bitset (it stays in cache)
    /// rules them out without a miss in the large row map.
    filter: Vec<u64>,
    /// Per term: quantization scale times idf.
    scale: Vec<f32>,
    values: Vec<i8>,
}

/// Why a topic model file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TopicModelError {
    #[error("not a topic model (bad magic)")]
    Magic,
    #[error("truncated at byte {0}")]
    Truncated(usize),
    #[error("term {0} is not UTF-8")]
    Term(usize),
    #[error("gzip: {0}")]
    Gzip(#[from] std::io::Error),
}

/// One term of a model being written: its spelling, idf and latent vector.
pub struct TopicTerm<'a> {
    pub term: &'a str,
    pub idf: f32,
    pub vector: &'a [f32],
}

impl TopicModel {
    /// The model shipped with the crate, parsed once per process.
    pub fn embedded() -> &'static TopicModel {
        static MODEL: OnceLock<TopicModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            let gz: &[u8] = include_bytes!("../data/topics.bin.gz");
            // The file is part of the build and checked by the tests; an empty model only
            // switches the topic channel off (every embedding is empty).
            TopicModel::from_gzip(gz).unwrap_or_default()
        })
    }

    /// Reads a gzip'd model file.
    pub fn from_gzip(gz: &[u8]) -> Result<TopicModel, TopicModelError> {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(gz).read_to_end(&mut bytes)?;
        TopicModel::parse(&bytes)
    }

    /// Parses the uncompressed file format (see the module docs).
    pub fn parse(bytes: &[u8]) -> Result<TopicModel, TopicModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(TopicModelError::Magic);
        }
        let dims = r.u32()? as usize;
        let terms = r.u32()? as usize;
        let mut model = TopicModel {
            dims,
            filter: vec![0; FILTER_BITS / 64],
            ..TopicModel::default()
        };
        // Capacity from the header is bounded by what the bytes can hold.
        let cap = terms.min(bytes.len() / (dims + 10).max(1));
        model.scale.reserve(cap);
        model.values.reserve(cap * dims);
        for i in 0..terms {
            let len = r.take(1)?[0] as usize;
            let term = std::str::from_utf8(r.take(len)?).map_err(|_| TopicModelError::Term(i))?;
            let key = file_term_key(term);
            // The idf is folded into the scale: embedding then needs only the tf weight.
            let idf = r.f32()?;
            model.scale.push(r.f32()? * idf);
            model.values.extend(r.take(dims)?.iter().map(|&b| b as i8));
            model.rows.insert(key, i as u32);
            let slot = filter_slot(key);
            if let Some(word) = model.filter.get_mut(slot / 64) {
                *word |= 1 << (slot % 64);
            }
        }
        Ok(model)
    }

    /// Writes the file format (uncompressed); vectors are quantized to signed bytes with one
    /// scale per term. Terms longer than 255 bytes are skipped.
    pub fn write<'a>(
        dims: usize,
        terms: impl ExactSizeIterator<Item = TopicTerm<'a>>,
        out: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        let rows: Vec<(std::borrow::Cow<'_, str>, TopicTerm<'_>)> = terms
            .map(|t| (file_term(t.term), t))
            .filter(|(name, t)| name.len() <= 255 && t.vector.len() == dims)
            .collect();
        out.write_all(MAGIC)?;
        out.write_all(&(dims as u32).to_le_bytes())?;
        out.write_all(&(rows.len() as u32).to_le_bytes())?;
        for (name, t) in &rows {
            out.write_all(&[name.len() as u8])?;
            out.write_all(name.as_bytes())?;
            out.write_all(&t.idf.to_le_bytes())?;
            let max = t.vector.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
            out.write_all(&scale.to_le_bytes())?;
            let q: Vec<u8> = t
                .vector
                .iter()
                .map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8 as u8)
                .collect();
            out.write_all(&q)?;
        }
        Ok(())
    }

    /// Dimensions of the latent space (0 for an empty model).
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when the model holds no terms.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Unit-length embedding of an article from its terms and their tf weights (term hash,
    /// `1 + ln count`): the tf-idf vector (the model's idf) projected onto the latent space,
    /// as in training. Empty when no term is known.
    pub fn embed(&self, terms: impl IntoIterator<Item = (u64, f32)>) -> Vec<f32> {
        // Look every term up first, then accumulate: the lookups are independent cache
        // misses that the processor overlaps, instead of waiting on each before its row.
        let rows: Vec<(usize, f32)> = terms
            .into_iter()
            .filter(|&(term, _)| {
                let slot = filter_slot(term);
                self.filter
                    .get(slot / 64)
                    .is_some_and(|w| w & (1 << (slot % 64)) != 0)
            })
            .filter_map(|(term, weight)| {
                let row = *self.rows.get(&term)? as usize;
                Some((row, weight * self.scale.get(row)?))
            })
            .collect();
        // Touch each row (its first and last byte: a row may straddle two cache lines)
        // before using any: independent loads that the processor overlaps. Accumulating
        // row after row instead waits on each row's cache misses in turn (most of the
        // embedding's time).
        let touched = rows.iter().fold(0i8, |acc, &(row, _)| {
            let at = row * self.dims;
            let first = self.values.get(at).copied().unwrap_or(0);
            let last = self.values.get(at + self.dims.saturating_sub(1)).copied();
            acc ^ first ^ last.unwrap_or(0)
        });
        std::hint::black_box(touched);
        let mut z = vec![0.0f32; self.dims];
        let mut known = false;
        for (row, w) in rows {
            let Some(values) = self.values.get(row * self.dims..(row + 1) * self.dims) else {
                continue;
            };
            for (zi, &v) in z.iter_mut().zip(values) {
                *zi += w * v as f32;
            }
            known = true;
        }
        let n = z.iter().map(|v| v * v).sum::<f32>().sqrt();
        if !known || n <= 0.0 {
            return Vec::new();
        }
        z.iter_mut().for_each(|v| *v /= n);
        z
    }
}

/// Cosine of two dense vectors (0 when either is empty or zero, or the lengths differ).
pub fn dense_cos(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let (mut dot, mut na, mut nb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na <= 0.0 || nb <= 0.0 {
        return 0.0;
    }
    dot / (na.sqrt() * nb.sqrt())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TopicModelError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(TopicModelError::Truncated(self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, TopicModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f32(&mut self) -> Result<f32, TopicModelError> {
        Ok(f32::from_bits(self.u32()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ENTITY_PREFIX;
    use crate::text::hash_str;

    fn tiny() -> Vec<u8> {
        let terms = [
            ("访俄", 2.0, [1.0, 0.0, 0.0]),
            ("来访", 2.0, [0.9, 0.1, 0.0]),
            ("股市", 1.5, [0.0, 0.0, 1.0]),
        ];
        let entity = format!("{ENTITY_PREFIX}person:王毅");
        let mut rows: Vec<TopicTerm<'_>> = terms
            .iter()
            .map(|(t, idf, v)| TopicTerm {
                term: t,
                idf: *idf,
                vector: v,
            })
            .collect();
        rows.push(TopicTerm {
            term: &entity,
            idf: 3.0,
            vector: &[0.5, 0.5, 0.0],
        });
        let mut out = Vec::new();
        TopicModel::write(3, rows.into_iter(), &mut out).unwrap();
        out
    }

    #[test]
    fn write_then_parse_round_trips() {
        let model = TopicModel::parse(&tiny()).unwrap();
        assert_eq!(model.dims(), 3);
        assert_eq!(model.len(), 4);
        let visit = model.embed([(hash_str("访俄"), 1.0)]);
        let come = model.embed([(hash_str("来访"), 2.0)]);
        let stocks = model.embed([(hash_str("股市"), 1.0)]);
        assert!(dense_cos(&visit, &come) > 0.99);
        assert!(dense_cos(&visit, &stocks).abs() < 0.01);
        let wang = model.embed([(hash_str(&format!("{ENTITY_PREFIX}person:王毅")), 1.0)]);
        assert!(dense_cos(&wang, &visit) > 0.6);
        assert!(model.embed([(hash_str("未知"), 3.0)]).is_empty());
    }

    #[test]
    fn truncated_and_foreign_files_are_errors() {
        let bytes = tiny();
        for cut in [0, 5, 12, 20, bytes.len() - 1] {
            assert!(TopicModel::parse(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(
            TopicModel::parse(b"#docs\t100\n"),
            Err(TopicModelError::Magic)
        ));
    }

    #[test]
    fn embedded_model_places_related_reports_close() {
        let model = TopicModel::embedded();
        assert!(model.dims() >= 32, "dims {}", model.dims());
        assert!(model.len() > 10_000, "terms {}", model.len());
        let embed = |text: &str| {
            let mut counts: FxHashMap<u64, f32> = FxHashMap::default();
            crate::text::for_each_term_str(text, false, |t| {
                *counts.entry(hash_str(t)).or_insert(0.0) += 1.0
            });
            model.embed(counts)
        };
        let visit = embed("普京会晤王毅，证实习近平将访问俄罗斯，俄中关系达到新境界");
        let announce = embed("莫斯科预告习近平来访，北京随即派外交部副部长赴俄磋商");
        let stocks = embed("港股收市跌二百点，恒生指数成交额减少，科技股下跌");
        assert!(
            dense_cos(&visit, &announce) > dense_cos(&visit, &stocks) + 0.2,
            "visit~announce {} visit~stocks {}",
            dense_cos(&visit, &announce),
            dense_cos(&visit, &stocks)
        );
    }
}
