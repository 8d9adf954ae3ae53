//! Collective ledgers: contracts and their flags, debts and resolution actions, claims and
//! collections, resources, per-county flag rules, and the per-village aggregates of a scope.

pub mod claims;
pub mod contracts;
pub mod debts;
pub mod flags;
pub mod register;
pub mod resources;
pub mod rules;
pub mod scope;

/// The township and county codes of a village code (denormalised on every ledger row).
pub(crate) fn parents(village: &str) -> (&str, &str) {
    (
        village.get(..9).unwrap_or_default(),
        village.get(..6).unwrap_or_default(),
    )
}
