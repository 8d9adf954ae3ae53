//! The period a disclosure covers: a month (`2026-11`), a quarter (`2026-Q3`) or, for matters
//! published as they happen, the event's date (`2026-11-05`). Each cadence names its kind.

use super::catalogue::Cadence;
use super::DisclosureError;
use chrono::{Datelike, Days, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Day(NaiveDate),
}

impl Period {
    pub fn parse(text: &str) -> Result<Period, DisclosureError> {
        let t = text.trim();
        let bad = || DisclosureError::BadPeriod {
            value: t.chars().take(40).collect(),
        };
        let (year, rest) = t.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(2000..=2999).contains(&year) {
            return Err(bad());
        }
        if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
            return match q {
                "1" | "2" | "3" | "4" => Ok(Period::Quarter {
                    year,
                    quarter: q.parse().map_err(|_| bad())?,
                }),
                _ => Err(bad()),
            };
        }
        if rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_digit()) {
            let month: u32 = rest.parse().map_err(|_| bad())?;
            return if (1..=12).contains(&month) {
                Ok(Period::Month { year, month })
            } else {
                Err(bad())
            };
        }
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Period::Day)
            .map_err(|_| bad())
    }

    /// The first day the period covers.
    pub fn start(&self) -> NaiveDate {
        match *self {
            Period::Month { year, month } => ymd(year, month, 1),
            Period::Quarter { year, quarter } => ymd(year, quarter * 3 - 2, 1),
            Period::Day(d) => d,
        }
    }

    /// The day after the period ends.
    pub fn end(&self) -> NaiveDate {
        match *self {
            Period::Month { year, month } => first_of_next_month(year, month),
            Period::Quarter { year, quarter } => first_of_next_month(year, quarter * 3),
            Period::Day(d) => d.checked_add_days(Days::new(1)).unwrap_or(d),
        }
    }

    /// Whether this kind of period belongs to a cadence (a monthly category takes months …).
    pub fn fits(&self, cadence: Cadence) -> bool {
        matches!(
            (self, cadence),
            (Period::Month { .. }, Cadence::Monthly { .. })
                | (Period::Quarter { .. }, Cadence::Quarterly { .. })
                | (Period::Day(_), Cadence::Immediate { .. })
        )
    }

    /// The last day the disclosure is on time: months and quarters on their due day of the
    /// following month (the quarter's first month), events within their days.
    pub fn due(&self, cadence: Cadence) -> NaiveDate {
        match (self, cadence) {
            (_, Cadence::Immediate { within_days }) => self
                .start()
                .checked_add_days(Days::new(u64::from(within_days)))
                .unwrap_or(self.start()),
            (_, Cadence::Monthly { due_day } | Cadence::Quarterly { due_day }) => {
                let next = self.end();
                ymd(next.year(), next.month(), due_day.clamp(1, 28))
            }
        }
    }

    /// The period of `kind` that holds `day`.
    pub fn holding(cadence: Cadence, day: NaiveDate) -> Period {
        match cadence {
            Cadence::Monthly { .. } => Period::Month {
                year: day.year(),
                month: day.month(),
            },
            Cadence::Quarterly { .. } => Period::Quarter {
                year: day.year(),
                quarter: (day.month() - 1) / 3 + 1,
            },
            Cadence::Immediate { .. } => Period::Day(day),
        }
    }

    /// The period just before this one (a day stays itself).
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month - 1,
            },
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Day(d) => Period::Day(d),
        }
    }

    /// Chinese label: 2026年11月, 2026年第3季度, 2026年11月5日.
    pub fn label_zh(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("{year}年{month}月"),
            Period::Quarter { year, quarter } => format!("{year}年第{quarter}季度"),
            Period::Day(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            Period::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

// Months and years here are always in range (parsed or derived from a real date).
fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn first_of_next_month(year: i32, month: u32) -> NaiveDate {
    if month >= 12 {
        ymd(year + 1, 1, 1)
    } else {
        ymd(year, month + 1, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_the_three_kinds_and_refuses_the_rest() {
        assert_eq!(
            Period::parse("2026-11").unwrap(),
            Period::Month {
                year: 2026,
                month: 11
            }
        );
        assert_eq!(
            Period::parse("2026-Q3").unwrap(),
            Period::Quarter {
                year: 2026,
                quarter: 3
            }
        );
        assert_eq!(
            Period::parse("2026-11-05").unwrap(),
            Period::Day(d(2026, 11, 5))
        );
        for bad in [
            "2026-13",
            "2026-Q5",
            "2026-02-30",
            "26-11",
            "2026",
            "",
            "+2026-11",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quarterly_items_are_due_on_the_20th_of_the_next_quarters_first_month() {
        let q = Cadence::Quarterly { due_day: 20 };
        assert_eq!(Period::parse("2026-Q3").unwrap().due(q), d(2026, 10, 20));
        assert_eq!(Period::parse("2026-Q4").unwrap().due(q), d(2027, 1, 20));
        let m = Cadence::Monthly { due_day: 10 };
        assert_eq!(Period::parse("2026-12").unwrap().due(m), d(2027, 1, 10));
        let i = Cadence::Immediate { within_days: 5 };
        assert_eq!(Period::parse("2026-11-28").unwrap().due(i), d(2026, 12, 3));
    }

    proptest! {
        #[test]
        fn display_parses_back_and_periods_hold_their_days(y in 2000i32..2999, doy in 0u64..365) {
            let day = d(y, 1, 1).checked_add_days(Days::new(doy)).unwrap();
            for c in [Cadence::Monthly { due_day: 10 }, Cadence::Quarterly { due_day: 20 }, Cadence::Immediate { within_days: 7 }] {
                let p = Period::holding(c, day);
                prop_assert_eq!(Period::parse(&p.to_string()).unwrap(), p);
                prop_assert!(p.start() <= day && day < p.end());
                prop_assert!(p.due(c) >= p.start());
                prop_assert!(p.fits(c));
                if !matches!(p, Period::Day(_)) {
                    prop_assert_eq!(p.previous().end(), p.start());
                }
            }
        }
    }
}
