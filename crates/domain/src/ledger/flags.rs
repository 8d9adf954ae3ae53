//! The flag rules: what is irregular about one contract, with the numbers that show it.
//!
//! | code | when |
//! |---|---|
//! | `related_cadre` | the contract is marked as involving a cadre or a close relative |
//! | `lease_over_20_years` | a lease's term exceeds `max_lease_years` (exactly is fine) |
//! | `rent_below_reference` | rent per mu (land) or per m² (shops, buildings) is more than `rent_below_pct` % below the reference |
//! | `prepaid_beyond_term` | active, and payments cover rent beyond today + `max_prepaid_years` or beyond `committee_term_end`; or the contract's `prepaid_years` exceeds `max_prepaid_years` |
//! | `no_procedure` | [`contract_value`] exceeds `procedure_threshold_fen` and no `procedure_ref` |
//! | `arrears` | active, rent owed, and the oldest unpaid rent fell due more than `arrears_days` ago |
//! | `expired_open` | active and today is after `end_on` |
//! | `overlap` | active, and another active contract on the same resource shares at least one day |
//! | `missing_party_id` | no counterparty resident ID |
//!
//! Rent rules (term, reference, prepayment, arrears) apply to leases only, see
//! [`ContractKind::is_lease`](super::ContractKind::is_lease).

use super::codes::{FlagCode, RentUnit};
use super::contract::Contract;
use super::rent::{
    add_years, contract_value, oldest_unpaid_due, paid_through, rent_accrued_until, term_of,
};
use super::rules::FlagRules;
use crate::money::Fen;
use chrono::NaiveDate;
use serde::Serialize;

/// One finding on a contract, with the numbers in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub code: FlagCode,
    pub detail_zh: String,
    pub detail_en: String,
}

/// Dates of another contract, for the overlap rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractPeriod {
    pub contract_no: String,
    pub start_on: NaiveDate,
    /// Last day in force (inclusive).
    pub end_on: NaiveDate,
}

impl From<&Contract> for ContractPeriod {
    fn from(c: &Contract) -> Self {
        ContractPeriod {
            contract_no: c.contract_no.clone(),
            start_on: c.start_on,
            end_on: c.end_on,
        }
    }
}

/// What the rules need besides the contract itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagContext {
    pub today: NaiveDate,
    /// The contract is still open (not terminated or closed in the ledger).
    pub active: bool,
    /// The other active contracts on the same resource (same `resource_no`). The contract itself
    /// may be included; it is skipped by `contract_no`.
    pub others_on_resource: Vec<ContractPeriod>,
}

impl FlagContext {
    /// An active contract with no other contract on its resource.
    pub fn new(today: NaiveDate) -> FlagContext {
        FlagContext {
            today,
            active: true,
            others_on_resource: Vec::new(),
        }
    }
}

fn flag(code: FlagCode, zh: String, en: String) -> Flag {
    Flag {
        code,
        detail_zh: zh,
        detail_en: en,
    }
}

/// Hundredths of a percent of `part / whole`, rounded half up, as `30.01`.
fn pct_2dp(part: i128, whole: i128) -> String {
    if whole <= 0 {
        return "0.00".into();
    }
    let bp = (part * 20_000 + whole) / (2 * whole);
    format!("{}.{:02}", bp / 100, bp % 100)
}

fn fen(v: i128) -> Fen {
    Fen(i64::try_from(v).unwrap_or(i64::MAX))
}

/// All flags raised by `contract`, sorted by code (`related_cadre` first).
pub fn flags_for(contract: &Contract, ctx: &FlagContext, rules: &FlagRules) -> Vec<Flag> {
    let c = contract;
    let mut out = Vec::new();
    if c.related_cadre {
        out.push(flag(
            FlagCode::RelatedCadre,
            format!("承包方“{}”为村干部本人或其近亲属", c.counterparty),
            format!(
                "counterparty '{}' is a village cadre or a close relative",
                c.counterparty
            ),
        ));
    }
    if c.kind.is_lease() {
        let term = term_of(c);
        if term.exceeds_years(rules.max_lease_years) {
            let max = rules.max_lease_years;
            out.push(flag(
                FlagCode::LeaseOver20Years,
                format!("租期 {}，超过 {max} 年上限", term.zh()),
                format!("term {} exceeds the {max}-year limit", term.en()),
            ));
        }
        out.extend(rent_below(c, rules));
        if ctx.active {
            out.extend(prepaid(c, ctx, rules));
        }
    }
    let value = contract_value(c);
    if value > rules.procedure_threshold_fen && c.procedure_ref.is_none() {
        let limit = rules.procedure_threshold_fen;
        out.push(flag(
            FlagCode::NoProcedure,
            format!("合同金额 {value} 超过 {limit}，未记录民主决策程序"),
            format!("contract value {value} exceeds {limit} and no procedure is recorded"),
        ));
    }
    if ctx.active {
        out.extend(arrears(c, ctx, rules));
        if ctx.today > c.end_on {
            let days = (ctx.today - c.end_on).num_days();
            out.push(flag(
                FlagCode::ExpiredOpen,
                format!("合同已于 {} 到期，{days} 天后仍未办结", c.end_on),
                format!(
                    "the contract ended on {} and is still open {days} days later",
                    c.end_on
                ),
            ));
        }
        out.extend(overlap(c, ctx));
    }
    if c.counterparty_id.is_none() {
        out.push(flag(
            FlagCode::MissingPartyId,
            format!("未登记承包方“{}”的身份证号", c.counterparty),
            format!(
                "no resident ID recorded for counterparty '{}'",
                c.counterparty
            ),
        ));
    }
    out.sort_by_key(|f| f.code);
    out
}

