//! The administrative tree, grids and the household registry.

pub mod grids;
pub mod household_import;
pub mod households;
pub mod members;
pub mod units;
