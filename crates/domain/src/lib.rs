//! Pure rules of grassroots. No I/O here: the store, application and web layers import this
//! crate, and it imports none of them.
//!
//! Organised by program:
//! - [`money`], [`resident_id`], [`mask`], [`dates`], [`cell`]: shared value types and rules;
//! - [`registry`]: the administrative tree, households and their members;
//! - [`access`]: roles and what each may do; [`privacy`]: what each role sees of a person;
//! - [`message`]: every message in Chinese and English, and [`message::FieldError`];
//! - [`redirect`], [`password`]: web safety rules; [`text`]: the one check every typed text
//!   field passes (no control characters);
//! - [`ledger`]: collective ledgers (contracts, debts, claims, resources);
//! - [`credit`]: the credit village program;
//! - [`disclosure`]: three-affairs disclosure (catalogue, due dates, the log leaf);
//! - [`transparency`]: the append-only Merkle log (RFC 9162) and its signed checkpoints.

pub mod access;
pub mod cell;
pub mod credit;
pub mod dates;
pub mod disclosure;
pub mod lcg;
pub mod ledger;
pub mod mask;
pub mod message;
pub mod money;
pub mod password;
pub mod privacy;
pub mod redirect;
pub mod registry;
pub mod resident_id;
pub mod text;
pub mod transparency;

pub use money::Fen;
pub use resident_id::ResidentId;

/// The fields a validation refused, in order (none when it passed): what tests compare.
#[cfg(test)]
pub(crate) fn refused_fields<T>(r: Result<T, Vec<message::FieldError>>) -> Vec<&'static str> {
    r.err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.field)
        .collect()
}
