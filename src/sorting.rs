//! One shared sort for the places where sorting is off the hot path.
//!
//! Every `sort_by` / `sort_by_key` / `sort` call with its own closure or element type is
//! a separate copy of the standard library's stable sort (driftsort with its quicksort and
//! small-sorts: 5–13 KB of wasm each); fifteen such copies were an eighth of the main
//! wasm module. [`sort_by`] instead sorts a permutation of indices through one
//! non-generic sort with a `dyn` comparator, then moves the elements into that order, so
//! every caller shares one copy. It is stable, like `slice::sort_by`.
//!
//! Not for the table's row sort (`query::sort`), where an indirect call per comparison
//! over a million rows would cost real time.
//!
//! Where many plain numbers are sorted (a table's raw rows, the health-check rows of the
//! annotations' bytes) they are sorted as `u64`s by [`sort_u64`], the one copy of the
//! standard library's unstable sort the main module keeps for them.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    {
        let items: &[T] = v;
        sort_indices(&mut order, &mut |a, b| cmp(&items[a], &items[b]));
    }
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    // `order` is a permutation, so each slot is taken exactly once
    v.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// Sorts `v` stably by the key `key` gives each element.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably in its natural order.
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

/// The one copy of the standard library's sort that every caller above shares.
#[inline(never)]
pub fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

/// Sorts `v` ascending (unstable, which for plain numbers is no difference): callers
/// with other keys pack them into a `u64` (a row and a series id, a row alone).
#[inline(never)]
pub fn sort_u64(v: &mut [u64]) {
    v.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_sorted() {
        let mut v: Vec<(u32, &str)> = vec![(2, "a"), (1, "b"), (2, "c"), (0, "d"), (1, "e")];
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, "d"), (1, "b"), (1, "e"), (2, "a"), (2, "c")]);
        let mut w: Vec<String> = ["b", "a", "c"].iter().map(|s| s.to_string()).collect();
        sort(&mut w);
        assert_eq!(w, ["a", "b", "c"]);
        let mut e: Vec<u8> = Vec::new();
        sort(&mut e);
        assert!(e.is_empty());
        let mut d: Vec<u32> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        sort_by(&mut d, |a, b| b.cmp(a));
        assert!(d.windows(2).all(|w| w[0] >= w[1]) && d.len() == 1000);
        let mut n: Vec<u64> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        sort_u64(&mut n);
        assert!(n.iter().enumerate().all(|(i, &x)| x == i as u64));
    }
}
