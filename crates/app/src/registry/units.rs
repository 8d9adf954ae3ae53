//! Reading the administrative tree within the account's subtree, and importing divisions.

pub use super::divisions::{
    check_divisions, import_division_files, import_divisions, UnitsImportReport,
};

use crate::{Actor, App, AppError, Result};
use domain::access::Permission;
use domain::registry::{Level, UnitCode};
use serde::Serialize;
use store::registry::units::{self, UnitRow};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub leader: String,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Unit {
        Unit {
            code: r.code,
            name: r.name,
            level: r.level,
            parent_code: r.parent_code,
            leader: r.leader,
        }
    }
}

/// A unit the account may see. Units outside the subtree answer "not found", as if absent.
pub async fn get(app: &App, actor: &Actor, code: &str) -> Result<Unit> {
    actor.require(Permission::ViewRegistry)?;
    let not_found = || AppError::not_found(domain::message::catalogue::UNIT, code);
    if !actor.can_see(code) {
        return Err(not_found());
    }
    let mut conn = app.db.read().await?;
    units::get(&mut conn, code)
        .await?
        .map(Unit::from)
        .ok_or_else(not_found)
}

pub async fn children(app: &App, actor: &Actor, code: &str) -> Result<Vec<Unit>> {
    get(app, actor, code).await?;
    let mut conn = app.db.read().await?;
    Ok(units::children(&mut conn, code)
        .await?
        .into_iter()
        .map(Unit::from)
        .collect())
}

/// The account's own top unit(s): its bound unit, or the provinces for a national administrator.
pub async fn top(app: &App, actor: &Actor) -> Result<Vec<Unit>> {
    actor.require(Permission::ViewRegistry)?;
    let mut conn = app.db.read().await?;
    let rows = if actor.scope.root.is_empty() {
        units::roots(&mut conn).await?
    } else {
        units::get(&mut conn, &actor.scope.root)
            .await?
            .into_iter()
            .collect()
    };
    Ok(rows.into_iter().map(Unit::from).collect())
}

/// The chain from the account's top unit down to `code` (for breadcrumbs).
pub async fn breadcrumb(app: &App, actor: &Actor, code: &str) -> Result<Vec<Unit>> {
    let mut codes = Vec::new();
    let mut c = UnitCode::parse(code).ok();
    while let Some(u) = c {
        if u.as_str().len() < actor.scope.root.len() {
            break;
        }
        codes.push(u.to_string());
        c = u.parent();
    }
    codes.reverse();
    let mut conn = app.db.read().await?;
    Ok(units::get_many(&mut conn, &codes)
        .await?
        .into_iter()
        .map(Unit::from)
        .collect())
}

/// [`breadcrumb`] ending at a unit already read (and checked) by the caller: only the units
/// above it are read (none for the account's own top unit).
pub async fn breadcrumb_to(app: &App, actor: &Actor, unit: &Unit) -> Result<Vec<Unit>> {
    let mut above = Vec::new();
    let mut c = UnitCode::parse(&unit.code).ok().and_then(|u| u.parent());
    while let Some(u) = c {
        if u.as_str().len() < actor.scope.root.len() {
            break;
        }
        above.push(u.to_string());
        c = u.parent();
    }
    above.reverse();
    let mut trail = if above.is_empty() {
        Vec::new()
    } else {
        let mut conn = app.db.read().await?;
        units::get_many(&mut conn, &above)
            .await?
            .into_iter()
            .map(Unit::from)
            .collect()
    };
    trail.push(unit.clone());
    Ok(trail)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ScopeCounts {
    pub unit: String,
    pub by_level: Vec<(String, i64)>,
    pub households: i64,
    pub members: i64,
}

/// Dashboard figures for a unit subtree.
pub async fn counts(app: &App, actor: &Actor, code: &str) -> Result<ScopeCounts> {
    if !code.is_empty() {
        get(app, actor, code).await?;
    } else if !actor.scope.root.is_empty() {
        return Err(AppError::NotFound(domain::message::catalogue::UNIT.text()));
    }
    let mut conn = app.db.read().await?;
    let mut by_level = units::count_by_level(&mut conn, code).await?;
    by_level.sort_by_key(|(l, _)| Level::parse(l));
    let (households, members) = store::registry::households::counts(&mut conn, code).await?;
    Ok(ScopeCounts {
        unit: code.to_string(),
        by_level,
        households,
        members,
    })
}

/// The dashboard's figures: the subtree's counts, and the households and people of each of
/// `children` (units directly below `root`; zeros for a child without households), the
/// household figures of both from one grouped scan.
pub async fn dashboard_counts(
    app: &App,
    actor: &Actor,
    root: &str,
    children: &[Unit],
) -> Result<(ScopeCounts, Vec<(i64, i64)>)> {
    if !root.is_empty() {
        get(app, actor, root).await?;
    } else if !actor.scope.root.is_empty() {
        return Err(AppError::NotFound(domain::message::catalogue::UNIT.text()));
    }
    // Below a micro-grid there is no level: its own code length groups nothing but itself.
    let child_len = if root.is_empty() {
        Level::Province.code_len()
    } else {
        Level::from_code_len(root.len())
            .and_then(Level::child)
            .map_or(root.len(), Level::code_len)
    };
    let mut conn = app.db.read().await?;
    let mut by_level = units::count_by_level(&mut conn, root).await?;
    by_level.sort_by_key(|(l, _)| Level::parse(l));
    let figures = store::registry::households::counts_by_child(&mut conn, root, child_len).await?;
    let by_code: std::collections::HashMap<&str, (i64, i64)> = figures
        .children
        .iter()
        .map(|(k, h, m)| (k.as_str(), (*h, *m)))
        .collect();
    let rows = children
        .iter()
        .map(|c| by_code.get(c.code.as_str()).copied().unwrap_or((0, 0)))
        .collect();
    Ok((
        ScopeCounts {
            unit: root.to_string(),
            by_level,
            households: figures.households,
            members: figures.members,
        },
        rows,
    ))
}
