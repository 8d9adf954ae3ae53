//! Household members: adding and editing them (personal numbers encrypted on the way in),
//! removing them, and the audited reveal of a full number.

use super::households::load;
use crate::{audit, Actor, App, AppError, Result};
use domain::access::Permission;
use domain::mask::mask_phone;
use domain::message::{catalogue as msg, Text};
use domain::registry::{FieldError, Member, MemberDraft};
use serde_json::json;
use store::registry::households;
use store::registry::members::{self, MemberRow};
use store::AnyConnection;

/// Encrypts a validated member into its stored form.
pub fn member_row(app: &App, household_id: i64, position: i64, m: &Member) -> Result<MemberRow> {
    let (id_cipher, id_hash, id_masked) = match &m.resident_id {
        Some(id) => (
            Some(app.cipher.encrypt(id.as_str())?),
            Some(app.cipher.lookup_hash(id.as_str())),
            Some(id.masked()),
        ),
        None => (None, None, None),
    };
    let (phone_cipher, phone_masked) = match &m.phone {
        Some(p) => (Some(app.cipher.encrypt(p)?), Some(mask_phone(p))),
        None => (None, None),
    };
    Ok(MemberRow {
        id: 0,
        household_id,
        position,
        name: m.name.clone(),
        relation: m.relation.clone(),
        sex: m.sex.map(|s| s.as_str().to_string()),
        birth_date: m.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
        id_cipher,
        id_hash,
        id_masked,
        phone_cipher,
        phone_masked,
    })
}

/// Why a resident ID cannot be registered: held by a household the actor may see (said
/// plainly), or by one outside its scope (said neutrally, so a form cannot test IDs nationwide).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdClash {
    InScope(Text),
    Elsewhere,
}

impl IdClash {
    /// What the actor is told.
    pub(crate) fn message(&self) -> Text {
        match self {
            IdClash::InScope(t) => t.clone(),
            IdClash::Elsewhere => msg::RESIDENT_ID_ELSEWHERE.text(),
        }
    }
}

/// A resident ID already registered to a member other than `except_member`, if any.
pub(crate) async fn id_clash(
    conn: &mut AnyConnection,
    actor: &Actor,
    hash: &str,
    except_member: Option<i64>,
) -> Result<Option<IdClash>> {
    let found = members::find_by_id_hash(conn, hash).await?;
    let Some(other) = found.iter().find(|m| Some(m.id) != except_member) else {
        return Ok(None);
    };
    let h = households::get(conn, other.household_id).await?;
    let visible = h.filter(|h| {
        actor.can_see(&h.village_code) || h.grid_code.as_deref().is_some_and(|g| actor.can_see(g))
    });
    Ok(Some(match visible {
        Some(h) => IdClash::InScope(
            msg::RESIDENT_ID_TAKEN.with(&[("no", &h.household_no), ("village", &h.village_code)]),
        ),
        None => IdClash::Elsewhere,
    }))
}

/// Audits an attempt to register a resident ID held outside the actor's scope (after the
/// refused write's transaction has been rolled back).
pub(crate) async fn audit_id_refusal(
    app: &App,
    actor: &Actor,
    unit: &str,
    household_id: Option<i64>,
    masked_ids: &[String],
) -> Result<()> {
    audit::record_refusal(
        app,
        actor,
        "member.id_refused",
        "household",
        household_id.map(|h| h.to_string()).unwrap_or_default(),
        unit,
        json!({"reason": "resident ID registered outside the actor's scope", "resident_ids": masked_ids}),
    )
    .await
}

