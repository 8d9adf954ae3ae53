//! Household import from CSV/XLSX: one row per member (household columns repeat, or a row with
//! only the head's columns), Chinese or English headers, all-or-nothing, every problem reported
//! as file:row:column. Re-importing a household number updates that household's file and
//! replaces its members.

use super::members::{audit_id_refusal, id_clash, member_row, IdClash};
use super::units as app_units;
use crate::tabular::{col, map_columns, stream_table, Column, Mapped, Row};
use crate::{audit, Actor, App, AppError, ImportIssue, Result};
use domain::access::Permission;
use domain::message::catalogue as msg;
use domain::registry::{HouseholdDraft, HouseholdFields, Level, Member, MemberDraft};
use domain::ResidentId;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use store::registry::{households, members, units};

/// The documented columns (see docs/import-formats.md).
pub const COLUMNS: &[Column] = &[
    col("household_no", &["户号", "户编号"], true),
    col("head_name", &["户主姓名", "户主"], true),
    col("head_id", &["户主身份证号", "户主身份证号码"], false),
    col("address", &["地址", "住址", "家庭住址"], false),
    col("micro_grid", &["微网格", "网格", "grid"], false),
    col("tags", &["标签", "户类别", "户类型"], false),
    col("notes", &["备注"], false),
    col("member_name", &["成员姓名", "姓名"], false),
    col("relation", &["与户主关系", "关系"], false),
    col("sex", &["性别"], false),
    col("birth_date", &["出生日期"], false),
    col(
        "resident_id",
        &["身份证号", "身份证号码", "公民身份号码"],
        false,
    ),
    col("phone", &["联系电话", "电话", "手机号"], false),
];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HouseholdImportReport {
    pub file: String,
    pub village: String,
    pub households: usize,
    pub members: usize,
    pub created: usize,
    pub updated: usize,
    pub dry_run: bool,
}

struct Group {
    fields: HouseholdFields,
    grid: Option<String>,
    /// Row numbers only: the rows themselves are dropped before writing.
    first_row: usize,
    members: Vec<(usize, Member)>,
}

/// Member field name in the domain → column in the file.
fn member_column(field: &str) -> &str {
    match field {
        "name" => "member_name",
        other => other,
    }
}

fn household_draft(m: &Mapped, r: &Row) -> HouseholdDraft {
    HouseholdDraft {
        household_no: m.get(r, "household_no").into(),
        address: m.get(r, "address").into(),
        head_name: m.get(r, "head_name").into(),
        tags: m.get(r, "tags").into(),
        notes: m.get(r, "notes").into(),
    }
}

/// A resident ID as a fixed-size key (18 ASCII characters once validated): no allocation per
/// member of a 200,000-row file.
fn id_key(id: &str) -> [u8; 18] {
    let mut key = [0u8; 18];
    for (k, b) in key.iter_mut().zip(id.bytes()) {
        *k = b;
    }
    key
}

fn resolve_grid(grids: &[units::UnitRow], text: &str) -> Option<String> {
    grids
        .iter()
        .find(|g| g.code == text || g.name == text)
        .map(|g| g.code.clone())
}

