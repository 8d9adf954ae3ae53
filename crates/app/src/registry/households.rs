//! The household registry ("one household, one file"): list, read (masked), create, edit,
//! delete, members, and the audited reveal of personal numbers.

use super::members::{audit_id_refusal, id_clash, member_row, IdClash};
pub use super::members::{delete_member, reveal, save_member};
use super::units as app_units;
use crate::{audit, Actor, App, AppError, Result};
use domain::access::{Permission, Role};
use domain::message::catalogue as msg;
use domain::privacy::{self, PersonField, Shown};
use domain::registry::search::name_search;
use domain::registry::{FieldError, HouseholdDraft, HouseholdFields, Level, MemberDraft, TAGS};
use domain::ResidentId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::registry::households::{self, HouseholdFilter, HouseholdRow, HouseholdWrite};
use store::registry::members::{self, MemberRow};
use store::AnyConnection;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub relation: String,
    pub sex: Option<String>,
    /// Only for roles that may reveal personal numbers (`domain::privacy`); others get the year.
    pub birth_date: Option<String>,
    pub birth_year: Option<i32>,
    /// Masked as area and last character, e.g. `1405*************4`; absent for banks.
    pub resident_id: Option<String>,
    /// Masked, e.g. `138****5678`.
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HouseholdView {
    pub id: i64,
    pub village_code: String,
    pub grid_code: Option<String>,
    pub grid_name: Option<String>,
    pub household_no: String,
    pub address: String,
    pub head_name: String,
    pub tags: Vec<String>,
    pub notes: String,
    pub member_count: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<MemberView>>,
}

fn view(role: Role, h: HouseholdRow, members: Option<Vec<MemberView>>) -> HouseholdView {
    let tags = match privacy::shown(role, PersonField::Tags) {
        Shown::Hidden => Vec::new(),
        _ => h
            .tags
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
    };
    HouseholdView {
        id: h.id,
        village_code: h.village_code,
        grid_code: h.grid_code,
        grid_name: h.grid_name,
        household_no: h.household_no,
        address: privacy::text_for(role, PersonField::Address, &h.address).unwrap_or_default(),
        head_name: privacy::text_for(role, PersonField::Name, &h.head_name).unwrap_or_default(),
        tags,
        notes: privacy::text_for(role, PersonField::Notes, &h.notes).unwrap_or_default(),
        member_count: h.member_count,
        created_at: h.created_at,
        updated_at: h.updated_at,
        members,
    }
}

/// A member as `role` may see it: every field through the one policy in `domain::privacy`.
fn member_view(role: Role, m: &MemberRow) -> MemberView {
    MemberView {
        id: m.id,
        name: privacy::text_for(role, PersonField::Name, &m.name).unwrap_or_default(),
        relation: m.relation.clone(),
        sex: m
            .sex
            .as_deref()
            .and_then(|s| privacy::text_for(role, PersonField::Sex, s)),
        birth_date: privacy::birth_date_for(role, m.birth_date.as_deref()),
        birth_year: privacy::birth_year_for(role, m.birth_date.as_deref()),
        resident_id: privacy::resident_id_for(role, m.id_masked.as_deref()),
        phone: privacy::phone_for(role, m.phone_masked.as_deref()),
    }
}