fn rent_below(c: &Contract, rules: &FlagRules) -> Option<Flag> {
    let reference = rules.reference_for(c.kind)?;
    let (area_x100, unit_zh, unit_en) = match c.kind.rent_unit() {
        RentUnit::PerMu => (c.area_mu_x100_or_converted()?, "亩", "mu"),
        RentUnit::PerM2 => (c.area_m2_x100_or_converted()?, "平方米", "m²"),
    };
    let pct = i128::from(rules.rent_below_pct.min(100));
    // rent / area < reference × (100 − pct) / 100, in integers (area in hundredths).
    let rent_scaled = i128::from(c.annual_rent.0) * 100;
    let reference_scaled = i128::from(reference.0) * i128::from(area_x100);
    if area_x100 <= 0 || rent_scaled * 100 >= reference_scaled * (100 - pct) {
        return None;
    }
    let per_unit = fen((2 * rent_scaled + i128::from(area_x100)) / (2 * i128::from(area_x100)));
    let below = pct_2dp(reference_scaled - rent_scaled, reference_scaled);
    let limit = rules.rent_below_pct;
    Some(flag(
        FlagCode::RentBelowReference,
        format!("每{unit_zh}年租金 {per_unit}，比参考价 {reference} 低 {below}%，超过 {limit}% 的允许幅度"),
        format!(
            "rent {per_unit} per {unit_en} per year is {below}% below the reference {reference} (more than {limit}%)"
        ),
    ))
}

fn prepaid(c: &Contract, ctx: &FlagContext, rules: &FlagRules) -> Option<Flag> {
    let max = rules.max_prepaid_years;
    let mut zh = Vec::new();
    let mut en = Vec::new();
    let through = paid_through(c).unwrap_or(c.start_on);
    if let Some(limit) = add_years(ctx.today, max) {
        if c.paid > rent_accrued_until(c, limit) {
            zh.push(format!(
                "已付 {} 覆盖租金至 {through}，超过今日起 {max} 年（{limit}）",
                c.paid
            ));
            en.push(format!(
                "payments of {} cover rent until {through}, more than {max} years after today ({limit})",
                c.paid
            ));
        }
    }
    if let Some(term_end) = rules.committee_term_end.filter(|d| *d >= ctx.today) {
        let after = term_end.succ_opt().unwrap_or(term_end);
        if c.paid > rent_accrued_until(c, after) {
            zh.push(format!(
                "已付租金覆盖至 {through}，超出本届村委会任期（至 {term_end}）"
            ));
            en.push(format!("payments cover rent until {through}, beyond the committee's term ending {term_end}"));
        }
    }
    if let Some(years) = c.prepaid_years_x100.filter(|y| *y > i64::from(max) * 100) {
        let y = super::fields::hundredths_to_string(years);
        let y = y.trim_end_matches('0').trim_end_matches('.');
        zh.push(format!("合同约定预收 {y} 年租金，超过 {max} 年上限"));
        en.push(format!(
            "the contract prepays {y} years of rent, more than the {max}-year limit"
        ));
    }
    (!zh.is_empty()).then(|| flag(FlagCode::PrepaidBeyondTerm, zh.join("；"), en.join("; ")))
}

fn arrears(c: &Contract, ctx: &FlagContext, rules: &FlagRules) -> Option<Flag> {
    let oldest = oldest_unpaid_due(c, ctx.today)?;
    let days = (ctx.today - oldest).num_days();
    if days <= i64::from(rules.arrears_days) {
        return None;
    }
    let owed = super::rent::arrears_owed(c, ctx.today);
    let limit = rules.arrears_days;
    Some(flag(
        FlagCode::Arrears,
        format!("欠缴租金 {owed}，最早一笔应于 {oldest} 缴纳，已逾期 {days} 天（超过 {limit} 天）"),
        format!("rent owed {owed}; the oldest unpaid rent was due on {oldest}, {days} days ago (more than {limit})"),
    ))
}

fn overlap(c: &Contract, ctx: &FlagContext) -> Option<Flag> {
    let resource = c.resource_no.as_deref()?;
    let hits: Vec<&ContractPeriod> = ctx
        .others_on_resource
        .iter()
        .filter(|o| {
            o.contract_no != c.contract_no && o.start_on <= c.end_on && c.start_on <= o.end_on
        })
        .collect();
    if hits.is_empty() {
        return None;
    }
    let zh: Vec<String> = hits
        .iter()
        .map(|o| format!("{}（{} 至 {}）", o.contract_no, o.start_on, o.end_on))
        .collect();
    let en: Vec<String> = hits
        .iter()
        .map(|o| format!("{} ({} to {})", o.contract_no, o.start_on, o.end_on))
        .collect();
    Some(flag(
        FlagCode::Overlap,
        format!("资源 {resource} 上与合同 {}期限重叠", zh.join("、")),
        format!(
            "overlaps on resource {resource} with contract {}",
            en.join(", ")
        ),
    ))
}

#[cfg(test)]
#[path = "flags_tests.rs"]
mod tests;
