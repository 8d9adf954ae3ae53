//! The per-village ledger summary, built by adding records one by one. Serializes to:
//!
//! ```json
//! {"village": "140581001001",
//!  "contracts": {"count": 3, "flagged": 2, "rectified": 1, "annual_rent_fen": 2500000,
//!                "flags_by_code": {"related_cadre": 1, "arrears": 2}},
//!  "debts": {"count": 1, "principal_fen": 0, "resolved_fen": 0, "remaining_fen": 0,
//!            "progress_pct": 78.5,
//!            "by_method_fen": {"write_off": 0, "adjustment": 0, "offset": 0, "repayment": 0}},
//!  "claims": {"count": 0, "amount_fen": 0, "collected_fen": 0},
//!  "resources": {"count": 2, "area_mu": 47.5, "idle_count": 1,
//!                "occupied_without_contract_count": 0}}
//! ```
//!
//! Money is integer fen. `area_mu` is the sum of the areas in hundredths of a mu divided by 100,
//! a JSON number with at most two decimals (47.5 is 47.50 mu). `flags_by_code` lists only codes
//! that occur, in flag order (`related_cadre` first).

use super::claim::Claim;
use super::codes::{FlagCode, RectificationStatus, ResourceStatus};
use super::contract::Contract;
use super::debt::{DebtProgress, MethodAmounts};
use super::resource::Resource;
use crate::money::Fen;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VillageLedgerSummary {
    /// The village's unit code.
    pub village: String,
    pub contracts: ContractTotals,
    pub debts: DebtTotals,
    pub claims: ClaimTotals,
    pub resources: ResourceTotals,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContractTotals {
    pub count: u64,
    /// Contracts with at least one flag (open or closed).
    pub flagged: u64,
    /// Flagged contracts whose every flag is rectified or waived.
    pub rectified: u64,
    /// Sum of the annual rent of the leases added (construction and procurement prices are not
    /// rent and are left out).
    pub annual_rent_fen: Fen,
    /// How many added contracts carry each flag.
    pub flags_by_code: BTreeMap<FlagCode, u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DebtTotals {
    pub count: u64,
    pub principal_fen: Fen,
    pub resolved_fen: Fen,
    pub remaining_fen: Fen,
    /// One decimal, [`crate::money::percent_1dp`].
    pub progress_pct: f64,
    pub by_method_fen: MethodAmounts,
    #[serde(skip)]
    total: DebtProgress,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClaimTotals {
    pub count: u64,
    pub amount_fen: Fen,
    pub collected_fen: Fen,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResourceTotals {
    pub count: u64,
    /// Hundredths of a mu; serialized as `area_mu`, a number of mu.
    #[serde(rename = "area_mu", serialize_with = "hundredths_as_number")]
    pub area_mu_x100: i64,
    pub idle_count: u64,
    pub occupied_without_contract_count: u64,
}

fn hundredths_as_number<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    // Exact for any realistic area: the nearest double to n/100 prints with ≤ 2 decimals.
    s.serialize_f64(*v as f64 / 100.0)
}

fn add(a: Fen, b: Fen) -> Fen {
    Fen(a.0.saturating_add(b.0))
}

impl VillageLedgerSummary {
    pub fn new(village: impl Into<String>) -> VillageLedgerSummary {
        VillageLedgerSummary {
            village: village.into(),
            ..Default::default()
        }
    }

    /// Counts one contract (normally each active one) with its flags and their follow-up
    /// status. A flag listed twice counts once.
    pub fn add_contract(&mut self, contract: &Contract, flags: &[(FlagCode, RectificationStatus)]) {
        let t = &mut self.contracts;
        t.count += 1;
        if contract.kind.is_lease() {
            t.annual_rent_fen = add(t.annual_rent_fen, contract.annual_rent);
        }
        if flags.is_empty() {
            return;
        }
        t.flagged += 1;
        if flags.iter().all(|(_, s)| s.is_closed()) {
            t.rectified += 1;
        }
        let mut codes: Vec<FlagCode> = flags.iter().map(|(c, _)| *c).collect();
        codes.sort();
        codes.dedup();
        for c in codes {
            *t.flags_by_code.entry(c).or_insert(0) += 1;
        }
    }

    /// Counts one debt with its resolution so far.
    pub fn add_debt(&mut self, progress: &DebtProgress) {
        let t = &mut self.debts;
        t.count += 1;
        t.total.add(progress);
        t.principal_fen = t.total.principal;
        t.resolved_fen = t.total.resolved();
        t.remaining_fen = t.total.remaining();
        t.progress_pct = t.total.progress_pct();
        t.by_method_fen = t.total.by_method;
    }

    /// Counts one claim and what has been collected on it.
    pub fn add_claim(&mut self, claim: &Claim, collected: Fen) {
        let t = &mut self.claims;
        t.count += 1;
        t.amount_fen = add(t.amount_fen, claim.amount);
        t.collected_fen = add(t.collected_fen, collected);
    }

    pub fn add_resource(&mut self, resource: &Resource) {
        let t = &mut self.resources;
        t.count += 1;
        t.area_mu_x100 = t
            .area_mu_x100
            .saturating_add(resource.area_mu_x100.unwrap_or(0));
        match resource.status {
            ResourceStatus::Idle => t.idle_count += 1,
            ResourceStatus::OccupiedWithoutContract => t.occupied_without_contract_count += 1,
            ResourceStatus::Contracted => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::codes::{ContractKind, DebtMethod, ResourceKind};
    use crate::ledger::rent::tests::{day, lease};
    use toml::Value;

    fn resource(area: Option<i64>, status: ResourceStatus) -> Resource {
        Resource {
            resource_no: "ZY".into(),
            kind: ResourceKind::Arable,
            name: None,
            area_mu_x100: area,
            location: None,
            status,
            contract_no: None,
            note: String::new(),
        }
    }

    fn sample() -> VillageLedgerSummary {
        let mut s = VillageLedgerSummary::new("140581001001");
        let c = lease(day(2024, 1, 1), day(2033, 12, 31), 10_000, 0);
        s.add_contract(&c, &[]);
        s.add_contract(
            &c,
            &[
                (FlagCode::Arrears, RectificationStatus::Open),
                (FlagCode::RelatedCadre, RectificationStatus::Open),
            ],
        );
        s.add_contract(&c, &[(FlagCode::Arrears, RectificationStatus::Waived)]);
        let works = Contract {
            kind: ContractKind::Construction,
            ..c
        };
        s.add_contract(&works, &[]);
        let p = DebtProgress::from_actions(
            Fen(2_358_000_000),
            [(DebtMethod::Offset, Fen(1_851_170_000))],
        );
        let Ok(p) = p else { panic!("valid") };
        s.add_debt(&p);
        let claim = Claim {
            claim_no: "ZQ".into(),
            debtor: "李四".into(),
            amount: Fen(350_000),
            arose_on: None,
            origin: None,
            note: String::new(),
        };
        s.add_claim(&claim, Fen(100_000));
        s.add_resource(&resource(Some(1250), ResourceStatus::Idle));
        s.add_resource(&resource(Some(3500), ResourceStatus::Contracted));
        s.add_resource(&resource(None, ResourceStatus::OccupiedWithoutContract));
        s
    }

    #[test]
    fn totals() {
        let s = sample();
        let c = &s.contracts;
        assert_eq!(
            (c.count, c.flagged, c.rectified, c.annual_rent_fen),
            (4, 2, 1, Fen(3_000_000))
        );
        assert_eq!(c.flags_by_code.get(&FlagCode::Arrears), Some(&2));
        assert_eq!(c.flags_by_code.keys().next(), Some(&FlagCode::RelatedCadre));
        assert_eq!(s.debts.progress_pct, 78.5);
        assert_eq!(s.debts.remaining_fen, Fen(2_358_000_000 - 1_851_170_000));
        assert_eq!(s.debts.by_method_fen.offset, Fen(1_851_170_000));
        assert_eq!(
            (s.claims.count, s.claims.amount_fen, s.claims.collected_fen),
            (1, Fen(350_000), Fen(100_000))
        );
        let r = &s.resources;
        assert_eq!(
            (
                r.count,
                r.area_mu_x100,
                r.idle_count,
                r.occupied_without_contract_count
            ),
            (3, 4750, 1, 1)
        );
    }

    fn keys(v: Option<&Value>) -> Vec<String> {
        v.and_then(Value::as_table)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn serializes_to_the_agreed_shape() {
        let v = Value::try_from(sample());
        let Ok(v) = v else { panic!("{v:?}") };
        let mut top = keys(Some(&v));
        top.sort();
        assert_eq!(
            top,
            ["claims", "contracts", "debts", "resources", "village"]
        );
        assert_eq!(
            v.get("village").and_then(Value::as_str),
            Some("140581001001")
        );
        let mut k = keys(v.get("contracts"));
        k.sort();
        assert_eq!(
            k,
            [
                "annual_rent_fen",
                "count",
                "flagged",
                "flags_by_code",
                "rectified"
            ]
        );
        let flags = v.get("contracts").and_then(|c| c.get("flags_by_code"));
        assert_eq!(
            flags
                .and_then(|f| f.get("arrears"))
                .and_then(Value::as_integer),
            Some(2)
        );
        let mut k = keys(v.get("debts"));
        k.sort();
        assert_eq!(
            k,
            [
                "by_method_fen",
                "count",
                "principal_fen",
                "progress_pct",
                "remaining_fen",
                "resolved_fen"
            ]
        );
        let mut k = keys(v.get("debts").and_then(|d| d.get("by_method_fen")));
        k.sort();
        assert_eq!(k, ["adjustment", "offset", "repayment", "write_off"]);
        let debts = v.get("debts");
        assert_eq!(
            debts
                .and_then(|d| d.get("progress_pct"))
                .and_then(Value::as_float),
            Some(78.5)
        );
        assert_eq!(
            debts
                .and_then(|d| d.get("principal_fen"))
                .and_then(Value::as_integer),
            Some(2_358_000_000)
        );
        let mut k = keys(v.get("claims"));
        k.sort();
        assert_eq!(k, ["amount_fen", "collected_fen", "count"]);
        let mut k = keys(v.get("resources"));
        k.sort();
        assert_eq!(
            k,
            [
                "area_mu",
                "count",
                "idle_count",
                "occupied_without_contract_count"
            ]
        );
        let area = v
            .get("resources")
            .and_then(|r| r.get("area_mu"))
            .and_then(Value::as_float);
        assert_eq!(area, Some(47.5));
    }
}
