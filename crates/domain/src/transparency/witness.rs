//! A witness (another party, e.g. the county discipline office) keeps the last checkpoint it
//! saw of a log and cosigns a new one only if the log merely grew: same origin, signed by the
//! log's pinned key, size not smaller, and a consistency proof from the old tree to the new.
//! Anything else is evidence of a fork or a rollback, refused loudly.

use super::merkle::{self, Hash};
use super::note::{self, Checkpoint, SignerKey, VerifierKey};

/// What the witness remembers between runs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct State {
    /// The log's verifier key, pinned on the first run.
    pub log_key: String,
    /// The last checkpoint it accepted (signed note text).
    pub checkpoint: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the log's key changed: pinned {pinned}, now {now}")]
    KeyChanged { pinned: String, now: String },
    #[error("the checkpoint is not validly signed by the log's key: {0}")]
    BadSignature(String),
    #[error("the checkpoint is for origin {got:?}, not {want:?}")]
    OtherOrigin { got: String, want: String },
    #[error("ROLLBACK: the log now says size {now}, it said {before} before")]
    Rollback { before: u64, now: u64 },
    #[error("FORK: the log signed two different roots for size {size}")]
    ForkSameSize { size: u64 },
    #[error("FORK: no consistency from size {from} to {to}: {why}")]
    Inconsistent { from: u64, to: u64, why: String },
}

/// The outcome: the new state and the cosigned note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosigned {
    pub state: State,
    pub note: String,
}

/// Checks `note` (signed by `log_key`) against what was seen before, with `proof` from the old
/// size to the new, and cosigns it with `witness`.
pub fn cosign(
    before: Option<&State>,
    log_key: &str,
    note_text: &str,
    proof: &[Hash],
    witness: &SignerKey,
) -> Result<Cosigned, Refusal> {
    let pinned = before.map(|s| s.log_key.as_str()).unwrap_or(log_key);
    if pinned.trim() != log_key.trim() {
        return Err(Refusal::KeyChanged {
            pinned: pinned.trim().into(),
            now: log_key.trim().into(),
        });
    }
    let key =
        VerifierKey::parse(pinned.trim()).map_err(|e| Refusal::BadSignature(e.to_string()))?;
    let (text, _) = note::open(note_text, std::slice::from_ref(&key))
        .map_err(|e| Refusal::BadSignature(e.to_string()))?;
    let now = Checkpoint::parse(&text).map_err(|e| Refusal::BadSignature(e.to_string()))?;
    if now.origin != key.name {
        return Err(Refusal::OtherOrigin {
            got: now.origin,
            want: key.name,
        });
    }
    if let Some(b) = before {
        let (old_text, _) = note::open(&b.checkpoint, std::slice::from_ref(&key))
            .map_err(|e| Refusal::BadSignature(format!("the kept checkpoint: {e}")))?;
        let old = Checkpoint::parse(&old_text).map_err(|e| Refusal::BadSignature(e.to_string()))?;
        if now.size < old.size {
            return Err(Refusal::Rollback {
                before: old.size,
                now: now.size,
            });
        }
        if now.size == old.size && now.root != old.root {
            return Err(Refusal::ForkSameSize { size: now.size });
        }
        merkle::verify_consistency(old.size, now.size, proof, &old.root, &now.root).map_err(
            |e| Refusal::Inconsistent {
                from: old.size,
                to: now.size,
                why: e.to_string(),
            },
        )?;
    }
    // The note as served plus one more signature line over the same text.
    let mut cosigned = note_text.to_string();
    if !cosigned.ends_with('\n') {
        cosigned.push('\n');
    }
    cosigned.push_str(&witness.line(&text));
    Ok(Cosigned {
        state: State {
            log_key: pinned.trim().to_string(),
            checkpoint: note_text.to_string(),
            size: now.size,
        },
        note: cosigned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transparency::merkle::{leaf_hash, root};
    use std::collections::HashMap;

    fn tree(n: u64, salt: &str) -> HashMap<merkle::Node, Hash> {
        let mut nodes = HashMap::new();
        for i in 0..n {
            let made = merkle::append(i, leaf_hash(format!("{salt}{i}").as_bytes()), |k| {
                nodes.get(&k).copied()
            })
            .unwrap();
            nodes.extend(made);
        }
        nodes
    }

    fn checkpoint(log: &SignerKey, nodes: &HashMap<merkle::Node, Hash>, size: u64) -> String {
        let r = root(size, |k| nodes.get(&k).copied()).unwrap();
        let text = Checkpoint {
            origin: log.name.clone(),
            size,
            root: r,
            extensions: Vec::new(),
        }
        .text();
        note::sign(&text, &[log]).unwrap()
    }

    #[test]
    fn a_grown_log_is_cosigned_and_forks_and_rollbacks_are_refused() {
        let log = SignerKey::from_seed("grassroots/test", &[7; 32]).unwrap();
        let wit = SignerKey::from_seed("county-discipline", &[9; 32]).unwrap();
        let vkey = log.verifier().text();
        let t = tree(20, "a");
        let first = cosign(None, &vkey, &checkpoint(&log, &t, 5), &[], &wit).unwrap();
        assert_eq!(first.state.size, 5);
        // Both signatures verify on the cosigned note.
        let (_, names) = note::open(&first.note, &[log.verifier(), wit.verifier()]).unwrap();
        assert_eq!(names.len(), 2);
        let proof = merkle::consistency_proof(5, 12, |k| t.get(&k).copied()).unwrap();
        let grown = cosign(
            Some(&first.state),
            &vkey,
            &checkpoint(&log, &t, 12),
            &proof,
            &wit,
        )
        .unwrap();
        assert_eq!(grown.state.size, 12);
        // Rollback to a smaller size.
        let e = cosign(
            Some(&grown.state),
            &vkey,
            &checkpoint(&log, &t, 9),
            &[],
            &wit,
        )
        .unwrap_err();
        assert_eq!(e, Refusal::Rollback { before: 12, now: 9 });
        // A fork: another tree of the same size, and a bigger one that does not extend it.
        let other = tree(20, "b");
        let e = cosign(
            Some(&grown.state),
            &vkey,
            &checkpoint(&log, &other, 12),
            &[],
            &wit,
        )
        .unwrap_err();
        assert_eq!(e, Refusal::ForkSameSize { size: 12 });
        let proof = merkle::consistency_proof(12, 16, |k| other.get(&k).copied()).unwrap();
        let e = cosign(
            Some(&grown.state),
            &vkey,
            &checkpoint(&log, &other, 16),
            &proof,
            &wit,
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                Refusal::Inconsistent {
                    from: 12,
                    to: 16,
                    ..
                }
            ),
            "{e:?}"
        );
        // Another key.
        let imposter = SignerKey::from_seed("grassroots/test", &[8; 32]).unwrap();
        let e = cosign(
            Some(&grown.state),
            &imposter.verifier().text(),
            &checkpoint(&imposter, &t, 16),
            &[],
            &wit,
        )
        .unwrap_err();
        assert!(matches!(e, Refusal::KeyChanged { .. }));
    }
}
