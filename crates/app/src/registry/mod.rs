//! The administrative tree, grids and the household registry.

mod divisions;
pub mod grids;
pub mod household_import;
pub mod households;
pub mod members;
pub mod units;
