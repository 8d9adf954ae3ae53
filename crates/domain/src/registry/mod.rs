//! The registry: the administrative tree and the households ("one household, one file").

pub mod household;
pub mod unit;

pub use household::*;
pub use unit::*;
pub mod search;
