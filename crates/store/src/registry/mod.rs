//! The administrative tree and the household registry.

pub mod households;
pub mod members;
pub mod units;
