//! One stable sort for the whole crate and the page.
//!
//! std's `sort_by` is generic over the element type *and* the comparator, so each call
//! site with its own closure (and each `collect` into a `BTreeMap`/`BTreeSet` of a new
//! type) is a fresh copy of driftsort: the page's wasm carried 23 of them and some 200
//! helpers, about 120 KB before compression. Here the sorting is done once, on a
//! permutation of indices with the comparator behind `dyn`; what is generic per call is
//! only the small loop that applies the permutation.
//!
//! Stable, like `slice::sort_by`. The price is one indirect call per comparison, which
//! does not show at the sizes we sort (a cluster's objects, a table's rows). Only the
//! evaluator's hot integer sorts keep `sort_unstable` (`portset::normalize`, Calico's port
//! cuts): each is a copy of ipnsort (~4 KB of wasm), so integers sorted once per view or
//! per load (backend ports, address cuts, selections) go through [`ord`] too.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Indices `0..n`, ordered by `cmp` (stable). The one instantiation of the sort.
#[inline(never)]
fn permutation(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    #[allow(clippy::disallowed_methods)] // the one sort
    idx.sort_by(|&a, &b| cmp(a, b));
    idx
}

/// Reorders `v` so that `v[i]` becomes the old `v[perm[i]]`, following each cycle once.
fn apply<T>(v: &mut [T], perm: &[usize]) {
    let mut done = vec![false; v.len()];
    for start in 0..perm.len() {
        if done.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut j = start;
        loop {
            if let Some(d) = done.get_mut(j) {
                *d = true;
            }
            let Some(&k) = perm.get(j) else { break };
            if k == start || k >= v.len() {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

/// Stable sort of `v` by `cmp`, as `v.sort_by(cmp)`.
pub fn by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let perm = {
        let s: &[T] = v;
        permutation(s.len(), &mut |a, b| match (s.get(a), s.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        })
    };
    apply(v, &perm);
}

/// Stable sort of `v` by a key, as `v.sort_by_key(key)`.
pub fn by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

/// Stable sort of `v` by a key computed once per element, as `v.sort_by_cached_key(key)`.
pub fn by_cached_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    if v.len() < 2 {
        return;
    }
    let keys: Vec<K> = v.iter().map(key).collect();
    let perm = permutation(keys.len(), &mut |a, b| match (keys.get(a), keys.get(b)) {
        (Some(x), Some(y)) => x.cmp(y),
        _ => Ordering::Equal,
    });
    apply(v, &perm);
}

/// Stable sort of `v` in its natural order, as `v.sort()`.
pub fn ord<T: Ord>(v: &mut [T]) {
    by(v, T::cmp);
}

/// `it.collect::<BTreeMap<_, _>>()` without the sort `FromIterator` runs (a copy per
/// key type): inserts one by one; a repeated key keeps its last value, as `collect` does.
pub fn map<K: Ord, V>(it: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut m = BTreeMap::new();
    m.extend(it);
    m
}

/// `it.collect::<BTreeSet<_>>()` without the sort `FromIterator` runs.
pub fn set<T: Ord>(it: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut s = BTreeSet::new();
    s.extend(it);
    s
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // checked against std's sorts
mod tests {
    use super::*;

    /// Every permutation of a small multiset, checked against std's stable sort
    /// (ties carry their original position, so stability is checked too).
    #[test]
    fn agrees_with_std_on_every_permutation() {
        fn perms(items: Vec<(u8, usize)>, out: &mut Vec<Vec<(u8, usize)>>) {
            fn go(
                rest: &mut Vec<(u8, usize)>,
                cur: &mut Vec<(u8, usize)>,
                out: &mut Vec<Vec<(u8, usize)>>,
            ) {
                if rest.is_empty() {
                    out.push(cur.clone());
                }
                for i in 0..rest.len() {
                    let x = rest.remove(i);
                    cur.push(x);
                    go(rest, cur, out);
                    cur.pop();
                    rest.insert(i, x);
                }
            }
            go(&mut items.clone(), &mut Vec::new(), out);
        }
        let mut all = Vec::new();
        perms(
            vec![(3, 0), (1, 1), (2, 2), (1, 3), (3, 4), (0, 5)],
            &mut all,
        );
        assert_eq!(all.len(), 720);
        for p in all {
            let mut want = p.clone();
            want.sort_by_key(|e| e.0);
            let mut got = p.clone();
            by_key(&mut got, |e| e.0);
            assert_eq!(got, want, "by_key on {p:?}");
            let mut got = p.clone();
            by_cached_key(&mut got, |e| e.0);
            assert_eq!(got, want, "by_cached_key on {p:?}");
            let mut want = p.clone();
            want.sort();
            let mut got = p.clone();
            ord(&mut got);
            assert_eq!(got, want, "ord on {p:?}");
        }
    }

    #[test]
    fn short_and_owned_elements() {
        let mut empty: Vec<String> = Vec::new();
        ord(&mut empty);
        assert!(empty.is_empty());
        let mut one = vec!["a".to_string()];
        ord(&mut one);
        assert_eq!(one, ["a"]);
        let mut names: Vec<String> = ["web", "db", "api", "db", "cache"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        by(&mut names, |a, b| b.cmp(a));
        assert_eq!(names, ["web", "db", "db", "cache", "api"]);
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(
            set(names.clone()),
            names.into_iter().collect::<BTreeSet<_>>()
        );
    }
}
