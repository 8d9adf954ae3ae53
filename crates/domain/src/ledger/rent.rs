//! Term and rent schedule of a lease.
//!
//! A contract runs from `start_on` to `end_on`, both included. Contract year k starts on the
//! k-th anniversary of `start_on` (a 29 February start falls on 28 February in other years);
//! its rent is due on that day. A last, shorter year pays rent pro rata by days of that
//! contract year (rounded half up to the fen), so the whole schedule adds up to
//! [`contract_value`]. Construction and procurement contracts have no rent schedule: nothing is
//! due, and their value is the `annual_rent` column (the price).

use super::contract::Contract;
use crate::money::Fen;
use chrono::{Months, NaiveDate};

/// Length of a contract: whole years and the days left over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Term {
    pub years: u32,
    pub days: u32,
}

impl Term {
    /// Whether the term is longer than `years` whole years (exactly `years` is not).
    pub fn exceeds_years(self, years: u32) -> bool {
        self.years > years || (self.years == years && self.days > 0)
    }

    /// `20 年 1 天`, `25 年`, `45 天`.
    pub fn zh(self) -> String {
        match (self.years, self.days) {
            (y, 0) => format!("{y} 年"),
            (0, d) => format!("{d} 天"),
            (y, d) => format!("{y} 年 {d} 天"),
        }
    }

    /// `20 years 1 day`, `25 years`, `45 days`.
    pub fn en(self) -> String {
        let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        match (self.years, self.days) {
            (y, 0) => plural(y, "year"),
            (0, d) => plural(d, "day"),
            (y, d) => format!("{} {}", plural(y, "year"), plural(d, "day")),
        }
    }
}

/// `start + years` anniversaries, always counted from the original start date.
pub(crate) fn add_years(start: NaiveDate, years: u32) -> Option<NaiveDate> {
    start.checked_add_months(Months::new(years.checked_mul(12)?))
}

/// The first day after the contract.
fn end_exclusive(c: &Contract) -> NaiveDate {
    c.end_on.succ_opt().unwrap_or(c.end_on)
}

pub fn term_of(c: &Contract) -> Term {
    let end = end_exclusive(c);
    let mut years =
        u32::try_from(chrono::Datelike::year(&end) - chrono::Datelike::year(&c.start_on))
            .unwrap_or(0);
    while years > 0 && add_years(c.start_on, years).is_none_or(|d| d > end) {
        years -= 1;
    }
    let from = add_years(c.start_on, years).unwrap_or(c.start_on);
    let days = u32::try_from((end - from).num_days()).unwrap_or(0);
    Term { years, days }
}

/// One contract year: `[start, end)`, `year_days` the length of a full contract year there.
#[derive(Debug, Clone, Copy)]
struct Period {
    start: NaiveDate,
    end: NaiveDate,
    year_days: i64,
    rent: i128,
}

fn prorate(annual: i128, days: i64, year_days: i64) -> i128 {
    if year_days <= 0 {
        return 0;
    }
    let (d, y) = (i128::from(days), i128::from(year_days));
    (2 * annual * d + y) / (2 * y)
}

fn periods(c: &Contract) -> Vec<Period> {
    let end = end_exclusive(c);
    let annual = i128::from(c.annual_rent.0);
    let mut out = Vec::new();
    let mut k = 0u32;
    while let (Some(start), Some(full_end)) =
        (add_years(c.start_on, k), add_years(c.start_on, k + 1))
    {
        if start >= end {
            break;
        }
        let period_end = full_end.min(end);
        let year_days = (full_end - start).num_days();
        let rent = if period_end == full_end {
            annual
        } else {
            prorate(annual, (period_end - start).num_days(), year_days)
        };
        out.push(Period {
            start,
            end: period_end,
            year_days,
            rent,
        });
        k += 1;
    }
    out
}

fn fen(v: i128) -> Fen {
    Fen(i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX }))
}

/// Total value: the whole rent schedule for a lease, the price for construction/procurement.
/// This is what `procedure_threshold_fen` is compared with.
pub fn contract_value(c: &Contract) -> Fen {
    if !c.kind.is_lease() {
        return c.annual_rent;
    }
    fen(periods(c).iter().map(|p| p.rent).sum())
}

/// Rent fallen due on or before `today` (each contract year's rent is due on its first day).
pub fn rent_due_by(c: &Contract, today: NaiveDate) -> Fen {
    if !c.kind.is_lease() {
        return Fen::ZERO;
    }
    fen(periods(c)
        .iter()
        .filter(|p| p.start <= today)
        .map(|p| p.rent)
        .sum())
}

/// Rent due by `today` and not paid: what the village is owed (never negative). The app keeps a
/// claim of this amount for each contract in arrears (origin [`super::arrears_claim_origin`]).
pub fn arrears_owed(c: &Contract, today: NaiveDate) -> Fen {
    let owed = i128::from(rent_due_by(c, today).0) - i128::from(c.paid.0);
    fen(owed.max(0))
}

/// Due date of the oldest contract year not fully paid, if its rent is already due.
pub fn oldest_unpaid_due(c: &Contract, today: NaiveDate) -> Option<NaiveDate> {
    if !c.kind.is_lease() {
        return None;
    }
    let paid = i128::from(c.paid.0);
    let mut cumulative = 0i128;
    for p in periods(c).iter().take_while(|p| p.start <= today) {
        cumulative += p.rent;
        if cumulative > paid {
            return Some(p.start);
        }
    }
    None
}

