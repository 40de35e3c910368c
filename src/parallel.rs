//! One small work queue for the places that spread independent jobs over
//! the cores (parsing files ahead in `check`, compiling outputs in `slac
//! build`): each worker thread takes the next job until none is left or
//! one of them stops the queue.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// At most this many worker threads, however many cores there are.
const MAX_THREADS: usize = 8;

/// Jobs handed out one at a time, by index, to any number of threads.
pub struct Queue<'a, T> {
    jobs: &'a [T],
    next: AtomicUsize,
    stopped: AtomicBool,
}

impl<'a, T> Queue<'a, T> {
    pub fn new(jobs: &'a [T]) -> Self {
        Queue {
            jobs,
            next: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
        }
    }

    /// The next job and its index; `None` once all are taken or the queue
    /// was stopped.
    pub fn take(&self) -> Option<(usize, &'a T)> {
        if self.stopped.load(Ordering::Relaxed) {
            return None;
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        self.jobs.get(i).map(|job| (i, job))
    }

    /// Hands out no more jobs (a worker failed and the rest is wasted).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// Runs `worker` on as many threads as there are cores (at most
    /// `MAX_THREADS`, at most one a job) and returns what each returned.
    pub fn run<R: Send>(&self, worker: impl Fn() -> R + Sync) -> Vec<R>
    where
        T: Sync,
    {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, MAX_THREADS)
            .min(self.jobs.len());
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(&worker)).collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a worker thread panicked"))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Queue;

    #[test]
    fn every_job_is_taken_exactly_once() {
        let jobs: Vec<u64> = (0..1000).collect();
        let queue = Queue::new(&jobs);
        let mut taken: Vec<usize> = queue
            .run(|| {
                let mut mine = Vec::new();
                while let Some((i, job)) = queue.take() {
                    assert_eq!(*job, i as u64);
                    mine.push(i);
                }
                mine
            })
            .into_iter()
            .flatten()
            .collect();
        taken.sort();
        assert_eq!(taken, (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn a_stopped_queue_hands_out_nothing_more() {
        let jobs = [1, 2, 3];
        let queue = Queue::new(&jobs);
        assert_eq!(queue.take(), Some((0, &1)));
        queue.stop();
        assert_eq!(queue.take(), None);
        let none: [u8; 0] = [];
        assert!(Queue::new(&none).run(|| 1).is_empty());
    }
}
