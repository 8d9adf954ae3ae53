//! Collective ledgers ("Qinghua Collection" / "Five Clear").
