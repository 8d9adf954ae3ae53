//! What differs between the four numbered registers ([`super::register::Register`]): how a
//! draft validates against the stored record, the row it stores, and what a change must keep
//! covering (a debt's resolved amount, a claim's collected amount).

use super::convert::*;
use super::recompute::{follow_renamed_contract, recompute_village};
use super::register::Register;
use super::{today, Kind};
use crate::{App, Result};
use domain::ledger::{
    Claim, ClaimDraft, Contract, ContractDraft, Debt, DebtDraft, Resource, ResourceDraft,
    CLAIM_COLLECTED, DEBT_RESOLVED,
};
use domain::registry::FieldError;
use domain::Fen;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::ledger::claims::{ClaimRow, ClaimWrite};
use store::ledger::contracts::{ContractRow, ContractWrite};
use store::ledger::debts::{self, DebtRow, DebtWrite};
use store::ledger::resources::{ResourceRow, ResourceWrite};
use store::AnyConnection;

type Checked<T> = std::result::Result<T, Vec<FieldError>>;

/// A contract as a form or API body sends it: the draft and, optionally, its status
/// (`active`, the default for a new one, or `terminated`; an update keeps the stored one).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContractForm {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(flatten)]
    pub draft: ContractDraft,
}

/// A validated contract: the record, whether the stored resident ID is kept, the status.
pub struct ValidContract(Contract, bool, String);

impl Register for ContractForm {
    const KIND: Kind = Kind::Contracts;
    type Row = ContractRow;
    type Write = ContractWrite;
    type Valid = ValidContract;

    fn check(&self, stored: Option<&ContractRow>) -> Checked<ValidContract> {
        let status = match self
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => stored
                .map(|b| b.fields.status.clone())
                .unwrap_or_else(|| "active".into()),
            Some(s @ ("active" | "terminated")) => s.to_string(),
            Some(other) => {
                return Err(vec![FieldError::new(
                    "status",
                    domain::message::catalogue::UNKNOWN_CHOICE.field(
                        "status",
                        &[("value", &other), ("known", &"active, terminated")],
                    ),
                )])
            }
        };
        let (c, keep) = validate_contract(&self.draft, stored.map(|b| &b.fields))?;
        Ok(ValidContract(c, keep, status))
    }
    fn number(v: &ValidContract) -> &str {
        &v.0.contract_no
    }
    fn write(
        app: &App,
        village: &str,
        v: &ValidContract,
        stored: Option<&ContractRow>,
    ) -> Result<ContractWrite> {
        let keep_of = stored.map(|b| &b.fields).filter(|_| v.1);
        contract_write(app, village, &v.0, keep_of, &v.2)
    }
    fn shown(w: &ContractWrite) -> Value {
        json!(contract_draft(w))
    }
    async fn after_save(
        conn: &mut AnyConnection,
        village: &str,
        before: Option<&ContractRow>,
        w: &ContractWrite,
    ) -> Result<()> {
        if let Some(b) = before {
            follow_renamed_contract(conn, village, &b.fields.contract_no, &w.contract_no).await?;
        }
        recompute_village(conn, village, today()).await?;
        Ok(())
    }
    async fn after_import(conn: &mut AnyConnection, village: &str) -> Result<()> {
        recompute_village(conn, village, today()).await?;
        Ok(())
    }
    fn audit_extra(w: &ContractWrite, entry: &mut serde_json::Map<String, Value>) {
        entry.insert("status".into(), json!(w.status));
    }
}

/// The register of a draft whose valid record is the domain's own and whose row is converted
/// without the app or the stored row (debts, claims, resources): its kind, row, write and
/// valid record, its number field, the conversion to the row and back to the draft shown, and
/// the items that differ.
macro_rules! plain_register {
    (
        $draft:ty => $kind:ident, $row:ty, $write:ty, $valid:ty;
        by $number:ident, $to_write:ident, $to_draft:ident;
        $($items:tt)*
    ) => {
        impl Register for $draft {
            const KIND: Kind = Kind::$kind;
            type Row = $row;
            type Write = $write;
            type Valid = $valid;

            fn number(v: &$valid) -> &str {
                &v.$number
            }
            fn write(_app: &App, village: &str, v: &$valid, _: Option<&$row>) -> Result<$write> {
                Ok($to_write(village, v))
            }
            fn shown(w: &$write) -> Value {
                json!($to_draft(w))
            }
            $($items)*
        }
    };
}

plain_register! {
    DebtDraft => Debts, DebtRow, DebtWrite, Debt;
    by debt_no, debt_write, debt_draft;

    fn check(&self, _stored: Option<&DebtRow>) -> Checked<Debt> {
        DebtDraft::validate(self)
    }
    async fn settled(conn: &mut AnyConnection, stored: &DebtRow) -> Result<i64> {
        Ok(debts::resolved_of(conn, stored.id).await?)
    }
    fn covers(v: &Debt, resolved: i64) -> std::result::Result<(), FieldError> {
        DEBT_RESOLVED.covers(v.principal, Fen(resolved))
    }
}

plain_register! {
    ClaimDraft => Claims, ClaimRow, ClaimWrite, Claim;
    by claim_no, claim_write, claim_draft;

    fn check(&self, stored: Option<&ClaimRow>) -> Checked<Claim> {
        self.validate_keeping(stored.and_then(|b| b.fields.origin.as_deref()))
    }
    async fn settled(_conn: &mut AnyConnection, stored: &ClaimRow) -> Result<i64> {
        Ok(stored.collected_fen)
    }
    fn covers(v: &Claim, collected: i64) -> std::result::Result<(), FieldError> {
        CLAIM_COLLECTED.covers(v.amount, Fen(collected))
    }
}

plain_register! {
    ResourceDraft => Resources, ResourceRow, ResourceWrite, Resource;
    by resource_no, resource_write, resource_draft;

    fn check(&self, _stored: Option<&ResourceRow>) -> Checked<Resource> {
        ResourceDraft::validate(self)
    }
}