/// Adds a member (or, with `member_id`, replaces that member's fields).
pub async fn save_member(
    app: &App,
    actor: &Actor,
    household_id: i64,
    member_id: Option<i64>,
    draft: MemberDraft,
) -> Result<i64> {
    actor.require(Permission::EditHouseholds)?;
    let mut draft = draft;
    let mut tx = app.db.begin().await?;
    let h = load(&mut tx, actor, household_id).await?;
    let existing = members::of_household(&mut tx, household_id).await?;
    let before = match member_id {
        Some(mid) => Some(
            existing
                .iter()
                .find(|x| x.id == mid)
                .cloned()
                .ok_or_else(|| AppError::not_found(domain::message::catalogue::MEMBER, mid))?,
        ),
        None => None,
    };
    // Edit forms never show personal numbers in full: an empty field (or the masked form sent
    // back) keeps the stored number.
    if let Some(b) = &before {
        let keep = |typed: &str, masked: &Option<String>| {
            let t = typed.trim();
            t.is_empty() || masked.as_deref() == Some(t)
        };
        let keep_id = draft.resident_id.trim().is_empty()
            || b.id_masked
                .as_deref()
                .is_some_and(|m| domain::mask::is_mask_of(&draft.resident_id, m));
        if keep_id {
            draft.resident_id = match &b.id_cipher {
                Some(c) => app.cipher.decrypt(c)?,
                None => String::new(),
            };
        }
        // A role that sees only the birth year never sets the date of a member whose stored
        // ID it keeps: the typed date is ignored, whatever it is. Were it checked against the
        // stored ID, the answer (422 or 200) would tell whether a guessed date is right, and
        // 366 guesses would reveal the date the role may not see.
        let year_only = domain::privacy::shown(actor.role, domain::privacy::PersonField::BirthDate)
            != domain::privacy::Shown::Full;
        let typed_birth = draft.birth_date.trim();
        let stored_year = b.birth_date.as_deref().and_then(|d| d.get(..4));
        if year_only && keep_id && b.id_cipher.is_some() {
            draft.birth_date = b.birth_date.clone().unwrap_or_default();
        } else if year_only && (typed_birth.is_empty() || Some(typed_birth) == stored_year) {
            // Empty or the year sent back keeps the stored date; with a new resident ID (typed
            // by the actor, so nothing to learn) the date comes from it.
            draft.birth_date = if keep_id {
                b.birth_date.clone().unwrap_or_default()
            } else {
                String::new()
            };
        }
        if keep(&draft.phone, &b.phone_masked) {
            draft.phone = match &b.phone_cipher {
                Some(c) => app.cipher.decrypt(c)?,
                None => String::new(),
            };
        }
    }
    let m = draft.validate().map_err(AppError::Invalid)?;
    let mut row = member_row(
        app,
        household_id,
        before
            .as_ref()
            .map(|b| b.position)
            .unwrap_or(existing.len() as i64),
        &m,
    )?;
    if let Some(hash) = &row.id_hash {
        if let Some(clash) = id_clash(&mut tx, actor, hash, member_id).await? {
            tx.rollback().await?;
            if clash == IdClash::Elsewhere {
                let masked: Vec<String> = row.id_masked.iter().cloned().collect();
                audit_id_refusal(app, actor, &h.village_code, Some(household_id), &masked).await?;
            }
            return Err(AppError::Invalid(vec![FieldError::new(
                "resident_id",
                clash.message(),
            )]));
        }
    }
    let id = match &before {
        Some(b) => {
            row.id = b.id;
            members::update(&mut tx, &row).await?;
            b.id
        }
        None => members::insert(&mut tx, &row).await?,
    };
    let summary = |r: &MemberRow| json!({"name": r.name, "relation": r.relation, "sex": r.sex, "birth_date": r.birth_date, "resident_id": r.id_masked, "phone": r.phone_masked});
    audit::record(
        &mut tx,
        actor,
        if before.is_some() { "member.update" } else { "member.create" },
        "member",
        id,
        &h.village_code,
        json!({"household": household_id, "before": before.as_ref().map(summary), "after": summary(&row)}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A household in the actor's scope and one of its members (another household's is not
/// found).
async fn load_member(
    conn: &mut store::AnyConnection,
    actor: &Actor,
    household_id: i64,
    member_id: i64,
) -> Result<(
    store::registry::households::HouseholdRow,
    members::MemberRow,
)> {
    let h = load(conn, actor, household_id).await?;
    let m = members::get(conn, member_id)
        .await?
        .filter(|m| m.household_id == household_id)
        .ok_or_else(|| AppError::not_found(domain::message::catalogue::MEMBER, member_id))?;
    Ok((h, m))
}

pub async fn delete_member(
    app: &App,
    actor: &Actor,
    household_id: i64,
    member_id: i64,
) -> Result<()> {
    actor.require(Permission::EditHouseholds)?;
    let mut tx = app.db.begin().await?;
    let (h, m) = load_member(&mut tx, actor, household_id, member_id).await?;
    members::delete(&mut tx, member_id).await?;
    audit::record(
        &mut tx,
        actor,
        "member.delete",
        "member",
        member_id,
        &h.village_code,
        json!({"household": household_id, "before": {"name": m.name, "resident_id": m.id_masked}}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What [`reveal`] answers as not found when the member has no such number (`what` is
/// `resident_id` or `phone`): "no resident ID", not an error to show.
pub fn number_absent(what: &str) -> domain::message::Text {
    let (zh, en) = domain::message::catalogue::field_label(what);
    domain::message::Text::new("thing.number", zh, en)
}

/// Shows a member's full resident ID or phone to a role allowed to see it, and audits that.
pub async fn reveal(
    app: &App,
    actor: &Actor,
    household_id: i64,
    member_id: i64,
    what: &str,
) -> Result<String> {
    actor.require(Permission::RevealPersonal)?;
    let mut tx = app.db.begin().await?;
    let (h, m) = load_member(&mut tx, actor, household_id, member_id).await?;
    let cipher = match what {
        "resident_id" => m.id_cipher.as_deref(),
        "phone" => m.phone_cipher.as_deref(),
        _ => {
            return Err(AppError::BadRequest(
                domain::message::catalogue::REVEAL_WHAT.text(),
            ))
        }
    };
    let plain = app
        .cipher
        .decrypt(cipher.ok_or_else(|| AppError::NotFound(number_absent(what)))?)?;
    audit::record(
        &mut tx,
        actor,
        "member.reveal",
        "member",
        member_id,
        &h.village_code,
        json!({"household": household_id, "field": what}),
    )
    .await?;
    tx.commit().await?;
    Ok(plain)
}