pub fn tag_label(code: &str, zh: bool) -> String {
    TAGS.iter()
        .find(|t| t.0 == code)
        .map(|t| if zh { t.1 } else { t.2 })
        .unwrap_or(code)
        .to_string()
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Households in a unit subtree, with text search: within a village any part of the household
/// number, names or address; across a township or more a name from its start
/// (`domain::registry::search`); a full resident ID finds its household by keyed hash anywhere.
pub async fn list(
    app: &App,
    actor: &Actor,
    unit: &str,
    text: Option<&str>,
    tag: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<Page<HouseholdView>> {
    actor.require(Permission::ViewRegistry)?;
    let unit = if unit.is_empty() {
        actor.scope.root.clone()
    } else {
        unit.to_string()
    };
    let known = if unit.is_empty() {
        None
    } else {
        Some(app_units::get(app, actor, &unit).await?)
    };
    list_in(app, actor, known.as_ref(), text, tag, page, per_page).await
}

/// [`list`] in a unit the caller has already read with [`app_units::get`] (a page that shows
/// the unit too), or, with `None`, in the account's whole area.
pub async fn list_in(
    app: &App,
    actor: &Actor,
    unit: Option<&app_units::Unit>,
    text: Option<&str>,
    tag: Option<&str>,
    page: i64,
    per_page: i64,
) -> Result<Page<HouseholdView>> {
    actor.require(Permission::ViewRegistry)?;
    let unit = match unit {
        Some(u) if actor.can_see(&u.code) => u.code.clone(),
        Some(u) => {
            return Err(AppError::not_found(
                domain::message::catalogue::UNIT,
                &u.code,
            ))
        }
        None if actor.scope.root.is_empty() => String::new(),
        None => app_units::get(app, actor, &actor.scope.root).await?.code,
    };
    let per_page = per_page.clamp(1, 200);
    let page = page.clamp(1, 1_000_000);
    // Only known tags: the code goes into a LIKE pattern.
    let tag = match tag.map(str::trim).filter(|t| !t.is_empty()) {
        // A role that may not see tags may not filter by them either: the count of matches
        // would tell which households carry a tag (低保户…) it is not shown.
        Some(_) if privacy::shown(actor.role, PersonField::Tags) == Shown::Hidden => {
            return Err(AppError::field("tag", msg::TAG_FILTER_FORBIDDEN))
        }
        Some(t) => Some(
            domain::registry::parse_tag(t)
                .ok_or_else(|| {
                    let known = domain::registry::TAGS.map(|t| t.1).join(", ");
                    AppError::field(
                        "tag",
                        msg::TAG_UNKNOWN.with(&[("value", &t), ("known", &known)]),
                    )
                })?
                .to_string(),
        ),
        None => None,
    };
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    // A role that may not see resident IDs cannot use one as a key either: matching would tell it
    // whether that person is registered here.
    let id_hash = text
        .filter(|_| privacy::shown(actor.role, PersonField::ResidentId) != Shown::Hidden)
        .and_then(|t| ResidentId::parse(t).ok())
        .map(|id| app.cipher.lookup_hash(id.as_str()));
    let text = match text.filter(|_| id_hash.is_none()) {
        Some(t) => Some(name_search(&unit, t).map_err(|e| {
            AppError::field("q", msg::SEARCH_TOO_SHORT.with(&[("n", &e.min_chars)]))
        })?),
        None => None,
    };
    let filter = HouseholdFilter {
        unit,
        text,
        id_hash,
        tag,
        consenting_only: privacy::needs_consent(actor.role),
        offset: (page - 1) * per_page,
        limit: per_page,
    };
    let mut conn = app.db.read().await?;
    let (rows, total) = households::list(&mut conn, &filter).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|h| view(actor.role, h, None))
            .collect(),
        total,
        page,
        per_page,
    })
}

/// Loads a household the account may see; others answer "not found".
pub(crate) async fn load(conn: &mut AnyConnection, actor: &Actor, id: i64) -> Result<HouseholdRow> {
    let h = households::get(conn, id).await?;
    h.filter(|h| {
        actor.can_see(h.grid_code.as_deref().unwrap_or(&h.village_code))
            || actor.can_see(&h.village_code)
    })
    .ok_or_else(|| AppError::not_found(domain::message::catalogue::HOUSEHOLD, id))
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<HouseholdView> {
    actor.require(Permission::ViewRegistry)?;
    let mut conn = app.db.read().await?;
    let h = load(&mut conn, actor, id).await?;
    // Banks read only files of households that consented to share (docs/credit.md).
    if privacy::needs_consent(actor.role)
        && !store::credit::records::profile(&mut conn, id)
            .await?
            .is_some_and(|p| p.consent_to_share)
    {
        return Err(AppError::not_found(
            domain::message::catalogue::HOUSEHOLD,
            id,
        ));
    }
    let ms = members::of_household(&mut conn, id).await?;
    let ms = ms.iter().map(|m| member_view(actor.role, m)).collect();
    Ok(view(actor.role, h, Some(ms)))
}

/// A villager's own household, reached through the member their account is bound to (never
/// through the tree, which a villager's scope does not cover); numbers masked by their role.
pub(crate) async fn of_villager(app: &App, actor: &Actor, id: i64) -> Result<HouseholdView> {
    let mut conn = app.db.read().await?;
    let h = households::get(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found(domain::message::catalogue::HOUSEHOLD, id))?;
    let ms = members::of_household(&mut conn, id).await?;
    let ms = ms.iter().map(|m| member_view(actor.role, m)).collect();
    Ok(view(actor.role, h, Some(ms)))
}

/// A household as submitted by a form, the API or an import row group.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HouseholdInput {
    pub village_code: String,
    #[serde(default)]
    pub grid_code: Option<String>,
    #[serde(flatten)]
    pub fields: HouseholdDraft,
    #[serde(default)]
    pub members: Vec<MemberDraft>,
}

