//! The one helper that spreads work over the machine's cores: an ordered parallel map,
//! whole or window by window (so that a caller can write results as they come, holding
//! only one window of them).
//!
//! Workers take small blocks of items from a shared counter, so a few large records do
//! not leave one core idle; results come back in the items' order. Scoped threads only:
//! nothing outlives the call, and a worker's panic is re-raised in the caller.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Items a worker takes at a time.
const BLOCK: usize = 8;
/// Below this many items the work is done on the calling thread.
const SEQUENTIAL_BELOW: usize = 32;

/// How many threads to use: the machine's cores, at most 8.
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

/// `f` of every item, in the items' order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads();
    if threads < 2 || items.len() < SEQUENTIAL_BELOW {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Vec<R>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len().div_ceil(BLOCK)) {
            scope.spawn(|| loop {
                let start = next.fetch_add(BLOCK, Ordering::Relaxed);
                if start >= items.len() {
                    break;
                }
                let end = (start + BLOCK).min(items.len());
                let out: Vec<R> = items[start..end].iter().map(&f).collect();
                done.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((start, out));
            });
        }
    });
    let mut blocks = done.into_inner().unwrap_or_else(|e| e.into_inner());
    blocks.sort_unstable_by_key(|(start, _)| *start);
    blocks.into_iter().flat_map(|(_, out)| out).collect()
}

/// [`map`] over windows of `window` items: `sink` gets each result in the items' order,
/// a window at a time, so at most one window of results is held. `sink` returning an
/// error stops the work and returns that error.
pub fn for_each<T: Sync, R: Send, E>(
    items: &[T],
    window: usize,
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    for part in items.chunks(window.max(1)) {
        for r in map(part, &f) {
            sink(r)?;
        }
    }
    Ok(())
}

/// `f` of contiguous runs of the items, one run per thread, results in the items'
/// order: for work that keeps state from one item to the next (a cache, a handle that
/// cannot be shared between threads). Fewer than `min_run` items per thread are done on
/// the calling thread, in one run.
pub fn runs<T: Sync, R: Send>(items: &[T], min_run: usize, f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len() / min_run.max(1)).max(1);
    if threads < 2 {
        return vec![f(items)];
    }
    let run = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(run)
            .map(|part| scope.spawn(|| f(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            map(&items, |i| i * 2),
            (0..1000).map(|i| i * 2).collect::<Vec<_>>()
        );
        let mut seen = Vec::new();
        for_each(
            &items,
            64,
            |i| *i,
            |i| -> Result<(), ()> {
                seen.push(i);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, items);
        let stopped = for_each(
            &items,
            64,
            |i| *i,
            |i| if i == 70 { Err(i) } else { Ok(()) },
        );
        assert_eq!(stopped, Err(70));
        let runs = runs(&items, 100, |part| part.to_vec());
        assert!(!runs.is_empty());
        assert_eq!(runs.concat(), items);
        assert_eq!(super::runs(&items[..10], 100, <[usize]>::len), vec![10]);
    }
}
