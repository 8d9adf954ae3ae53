//! Collective contracts (合同): the draft as typed and the validated record.

use super::codes::ContractKind;
use super::fields::{
    hundredths_to_string, Amount, Fields, MAX_NAME_CHARS, MAX_NO_CHARS, MAX_TEXT_CHARS,
};
use crate::message::catalogue as msg;
use crate::money::Fen;
use crate::registry::household::FieldError;
use crate::resident_id::ResidentId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One mu is 666.67 m² (10000/15), in hundredths of a square metre.
pub const MU_M2_X100: i64 = 66_667;

/// Longest accepted term; anything longer is taken for a typing error in a date.
pub const MAX_TERM_YEARS: u32 = 100;

const MU_UNITS: &[&str] = &["亩", "mu"];
const M2_UNITS: &[&str] = &["平方米", "㎡", "m²", "m2"];
const YEAR_UNITS: &[&str] = &["年", "years", "year"];

/// A contract as typed in a form or a CSV row. Field names are the import column names; columns
/// may be missing (they read as empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContractDraft {
    pub contract_no: String,
    pub kind: String,
    pub counterparty: String,
    pub counterparty_id: String,
    pub subject: String,
    pub resource_no: String,
    pub area_mu: String,
    pub area_m2: String,
    pub start_on: String,
    pub end_on: String,
    pub annual_rent_yuan: String,
    pub prepaid_years: String,
    pub paid_yuan: String,
    pub signed_on: String,
    pub procedure_ref: String,
    pub related_cadre: String,
}

/// A validated contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub contract_no: String,
    pub kind: ContractKind,
    pub counterparty: String,
    /// The counterparty's resident ID; `None` raises `missing_party_id`.
    pub counterparty_id: Option<ResidentId>,
    pub subject: Option<String>,
    /// The collective resource the contract is on (see `resource::Resource::resource_no`).
    pub resource_no: Option<String>,
    /// Area in hundredths of a mu, as typed.
    pub area_mu_x100: Option<i64>,
    /// Area in hundredths of a square metre, as typed.
    pub area_m2_x100: Option<i64>,
    pub start_on: NaiveDate,
    /// Last day in force (inclusive).
    pub end_on: NaiveDate,
    /// Rent per year; for construction and procurement, the contract price.
    pub annual_rent: Fen,
    /// Years of rent the contract says are paid ahead, in hundredths (`3.5` → 350).
    pub prepaid_years_x100: Option<i64>,
    /// Rent received so far over the whole contract.
    pub paid: Fen,
    pub signed_on: Option<NaiveDate>,
    /// Reference to the democratic procedure record (meeting minutes, publicity notice).
    pub procedure_ref: Option<String>,
    /// The counterparty is a village cadre or a close relative of one.
    pub related_cadre: bool,
}

fn round_div(num: i128, den: i128) -> i64 {
    let q = (2 * num + den) / (2 * den);
    i64::try_from(q).unwrap_or(i64::MAX)
}

impl Contract {
    /// Area in hundredths of a mu: as typed, else converted from m² (rounded).
    pub fn area_mu_x100_or_converted(&self) -> Option<i64> {
        self.area_mu_x100.or_else(|| {
            self.area_m2_x100
                .map(|m2| round_div(i128::from(m2) * 100, MU_M2_X100.into()))
        })
    }

    /// Area in hundredths of a m²: as typed, else converted from mu (rounded).
    pub fn area_m2_x100_or_converted(&self) -> Option<i64> {
        self.area_m2_x100.or_else(|| {
            self.area_mu_x100
                .map(|mu| round_div(i128::from(mu) * i128::from(MU_M2_X100), 100))
        })
    }