/// Checks the grid belongs to the village and the account may write there.
async fn check_placement(
    app: &App,
    actor: &Actor,
    village: &str,
    grid: Option<&str>,
) -> Result<()> {
    let v = match app_units::get(app, actor, village).await {
        Ok(v) => v,
        // A grid member writes inside its grid of a village it cannot see whole: the village
        // must really be the grid's village.
        Err(AppError::NotFound(_))
            if grid.is_some_and(|g| actor.can_see(g) && g.get(..12) == Some(village)) =>
        {
            let mut conn = app.db.read().await?;
            store::registry::units::get(&mut conn, village)
                .await?
                .map(app_units::Unit::from)
                .ok_or_else(|| AppError::not_found(domain::message::catalogue::UNIT, village))?
        }
        Err(e) => return Err(e),
    };
    if v.level != Level::Village.as_str() {
        return Err(AppError::field(
            "village_code",
            domain::message::catalogue::NOT_A_VILLAGE.with(&[("code", &village)]),
        ));
    }
    match grid {
        Some(g) => {
            let gu = app_units::get(app, actor, g).await.map_err(|_| {
                AppError::field(
                    "grid_code",
                    domain::message::catalogue::GRID_NOT_FOUND.with(&[("code", &g)]),
                )
            })?;
            if !gu.code.starts_with(village)
                || !matches!(
                    Level::parse(&gu.level),
                    Some(Level::Grid | Level::MicroGrid)
                )
            {
                return Err(AppError::field(
                    "grid_code",
                    domain::message::catalogue::NOT_GRID_OF_VILLAGE
                        .with(&[("grid", &g), ("village", &village)]),
                ));
            }
        }
        None if !actor.can_see(village) => {
            return Err(AppError::field(
                "grid_code",
                domain::message::catalogue::CHOOSE_YOUR_GRID,
            ));
        }
        None => {}
    }
    Ok(())
}

fn write_of(village: &str, grid: Option<String>, f: &HouseholdFields) -> HouseholdWrite {
    HouseholdWrite {
        village_code: village.to_string(),
        grid_code: grid,
        household_no: f.household_no.clone(),
        address: f.address.clone(),
        head_name: f.head_name.clone(),
        tags: f.tags.join(","),
        notes: f.notes.clone(),
    }
}

fn member_errors(i: usize, errs: Vec<FieldError>) -> Vec<FieldError> {
    errs.into_iter().map(|e| e.of_member(i + 1)).collect()
}

/// The refusal of a household number already taken: plain when the actor may see the household
/// holding it; otherwise neutral and audited, so a grid member cannot list the numbers outside
/// its grid.
async fn number_refused(
    app: &App,
    actor: &Actor,
    taken: &HouseholdRow,
    number: &str,
) -> Result<AppError> {
    let visible = actor.can_see(&taken.village_code)
        || taken.grid_code.as_deref().is_some_and(|g| actor.can_see(g));
    let message = if visible {
        msg::HOUSEHOLD_NO_TAKEN
    } else {
        audit::record_refusal(
            app,
            actor,
            "household.number_refused",
            "household",
            "",
            &taken.village_code,
            json!({"reason": "household number held outside the actor's scope", "household_no": number}),
        )
        .await?;
        msg::HOUSEHOLD_NO_ELSEWHERE
    };
    Ok(AppError::Invalid(vec![FieldError::new(
        "household_no",
        message,
    )]))
}

