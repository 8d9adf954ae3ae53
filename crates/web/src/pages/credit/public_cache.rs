//! The rendered bytes of the public credit page, kept in memory per village, language and
//! flash message, so a village's QR-code traffic costs no database work.
//!
//! When a cached page is still right:
//! - Every entry remembers the version of its data (`app::credit::public_page::version`,
//!   bumped by database triggers on every table the page reads, whoever writes) read *before*
//!   the data was, so a write committed meanwhile always shows up as a newer version.
//! - A write by this process (every write goes through `Db::begin`) moves `Db::commits`; a
//!   request that sees more commits than the entry was last confirmed at compares versions
//!   before serving, so no request started after a write's answer sees the page from before
//!   it. One request compares at a time; the others wait for it and use its result when it
//!   covers their commit count (so a burst of requests after a write costs one query).
//! - Writes by another process (the `grassroots` CLI on the same database) move no counter
//!   here, so an entry is also compared at least every `check_every` (default
//!   [`DEFAULT_CHECK`]). Only one request does that comparison; the others serve the entry
//!   meanwhile.
//!
//! A comparison is one indexed look-up of at most five rows, and only a changed version
//! re-renders. Only real villages covered by a credit round are cached, at most
//! [`MAX_ENTRIES`] entries (the least recently checked goes first), so requests for arbitrary
//! codes cannot fill memory.

use crate::i18n::Lang;
use axum::body::Bytes;
use axum::http::HeaderValue;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How stale a page may get after a write by another process: 1 s. Out-of-process writers are
/// the CLI's imports and round steps, run by a person; a villager reloading sees the change
/// within a second. Each check is one small query per cached page per second, negligible
/// next to a QR code's traffic (hundreds of requests a second).
pub const DEFAULT_CHECK: Duration = Duration::from_millis(1000);

/// 1,024 villages × 2 languages × with and without the flash message.
pub const MAX_ENTRIES: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub village: String,
    pub lang: Lang,
    /// The "your objection was filed" message after the form's redirect.
    pub flash: bool,
}

pub struct Entry {
    pub body: Bytes,
    /// Strong: a hash of exactly these bytes.
    pub etag: HeaderValue,
    version: i64,
    /// `Db::commits` read before the entry was last known right: any commit counted up to
    /// there is in it.
    fresh_commits: AtomicU64,
    /// When the entry was last known right, in ms since the cache started.
    fresh_at_ms: AtomicU64,
    /// Held by the one request comparing the entry with the database.
    checking: tokio::sync::Mutex<()>,
}

/// What a request must do with an entry before serving it.
#[derive(Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Serve it.
    Fresh,
    /// This process wrote since: compare versions first (one request at a time, the others
    /// wait for it).
    Written,
    /// Not compared for `check_every`: one request compares, the rest serve it.
    Due,
}

impl Entry {
    pub fn version(&self) -> i64 {
        self.version
    }

    /// Claims the periodic comparison; `None` when another request already does it.
    pub fn claim_check(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        self.checking.try_lock().ok()
    }

    /// Waits for the request comparing now, if any, and claims the next comparison.
    pub async fn wait_check(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.checking.lock().await
    }
}

pub struct PublicPageCache {
    entries: Mutex<HashMap<Key, Arc<Entry>>>,
    check_every: Duration,
    started: Instant,
}

pub fn etag_of(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let tag = format!("\"{}\"", hex::encode(&digest[..16]));
    // Hex digits in quotes are always a valid header value.
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"\""))
}

impl PublicPageCache {
    pub fn new(check_every: Duration) -> PublicPageCache {
        PublicPageCache {
            entries: Mutex::new(HashMap::new()),
            check_every,
            started: Instant::now(),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        // A poisoned lock only means a panic elsewhere mid-insert; the map is still whole.
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key).cloned()
    }

    pub fn freshness(&self, e: &Entry, commits: u64) -> Freshness {
        if e.fresh_commits.load(Ordering::Acquire) < commits {
            return Freshness::Written;
        }
        let age = self
            .now_ms()
            .saturating_sub(e.fresh_at_ms.load(Ordering::Acquire));
        if u128::from(age) >= self.check_every.as_millis() {
            Freshness::Due
        } else {
            Freshness::Fresh
        }
    }

    /// The database still holds `e.version`: known right as of `commits` (read before the
    /// comparison) and now.
    pub fn confirm(&self, e: &Entry, commits: u64) {
        e.fresh_commits.fetch_max(commits, Ordering::AcqRel);
        e.fresh_at_ms.store(self.now_ms(), Ordering::Release);
    }

    /// Caches a freshly rendered page: `version` and `commits` as read before its data.
    pub fn insert(&self, key: Key, body: Bytes, version: i64, commits: u64) -> Arc<Entry> {
        let entry = Arc::new(Entry {
            etag: etag_of(&body),
            body,
            version,
            fresh_commits: AtomicU64::new(commits),
            fresh_at_ms: AtomicU64::new(self.now_ms()),
            checking: tokio::sync::Mutex::new(()),
        });
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES && !map.contains_key(&key) {
            let oldest = map
                .iter()
                .min_by_key(|(_, e)| e.fresh_at_ms.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                map.remove(&k);
            }
        }
        map.insert(key, entry.clone());
        entry
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key(v: &str) -> Key {
        Key {
            village: v.into(),
            lang: Lang::Zh,
            flash: false,
        }
    }

    #[test]
    fn an_entry_is_fresh_until_this_process_writes_or_the_interval_passes() {
        let c = PublicPageCache::new(Duration::from_millis(50));
        let e = c.insert(key("1"), Bytes::from_static(b"x"), 7, 3);
        assert_eq!(c.freshness(&e, 3), Freshness::Fresh);
        assert_eq!(
            c.freshness(&e, 2),
            Freshness::Fresh,
            "older commits are covered"
        );
        assert_eq!(c.freshness(&e, 4), Freshness::Written);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(c.freshness(&e, 3), Freshness::Due);
        let claim = e.claim_check().unwrap();
        assert!(e.claim_check().is_none(), "one request compares at a time");
        drop(claim);
        c.confirm(&e, 4);
        assert_eq!(c.freshness(&e, 4), Freshness::Fresh);
    }

    #[test]
    fn the_cache_is_bounded_and_the_etag_follows_the_bytes() {
        let c = PublicPageCache::new(DEFAULT_CHECK);
        for i in 0..MAX_ENTRIES + 10 {
            c.insert(key(&i.to_string()), Bytes::from_static(b"x"), 0, 0);
        }
        assert_eq!(c.len(), MAX_ENTRIES);
        assert_eq!(etag_of(b"a"), etag_of(b"a"));
        assert_ne!(etag_of(b"a"), etag_of(b"b"));
    }
}
