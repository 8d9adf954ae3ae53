//! Rendered public disclosure pages kept in memory: a published disclosure never changes, only
//! its "corrected by" banner may appear. An entry is served while this process has written
//! nothing since it was rendered (`Db::commits`) and for at most `TTL` (a correction published
//! by another process, e.g. the CLI, shows within it). Bounded: at most `MAX` entries.

use crate::i18n::Lang;
use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const TTL: Duration = Duration::from_secs(1);
pub const MAX: usize = 4096;

/// When it was rendered, `Db::commits` then, the page.
type Entry = (Instant, u64, Bytes);

#[derive(Default)]
pub struct DisclosureCache {
    map: Mutex<HashMap<(i64, Lang), Entry>>,
}

impl DisclosureCache {
    pub fn get(&self, id: i64, lang: Lang, commits: u64) -> Option<Bytes> {
        let map = self.map.lock().ok()?;
        let (at, seen, body) = map.get(&(id, lang))?;
        (*seen == commits && at.elapsed() < TTL).then(|| body.clone())
    }

    pub fn put(&self, id: i64, lang: Lang, commits: u64, body: Bytes) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= MAX {
                map.retain(|_, (at, _, _)| at.elapsed() < TTL);
                if map.len() >= MAX {
                    map.clear();
                }
            }
            map.insert((id, lang), (Instant::now(), commits, body));
        }
    }
}
