//! Grids and micro-grids under a village (网格 / 微网格), and assigning households to them.

use super::units::{self as app_units, Unit};
use crate::{audit, Actor, App, AppError, Result};
use domain::access::Permission;
use domain::message::catalogue as msg;
use domain::registry::{FieldError, Level, UnitCode, MICRO_GRID_MAX, MICRO_GRID_MIN};
use serde::Serialize;
use serde_json::json;
use store::registry::{households, units};

#[derive(Debug, Clone, Serialize)]
pub struct GridInfo {
    pub unit: Unit,
    pub households: i64,
    /// Micro-grids should hold 10–15 households; this says when one does not (both languages
    /// in one string, for the API).
    pub size_warning: Option<String>,
    /// The same in each language, for pages.
    #[serde(skip)]
    pub size_note: Option<domain::message::Text>,
}

/// A grid's name (returned trimmed) and leader as typed: plain lines, the name 1–40
/// characters, the leader at most 40.
fn check_fields<'a>(name: &'a str, leader: &str) -> Result<&'a str> {
    let mut errors = Vec::new();
    domain::text::check_lines(&mut errors, &[("name", name), ("leader", leader)]);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(AppError::Invalid(vec![FieldError::new(
            "name",
            domain::message::catalogue::GRID_NAME,
        )]));
    }
    if leader.trim().chars().count() > 40 {
        return Err(AppError::Invalid(vec![FieldError::new(
            "leader",
            domain::message::catalogue::TOO_LONG.field("leader", &[("max", &40)]),
        )]));
    }
    Ok(name)
}

/// Creates a grid under a village, or a micro-grid under a grid, numbering it automatically.
pub async fn create(
    app: &App,
    actor: &Actor,
    parent_code: &str,
    name: &str,
    leader: &str,
) -> Result<Unit> {
    actor.require(Permission::ManageGrids)?;
    let parent = app_units::get(app, actor, parent_code).await?;
    let parent_code = UnitCode::parse(&parent.code).map_err(|e| AppError::BadRequest(e.text()))?;
    if !matches!(parent_code.level(), Level::Village | Level::Grid) {
        return Err(AppError::BadRequest(msg::GRID_PLACE.text()));
    }
    let name = check_fields(name, leader)?;
    let mut tx = app.db.begin().await?;
    let next = match units::max_child_code(&mut tx, parent_code.as_str()).await? {
        Some(max) => {
            max.get(parent_code.as_str().len()..)
                .and_then(|s| s.parse::<u32>().ok())
                .unwrap_or(0)
                + 1
        }
        None => 1,
    };
    let code = parent_code
        .child_code(next)
        .ok_or_else(|| AppError::Conflict(msg::GRIDS_FULL.text()))?;
    let row = units::UnitRow {
        code: code.to_string(),
        name: name.to_string(),
        level: code.level().as_str().into(),
        parent_code: Some(parent_code.to_string()),
        leader: leader.trim().to_string(),
    };
    units::insert(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        actor,
        "grid.create",
        "unit",
        &row.code,
        &row.code,
        json!({"after": {"name": row.name, "leader": row.leader}}),
    )
    .await?;
    tx.commit().await?;
    Ok(row.into())
}

pub async fn update(
    app: &App,
    actor: &Actor,
    code: &str,
    name: &str,
    leader: &str,
) -> Result<Unit> {
    actor.require(Permission::ManageGrids)?;
    let before = app_units::get(app, actor, code).await?;
    if !matches!(
        Level::parse(&before.level),
        Some(Level::Grid | Level::MicroGrid)
    ) {
        return Err(AppError::BadRequest(msg::GRID_ONLY.text()));
    }
    let name = check_fields(name, leader)?;
    let mut tx = app.db.begin().await?;
    units::update_grid(&mut tx, code, name, leader.trim()).await?;
    audit::record(
        &mut tx,
        actor,
        "grid.update",
        "unit",
        code,
        code,
        json!({"before": {"name": before.name, "leader": before.leader}, "after": {"name": name, "leader": leader.trim()}}),
    )
    .await?;
    tx.commit().await?;
    app_units::get(app, actor, code).await
}

/// The grids and micro-grids of a village with household counts.
pub async fn of_village(app: &App, actor: &Actor, village: &str) -> Result<Vec<GridInfo>> {
    let v = app_units::get(app, actor, village).await?;
    of_village_unit(app, actor, &v).await
}

/// [`of_village`] for a village already read (and checked) by the caller.
pub async fn of_village_unit(app: &App, actor: &Actor, v: &Unit) -> Result<Vec<GridInfo>> {
    actor.require(Permission::ViewRegistry)?;
    if !actor.can_see(&v.code) {
        return Err(AppError::not_found(msg::UNIT, &v.code));
    }
    if v.level != Level::Village.as_str() {
        return Err(AppError::BadRequest(
            msg::NOT_A_VILLAGE.with(&[("code", &v.code)]),
        ));
    }
    let mut conn = app.db.read().await?;
    // Each unit's own households; a grid also counts those of its micro-grids.
    let units = units::below_village_with_households(&mut conn, &v.code).await?;
    let mut out = Vec::with_capacity(units.len());
    for (u, _) in &units {
        let n: i64 = units
            .iter()
            .filter(|(c, _)| c.code.starts_with(&u.code))
            .map(|(_, n)| n)
            .sum();
        let size_warning = (u.level == Level::MicroGrid.as_str()
            && !(MICRO_GRID_MIN as i64..=MICRO_GRID_MAX as i64).contains(&n))
        .then(|| {
            domain::message::catalogue::MICRO_GRID_SIZE.with(&[
                ("n", &n),
                ("min", &MICRO_GRID_MIN),
                ("max", &MICRO_GRID_MAX),
            ])
        });
        out.push(GridInfo {
            unit: u.clone().into(),
            households: n,
            size_warning: size_warning.as_ref().map(|t| t.to_string()),
            size_note: size_warning,
        });
    }
    Ok(out)
}

/// Assigns households (by id) to a grid or micro-grid of their own village, or clears it.
pub async fn assign(
    app: &App,
    actor: &Actor,
    grid_code: Option<&str>,
    household_ids: &[i64],
) -> Result<usize> {
    actor.require(Permission::ManageGrids)?;
    let grid = match grid_code {
        Some(g) => {
            let u = app_units::get(app, actor, g).await?;
            if !matches!(Level::parse(&u.level), Some(Level::Grid | Level::MicroGrid)) {
                return Err(AppError::BadRequest(msg::NOT_A_GRID.with(&[("code", &g)])));
            }
            Some(u)
        }
        None => None,
    };
    let mut tx = app.db.begin().await?;
    for id in household_ids {
        let h = households::get(&mut tx, *id)
            .await?
            .filter(|h| actor.can_see(&h.village_code))
            .ok_or_else(|| AppError::not_found(domain::message::catalogue::HOUSEHOLD, id))?;
        if let Some(g) = &grid {
            if !g.code.starts_with(&h.village_code) {
                return Err(AppError::BadRequest(
                    msg::HOUSEHOLD_NOT_IN_GRID_VILLAGE.with(&[("no", &h.household_no)]),
                ));
            }
        }
        households::set_grid(&mut tx, *id, grid.as_ref().map(|g| g.code.as_str())).await?;
        audit::record(
            &mut tx,
            actor,
            "household.assign_grid",
            "household",
            id,
            &h.village_code,
            json!({"before": {"grid": h.grid_code}, "after": {"grid": grid.as_ref().map(|g| &g.code)}}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(household_ids.len())
}