pub async fn import(
    app: &App,
    actor: &Actor,
    village: &str,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<HouseholdImportReport> {
    import_owned(app, actor, village, file, bytes.to_vec(), dry_run).await
}

/// [`import`] of a file the caller hands over (the server's request body, the CLI's read
/// file): the reader thread takes it without a copy.
pub async fn import_owned(
    app: &App,
    actor: &Actor,
    village: &str,
    file: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<HouseholdImportReport> {
    actor.require(Permission::EditHouseholds)?;
    let v = app_units::get(app, actor, village).await?;
    if v.level != Level::Village.as_str() {
        return Err(AppError::BadRequest(
            msg::NOT_A_VILLAGE.with(&[("code", &village)]),
        ));
    }
    // Rows arrive one by one from a reader on a blocking thread; only validated households
    // and members are kept.
    let (table, mut rows) = stream_table(file, bytes, &app.config.import)
        .await
        .map_err(AppError::import)?;
    let m = map_columns(&table, COLUMNS).map_err(AppError::import)?;

    // Read through a pooled connection: the write turn is taken only after the file has been
    // read and checked, so a slow upload does not hold up every other writer.
    let mut grids = Vec::new();
    {
        let mut conn = app.db.read().await?;
        for g in units::children(&mut conn, village).await? {
            grids.extend(units::children(&mut conn, &g.code).await?);
            grids.push(g);
        }
    }

    let mut issues: Vec<ImportIssue> = Vec::new();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut seen_ids: HashMap<[u8; 18], usize> = HashMap::new();
    while let Some(next) = rows.next().await {
        let row = match next {
            Ok(row) => row,
            Err(unreadable) => {
                issues.extend(unreadable);
                break;
            }
        };
        let r = &row;
        let draft = household_draft(&m, r);
        let fields = match draft.validate() {
            Ok(f) => f,
            Err(errs) => {
                issues.extend(errs.into_iter().map(|e| m.issue(r, e.field, e.message)));
                continue;
            }
        };
        let grid_text = m.get(r, "micro_grid");
        let grid = if grid_text.is_empty() {
            None
        } else {
            match resolve_grid(&grids, grid_text) {
                Some(g) => Some(g),
                None => {
                    issues.push(
                        m.issue(
                            r,
                            "micro_grid",
                            domain::message::catalogue::NO_GRID_IN_VILLAGE
                                .with(&[("grid", &grid_text), ("village", &village)]),
                        ),
                    );
                    continue;
                }
            }
        };
        if grid.is_none() && !actor.can_see(village) {
            issues.push(m.issue(
                r,
                "micro_grid",
                domain::message::catalogue::CHOOSE_YOUR_GRID,
            ));
        }
        if let Some(g) = &grid {
            if !actor.can_see(g) {
                issues.push(m.issue(
                    r,
                    "micro_grid",
                    domain::message::catalogue::GRID_OUTSIDE_AREA,
                ));
            }
        }
        let key = fields.household_no.clone();
        let group = match groups.get_mut(&key) {
            Some(g) => {
                // Repeated household columns must agree with the household's first row.
                for (field, a, b) in [
                    ("head_name", &g.fields.head_name, &fields.head_name),
                    ("address", &g.fields.address, &fields.address),
                    ("notes", &g.fields.notes, &fields.notes),
                ] {
                    if !b.is_empty() && a != b {
                        issues.push(
                            m.issue(
                                r,
                                field,
                                domain::message::catalogue::DIFFERS_FROM_ROW_VALUE
                                    .with(&[("row", &g.first_row), ("value", a)]),
                            ),
                        );
                    }
                }
                if grid.is_some() && g.grid != grid {
                    issues.push(m.issue(
                        r,
                        "micro_grid",
                        domain::message::catalogue::DIFFERS_FROM_ROW.with(&[("row", &g.first_row)]),
                    ));
                }
                g
            }
            None => {
                order.push(key.clone());
                groups.entry(key).or_insert(Group {
                    fields,
                    grid,
                    first_row: r.number,
                    members: Vec::new(),
                })
            }
        };
        let head_id = m.get(r, "head_id");
        let member_name = m.get(r, "member_name");
        // Without a member name the head's ID is checked below, as the head's member row.
        if !head_id.is_empty() && !member_name.is_empty() {
            if let Err(e) = ResidentId::parse(head_id) {
                issues.push(m.issue(r, "head_id", e.text()));
            }
        }
        let member_draft = if !member_name.is_empty() {
            Some(MemberDraft {
                name: member_name.into(),
                relation: m.get(r, "relation").into(),
                sex: m.get(r, "sex").into(),
                birth_date: m.get(r, "birth_date").into(),
                resident_id: m.get(r, "resident_id").into(),
                phone: m.get(r, "phone").into(),
            })
        } else if !head_id.is_empty() || !m.get(r, "phone").is_empty() {
            // A row with only the head's columns files the head as a member.
            Some(MemberDraft {
                name: group.fields.head_name.clone(),
                relation: "户主".into(),
                resident_id: head_id.into(),
                phone: m.get(r, "phone").into(),
                ..Default::default()
            })
        } else {
            None
        };
        if let Some(d) = member_draft {
            let id_column = if member_name.is_empty() {
                "head_id"
            } else {
                "resident_id"
            };
            match d.validate() {
                Ok(member) => {
                    if let Some(id) = &member.resident_id {
                        let key = id_key(id.as_str());
                        if let Some(prev) = seen_ids.insert(key, r.number) {
                            issues.push(m.issue(
                                r,
                                id_column,
                                domain::message::catalogue::SAME_ID_ON_ROW.with(&[("row", &prev)]),
                            ));
                        }
                    }
                    group.members.push((r.number, member));
                }
                Err(errs) => {
                    for e in errs {
                        let column = if e.field == "resident_id" {
                            id_column
                        } else {
                            member_column(e.field)
                        };
                        issues.push(m.issue(r, column, e.message));
                    }
                }
            }
        }
    }

    let mut tx = app.db.begin().await?;
    // Checks against the database: resident IDs held by other households.
    let mut refused_elsewhere: Vec<String> = Vec::new();
    let mut existing: HashMap<String, i64> = HashMap::new();
    for no in &order {
        if let Some(h) = households::find_by_no(&mut tx, village, no).await? {
            existing.insert(no.clone(), h.id);
        }
    }
    for no in &order {
        let g = &groups[no];
        let own_members = match existing.get(no) {
            Some(hid) => members::of_household(&mut tx, *hid)
                .await?
                .into_iter()
                .map(|m| m.id)
                .collect(),
            None => Vec::new(),
        };
        for (r, member) in &g.members {
            let Some(id) = &member.resident_id else {
                continue;
            };
            let hash = app.cipher.lookup_hash(id.as_str());
            let holders = members::find_by_id_hash(&mut tx, &hash).await?;
            if let Some(other) = holders.iter().find(|h| !own_members.contains(&h.id)) {
                let clash = id_clash(&mut tx, actor, &hash, None)
                    .await?
                    .unwrap_or(IdClash::Elsewhere);
                if clash == IdClash::Elsewhere {
                    refused_elsewhere.push(other.id_masked.clone().unwrap_or_default());
                }
                issues.push(m.issue_at(*r, "resident_id", clash.message()));
            }
        }
    }
    if !issues.is_empty() {
        issues.sort_by_key(|i| i.row);
        tx.rollback().await?;
        if !refused_elsewhere.is_empty() {
            audit_id_refusal(app, actor, village, None, &refused_elsewhere).await?;
        }
        return Err(AppError::import(issues));
    }
    drop(m);
    drop(table);
    drop(seen_ids);

    let mut report = HouseholdImportReport {
        file: file.to_string(),
        village: village.to_string(),
        households: order.len(),
        members: groups.values().map(|g| g.members.len()).sum(),
        created: 0,
        updated: 0,
        dry_run,
    };
    for no in &order {
        let g = &groups[no];
        let write = households::HouseholdWrite {
            village_code: village.to_string(),
            grid_code: g.grid.clone(),
            household_no: g.fields.household_no.clone(),
            address: g.fields.address.clone(),
            head_name: g.fields.head_name.clone(),
            tags: g.fields.tags.join(","),
            notes: g.fields.notes.clone(),
        };
        let (hid, action) = match existing.get(no) {
            Some(hid) => {
                households::update(&mut tx, *hid, &write).await?;
                members::delete_of_household(&mut tx, *hid).await?;
                report.updated += 1;
                (*hid, "household.import_update")
            }
            None => {
                report.created += 1;
                (
                    households::insert(&mut tx, &write).await?,
                    "household.import_create",
                )
            }
        };
        for (i, (_, member)) in g.members.iter().enumerate() {
            members::insert(&mut tx, &member_row(app, hid, i as i64, member)?).await?;
        }
        audit::record(&mut tx, actor, action, "household", hid, village, json!({"file": file, "row": g.first_row, "after": {"household_no": no, "head_name": g.fields.head_name, "members": g.members.len()}}))
            .await?;
    }
    let summary = json!(report);
    audit::import_done(
        tx,
        actor,
        "households.import",
        file,
        village,
        summary,
        dry_run,
    )
    .await?;
    Ok(report)
}
