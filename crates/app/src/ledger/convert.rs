//! Database rows ⇄ domain drafts and records. Drafts are the import/export layout, so an
//! exported row validates back to the same record.

use crate::{App, AppError, Result};
use domain::ledger::fields::hundredths_to_string;
use domain::ledger::{
    Claim, ClaimDraft, Contract, ContractDraft, ContractKind, Debt, DebtAction, DebtActionDraft,
    DebtDraft, DebtMethod, Resource, ResourceDraft,
};
use domain::Fen;
use store::ledger::claims::ClaimWrite;
use store::ledger::contracts::ContractWrite;
use store::ledger::debts::{ActionRow, ActionWrite, DebtWrite};
use store::ledger::resources::ResourceWrite;

fn date(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| AppError::Internal(format!("stored date '{s}' unreadable")))
}

fn hs(v: Option<i64>) -> String {
    v.map(hundredths_to_string).unwrap_or_default()
}

/// The stored contract as a draft; the resident ID appears masked (never in clear).
pub fn contract_draft(c: &ContractWrite) -> ContractDraft {
    ContractDraft {
        contract_no: c.contract_no.clone(),
        kind: c.kind.clone(),
        counterparty: c.counterparty.clone(),
        counterparty_id: c.counterparty_id_masked.clone(),
        subject: c.subject.clone().unwrap_or_default(),
        resource_no: c.resource_no.clone().unwrap_or_default(),
        area_mu: hs(c.area_mu_x100),
        area_m2: hs(c.area_m2_x100),
        start_on: c.start_on.clone(),
        end_on: c.end_on.clone(),
        annual_rent_yuan: Fen(c.annual_rent_fen).to_yuan_string(),
        prepaid_years: hs(c.prepaid_years_x100),
        paid_yuan: Fen(c.paid_fen).to_yuan_string(),
        signed_on: c.signed_on.clone().unwrap_or_default(),
        procedure_ref: c.procedure_ref.clone().unwrap_or_default(),
        related_cadre: if c.related_cadre { "true" } else { "false" }.into(),
    }
}

/// Validates a contract draft, keeping the stored resident ID when the draft shows it masked
/// (as exports and edit forms do).
pub fn validate_contract(
    draft: &ContractDraft,
    existing: Option<&ContractWrite>,
) -> std::result::Result<(Contract, bool), Vec<domain::registry::FieldError>> {
    let keep = existing.is_some_and(|e| {
        !e.counterparty_id_masked.is_empty()
            && (e.counterparty_id_masked == draft.counterparty_id.trim()
                || domain::mask::is_mask_of(&draft.counterparty_id, &e.counterparty_id_masked))
    });
    let mut d = draft.clone();
    if keep {
        d.counterparty_id.clear();
    }
    d.validate().map(|c| (c, keep))
}

/// The row to store for a validated contract.
pub fn contract_write(
    app: &App,
    village: &str,
    c: &Contract,
    keep_id_of: Option<&ContractWrite>,
    status: &str,
) -> Result<ContractWrite> {
    let (cipher, hash, masked) = match (&c.counterparty_id, keep_id_of) {
        (Some(id), _) => (
            Some(app.cipher.encrypt(id.as_str())?),
            Some(app.cipher.lookup_hash(id.as_str())),
            id.masked(),
        ),
        (None, Some(e)) => (
            e.counterparty_id_cipher.clone(),
            e.counterparty_id_hash.clone(),
            e.counterparty_id_masked.clone(),
        ),
        (None, None) => (None, None, String::new()),
    };
    Ok(ContractWrite {
        village_code: village.to_string(),
        contract_no: c.contract_no.clone(),
        kind: c.kind.as_str().to_string(),
        counterparty: c.counterparty.clone(),
        counterparty_id_cipher: cipher,
        counterparty_id_hash: hash,
        counterparty_id_masked: masked,
        subject: c.subject.clone(),
        resource_no: c.resource_no.clone(),
        area_mu_x100: c.area_mu_x100,
        area_m2_x100: c.area_m2_x100,
        start_on: date(c.start_on),
        end_on: date(c.end_on),
        annual_rent_fen: c.annual_rent.0,
        prepaid_years_x100: c.prepaid_years_x100,
        paid_fen: c.paid.0,
        signed_on: c.signed_on.map(date),
        procedure_ref: c.procedure_ref.clone(),
        related_cadre: c.related_cadre,
        status: status.to_string(),
    })
}