    /// The draft that validates back to this contract (to prefill an edit form or write an
    /// export row).
    pub fn to_draft(&self) -> ContractDraft {
        let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let hs = |v: Option<i64>| v.map(hundredths_to_string).unwrap_or_default();
        ContractDraft {
            contract_no: self.contract_no.clone(),
            kind: self.kind.as_str().to_string(),
            counterparty: self.counterparty.clone(),
            counterparty_id: self
                .counterparty_id
                .as_ref()
                .map(|i| i.as_str().to_string())
                .unwrap_or_default(),
            subject: self.subject.clone().unwrap_or_default(),
            resource_no: self.resource_no.clone().unwrap_or_default(),
            area_mu: hs(self.area_mu_x100),
            area_m2: hs(self.area_m2_x100),
            start_on: date(self.start_on),
            end_on: date(self.end_on),
            annual_rent_yuan: self.annual_rent.to_yuan_string(),
            prepaid_years: hs(self.prepaid_years_x100),
            paid_yuan: self.paid.to_yuan_string(),
            signed_on: self.signed_on.map(date).unwrap_or_default(),
            procedure_ref: self.procedure_ref.clone().unwrap_or_default(),
            related_cadre: if self.related_cadre { "true" } else { "false" }.to_string(),
        }
    }
}

