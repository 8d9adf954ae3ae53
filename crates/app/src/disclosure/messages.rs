//! Villagers' messages on a module or a disclosure: a verified villager asks or comments,
//! choosing what kind of message it is; a cadre of the village answers (and may re-classify);
//! unanswered after five working days it shows as overdue to the township. A villager's inbox:
//! disclosures published since they last looked, and answers to their messages.

use super::villagers;
use crate::{audit, Actor, App, AppError, Result};
use chrono::NaiveDate;
use domain::access::{Permission, Role};
use domain::disclosure::{add_working_days, MessageKind, Module, ANSWER_WORKING_DAYS};
use domain::message::{FieldError, Text};
use serde::Serialize;
use serde_json::json;
use store::disclosure_messages::{self as rows, MessageRow, NewMessage};

pub const MAX_MESSAGE: usize = 2_000;

fn refused(code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::Forbidden(Text::new(code, zh, en))
}

/// A villager leaves a message on their own village's module (and disclosure, if given).
pub async fn ask(
    app: &App,
    actor: &Actor,
    module: &str,
    disclosure_id: Option<i64>,
    kind: &str,
    body: &str,
) -> Result<i64> {
    let link = villagers::link(app, actor).await?;
    let mut errors = Vec::new();
    let kind = MessageKind::parse(kind);
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            Text::new(
                "message.kind",
                "请选择留言类型",
                "choose what kind of message it is",
            ),
        ));
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_MESSAGE {
        errors.push(FieldError::new(
            "body",
            domain::message::catalogue::TOO_LONG.field("body", &[("max", &MAX_MESSAGE)]),
        ));
    } else if let Err(e) = domain::text::check_free_text("body", body) {
        errors.push(e);
    }
    let mut module = Module::parse(module);
    if let Some(id) = disclosure_id {
        let d = super::board::public_one(app, id).await?;
        if d.unit_code != link.village_code {
            return Err(refused(
                "message.other_village",
                "只能对本村的公开留言",
                "you may write only about your own village's disclosures",
            ));
        }
        module = Some(d.module);
    }
    let (Some(kind), Some(module), true) = (kind, module, errors.is_empty()) else {
        if module.is_none() && errors.is_empty() {
            errors.push(FieldError::new(
                "module",
                Text::new("message.module", "请选择公开模块", "choose a module"),
            ));
        }
        return Err(AppError::Invalid(errors));
    };
    let township: String = link.village_code.chars().take(9).collect();
    let mut tx = app.db.begin().await?;
    let id = rows::insert(
        &mut tx,
        &NewMessage {
            village_code: &link.village_code,
            township_code: &township,
            module: module.key(),
            disclosure_id,
            author_id: link.user_id,
            author_name: &actor.display_name,
            kind: kind.key(),
            body,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "message.ask",
        "message",
        id,
        &link.village_code,
        json!({"kind": kind.key(), "disclosure": disclosure_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A cadre of the message's village answers it once, optionally re-classifying it.
pub async fn answer(
    app: &App,
    actor: &Actor,
    id: i64,
    text: &str,
    kind: Option<&str>,
) -> Result<()> {
    actor.require(Permission::PrepareDisclosure)?;
    let mut tx = app.db.begin().await?;
    let m = rows::by_id(&mut tx, id)
        .await?
        .filter(|m| actor.can_see(&m.village_code))
        .ok_or_else(|| AppError::NotFound(domain::message::catalogue::RECORD.text()))?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_MESSAGE {
        return Err(AppError::field(
            "answer",
            domain::message::catalogue::TOO_LONG.field("answer", &[("max", &MAX_MESSAGE)]),
        ));
    }
    domain::text::check_free_text("answer", text).map_err(|e| AppError::Invalid(vec![e]))?;
    let kind = match kind.filter(|k| !k.trim().is_empty()) {
        Some(k) => MessageKind::parse(k).ok_or_else(|| {
            AppError::field(
                "kind",
                Text::new(
                    "message.kind",
                    "请选择留言类型",
                    "choose what kind of message it is",
                ),
            )
        })?,
        None => MessageKind::parse(&m.kind).unwrap_or(MessageKind::Question),
    };
    if !rows::answer(&mut tx, id, text, &actor.display_name, kind.key()).await? {
        return Err(AppError::Conflict(Text::new(
            "message.answered",
            "该留言已答复",
            "the message was answered already",
        )));
    }
    audit::record(
        &mut tx,
        actor,
        "message.answer",
        "message",
        id,
        &m.village_code,
        json!({"kind": {"before": m.kind, "after": kind.key()}}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A message as listed, with when its answer is due.
#[derive(Debug, Clone, Serialize)]
pub struct MessageView {
    #[serde(flatten)]
    pub row: MessageRow,
    pub due: NaiveDate,
    pub overdue: bool,
}

fn view(row: MessageRow, today: NaiveDate) -> MessageView {
    let asked = super::local_date(&row.created_at).unwrap_or(today);
    let due = add_working_days(asked, ANSWER_WORKING_DAYS);
    let overdue = row.answered_at.is_none() && today > due;
    MessageView { row, due, overdue }
}

/// Messages of the actor's area (cadres, supervisors, officers), newest first.
pub async fn of_area(app: &App, actor: &Actor, today: NaiveDate) -> Result<Vec<MessageView>> {
    actor.require(Permission::ViewRegistry)?;
    let mut conn = app.db.read().await?;
    let list = rows::list(&mut conn, Some(&actor.scope.root), None, 500).await?;
    Ok(list.into_iter().map(|r| view(r, today)).collect())
}

/// What a villager sees: their household's village, new disclosures and their messages.
#[derive(Debug, Clone, Serialize)]
pub struct Inbox {
    pub village_code: String,
    pub unread: Vec<super::board::DisclosureView>,
    pub messages: Vec<MessageView>,
}

pub async fn inbox(app: &App, actor: &Actor, today: NaiveDate, mark_seen: bool) -> Result<Inbox> {
    let link = villagers::link(app, actor).await?;
    if actor.role != Role::Villager {
        return Err(AppError::Forbidden(
            domain::message::catalogue::OUTSIDE_AREA.text(),
        ));
    }
    let board = super::board::village_board(app, &link.village_code, 20).await?;
    let mut unread: Vec<_> = board
        .modules
        .into_iter()
        .flat_map(|(_, v)| v)
        // Both to the second: one published in the second of the last look stays new once more
        // rather than never showing.
        .filter(|d| d.published_at.as_str() >= link.inbox_seen_at.as_str())
        .collect();
    unread.sort_by(|a, b| b.published_at.cmp(&a.published_at));
    let mut conn = app.db.read().await?;
    let mine = rows::list(&mut conn, None, Some(link.user_id), 200).await?;
    if mark_seen {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        store::villagers::mark_inbox_seen(&mut conn, link.user_id, &now).await?;
    }
    Ok(Inbox {
        village_code: link.village_code,
        unread,
        messages: mine.into_iter().map(|r| view(r, today)).collect(),
    })
}

/// What officers read of a village: verified villagers, the share of households with one,
/// messages and how fast they were answered.
#[derive(Debug, Clone, Serialize)]
pub struct VillageFigures {
    pub code: String,
    pub villagers: i64,
    pub households: i64,
    pub households_with_villager: i64,
    /// Tenths of a percent (integer: no floats in what is stored or compared).
    pub household_share_permille: i64,
    pub messages: i64,
    pub unanswered: i64,
    /// Median hours from a message to its answer (answered ones only).
    pub median_answer_hours: Option<i64>,
}

pub async fn figures(app: &App, actor: &Actor, root: &str) -> Result<Vec<VillageFigures>> {
    actor.require(Permission::ViewRegistry)?;
    actor.require_unit(root)?;
    let mut conn = app.db.read().await?;
    let all = store::villagers::figures(&mut conn, root).await?;
    let hours = |(a, b): &(String, String)| {
        let p = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
        match (p(a), p(b)) {
            (Some(a), Some(b)) => Some((b - a).num_hours()),
            _ => None,
        }
    };
    Ok(all
        .into_iter()
        .map(|(code, f)| {
            let mut h: Vec<i64> = f.answered.iter().filter_map(hours).collect();
            h.sort_unstable();
            VillageFigures {
                code,
                villagers: f.villagers,
                households: f.households,
                households_with_villager: f.households_with_villager,
                household_share_permille: if f.households > 0 {
                    f.households_with_villager * 1000 / f.households
                } else {
                    0
                },
                messages: f.messages,
                unanswered: f.unanswered,
                median_answer_hours: h.get(h.len() / 2).copied(),
            }
        })
        .collect())
}
