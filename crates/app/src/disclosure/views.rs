//! Views per disclosure, counted without storing who: a request adds one to a number in memory;
//! the numbers are written in one batch now and then (`flush`), so a page read from the cache
//! costs no database write. A crash loses at most the views since the last flush.

use crate::{App, Result};
use std::collections::HashMap;
use std::sync::Mutex;

/// Disclosures counted between flushes at most (views of others wait for the next flush).
const MAX_PENDING: usize = 100_000;

#[derive(Default, Debug)]
pub struct ViewCounter {
    pending: Mutex<HashMap<i64, i64>>,
}

impl ViewCounter {
    pub fn record(&self, id: i64) {
        if let Ok(mut m) = self.pending.lock() {
            if m.len() < MAX_PENDING || m.contains_key(&id) {
                *m.entry(id).or_insert(0) += 1;
            }
        }
    }

    fn take(&self) -> Vec<(i64, i64)> {
        match self.pending.lock() {
            Ok(mut m) => m.drain().collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Views recorded but not yet written.
    pub fn pending(&self, id: i64) -> i64 {
        self.pending
            .lock()
            .ok()
            .and_then(|m| m.get(&id).copied())
            .unwrap_or(0)
    }
}

/// Writes the counted views; returns how many disclosures got some. Not audited: a count of
/// anonymous reads, not a record anyone made.
pub async fn flush(app: &App) -> Result<usize> {
    let counts = app.views.take();
    if counts.is_empty() {
        return Ok(0);
    }
    let mut tx = app.db.begin().await?;
    store::disclosure::add_views(&mut tx, &counts).await?;
    tx.commit().await?;
    Ok(counts.len())
}

/// A disclosure's views: written plus pending.
pub async fn views(app: &App, id: i64) -> Result<i64> {
    let mut conn = app.db.read().await?;
    Ok(store::disclosure::views(&mut conn, id).await? + app.views.pending(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_drain() {
        let c = ViewCounter::default();
        for _ in 0..3 {
            c.record(7);
        }
        c.record(8);
        assert_eq!(c.pending(7), 3);
        let mut t = c.take();
        t.sort();
        assert_eq!(t, vec![(7, 3), (8, 1)]);
        assert_eq!(c.pending(7), 0);
    }
}
