//! B-cubed precision, recall and F1 of a clustering against gold labels.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

/// B-cubed scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BCubed {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// B-cubed over items `i`, where `predicted[i]` and `gold[i]` are the cluster labels of item
/// `i`. Precision of an item: the share of its predicted cluster that shares its gold label;
/// recall: the share of its gold cluster that shares its predicted cluster; both averaged
/// over items. Slices must have equal length (extra items are ignored).
pub fn bcubed<P: Eq + Hash, G: Eq + Hash>(predicted: &[P], gold: &[G]) -> BCubed {
    let n = predicted.len().min(gold.len());
    if n == 0 {
        return BCubed {
            precision: 0.0,
            recall: 0.0,
            f1: 0.0,
        };
    }
    let mut pred_size: HashMap<&P, usize> = HashMap::new();
    let mut gold_size: HashMap<&G, usize> = HashMap::new();
    let mut both: HashMap<(&P, &G), usize> = HashMap::new();
    for i in 0..n {
        *pred_size.entry(&predicted[i]).or_default() += 1;
        *gold_size.entry(&gold[i]).or_default() += 1;
        *both.entry((&predicted[i], &gold[i])).or_default() += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let common = both[&(&predicted[i], &gold[i])] as f64;
        p += common / pred_size[&predicted[i]] as f64;
        r += common / gold_size[&gold[i]] as f64;
    }
    let (p, r) = (p / n as f64, r / n as f64);
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    BCubed {
        precision: p,
        recall: r,
        f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_singletons() {
        let gold = ["a", "a", "b"];
        assert_eq!(bcubed(&[1, 1, 2], &gold).f1, 1.0);
        let s = bcubed(&[1, 2, 3], &gold);
        assert_eq!(s.precision, 1.0);
        assert!((s.recall - (0.5 + 0.5 + 1.0) / 3.0).abs() < 1e-9);
        let all = bcubed(&[1, 1, 1], &gold);
        assert!((all.precision - (2.0 / 3.0 + 2.0 / 3.0 + 1.0 / 3.0) / 3.0).abs() < 1e-9);
        assert_eq!(all.recall, 1.0);
    }
}
