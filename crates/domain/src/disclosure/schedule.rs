//! On time, late or missing (村民委员会组织法 art. 31: the township or county orders a village
//! that has not published on time to publish). Pure: the caller gives what was published.

use super::catalogue::Cadence;
use super::period::Period;
use chrono::NaiveDate;
use serde::Serialize;

/// How many past periods one category is checked for (ten years of months).
pub const MAX_PERIODS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Published by its due date.
    OnTime,
    /// Published `days` after its due date.
    Late { days: i64 },
    /// Not published, `days` past its due date.
    Missing { days: i64 },
    /// Not published and not yet due.
    Pending,
}

impl Status {
    pub fn of(due: NaiveDate, published_on: Option<NaiveDate>, today: NaiveDate) -> Status {
        match published_on {
            Some(p) if p <= due => Status::OnTime,
            Some(p) => Status::Late {
                days: (p - due).num_days(),
            },
            None if today > due => Status::Missing {
                days: (today - due).num_days(),
            },
            None => Status::Pending,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Status::OnTime => "on_time",
            Status::Late { .. } => "late",
            Status::Missing { .. } => "missing",
            Status::Pending => "pending",
        }
    }

    pub fn label_zh(self) -> String {
        match self {
            Status::OnTime => "按时".into(),
            Status::Late { days } => format!("迟 {days} 天"),
            Status::Missing { days } => format!("未公开（逾期 {days} 天）"),
            Status::Pending => "未到期".into(),
        }
    }

    pub fn label_en(self) -> String {
        match self {
            Status::OnTime => "on time".into(),
            Status::Late { days } => format!("{days} days late"),
            Status::Missing { days } => format!("missing ({days} days overdue)"),
            Status::Pending => "not yet due".into(),
        }
    }
}

/// One period of one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Due {
    #[serde(serialize_with = "as_text")]
    pub period: Period,
    pub due: NaiveDate,
    pub published_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub status: Status,
}

fn as_text<S: serde::Serializer>(p: &Period, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
}

/// Every period of a periodic category from the one holding `since` to the latest one due by
/// `today` (at most [`MAX_PERIODS`], the newest kept), each with its status. `published` holds
/// the first publication date of each period (a correction does not move it). An immediate
/// category has no fixed periods: its published events are judged one by one instead.
pub fn periods(
    cadence: Cadence,
    since: NaiveDate,
    today: NaiveDate,
    published: &[(Period, NaiveDate)],
) -> Vec<Due> {
    let first_date = |p: Period| {
        published
            .iter()
            .filter(|(q, _)| *q == p)
            .map(|(_, d)| *d)
            .min()
    };
    if !cadence.is_periodic() {
        let mut events: Vec<Due> = published
            .iter()
            .filter(|(p, _)| p.fits(cadence))
            .map(|(p, _)| {
                let due = p.due(cadence);
                let on = first_date(*p);
                Due {
                    period: *p,
                    due,
                    published_on: on,
                    status: Status::of(due, on, today),
                }
            })
            .collect();
        events.sort_by_key(|d| d.period);
        events.dedup_by_key(|d| d.period);
        return events;
    }
    let mut out = Vec::new();
    let mut p = Period::holding(cadence, today);
    // Walk back from the period holding today to the one holding `since`.
    while p.end() > since && out.len() < MAX_PERIODS {
        let due = p.due(cadence);
        let on = first_date(p);
        let status = Status::of(due, on, today);
        // The current period is listed only once something was published for it.
        if status != Status::Pending || on.is_some() {
            out.push(Due {
                period: p,
                due,
                published_on: on,
                status,
            });
        }
        p = p.previous();
    }
    out.reverse();
    out
}

/// The state a supervisor's table shows for one village and one category: the newest period
/// due (or the newest event), and how many periods are missing or were late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub latest: Option<Due>,
    pub missing: usize,
    pub late: usize,
    /// The most days any missing period is overdue (0 when none is).
    pub worst_overdue_days: i64,
}

pub fn summarize(dues: &[Due]) -> Summary {
    let mut s = Summary {
        latest: dues.last().copied(),
        missing: 0,
        late: 0,
        worst_overdue_days: 0,
    };
    for d in dues {
        match d.status {
            Status::Missing { days } => {
                s.missing += 1;
                s.worst_overdue_days = s.worst_overdue_days.max(days);
            }
            Status::Late { .. } => s.late += 1,
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn monthly_statements_are_on_time_late_or_missing() {
        let c = Cadence::Monthly { due_day: 10 };
        let published = [
            (p("2026-08"), d(2026, 9, 5)),   // on time
            (p("2026-09"), d(2026, 10, 14)), // 4 days late
            (p("2026-09"), d(2026, 10, 20)), // a correction: the first date counts
            (p("2026-11"), d(2026, 11, 30)), // early, current period
        ];
        let dues = periods(c, d(2026, 8, 1), d(2026, 12, 1), &published);
        let got: Vec<(String, Status)> = dues
            .iter()
            .map(|x| (x.period.to_string(), x.status))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2026-08".into(), Status::OnTime),
                ("2026-09".into(), Status::Late { days: 4 }),
                ("2026-10".into(), Status::Missing { days: 21 }),
                ("2026-11".into(), Status::OnTime),
            ]
        );
        let s = summarize(&dues);
        assert_eq!((s.missing, s.late, s.worst_overdue_days), (1, 1, 21));
    }

    #[test]
    fn a_quarter_is_not_missing_before_the_20th_of_the_next_quarters_first_month() {
        let c = Cadence::Quarterly { due_day: 20 };
        let dues = periods(c, d(2026, 7, 1), d(2026, 10, 20), &[]);
        assert!(dues.is_empty(), "{dues:?}");
        let dues = periods(c, d(2026, 7, 1), d(2026, 10, 21), &[]);
        assert_eq!(dues.len(), 1);
        assert_eq!(dues[0].status, Status::Missing { days: 1 });
    }

    #[test]
    fn immediate_matters_are_judged_by_their_event_date() {
        let c = Cadence::Immediate { within_days: 5 };
        let dues = periods(
            c,
            d(2026, 1, 1),
            d(2026, 12, 1),
            &[
                (p("2026-11-01"), d(2026, 11, 9)),
                (p("2026-10-01"), d(2026, 10, 2)),
            ],
        );
        assert_eq!(dues.len(), 2);
        assert_eq!(dues[0].status, Status::OnTime);
        assert_eq!(dues[1].status, Status::Late { days: 3 });
    }

    #[test]
    fn the_walk_is_bounded() {
        let c = Cadence::Monthly { due_day: 10 };
        let dues = periods(c, d(2000, 1, 1), d(2026, 12, 1), &[]);
        assert_eq!(dues.len(), MAX_PERIODS);
        // November is not due before 10 December: October is the newest due.
        assert_eq!(dues.last().unwrap().period, p("2026-10"));
    }
}
