//! An export bundle of a village's disclosures and its offline check: every leaf is rebuilt
//! from its disclosure, every inclusion proof leads to the checkpoint's root, and the
//! checkpoint's signature holds under the log's verifier key. Pure: the command line reads the
//! file and prints the outcome.

use super::leaf::{Leaf, KIND};
use super::table::Table;
use crate::transparency::merkle::{self, Hash};
use crate::transparency::note::{self, Checkpoint, VerifierKey};
use base64::Engine;
use serde::{Deserialize, Serialize};

/// A disclosure as the bundle carries it: what its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    pub id: i64,
    pub unit: String,
    #[serde(default)]
    pub unit_name: String,
    pub module: String,
    pub category: String,
    #[serde(default)]
    pub category_name: String,
    pub period: String,
    pub title: String,
    pub body: String,
    pub table: Option<Table>,
    pub attachments: Vec<String>,
    pub published_at: String,
    pub supersedes: Option<i64>,
    #[serde(default)]
    pub prepared_by: String,
    #[serde(default)]
    pub approved_by: Option<String>,
    #[serde(default)]
    pub published_by: String,
}

impl Shown {
    /// The canonical leaf of this disclosure.
    pub fn leaf(&self) -> String {
        Leaf {
            v: 1,
            kind: KIND,
            id: self.id,
            unit: &self.unit,
            module: &self.module,
            category: &self.category,
            period: &self.period,
            title: &self.title,
            body: &self.body,
            table: self.table.as_ref(),
            attachments: &self.attachments,
            published_at: &self.published_at,
            supersedes: self.supersedes,
        }
        .bytes()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub index: u64,
    /// Base64 of the exact leaf bytes.
    pub leaf: String,
    /// Base64 hashes of the inclusion proof at the checkpoint's size.
    pub proof: Vec<String>,
    pub disclosure: Shown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    /// The signed note text.
    pub checkpoint: String,
    /// The log's verifier key (`name+id+key`).
    pub key: String,
    pub entries: Vec<Entry>,
}

/// The outcome of [`verify`]: how many entries held at which size, and every failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub verified: usize,
    pub size: u64,
    /// "entry 12 (disclosure 5): …", or a problem with the checkpoint itself.
    pub failures: Vec<String>,
}

fn b64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()
}

/// Checks a bundle with `key` (the log's verifier key as known to the checker; the bundle's
/// own key when `None`, which proves only that the bundle is consistent with itself).
pub fn verify(bundle: &Bundle, key: Option<&str>) -> Report {
    let mut r = Report {
        verified: 0,
        size: 0,
        failures: Vec::new(),
    };
    let key = match VerifierKey::parse(key.unwrap_or(&bundle.key).trim()) {
        Ok(k) => k,
        Err(e) => {
            r.failures.push(format!("verifier key: {e}"));
            return r;
        }
    };
    let checkpoint = match note::open(&bundle.checkpoint, std::slice::from_ref(&key))
        .map_err(|e| e.to_string())
        .and_then(|(text, _)| Checkpoint::parse(&text).map_err(|e| e.to_string()))
    {
        Ok(c) => c,
        Err(e) => {
            r.failures.push(format!("checkpoint: {e}"));
            return r;
        }
    };
    r.size = checkpoint.size;
    for e in &bundle.entries {
        let name = format!("entry {} (disclosure {})", e.index, e.disclosure.id);
        match check_entry(e, &checkpoint) {
            Ok(()) => r.verified += 1,
            Err(why) => r.failures.push(format!("{name}: {why}")),
        }
    }
    r
}

fn check_entry(e: &Entry, c: &Checkpoint) -> Result<(), String> {
    let leaf = b64(&e.leaf).ok_or("the leaf is not base64")?;
    if leaf != e.disclosure.leaf().as_bytes() {
        return Err("the disclosure differs from its leaf".into());
    }
    let proof: Vec<Hash> = e
        .proof
        .iter()
        .map(|h| b64(h).and_then(|b| Hash::try_from(b).ok()))
        .collect::<Option<_>>()
        .ok_or("a proof hash is not base64 of 32 bytes")?;
    let root = merkle::root_from_inclusion(e.index, c.size, &merkle::leaf_hash(&leaf), &proof)
        .map_err(|e| e.to_string())?;
    if root != c.root {
        return Err("its proof does not lead to the signed root".into());
    }
    Ok(())
}
