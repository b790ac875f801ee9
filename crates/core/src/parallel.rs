//! Two pieces of work at once, on a second thread, when the caller allows threads.
//!
//! The core runs on its caller's thread: the page's workers cannot start threads, and a
//! team of analyses already has a thread per member. At the end, though, the client
//! model's scoring waits on one thread while the other members are done: an analysis
//! whose [`crate::AnalysisOptions::threads`] allows it shares that work here. Whatever
//! runs where, the results are the same: each piece is computed as it would be alone.

/// `(first(), second())`, with `second` on a thread of its own where threads can be
/// started; one after the other where they cannot (WebAssembly, or the system refuses).
pub(crate) fn join<A, B>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B)
where
    B: Send,
{
    if cfg!(target_family = "wasm") {
        return (first(), second());
    }
    // Taken by the thread; still here if the thread could not be started.
    let work = std::sync::Mutex::new(Some(second));
    let take = || work.lock().map_or(None, |mut work| work.take());
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .spawn_scoped(scope, || take().map(|second| second()))
            .ok();
        let first = first();
        let done = match thread {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => None,
        };
        match done.or_else(|| take().map(|second| second())) {
            Some(second) => (first, second),
            None => unreachable!("the work is taken once, by the thread or here"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_in_their_places() {
        let numbers: Vec<u64> = (1..=1000).collect();
        let (low, high) = numbers.split_at(500);
        let (a, b) = join(|| low.iter().sum::<u64>(), || high.iter().sum::<u64>());
        assert_eq!((a, b), (125_250, 375_250));
    }

    #[test]
    fn a_panic_on_the_second_thread_reaches_the_caller() {
        let outcome = std::panic::catch_unwind(|| join(|| 1, || -> u32 { panic!("second") }));
        assert!(outcome.is_err());
    }
}
