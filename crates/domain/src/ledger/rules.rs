//! The parameters of the contract flag rules. A county configures them in TOML; every field is
//! optional and falls back to [`FlagRules::default`]:
//!
//! ```toml
//! max_lease_years = 20
//! rent_below_pct = 30
//! max_prepaid_years = 3
//! committee_term_end = 2026-12-31     # TOML date or "2026-12-31"; omit if unknown
//! procedure_threshold_fen = 5000000  # 50,000 yuan
//! arrears_days = 90
//!
//! [rent_reference]                   # replaces the whole default table when given
//! land_lease = 80000                 # fen per mu per year
//! shop_lease = 12000                 # fen per m² per year
//! ```

use super::codes::ContractKind;
use super::LedgerError;
use crate::dates::parse_date;
use crate::money::Fen;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FlagRules {
    /// `lease_over_20_years` when a lease runs longer than this (exactly this is fine). Civil
    /// Code art. 705: the part of a lease beyond 20 years is void.
    pub max_lease_years: u32,
    /// Reference rent per kind, in fen per year per unit of [`ContractKind::rent_unit`]: per mu
    /// for land, ponds, forest and other; per m² for shops and buildings. A kind without an
    /// entry is not checked; nor is a contract without an area.
    pub rent_reference: BTreeMap<ContractKind, Fen>,
    /// `rent_below_reference` when the rent is more than this many percent below the reference
    /// (exactly this many percent below is fine). 0–100.
    pub rent_below_pct: u32,
    /// `prepaid_beyond_term` when the payments cover rent for more than this many years after
    /// today, or the contract says more than this many years are prepaid.
    pub max_prepaid_years: u32,
    /// Last day of the current village committee's term: payments covering rent after it flag
    /// `prepaid_beyond_term`. Ignored once the day has passed (the setting is stale).
    #[serde(deserialize_with = "de_opt_date")]
    pub committee_term_end: Option<NaiveDate>,
    /// `no_procedure` when a contract's value is above this (exactly this is fine) and no
    /// procedure reference is recorded. A county whose rule reads "5万元以上" (inclusive) sets
    /// 4999999.
    pub procedure_threshold_fen: Fen,
    /// `arrears` when the oldest unpaid rent fell due more than this many days ago.
    pub arrears_days: u32,
}

impl Default for FlagRules {
    /// Plausible values for Shanxi; the rent references are placeholders a county should
    /// replace with its own published prices.
    fn default() -> Self {
        let rent_reference = BTreeMap::from([
            (ContractKind::LandLease, Fen(80_000)), // 800 yuan / mu / year
            (ContractKind::Pond, Fen(60_000)),      // 600 yuan / mu / year
            (ContractKind::Forest, Fen(5_000)),     // 50 yuan / mu / year
            (ContractKind::ShopLease, Fen(12_000)), // 120 yuan / m² / year (10 a month)
            (ContractKind::Building, Fen(6_000)),   // 60 yuan / m² / year
        ]);
        FlagRules {
            max_lease_years: 20,
            rent_reference,
            rent_below_pct: 30,
            max_prepaid_years: 3,
            committee_term_end: None,
            procedure_threshold_fen: Fen(5_000_000),
            arrears_days: 90,
        }
    }
}

impl FlagRules {
    /// Reads a county's rules; missing fields take the defaults, unknown fields are refused.
    pub fn from_toml(text: &str) -> Result<FlagRules, LedgerError> {
        let rules: FlagRules =
            toml::from_str(text).map_err(|e| LedgerError::Config(e.to_string()))?;
        rules.check()?;
        Ok(rules)
    }

    /// Checks values that parse but make no sense.
    pub fn check(&self) -> Result<(), LedgerError> {
        if self.rent_below_pct > 100 {
            return Err(LedgerError::Config(format!(
                "rent_below_pct must be between 0 and 100, got {}",
                self.rent_below_pct
            )));
        }
        if let Some((kind, _)) = self.rent_reference.iter().find(|(_, f)| f.0 < 0) {
            return Err(LedgerError::Config(format!(
                "rent_reference.{kind} must not be negative"
            )));
        }
        if self.procedure_threshold_fen.0 < 0 {
            return Err(LedgerError::Config(
                "procedure_threshold_fen must not be negative".into(),
            ));
        }
        Ok(())
    }

    pub fn reference_for(&self, kind: ContractKind) -> Option<Fen> {
        self.rent_reference.get(&kind).copied()
    }
}

/// Accepts a TOML date (`2026-12-31`), a string in any form [`parse_date`] takes, or nothing.
fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    use serde::de::Error;
    let value = Option::<toml::Value>::deserialize(d)?;
    let text = match value {
        None => return Ok(None),
        Some(toml::Value::Datetime(dt)) if dt.time.is_none() && dt.offset.is_none() => {
            dt.to_string()
        }
        Some(toml::Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(toml::Value::String(s)) => s,
        Some(other) => return Err(D::Error::custom(format!("expected a date, found {other}"))),
    };
    parse_date(&text).map(Some).map_err(D::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_toml_gives_the_defaults() {
        assert_eq!(FlagRules::from_toml(""), Ok(FlagRules::default()));
        let d = FlagRules::default();
        assert_eq!(
            (d.max_lease_years, d.rent_below_pct, d.max_prepaid_years),
            (20, 30, 3)
        );
        assert_eq!(
            (d.procedure_threshold_fen, d.arrears_days),
            (Fen(5_000_000), 90)
        );
        assert_eq!(d.reference_for(ContractKind::LandLease), Some(Fen(80_000)));
        assert_eq!(d.reference_for(ContractKind::Construction), None);
    }

    #[test]
    fn county_overrides() {
        let text = r#"
            max_lease_years = 15
            committee_term_end = 2026-12-31
            arrears_days = 60
            [rent_reference]
            land_lease = 50000
            shop_lease = 9000
        "#;
        let r = FlagRules::from_toml(text);
        let Ok(r) = r else { panic!("{r:?}") };
        assert_eq!(r.max_lease_years, 15);
        assert_eq!(r.committee_term_end, NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(r.arrears_days, 60);
        assert_eq!(r.rent_below_pct, 30);
        assert_eq!(r.reference_for(ContractKind::ShopLease), Some(Fen(9_000)));
        assert_eq!(r.reference_for(ContractKind::Pond), None);
        let quoted = FlagRules::from_toml(r#"committee_term_end = "2026/12/31""#);
        assert_eq!(
            quoted.map(|r| r.committee_term_end),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 31))
        );
    }

    #[test]
    fn refuses_nonsense() {
        for bad in [
            "max_lease_yeras = 20",
            "rent_below_pct = 130",
            "committee_term_end = 2026-12-31T00:00:00",
            "committee_term_end = \"soon\"",
            "[rent_reference]\nspaceship = 5",
            "[rent_reference]\npond = -5",
        ] {
            assert!(
                matches!(FlagRules::from_toml(bad), Err(LedgerError::Config(_))),
                "{bad}"
            );
        }
    }
}
