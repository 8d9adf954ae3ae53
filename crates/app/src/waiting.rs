//! What is waiting for an account on its dashboard: the work of its area that someone must do
//! next, each with where to do it. Read-only, scoped like everything else.

use crate::credit::state;
use crate::{Actor, App, Result};
use chrono::NaiveDate;
use domain::access::Permission;
use domain::credit::RoundStage;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Waiting {
    /// Objections of villagers not yet decided (publicity).
    OpenObjections {
        round_id: i64,
        period: String,
        count: i64,
    },
    /// Heavy score events a second recorder has not confirmed: they do not count yet.
    RecordsToConfirm {
        round_id: i64,
        period: String,
        count: i64,
    },
    /// Publicity is over and nothing blocks the final assessment.
    ReadyToFinalize { round_id: i64, period: String },
    /// Publicity ends within three days.
    PublicityEnding {
        round_id: i64,
        period: String,
        last_day: NaiveDate,
    },
    /// Rectifications of irregular contracts past their deadline.
    OverdueRectifications {
        village_code: String,
        village_name: String,
        count: i64,
    },
}

/// Everything waiting in the account's area, most urgent kinds first.
pub async fn for_actor(app: &App, actor: &Actor, today: NaiveDate) -> Result<Vec<Waiting>> {
    actor.require(Permission::ViewRegistry)?;
    let root = actor.scope.root.as_str();
    let mut conn = app.db.read().await?;
    let mut out = Vec::new();
    if actor.role != domain::access::Role::BankOfficer {
        let rounds = store::credit::rounds::list_related(&mut conn, root).await?;
        let objections = store::credit::objections::open_by_round(&mut conn, root).await?;
        for r in rounds
            .iter()
            .filter(|r| r.stage != RoundStage::Final.as_str())
        {
            if let Some((_, n)) = objections.iter().find(|(id, n)| *id == r.id && *n > 0) {
                out.push(Waiting::OpenObjections {
                    round_id: r.id,
                    period: r.period.clone(),
                    count: *n,
                });
            }
            // Confirming is the village's own work (cadres and grid members): officers of a
            // township or more are not asked, and their dashboards do not scan the records.
            if actor.role.can(Permission::EditCredit) && root.len() >= 12 {
                let pending = crate::credit::rounds::pending_records(&mut conn, r, root).await?;
                if pending > 0 {
                    out.push(Waiting::RecordsToConfirm {
                        round_id: r.id,
                        period: r.period.clone(),
                        count: i64::try_from(pending).unwrap_or(i64::MAX),
                    });
                }
            }
            let st = state(r);
            if r.stage == RoundStage::Publicity.as_str() {
                let open = objections.iter().any(|(id, n)| *id == r.id && *n > 0);
                match st.publicity_last_day() {
                    Some(last)
                        if today > last
                            && !open
                            && actor.can_see(&r.unit_code)
                            // Pending heavy records would stop the step: those are listed
                            // to confirm instead.
                            && crate::credit::rounds::pending_records(&mut conn, r, &r.unit_code)
                                .await?
                                == 0 =>
                    {
                        out.push(Waiting::ReadyToFinalize {
                            round_id: r.id,
                            period: r.period.clone(),
                        })
                    }
                    Some(last) if today <= last && (last - today).num_days() < 3 => {
                        out.push(Waiting::PublicityEnding {
                            round_id: r.id,
                            period: r.period.clone(),
                            last_day: last,
                        })
                    }
                    _ => {}
                }
            }
        }
        let day = today.to_string();
        for (village_code, village_name, count) in
            store::ledger::flags::overdue_by_village(&mut conn, root, &day).await?
        {
            out.push(Waiting::OverdueRectifications {
                village_code,
                village_name,
                count,
            });
        }
    }
    Ok(out)
}