impl ContractDraft {
    /// Validates every field and reports all problems at once. Required: contract_no, kind,
    /// counterparty, start_on, end_on (after start_on, at most 100 years later),
    /// annual_rent_yuan (≥ 0). paid_yuan defaults to 0, related_cadre to false.
    pub fn validate(&self) -> Result<Contract, Vec<FieldError>> {
        let mut f = Fields::default();
        let contract_no = f.required_text("contract_no", &self.contract_no, MAX_NO_CHARS);
        let kind = f.required_choice(
            ("kind", "contract_kind"),
            &self.kind,
            ContractKind::parse,
            ContractKind::known_labels,
        );
        let counterparty = f.required_text("counterparty", &self.counterparty, MAX_NAME_CHARS);
        let counterparty_id = match super::fields::trimmed(&self.counterparty_id) {
            None => None,
            Some(t) => match ResidentId::parse(t) {
                Ok(id) => Some(id),
                Err(e) => {
                    f.push("counterparty_id", e.text());
                    None
                }
            },
        };
        let subject = f.optional_text("subject", &self.subject, MAX_TEXT_CHARS);
        let resource_no = f.optional_text("resource_no", &self.resource_no, MAX_NO_CHARS);
        let area_mu_x100 =
            f.optional_hundredths("area_mu", &self.area_mu, MU_UNITS, Amount::Positive);
        let area_m2_x100 =
            f.optional_hundredths("area_m2", &self.area_m2, M2_UNITS, Amount::Positive);
        let start_on = f.required_date("start_on", &self.start_on);
        let end_on = f.required_date("end_on", &self.end_on);
        if let (Some(s), Some(e)) = (start_on, end_on) {
            if e <= s {
                f.push("end_on", msg::END_BEFORE_START);
            } else if s
                .checked_add_months(chrono::Months::new(12 * MAX_TERM_YEARS))
                .is_none_or(|lim| e >= lim)
            {
                f.push(
                    "end_on",
                    msg::TERM_TOO_LONG.with(&[("max", &MAX_TERM_YEARS)]),
                );
            }
        }
        let annual_rent = f.required_money(
            "annual_rent_yuan",
            &self.annual_rent_yuan,
            Amount::NonNegative,
        );
        let prepaid_years_x100 = f.optional_hundredths(
            "prepaid_years",
            &self.prepaid_years,
            YEAR_UNITS,
            Amount::NonNegative,
        );
        let paid = f
            .optional_money("paid_yuan", &self.paid_yuan, Amount::NonNegative)
            .unwrap_or(Fen::ZERO);
        let signed_on = f.optional_date("signed_on", &self.signed_on);
        let procedure_ref = f.optional_text("procedure_ref", &self.procedure_ref, MAX_TEXT_CHARS);
        let related_cadre = f.boolean("related_cadre", &self.related_cadre);
        let contract = match (kind, start_on, end_on, annual_rent) {
            (Some(kind), Some(start_on), Some(end_on), Some(annual_rent)) => Some(Contract {
                contract_no,
                kind,
                counterparty,
                counterparty_id,
                subject,
                resource_no,
                area_mu_x100,
                area_m2_x100,
                start_on,
                end_on,
                annual_rent,
                prepaid_years_x100,
                paid,
                signed_on,
                procedure_ref,
                related_cadre,
            }),
            _ => None,
        };
        f.into_result(contract)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn draft() -> ContractDraft {
        ContractDraft {
            contract_no: "HT-2024-001".into(),
            kind: "土地租赁".into(),
            counterparty: "王建国".into(),
            counterparty_id: "11010519491231002X".into(),
            subject: "东坡耕地".into(),
            resource_no: "ZY-01".into(),
            area_mu: "12.5亩".into(),
            area_m2: "".into(),
            start_on: "2024-01-01".into(),
            end_on: "2033-12-31".into(),
            annual_rent_yuan: "10,000".into(),
            prepaid_years: "1".into(),
            paid_yuan: "10000".into(),
            signed_on: "2023/12/20".into(),
            procedure_ref: "2023年12月村民代表会议纪要".into(),
            related_cadre: "否".into(),
        }
    }

    #[test]
    fn valid_draft_validates_and_round_trips() {
        let c = draft().validate();
        let Ok(c) = c else { panic!("valid: {c:?}") };
        assert_eq!(c.kind, ContractKind::LandLease);
        assert_eq!(c.area_mu_x100, Some(1250));
        assert_eq!(c.annual_rent, Fen(1_000_000));
        assert_eq!(c.prepaid_years_x100, Some(100));
        assert!(!c.related_cadre);
        assert_eq!(c.to_draft().validate(), Ok(c));
    }

    #[test]
    fn reports_every_bad_field_by_column_name() {
        let bad = ContractDraft {
            contract_no: "".into(),
            kind: "出租车".into(),
            counterparty: " ".into(),
            counterparty_id: "110105194912310021".into(),
            area_mu: "12.345".into(),
            area_m2: "-5".into(),
            start_on: "2024-01-01".into(),
            end_on: "2024-01-01".into(),
            annual_rent_yuan: "-1".into(),
            prepaid_years: "three".into(),
            paid_yuan: "abc".into(),
            signed_on: "2024-02-30".into(),
            related_cadre: "maybe".into(),
            ..Default::default()
        };
        let errs = bad.validate().err().unwrap_or_default();
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "contract_no",
                "kind",
                "counterparty",
                "counterparty_id",
                "area_mu",
                "area_m2",
                "end_on",
                "annual_rent_yuan",
                "prepaid_years",
                "paid_yuan",
                "signed_on",
                "related_cadre"
            ]
        );
        let missing = ContractDraft::default()
            .validate()
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = missing.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "contract_no",
                "kind",
                "counterparty",
                "start_on",
                "end_on",
                "annual_rent_yuan"
            ]
        );
    }

    #[test]
    fn absurd_terms_are_refused() {
        let d = ContractDraft {
            end_on: "2124-01-01".into(),
            ..draft()
        };
        assert!(d.validate().is_err());
        let d = ContractDraft {
            end_on: "2123-12-31".into(),
            ..draft()
        };
        assert!(d.validate().is_ok());
    }

    #[test]
    fn areas_convert_at_666_67_m2_per_mu() {
        let Ok(c) = ContractDraft {
            area_mu: "".into(),
            area_m2: "666.67".into(),
            ..draft()
        }
        .validate() else {
            panic!("valid")
        };
        assert_eq!(c.area_mu_x100_or_converted(), Some(100));
        assert_eq!(c.area_m2_x100_or_converted(), Some(66_667));
        let Ok(c) = draft().validate() else {
            panic!("valid")
        };
        assert_eq!(c.area_m2_x100_or_converted(), Some(833_338)); // 12.5 × 666.67 = 8333.375
        let Ok(c) = ContractDraft {
            area_mu: "".into(),
            ..draft()
        }
        .validate() else {
            panic!("valid")
        };
        assert_eq!(c.area_mu_x100_or_converted(), None);
    }

    #[test]
    fn empty_optional_columns_are_fine() {
        let d = ContractDraft {
            counterparty_id: "".into(),
            subject: "".into(),
            resource_no: "".into(),
            area_mu: "".into(),
            prepaid_years: "".into(),
            paid_yuan: "".into(),
            signed_on: "".into(),
            procedure_ref: "".into(),
            related_cadre: "".into(),
            ..draft()
        };
        let Ok(c) = d.validate() else { panic!("valid") };
        assert_eq!(c.paid, Fen::ZERO);
        assert!(c.counterparty_id.is_none() && c.resource_no.is_none() && !c.related_cadre);
    }
}
