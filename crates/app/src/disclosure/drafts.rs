//! The writes: prepare and edit a draft, approve it (finance: a supervisor, never the
//! preparer), publish it (final, in the transparency log, in one transaction with its audit).

use super::{check, published_now, DraftInput};
use crate::{audit, transparency, Actor, App, AppError, Result};
use domain::access::{Permission, Role};
use domain::disclosure::leaf::{Leaf, KIND};
use domain::disclosure::{check_approver, DisclosureError, Period};
use domain::message::catalogue as msg;
use serde_json::json;
use store::disclosure::{self as rows, Content, DraftRow, Publication};

/// The village a disclosure belongs to, in the actor's area.
async fn village(app: &App, actor: &Actor, code: &str) -> Result<store::registry::units::UnitRow> {
    actor.require_unit(code)?;
    let mut conn = app.db.read().await?;
    let unit = store::registry::units::get(&mut conn, code)
        .await?
        .ok_or_else(|| AppError::NotFound(msg::RECORD.text()))?;
    if unit.level != "village" {
        return Err(AppError::field(
            "unit_code",
            msg::NOT_A_VILLAGE.with(&[("code", &code)]),
        ));
    }
    Ok(unit)
}

/// The checked content and the attachment files to keep with it (`kept`: the draft's own
/// attachments when no new ones were uploaded).
async fn content_of(
    app: &App,
    actor: &Actor,
    input: &DraftInput,
    kept: &str,
) -> Result<(Content, Vec<rows::FileRow>)> {
    village(app, actor, input.unit_code.trim()).await?;
    let c = check(&app.config.disclosure, input, super::today())?;
    if let Some(old) = input.supersedes {
        let mut conn = app.db.read().await?;
        let prev = rows::by_id(&mut conn, old).await?;
        match prev {
            Some(p)
                if p.content.unit_code == input.unit_code.trim()
                    && p.content.category == c.category.key =>
            {
                if p.superseded_by.is_some() {
                    return Err(DisclosureError::AlreadySuperseded(old).into());
                }
            }
            _ => return Err(DisclosureError::BadSupersede.into()),
        }
    }
    let (attachments, files) = match &input.attachments {
        None => (kept.to_string(), Vec::new()),
        Some(uploaded) => {
            use base64::Engine;
            use sha2::{Digest, Sha256};
            let kinds = domain::disclosure::attachment::check(uploaded)?;
            let files: Vec<rows::FileRow> = uploaded
                .iter()
                .zip(kinds)
                .map(|((name, bytes), mime)| rows::FileRow {
                    sha256: hex::encode(Sha256::digest(bytes)),
                    mime: mime.to_string(),
                    size: bytes.len() as i64,
                    name: name.chars().filter(|c| !c.is_control()).take(100).collect(),
                    data: base64::engine::general_purpose::STANDARD.encode(bytes),
                })
                .collect();
            let list: Vec<&str> = files.iter().map(|f| f.sha256.as_str()).collect();
            let json =
                serde_json::to_string(&list).map_err(|e| AppError::Internal(e.to_string()))?;
            (json, files)
        }
    };
    let content = Content {
        unit_code: input.unit_code.trim().to_string(),
        module: c.category.module.key().to_string(),
        category: c.category.key.clone(),
        period: c.period.to_string(),
        title: c.title,
        body: c.body,
        table_json: c
            .table
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| AppError::Internal(e.to_string()))?,
        supersedes: input.supersedes,
        attachments,
    };
    Ok((content, files))
}

fn user_id(actor: &Actor) -> i64 {
    // The command line acts as account 0: it is never a supervisor, so never approves.
    actor.user_id.unwrap_or(0)
}