/// The stored contract as the domain sees it for the flag rules. The resident ID itself is not
/// decrypted (the rules only ask whether one is recorded); callers drop `missing_party_id` when
/// the row has one — see `recompute`.
pub fn contract_record(c: &ContractWrite) -> Result<Contract> {
    Ok(Contract {
        contract_no: c.contract_no.clone(),
        kind: ContractKind::parse(&c.kind)
            .ok_or_else(|| AppError::Internal(format!("stored contract kind '{}'", c.kind)))?,
        counterparty: c.counterparty.clone(),
        counterparty_id: None,
        subject: c.subject.clone(),
        resource_no: c.resource_no.clone(),
        area_mu_x100: c.area_mu_x100,
        area_m2_x100: c.area_m2_x100,
        start_on: parse_date(&c.start_on)?,
        end_on: parse_date(&c.end_on)?,
        annual_rent: Fen(c.annual_rent_fen),
        prepaid_years_x100: c.prepaid_years_x100,
        paid: Fen(c.paid_fen),
        signed_on: c.signed_on.as_deref().map(parse_date).transpose()?,
        procedure_ref: c.procedure_ref.clone(),
        related_cadre: c.related_cadre,
    })
}

pub fn debt_draft(d: &DebtWrite) -> DebtDraft {
    DebtDraft {
        debt_no: d.debt_no.clone(),
        creditor: d.creditor.clone(),
        principal_yuan: Fen(d.principal_fen).to_yuan_string(),
        incurred_on: d.incurred_on.clone().unwrap_or_default(),
        category: d.category.clone().unwrap_or_default(),
        note: d.note.clone(),
    }
}

pub fn debt_write(village: &str, d: &Debt) -> DebtWrite {
    DebtWrite {
        village_code: village.to_string(),
        debt_no: d.debt_no.clone(),
        creditor: d.creditor.clone(),
        principal_fen: d.principal.0,
        incurred_on: d.incurred_on.map(date),
        category: d.category.clone(),
        note: d.note.clone(),
    }
}

pub fn action_draft(a: &ActionRow) -> DebtActionDraft {
    DebtActionDraft {
        debt_no: a.debt_no.clone(),
        method: a.fields.method.clone(),
        amount_yuan: Fen(a.fields.amount_fen).to_yuan_string(),
        acted_on: a.fields.acted_on.clone(),
        evidence: a.fields.evidence.clone().unwrap_or_default(),
        note: a.fields.note.clone(),
    }
}

pub fn action_write(village: &str, debt_id: i64, a: &DebtAction) -> ActionWrite {
    ActionWrite {
        debt_id,
        village_code: village.to_string(),
        method: a.method.as_str().to_string(),
        amount_fen: a.amount.0,
        acted_on: date(a.acted_on),
        evidence: a.evidence.clone(),
        note: a.note.clone(),
    }
}

pub fn method_of(code: &str) -> Result<DebtMethod> {
    DebtMethod::parse(code).ok_or_else(|| AppError::Internal(format!("stored method '{code}'")))
}

pub fn claim_draft(c: &ClaimWrite) -> ClaimDraft {
    ClaimDraft {
        claim_no: c.claim_no.clone(),
        debtor: c.debtor.clone(),
        amount_yuan: Fen(c.amount_fen).to_yuan_string(),
        arose_on: c.arose_on.clone().unwrap_or_default(),
        origin: c.origin.clone().unwrap_or_default(),
        note: c.note.clone(),
    }
}

pub fn claim_write(village: &str, c: &Claim) -> ClaimWrite {
    ClaimWrite {
        village_code: village.to_string(),
        claim_no: c.claim_no.clone(),
        debtor: c.debtor.clone(),
        amount_fen: c.amount.0,
        arose_on: c.arose_on.map(date),
        origin: c.origin.clone(),
        note: c.note.clone(),
    }
}

pub fn claim_record(c: &ClaimWrite) -> Result<Claim> {
    Ok(Claim {
        claim_no: c.claim_no.clone(),
        debtor: c.debtor.clone(),
        amount: Fen(c.amount_fen),
        arose_on: c.arose_on.as_deref().map(parse_date).transpose()?,
        origin: c.origin.clone(),
        note: c.note.clone(),
    })
}

pub fn resource_draft(r: &ResourceWrite) -> ResourceDraft {
    ResourceDraft {
        resource_no: r.resource_no.clone(),
        kind: r.kind.clone(),
        name: r.name.clone().unwrap_or_default(),
        area_mu: hs(r.area_mu_x100),
        location: r.location.clone().unwrap_or_default(),
        status: r.status.clone(),
        contract_no: r.contract_no.clone().unwrap_or_default(),
        note: r.note.clone(),
    }
}

pub fn resource_write(village: &str, r: &Resource) -> ResourceWrite {
    ResourceWrite {
        village_code: village.to_string(),
        resource_no: r.resource_no.clone(),
        kind: r.kind.as_str().to_string(),
        name: r.name.clone(),
        area_mu_x100: r.area_mu_x100,
        location: r.location.clone(),
        status: r.status.as_str().to_string(),
        contract_no: r.contract_no.clone(),
        note: r.note.clone(),
    }
}

pub fn resource_record(r: &ResourceWrite) -> Result<Resource> {
    resource_draft(r)
        .validate()
        .map_err(|_| AppError::Internal(format!("stored resource {} unreadable", r.resource_no)))
}
