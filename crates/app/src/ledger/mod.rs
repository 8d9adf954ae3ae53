//! Collective ledgers ("Five Clear"): contracts and their flags, debts and resolutions, claims
//! and collections, resources. Reading needs a village in the account's subtree; writing needs
//! `EditLedger` too. Villages outside the subtree answer "not found".
//!
//! - [`convert`]: database rows ⇄ domain drafts and records;
//! - [`view`]: the whole ledger of a village as shown and exported;
//! - [`records`]: forms (create/update) and actions (resolutions, collections, rectification);
//! - [`recompute`]: flags by the county's rules, arrears claims;
//! - [`import`], [`export`]: files in one layout; [`summary`]: village summary and rankings.

pub mod charges;
pub mod columns;
use columns::columns;
pub mod convert;
pub mod export;
pub mod import;
pub mod recompute;
pub mod records;
pub mod rectification;
pub mod register;
mod registers;
pub mod summary;
pub mod view;

use crate::registry::units::{self, Unit};
use crate::{Actor, App, AppError, Result};
use domain::access::{Permission, Role};
use domain::ledger::FlagRules;
use domain::message::catalogue as msg;
use domain::registry::{Level, UnitCode};
use store::AnyConnection;

pub use domain::ledger::Kind;

/// A ledger kind by its code (`--kind`, `?kind=`), refused with the codes it could be.
pub fn parse_kind(s: &str) -> Result<Kind> {
    Kind::from_code(s).ok_or_else(|| {
        AppError::BadRequest(msg::UNKNOWN_LEDGER_KIND.with(&[
            ("value", &s),
            (
                "known",
                &"contracts, debts, debt-actions, claims, resources",
            ),
        ]))
    })
}

/// A village the account may read the ledgers of. Bank officers do not read collective books.
pub async fn village_for_read(app: &App, actor: &Actor, village: &str) -> Result<Unit> {
    let v = units::get(app, actor, village).await?;
    if v.level != Level::Village.as_str() {
        return Err(AppError::BadRequest(
            msg::NOT_A_VILLAGE.with(&[("code", &village)]),
        ));
    }
    if actor.role == Role::BankOfficer {
        return Err(AppError::Forbidden(msg::BANKS_NO_LEDGERS.text()));
    }
    Ok(v)
}

/// A village the account may write the ledgers of.
pub async fn village_for_write(app: &App, actor: &Actor, village: &str) -> Result<Unit> {
    let v = units::get(app, actor, village).await?;
    actor.require(Permission::EditLedger)?;
    if v.level != Level::Village.as_str() {
        return Err(AppError::BadRequest(
            msg::NOT_A_VILLAGE.with(&[("code", &village)]),
        ));
    }
    Ok(v)
}

/// [`village_for_write`] for an action on a record that the write then looks up by id within
/// the village, inside its transaction (a debt's resolution, a claim's collection): that
/// look-up proves the village exists (a record refers to its unit), so the unit is checked by
/// its code alone — one round trip fewer on the busiest write path. An unknown village then
/// answers 404 for the record, as a village outside the account's area does for the unit.
pub fn village_code_for_write(actor: &Actor, village: &str) -> Result<()> {
    actor.require(Permission::ViewRegistry)?;
    let not_found = || AppError::not_found(msg::UNIT, village);
    if !actor.can_see(village) {
        return Err(not_found());
    }
    actor.require(Permission::EditLedger)?;
    match UnitCode::parse(village) {
        Ok(c) if c.level() == Level::Village => Ok(()),
        Ok(_) => Err(AppError::BadRequest(
            msg::NOT_A_VILLAGE.with(&[("code", &village)]),
        )),
        Err(_) => Err(not_found()),
    }
}

/// A write transaction on a village's ledgers. Concurrent writes to one village run one after
/// another (PostgreSQL: the village row is locked first; SQLite: `BEGIN IMMEDIATE`), so every
/// "read the running total, check, write" (resolved ≤ principal, collected ≤ amount) and every
/// recompute of flags and arrears claims sees the write before it.
pub(crate) async fn begin_write(app: &App, village: &str) -> Result<store::WriteTx> {
    let mut tx = app.db.begin().await?;
    store::lock::lock_village(&mut tx, village).await?;
    Ok(tx)
}

/// The county's flag rules, or the defaults when the county has set none.
pub async fn rules_for(conn: &mut AnyConnection, village: &str) -> Result<FlagRules> {
    let county = village.get(..6).unwrap_or_default();
    match store::ledger::rules::get(conn, county).await? {
        None => Ok(FlagRules::default()),
        Some(text) => FlagRules::from_toml(&text)
            .map_err(|e| AppError::Internal(format!("stored rules of county {county}: {e}"))),
    }
}

/// Sets a county's rules from TOML (checked first). Administrators only.
pub async fn set_rules(
    app: &App,
    actor: &Actor,
    county: &str,
    toml_text: &str,
) -> Result<FlagRules> {
    actor.require(Permission::Administer)?;
    if !actor.can_see(county) {
        return Err(AppError::not_found(msg::UNIT, county));
    }
    let rules = FlagRules::from_toml(toml_text).map_err(|e| AppError::field("rules", e.text()))?;
    let mut tx = app.db.begin().await?;
    store::ledger::rules::set(&mut tx, county, toml_text).await?;
    // The new rules apply at once to every village of the county with contracts.
    let mut villages = store::ledger::contracts::villages_with_contracts(&mut tx, county).await?;
    // Locked in code order, as single-village writers lock one: no deadlock between them.
    villages.sort();
    for v in &villages {
        store::lock::lock_village(&mut tx, v).await?;
    }
    for v in &villages {
        recompute::recompute_village(&mut tx, v, today()).await?;
    }
    crate::audit::record(
        &mut tx,
        actor,
        "ledger.rules.set",
        "ledger_rules",
        county,
        county,
        serde_json::json!({"after": toml_text, "villages_recomputed": villages.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(rules)
}

/// Today's date for the rules (arrears, expiry, prepayment): the server's local date.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