pub async fn create(app: &App, actor: &Actor, input: HouseholdInput) -> Result<i64> {
    actor.require(Permission::EditHouseholds)?;
    let grid = input.grid_code.clone().filter(|g| !g.trim().is_empty());
    check_placement(app, actor, &input.village_code, grid.as_deref()).await?;
    let mut errors = Vec::new();
    let fields = input.fields.validate().map_err(|e| errors.extend(e)).ok();
    let mut valid_members = Vec::new();
    for (i, m) in input.members.iter().enumerate() {
        match m.validate() {
            Ok(m) => valid_members.push(m),
            Err(e) => errors.extend(member_errors(i, e)),
        }
    }
    let Some(fields) = fields.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = app.db.begin().await?;
    if let Some(taken) =
        households::find_by_no(&mut tx, &input.village_code, &fields.household_no).await?
    {
        tx.rollback().await?;
        return Err(number_refused(app, actor, &taken, &fields.household_no).await?);
    }
    let id = households::insert(&mut tx, &write_of(&input.village_code, grid, &fields)).await?;
    for (i, m) in valid_members.iter().enumerate() {
        let row = member_row(app, id, i as i64, m)?;
        if let Some(hash) = &row.id_hash {
            if let Some(clash) = id_clash(&mut tx, actor, hash, None).await? {
                tx.rollback().await?;
                if clash == IdClash::Elsewhere {
                    let masked: Vec<String> = row.id_masked.iter().cloned().collect();
                    audit_id_refusal(app, actor, &input.village_code, None, &masked).await?;
                }
                return Err(AppError::Invalid(vec![FieldError::new(
                    "resident_id",
                    clash.message(),
                )
                .of_member(i + 1)]));
            }
        }
        members::insert(&mut tx, &row).await?;
    }
    audit::record(
        &mut tx,
        actor,
        "household.create",
        "household",
        id,
        &input.village_code,
        json!({"after": {"household_no": fields.household_no, "head_name": fields.head_name, "members": valid_members.len()}}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits the household's own fields and grid (members are edited one by one).
pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    grid_code: Option<String>,
    draft: HouseholdDraft,
) -> Result<()> {
    actor.require(Permission::EditHouseholds)?;
    let fields = draft.validate().map_err(AppError::Invalid)?;
    let mut tx = app.db.begin().await?;
    let before = load(&mut tx, actor, id).await?;
    let grid = grid_code.filter(|g| !g.trim().is_empty());
    check_placement(app, actor, &before.village_code, grid.as_deref()).await?;
    if fields.household_no != before.household_no {
        if let Some(taken) =
            households::find_by_no(&mut tx, &before.village_code, &fields.household_no).await?
        {
            tx.rollback().await?;
            return Err(number_refused(app, actor, &taken, &fields.household_no).await?);
        }
    }
    let after = write_of(&before.village_code, grid, &fields);
    households::update(&mut tx, id, &after).await?;
    audit::record(
        &mut tx,
        actor,
        "household.update",
        "household",
        id,
        &before.village_code,
        json!({
            "before": {"household_no": before.household_no, "head_name": before.head_name, "address": before.address, "tags": before.tags, "grid": before.grid_code, "notes": before.notes},
            "after": {"household_no": after.household_no, "head_name": after.head_name, "address": after.address, "tags": after.tags, "grid": after.grid_code, "notes": after.notes},
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Permission::EditHouseholds)?;
    let mut tx = app.db.begin().await?;
    let before = load(&mut tx, actor, id).await?;
    households::delete(&mut tx, id).await?;
    audit::record(
        &mut tx,
        actor,
        "household.delete",
        "household",
        id,
        &before.village_code,
        json!({"before": {"household_no": before.household_no, "head_name": before.head_name}}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
