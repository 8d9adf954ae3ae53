//! Three-affairs disclosure (三务公开): a draft is prepared by a cadre or the accountant, a
//! finance one is approved by a supervisor (a second person), then it is published — final,
//! appended to the transparency log in the same transaction. Corrections supersede.
//!
//! - [`drafts`]: prepare, edit, approve, publish (the writes);
//! - [`board`]: what villagers read (a village's board, one disclosure) and the on-time table
//!   officers read (on time / late / missing per village and category).

pub mod board;
pub mod drafts;
pub mod export;
pub mod messages;
pub mod views;
pub mod villagers;

use crate::{AppError, Result};
use domain::disclosure::table::Table;
use domain::disclosure::{Category, DisclosureError, Module, Period};
use domain::message::FieldError;

/// Longest title and body a disclosure may have.
pub const MAX_TITLE: usize = 100;
pub const MAX_BODY: usize = 20_000;

impl From<DisclosureError> for AppError {
    fn from(e: DisclosureError) -> AppError {
        use DisclosureError::*;
        match e {
            SelfApproval | ApproverNotSupervisor => AppError::Forbidden(e.text()),
            AlreadyPublished | AlreadySuperseded(_) | AlreadyApproved | ChangedMeanwhile => {
                AppError::Conflict(e.text())
            }
            NeedsApproval => AppError::Conflict(e.text()),
            UnknownCategory(_) | WrongModule { .. } => AppError::field("category", e.text()),
            BadPeriod { .. } | PeriodDoesNotFit { .. } | FuturePeriod { .. } => {
                AppError::field("period", e.text())
            }
            TableTooLarge { .. }
            | TableRagged { .. }
            | TableBadFen { .. }
            | TableNoHeader
            | TablePersonalNumber { .. } => AppError::field("table", e.text()),
            AttachmentType { .. } | AttachmentTooLarge { .. } | TooManyAttachments { .. } => {
                AppError::field("attachments", e.text())
            }
            BadSupersede => AppError::field("supersedes", e.text()),
            _ => AppError::BadRequest(e.text()),
        }
    }
}

/// What a person writes for a disclosure.
#[derive(Debug, Clone, Default)]
pub struct DraftInput {
    pub unit_code: String,
    pub category: String,
    /// Empty: the category's module.
    pub module: String,
    pub period: String,
    pub title: String,
    pub body: String,
    /// Uploaded table rows, header first (already read from CSV/XLSX).
    pub table: Option<Vec<Vec<String>>>,
    pub supersedes: Option<i64>,
    /// Uploaded attachments (file name, bytes); `None` keeps a draft's own when editing.
    pub attachments: Option<Vec<(String, Vec<u8>)>>,
}

/// The checked input.
pub(crate) struct Checked<'c> {
    pub category: &'c Category,
    pub period: Period,
    pub title: String,
    pub body: String,
    pub table: Option<Table>,
}

/// Checks every field, collecting all problems (a form shows them all at once).
pub(crate) fn check<'c>(
    catalogue: &'c domain::disclosure::Catalogue,
    input: &DraftInput,
    today: chrono::NaiveDate,
) -> Result<Checked<'c>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut push = |field: &'static str, e: DisclosureError| {
        errors.push(FieldError::new(field, e.text()));
    };
    let category = match catalogue.get(input.category.trim()) {
        Ok(c) => Some(c),
        Err(e) => {
            push("category", e);
            None
        }
    };
    if let (Some(c), false) = (category, input.module.trim().is_empty()) {
        match Module::parse(&input.module) {
            Some(m) if m == c.module => {}
            other => push(
                "module",
                DisclosureError::WrongModule {
                    category: c.key.clone(),
                    expected: c.module.key(),
                    got: other.map(Module::key).unwrap_or("?"),
                },
            ),
        }
    }
    let period = match Period::parse(&input.period) {
        Ok(p) => {
            if let Some(c) = category.filter(|c| !p.fits(c.cadence)) {
                push(
                    "period",
                    DisclosureError::PeriodDoesNotFit {
                        category: c.key.clone(),
                        cadence: c.cadence.key(),
                        example: c.cadence.example(),
                        value: input.period.trim().to_string(),
                    },
                );
            } else if p.start() > today {
                push(
                    "period",
                    DisclosureError::FuturePeriod {
                        period: p.to_string(),
                    },
                );
            }
            Some(p)
        }
        Err(e) => {
            push("period", e);
            None
        }
    };
    let title = input.title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new(
            "title",
            domain::message::catalogue::REQUIRED.field("title", &[]),
        ));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(FieldError::new(
            "title",
            domain::message::catalogue::TOO_LONG.field("title", &[("max", &MAX_TITLE)]),
        ));
    } else if let Err(e) = domain::text::check_line("title", &title) {
        errors.push(e);
    }
    let body = domain::disclosure::leaf::normalize_body(&input.body);
    if body.chars().count() > MAX_BODY {
        errors.push(FieldError::new(
            "body",
            domain::message::catalogue::TOO_LONG.field("body", &[("max", &MAX_BODY)]),
        ));
    } else if let Err(e) = domain::text::check_free_text("body", &body) {
        errors.push(e);
    }
    let table = match input.table.clone().map(Table::from_rows).transpose() {
        Ok(t) => t,
        Err(e) => {
            errors.push(FieldError::new("table", e.text()));
            None
        }
    };
    match (category, period, errors.is_empty()) {
        (Some(category), Some(period), true) => Ok(Checked {
            category,
            period,
            title,
            body,
            table,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Reads an uploaded CSV or XLSX into rows, header first.
pub fn read_table(
    file: &str,
    bytes: &[u8],
    limits: &crate::tabular::Limits,
) -> Result<Vec<Vec<String>>> {
    let t = crate::tabular::read_table_with(file, bytes, limits).map_err(AppError::import)?;
    let mut rows = Vec::with_capacity(t.rows.len() + 1);
    rows.push(t.headers.clone());
    rows.extend(
        t.rows
            .iter()
            .map(|r| r.cells().map(str::to_string).collect()),
    );
    Ok(rows)
}

/// The published time as it stands in the leaf: UTC to the second.
pub(crate) fn published_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The account named on the command line (e.g. the supervisor who approved on paper), acting
/// as itself: it must exist and be active.
pub async fn account_actor(app: &crate::App, username: &str) -> Result<crate::Actor> {
    let mut conn = app.db.read().await?;
    let u = store::accounts::users::by_username(&mut conn, username.trim())
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| AppError::NotFound(domain::message::catalogue::RECORD.text()))?;
    let role = domain::access::Role::parse(&u.role)
        .ok_or_else(|| AppError::Internal(format!("account {}: unknown role", u.username)))?;
    Ok(crate::Actor {
        user_id: Some(u.id),
        username: u.username,
        display_name: u.display_name,
        role,
        scope: domain::access::Scope::new(u.unit_code.unwrap_or_default()),
        ip: "cli".into(),
    })
}

/// Today in China (UTC+8, no daylight saving): due dates and event dates are local dates, and
/// a server keeping UTC would otherwise call a morning's events tomorrow's until 08:00.
pub fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// The China date of a stored UTC instant (`2026-12-01T20:00:00Z` is 2 December there).
pub fn local_date(rfc3339: &str) -> Option<chrono::NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(8)).date_naive())
}

/// A disclosure's table as stored (JSON), read back; a row that no longer parses is a broken row.
pub(crate) fn stored_table(id: i64, json: Option<&str>) -> Result<Option<Table>> {
    json.map(serde_json::from_str)
        .transpose()
        .map_err(|e| AppError::Internal(format!("disclosure {id}: table: {e}")))
}
