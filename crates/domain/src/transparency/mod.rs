//! The transparency log: every publication (disclosures, final credit grades, ledger snapshots)
//! is a leaf of one append-only Merkle tree (RFC 9162 §2.1); signed checkpoints (C2SP
//! tlog-checkpoint in a signed note) commit to its size and root, and proofs let anyone check
//! that an entry is in the log and that the log only grew. Pure: hashing, proofs, note text and
//! Ed25519 signatures; where the hashes and keys are kept is the store's and app's business.

pub mod merkle;
pub mod note;
pub mod witness;