/// Prepares a draft; returns its id.
pub async fn prepare(app: &App, actor: &Actor, input: DraftInput) -> Result<i64> {
    actor.require(Permission::PrepareDisclosure)?;
    let (c, files) = content_of(app, actor, &input, "[]").await?;
    let mut tx = app.db.begin().await?;
    for f in &files {
        rows::insert_file(&mut tx, f).await?;
    }
    let id = rows::insert_draft(&mut tx, &c, user_id(actor), &actor.display_name).await?;
    audit::record(
        &mut tx,
        actor,
        "disclosure.prepare",
        "disclosure_draft",
        id,
        &c.unit_code,
        json!({"category": c.category, "period": c.period, "title": c.title}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Whether the actor works with drafts (unpublished finance figures are not for everyone who
/// reads the registry, e.g. a bank).
fn may_see_drafts(actor: &Actor) -> Result<()> {
    if actor.role.can(Permission::PrepareDisclosure)
        || actor.role.can(Permission::ApproveDisclosure)
        || actor.role.can(Permission::ViewAudit)
    {
        Ok(())
    } else {
        actor.require(Permission::PrepareDisclosure)
    }
}

/// A draft the actor may see.
pub async fn draft(app: &App, actor: &Actor, id: i64) -> Result<DraftRow> {
    may_see_drafts(actor)?;
    let mut conn = app.db.read().await?;
    match rows::draft_by_id(&mut conn, id).await? {
        Some(d) if actor.can_see(&d.content.unit_code) => Ok(d),
        _ => Err(AppError::NotFound(msg::RECORD.text())),
    }
}

/// Unpublished drafts in the actor's area.
pub async fn open_drafts(app: &App, actor: &Actor) -> Result<Vec<DraftRow>> {
    may_see_drafts(actor)?;
    let mut conn = app.db.read().await?;
    Ok(rows::open_drafts(&mut conn, &actor.scope.root).await?)
}

/// Rewrites an unpublished draft (its approval, if any, is withdrawn).
pub async fn edit(app: &App, actor: &Actor, id: i64, mut input: DraftInput) -> Result<()> {
    actor.require(Permission::PrepareDisclosure)?;
    let d = draft(app, actor, id).await?;
    if d.published_id.is_some() {
        return Err(DisclosureError::AlreadyPublished.into());
    }
    input.unit_code = d.content.unit_code.clone();
    input.category = d.content.category.clone();
    input.supersedes = d.content.supersedes;
    // No new table uploaded: the draft keeps its table.
    if input.table.is_none() {
        input.table = d
            .content
            .table_json
            .as_deref()
            .and_then(|j| serde_json::from_str::<domain::disclosure::table::Table>(j).ok())
            .map(|t| std::iter::once(t.columns).chain(t.rows).collect());
    }
    let (c, files) = content_of(app, actor, &input, &d.content.attachments).await?;
    let mut tx = app.db.begin().await?;
    for f in &files {
        rows::insert_file(&mut tx, f).await?;
    }
    if !rows::update_draft(&mut tx, id, &c).await? {
        tx.rollback().await?;
        return Err(DisclosureError::AlreadyPublished.into());
    }
    audit::record(
        &mut tx,
        actor,
        "disclosure.edit",
        "disclosure_draft",
        id,
        &c.unit_code,
        json!({"before": {"title": d.content.title, "period": d.content.period}, "after": {"title": c.title, "period": c.period}}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A supervisor of the draft's village approves the version they saw (`seen`: the draft's
/// `updated_at` shown to them; `None`: the current one, for the command line's one-step publish).
pub async fn approve(app: &App, actor: &Actor, id: i64, seen: Option<&str>) -> Result<()> {
    if actor.role != Role::Supervisor {
        return Err(DisclosureError::ApproverNotSupervisor.into());
    }
    actor.require(Permission::ApproveDisclosure)?;
    let d = draft(app, actor, id).await?;
    check_approver(d.prepared_by, user_id(actor))?;
    let mut tx = app.db.begin().await?;
    let seen = seen.unwrap_or(&d.updated_at);
    if !rows::approve_draft(&mut tx, id, user_id(actor), &actor.display_name, seen).await? {
        tx.rollback().await?;
        return Err(if d.approved_by.is_some() {
            DisclosureError::AlreadyApproved
        } else {
            DisclosureError::ChangedMeanwhile
        }
        .into());
    }
    audit::record(
        &mut tx,
        actor,
        "disclosure.approve",
        "disclosure_draft",
        id,
        &d.content.unit_code,
        json!({"title": d.content.title, "prepared_by": d.prepared_by_name}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where a publication landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Published {
    pub id: i64,
    pub index: u64,
}

/// Publishes a draft: final row, log leaf and audit in one transaction.
pub async fn publish(app: &App, actor: &Actor, id: i64) -> Result<Published> {
    publish_at(app, actor, id, published_now()).await
}

/// [`publish`] stating the publication time: the demo's history (months published on their
/// day); every live publication is stamped now.
pub(crate) async fn publish_at(app: &App, actor: &Actor, id: i64, at: String) -> Result<Published> {
    actor.require(Permission::PrepareDisclosure)?;
    let d = draft(app, actor, id).await?;
    if d.published_id.is_some() {
        return Err(DisclosureError::AlreadyPublished.into());
    }
    let category = app.config.disclosure.get(&d.content.category)?;
    if category.needs_approval && d.approved_by.is_none() {
        return Err(DisclosureError::NeedsApproval.into());
    }
    let unit = village(app, actor, &d.content.unit_code).await?;
    let period = Period::parse(&d.content.period)?;
    let township = unit.parent_code.clone().unwrap_or_default();
    let county: String = township.chars().take(6).collect();
    let period_start = period.start().format("%Y-%m-%d").to_string();
    let mut tx = app.db.begin().await?;
    let published = rows::publish(
        &mut tx,
        &Publication {
            content: &d.content,
            township_code: &township,
            county_code: &county,
            period_start: &period_start,
            prepared_by_name: &d.prepared_by_name,
            approved_by_name: d.approved_by_name.as_deref(),
            published_by: user_id(actor),
            published_by_name: &actor.display_name,
            published_at: &at,
            draft_id: d.id,
            seen: &d.updated_at,
            needs_approval: category.needs_approval,
        },
    )
    .await;
    let new_id = match published {
        Ok(Some(new_id)) => new_id,
        Ok(None) => {
            tx.rollback().await?;
            return Err(DisclosureError::ChangedMeanwhile.into());
        }
        // The one UNIQUE a correction can meet: someone corrected the same one meanwhile.
        Err(store::StoreError::Conflict(_)) if d.content.supersedes.is_some() => {
            tx.rollback().await?;
            return Err(
                DisclosureError::AlreadySuperseded(d.content.supersedes.unwrap_or(0)).into(),
            );
        }
        Err(e) => return Err(e.into()),
    };
    let row = rows::by_id(&mut tx, new_id)
        .await?
        .ok_or_else(|| AppError::Internal("published row vanished".into()))?;
    let leaf = leaf_of(&row)?;
    let index =
        transparency::append(&mut tx, KIND, &row.content.unit_code, Some(new_id), &leaf).await?;
    audit::record(
        &mut tx,
        actor,
        "disclosure.publish",
        "disclosure",
        new_id,
        &row.content.unit_code,
        json!({"category": row.content.category, "period": row.content.period, "title": row.content.title, "log_index": index, "supersedes": row.content.supersedes}),
    )
    .await?;
    tx.commit().await?;
    Ok(Published { id: new_id, index })
}

/// The leaf bytes of a published disclosure, from its row (also what `log audit` recomputes).
pub fn leaf_of(row: &rows::DisclosureRow) -> Result<String> {
    let table = super::stored_table(row.id, row.content.table_json.as_deref())?;
    let attachments: Vec<String> = serde_json::from_str(&row.attachments)
        .map_err(|e| AppError::Internal(format!("disclosure {}: attachments: {e}", row.id)))?;
    let c = &row.content;
    Ok(Leaf {
        v: 1,
        kind: KIND,
        id: row.id,
        unit: &c.unit_code,
        module: &c.module,
        category: &c.category,
        period: &c.period,
        title: &c.title,
        body: &c.body,
        table: table.as_ref(),
        attachments: &attachments,
        published_at: &row.published_at,
        supersedes: c.supersedes,
    }
    .bytes())
}

/// Prepares, approves (by the named supervisor account, for finance) and publishes in one
/// call: the command line's `disclosure publish`, where approval was given on paper by the
/// named supervisor — who must be an active supervisor of the village, and not the preparer.
pub async fn publish_now(
    app: &App,
    actor: &Actor,
    input: DraftInput,
    approver: Option<Actor>,
) -> Result<Published> {
    let id = prepare(app, actor, input).await?;
    if let Some(a) = approver {
        if !a.can_see(&draft(app, actor, id).await?.content.unit_code) {
            return Err(DisclosureError::ApproverNotSupervisor.into());
        }
        approve(app, &a, id, None).await?;
    }
    publish(app, actor, id).await
}

/// Prepares the finance statement of a month from the village's ledgers:
/// a draft the accountant edits before a supervisor approves it.
pub async fn prepare_statement(
    app: &App,
    actor: &Actor,
    village_code: &str,
    period: &str,
) -> Result<i64> {
    actor.require(Permission::PrepareDisclosure)?;
    let unit = village(app, actor, village_code).await?;
    let p = Period::parse(period)?;
    // The monthly statement; a village publishing monthly covers the quarterly minimum.
    let category = "finance.monthly";
    if !matches!(p, Period::Month { .. }) {
        return Err(DisclosureError::PeriodDoesNotFit {
            category: category.into(),
            cadence: "monthly",
            example: "2026-11",
            value: period.trim().to_string(),
        }
        .into());
    }
    let lines = {
        let mut conn = app.db.read().await?;
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        rows::ledger_lines(&mut conn, village_code, &day(p.start()), &day(p.end())).await?
    };
    let lines: Vec<domain::disclosure::statement::Line> = lines
        .into_iter()
        .map(|l| domain::disclosure::statement::Line {
            kind: l.kind,
            item: l.item,
            party: l.party,
            amount_fen: l.amount_fen,
        })
        .collect();
    let s = domain::disclosure::statement::statement(&unit.name, p, &lines);
    prepare(
        app,
        actor,
        DraftInput {
            unit_code: village_code.to_string(),
            category: category.to_string(),
            module: String::new(),
            period: p.to_string(),
            title: s.title,
            body: s.body,
            table: Some(s.rows),
            supersedes: None,
            attachments: None,
        },
    )
    .await
}
