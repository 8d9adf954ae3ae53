//! Accounts, sessions, API tokens and login throttling.

pub mod sessions;
pub mod tokens;
pub mod users;