/// Rent earned for the days before `until`, pro rata by day within a contract year. Paying more
/// than this means paying for time after `until`.
pub fn rent_accrued_until(c: &Contract, until: NaiveDate) -> Fen {
    if !c.kind.is_lease() {
        return Fen::ZERO;
    }
    let annual = i128::from(c.annual_rent.0);
    let total = periods(c)
        .iter()
        .map(|p| {
            if until >= p.end {
                p.rent
            } else if until > p.start {
                prorate(annual, (until - p.start).num_days(), p.year_days)
            } else {
                0
            }
        })
        .sum();
    fen(total)
}

/// The first day the payments so far do not cover (the day after the contract when everything
/// is paid). `None` for construction and procurement.
pub fn paid_through(c: &Contract) -> Option<NaiveDate> {
    if !c.kind.is_lease() {
        return None;
    }
    let annual = i128::from(c.annual_rent.0);
    let mut left = i128::from(c.paid.0);
    for p in periods(c) {
        if left < p.rent {
            let days = if annual > 0 {
                left * i128::from(p.year_days) / annual
            } else {
                0
            };
            let days = u64::try_from(days).unwrap_or(0);
            return p
                .start
                .checked_add_days(chrono::Days::new(days))
                .map(|d| d.min(p.end));
        }
        left -= p.rent;
    }
    Some(end_exclusive(c))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ledger::codes::ContractKind;

    pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// A land lease with no optional fields: `annual` and `paid` in yuan.
    pub(crate) fn lease(
        start: NaiveDate,
        end: NaiveDate,
        annual_yuan: i64,
        paid_fen: i64,
    ) -> Contract {
        Contract {
            contract_no: "HT-1".into(),
            kind: ContractKind::LandLease,
            counterparty: "李四".into(),
            counterparty_id: None,
            subject: None,
            resource_no: None,
            area_mu_x100: None,
            area_m2_x100: None,
            start_on: start,
            end_on: end,
            annual_rent: Fen(annual_yuan * 100),
            prepaid_years_x100: None,
            paid: Fen(paid_fen),
            signed_on: None,
            procedure_ref: None,
            related_cadre: false,
        }
    }

    #[test]
    fn terms_count_the_end_day() {
        let c = lease(day(2020, 1, 1), day(2039, 12, 31), 1, 0);
        assert_eq!(term_of(&c), Term { years: 20, days: 0 });
        assert!(!term_of(&c).exceeds_years(20));
        let c = lease(day(2020, 1, 1), day(2040, 1, 1), 1, 0);
        assert_eq!(term_of(&c), Term { years: 20, days: 1 });
        assert!(term_of(&c).exceeds_years(20));
        assert_eq!(term_of(&c).zh(), "20 年 1 天");
        assert_eq!(term_of(&c).en(), "20 years 1 day");
        let c = lease(day(2024, 2, 29), day(2025, 2, 27), 1, 0);
        assert_eq!(term_of(&c), Term { years: 1, days: 0 });
        let c = lease(day(2024, 3, 1), day(2024, 4, 14), 1, 0);
        assert_eq!(term_of(&c).zh(), "45 天");
    }

    #[test]
    fn schedule_adds_up_to_value_with_a_prorated_last_year() {
        // 1.5 years from 2023-01-01: 10,000 + 10,000 × 182/366 (2024 is a leap year).
        let c = lease(day(2023, 1, 1), day(2024, 6, 30), 10_000, 0);
        assert_eq!(contract_value(&c), Fen(1_000_000 + 497_268));
        assert_eq!(rent_due_by(&c, day(2022, 12, 31)), Fen::ZERO);
        assert_eq!(rent_due_by(&c, day(2023, 1, 1)), Fen(1_000_000));
        assert_eq!(rent_due_by(&c, day(2030, 1, 1)), contract_value(&c));
        assert_eq!(rent_accrued_until(&c, day(2030, 1, 1)), contract_value(&c));
        assert_eq!(rent_accrued_until(&c, day(2023, 3, 15)), Fen(200_000)); // 73 of 365 days
    }

    #[test]
    fn arrears_and_paid_through() {
        let c = lease(day(2022, 3, 1), day(2032, 2, 29), 1_000, 150_000);
        // Due by 2024-03-01: three years, 3,000 yuan; paid 1,500.
        assert_eq!(arrears_owed(&c, day(2024, 3, 1)), Fen(150_000));
        assert_eq!(
            oldest_unpaid_due(&c, day(2024, 3, 1)),
            Some(day(2023, 3, 1))
        );
        // Half of the 2nd year's rent, a 366-day contract year: 183 days.
        assert_eq!(paid_through(&c), Some(day(2023, 8, 31)));
        let paid_up = Contract {
            paid: Fen(1_000_000),
            ..c.clone()
        };
        assert_eq!(arrears_owed(&paid_up, day(2040, 1, 1)), Fen::ZERO);
        assert_eq!(oldest_unpaid_due(&paid_up, day(2040, 1, 1)), None);
        assert_eq!(paid_through(&paid_up), Some(day(2032, 3, 1)));
    }

    #[test]
    fn construction_has_no_rent_schedule() {
        let c = Contract {
            kind: ContractKind::Construction,
            ..lease(day(2024, 1, 1), day(2025, 12, 31), 80_000, 0)
        };
        assert_eq!(contract_value(&c), Fen(8_000_000));
        assert_eq!(arrears_owed(&c, day(2026, 1, 1)), Fen::ZERO);
        assert_eq!(paid_through(&c), None);
    }
}
