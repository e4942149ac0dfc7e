//! Files on every core: `for_each_ordered` runs one job per file on a few threads and hands the
//! results back in the order of the inputs, so the output is the same as a sequential run's.
//! Threads may run at most `WINDOW_PER_THREAD` files per thread ahead of the next result to hand
//! back: a slow file holds the others back instead of letting finished results pile up, so
//! memory stays bounded whatever the batch's length.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Condvar, Mutex, PoisonError};
use std::thread;

const WINDOW_PER_THREAD: usize = 2;

/// The default number of threads: one per core the system gives this process.
pub fn default_jobs() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Which file a thread takes next, and how far the results have been handed back.
struct Gate {
    next: usize,
    handed: usize,
}

/// Runs `work` on every item on `jobs` threads and calls `each(index, item, result)` on this
/// thread in the items' order. A job that panics gives `Err` with the panic's message, and the
/// other items go on.
pub fn for_each_ordered<T, R>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
    mut each: impl FnMut(usize, &T, Result<R, String>),
) where
    T: Sync,
    R: Send,
{
    let run = |item: &T| catch_unwind(AssertUnwindSafe(|| work(item))).map_err(panic_message);
    let threads = jobs.max(1).min(items.len());
    if threads <= 1 {
        for (index, item) in items.iter().enumerate() {
            each(index, item, run(item));
        }
        return;
    }
    let window = threads * WINDOW_PER_THREAD;
    let gate = Mutex::new(Gate { next: 0, handed: 0 });
    let moved = Condvar::new();
    let (results, received) = mpsc::channel::<(usize, Result<R, String>)>();
    thread::scope(|scope| {
        for _ in 0..threads {
            let results = results.clone();
            let (gate, moved, run) = (&gate, &moved, &run);
            scope.spawn(move || loop {
                let index = {
                    let mut g = gate.lock().unwrap_or_else(PoisonError::into_inner);
                    while g.next < items.len() && g.next >= g.handed + window {
                        g = moved.wait(g).unwrap_or_else(PoisonError::into_inner);
                    }
                    if g.next >= items.len() {
                        break;
                    }
                    g.next += 1;
                    g.next - 1
                };
                if results.send((index, run(&items[index]))).is_err() {
                    break;
                }
            });
        }
        drop(results);
        let mut waiting = BTreeMap::new();
        let mut handed = 0;
        for (index, result) in received {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&handed) {
                each(handed, &items[handed], result);
                handed += 1;
                gate.lock().unwrap_or_else(PoisonError::into_inner).handed = handed;
                moved.notify_all();
            }
        }
    });
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_string());
    format!("internal error while processing this file ({text}); please report it")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn results_come_back_in_input_order_whatever_finishes_first() {
        let items: Vec<u64> = (0..40).collect();
        let mut seen = Vec::new();
        for_each_ordered(
            &items,
            4,
            |n| {
                // Early items are the slowest: they finish last.
                thread::sleep(Duration::from_millis(40u64.saturating_sub(*n)));
                n * 10
            },
            |index, item, result| seen.push((index, *item, result.expect("no panic"))),
        );
        let expected: Vec<(usize, u64, u64)> = (0..40).map(|n| (n as usize, n, n * 10)).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn threads_never_run_further_ahead_than_the_window() {
        let items: Vec<usize> = (0..64).collect();
        let started = AtomicUsize::new(0);
        let mut furthest_ahead = 0;
        for_each_ordered(
            &items,
            3,
            |_| {
                started.fetch_add(1, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(2));
            },
            |index, _, _| {
                let ahead = started.load(Ordering::SeqCst) - index;
                furthest_ahead = furthest_ahead.max(ahead);
            },
        );
        assert!(
            furthest_ahead <= 3 * WINDOW_PER_THREAD,
            "{furthest_ahead} files started ahead of the one handed back"
        );
    }

    #[test]
    fn a_panicking_job_is_an_error_for_its_item_alone() {
        let items: Vec<u32> = (0..10).collect();
        let mut errors = Vec::new();
        let mut fine = 0;
        for_each_ordered(
            &items,
            2,
            |n| {
                if *n == 3 {
                    panic!("file 3 is broken");
                }
                *n
            },
            |index, _, result| match result {
                Ok(_) => fine += 1,
                Err(message) => errors.push((index, message)),
            },
        );
        assert_eq!(fine, 9);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 3);
        assert!(errors[0].1.contains("file 3 is broken"), "{}", errors[0].1);
    }
}
