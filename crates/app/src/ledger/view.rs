//! The whole ledger of one village as pages, the API and exports show it. Contracts with a
//! `related_cadre` flag come first everywhere, then other flagged contracts, then the rest.

use super::convert::{
    action_draft, claim_draft, contract_draft, debt_draft, method_of, resource_draft,
};
use super::village_for_read;
use crate::registry::units::Unit;
use crate::{Actor, App, Result};
use domain::ledger::{
    ClaimDraft, ClaimStatus, ContractDraft, DebtActionDraft, DebtDraft, DebtMethod, DebtProgress,
    FlagCode, ResourceDraft,
};
use domain::Fen;
use serde::Serialize;
use std::collections::HashMap;
use store::ledger::register::of_village;
use store::ledger::{claims, contracts, debts, flags, resources};

#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    pub id: i64,
    pub contract_id: i64,
    pub contract_no: String,
    pub code: String,
    pub label_zh: String,
    pub label_en: String,
    pub explain_zh: String,
    pub explain_en: String,
    pub detail_zh: String,
    pub detail_en: String,
    pub status: String,
    pub deadline: Option<String>,
    pub reason: String,
    pub evidence: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContractView {
    pub id: i64,
    pub status: String,
    #[serde(flatten)]
    pub draft: ContractDraft,
    pub annual_rent_fen: i64,
    pub paid_fen: i64,
    pub flags: Vec<FlagView>,
}

impl ContractView {
    pub fn related_cadre_flagged(&self) -> bool {
        self.flags
            .iter()
            .any(|f| f.code == FlagCode::RelatedCadre.as_str())
    }
    pub fn open_flags(&self) -> usize {
        self.flags.iter().filter(|f| f.status == "open").count()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub id: i64,
    #[serde(flatten)]
    pub draft: DebtActionDraft,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DebtView {
    pub id: i64,
    #[serde(flatten)]
    pub draft: DebtDraft,
    pub principal_fen: i64,
    pub resolved_fen: i64,
    pub remaining_fen: i64,
    pub progress_pct: f64,
    #[serde(skip)]
    pub progress: DebtProgress,
    pub actions: Vec<ActionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CollectionView {
    pub id: i64,
    pub amount_fen: i64,
    pub amount_yuan: String,
    pub collected_on: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    pub id: i64,
    #[serde(flatten)]
    pub draft: ClaimDraft,
    pub amount_fen: i64,
    pub collected_fen: i64,
    pub claim_status: ClaimStatus,
    pub collections: Vec<CollectionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResourceView {
    pub id: i64,
    #[serde(flatten)]
    pub draft: ResourceDraft,
}

#[derive(Debug, Clone, Serialize)]
pub struct VillageLedger {
    pub village: Unit,
    pub contracts: Vec<ContractView>,
    pub debts: Vec<DebtView>,
    pub claims: Vec<ClaimView>,
    pub resources: Vec<ResourceView>,
}

impl VillageLedger {
    /// Every flag of the village, cadre-related first, then by contract number.
    pub fn flags(&self) -> Vec<&FlagView> {
        let mut all: Vec<&FlagView> = self.contracts.iter().flat_map(|c| c.flags.iter()).collect();
        all.sort_by_key(|f| {
            (
                f.code != FlagCode::RelatedCadre.as_str(),
                f.contract_no.clone(),
                FlagCode::parse(&f.code),
            )
        });
        all
    }
}

fn flag_view(f: flags::FlagRow, contract_no: &str) -> FlagView {
    let code = FlagCode::parse(&f.code);
    FlagView {
        id: f.id,
        contract_id: f.contract_id,
        contract_no: contract_no.to_string(),
        label_zh: code.map(|c| c.label_zh()).unwrap_or(&f.code).to_string(),
        label_en: code.map(|c| c.label_en()).unwrap_or(&f.code).to_string(),
        explain_zh: code.map(|c| c.explain_zh()).unwrap_or_default().to_string(),
        explain_en: code.map(|c| c.explain_en()).unwrap_or_default().to_string(),
        code: f.code,
        detail_zh: f.detail_zh,
        detail_en: f.detail_en,
        status: f.status,
        deadline: f.deadline,
        reason: f.reason,
        evidence: f.evidence,
        updated_at: f.updated_at,
    }
}

/// Loads every ledger of a village the account may read.
pub async fn load(app: &App, actor: &Actor, village: &str) -> Result<VillageLedger> {
    let unit = village_for_read(app, actor, village).await?;
    let mut conn = app.db.read().await?;
    let mut ledger = load_conn(&mut conn, unit).await?;
    // Counterparties' IDs as the role may see them (`domain::privacy`): pages and exports alike.
    for c in &mut ledger.contracts {
        let stored = Some(c.draft.counterparty_id.as_str()).filter(|m| !m.is_empty());
        c.draft.counterparty_id =
            domain::privacy::resident_id_for(actor.role, stored).unwrap_or_default();
    }
    Ok(ledger)
}

pub(crate) async fn load_conn(
    conn: &mut store::AnyConnection,
    unit: Unit,
) -> Result<VillageLedger> {
    let village = unit.code.clone();
    let mut flag_rows: HashMap<i64, Vec<flags::FlagRow>> = HashMap::new();
    for f in flags::of_village(conn, &village).await? {
        flag_rows.entry(f.contract_id).or_default().push(f);
    }
    let mut contract_views: Vec<ContractView> =
        of_village::<contracts::ContractRow>(conn, &village)
            .await?
            .into_iter()
            .map(|c| {
                let mut fs: Vec<FlagView> = flag_rows
                    .remove(&c.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|f| flag_view(f, &c.fields.contract_no))
                    .collect();
                fs.sort_by_key(|f| FlagCode::parse(&f.code));
                ContractView {
                    id: c.id,
                    status: c.fields.status.clone(),
                    draft: contract_draft(&c.fields),
                    annual_rent_fen: c.fields.annual_rent_fen,
                    paid_fen: c.fields.paid_fen,
                    flags: fs,
                }
            })
            .collect();
    contract_views.sort_by(|a, b| {
        (
            !a.related_cadre_flagged(),
            a.flags.is_empty(),
            &a.draft.contract_no,
        )
            .cmp(&(
                !b.related_cadre_flagged(),
                b.flags.is_empty(),
                &b.draft.contract_no,
            ))
    });

    let mut actions: HashMap<i64, Vec<debts::ActionRow>> = HashMap::new();
    for a in debts::actions_of_village(conn, &village).await? {
        actions.entry(a.fields.debt_id).or_default().push(a);
    }
    let mut debt_views = Vec::new();
    for d in of_village::<debts::DebtRow>(conn, &village).await? {
        let acts = actions.remove(&d.id).unwrap_or_default();
        let mut progress = DebtProgress::new(Fen(d.fields.principal_fen));
        for a in &acts {
            // Summed without the over-resolution check: stored actions were checked when
            // written, and a principal lowered later must not hide them.
            let m = &mut progress.by_method;
            let slot = match method_of(&a.fields.method)? {
                DebtMethod::WriteOff => &mut m.write_off,
                DebtMethod::Adjustment => &mut m.adjustment,
                DebtMethod::Offset => &mut m.offset,
                DebtMethod::Repayment => &mut m.repayment,
            };
            *slot = Fen(slot.0.saturating_add(a.fields.amount_fen));
        }
        debt_views.push(DebtView {
            id: d.id,
            draft: debt_draft(&d.fields),
            principal_fen: d.fields.principal_fen,
            resolved_fen: progress.resolved().0,
            remaining_fen: progress.remaining().0,
            progress_pct: progress.progress_pct(),
            progress,
            actions: acts
                .iter()
                .map(|a| ActionView {
                    id: a.id,
                    draft: action_draft(a),
                    amount_fen: a.fields.amount_fen,
                })
                .collect(),
        });
    }

    let mut cols: HashMap<i64, Vec<CollectionView>> = HashMap::new();
    for k in claims::collections_of_village(conn, &village).await? {
        cols.entry(k.claim_id).or_default().push(CollectionView {
            id: k.id,
            amount_fen: k.amount_fen,
            amount_yuan: Fen(k.amount_fen).to_yuan_string(),
            collected_on: k.collected_on,
            note: k.note,
        });
    }
    let claim_views = of_village::<claims::ClaimRow>(conn, &village)
        .await?
        .into_iter()
        .map(|c| ClaimView {
            id: c.id,
            draft: claim_draft(&c.fields),
            amount_fen: c.fields.amount_fen,
            collected_fen: c.collected_fen,
            claim_status: ClaimStatus::of(Fen(c.fields.amount_fen), Fen(c.collected_fen)),
            collections: cols.remove(&c.id).unwrap_or_default(),
        })
        .collect();
    let resource_views = of_village::<resources::ResourceRow>(conn, &village)
        .await?
        .into_iter()
        .map(|r| ResourceView {
            id: r.id,
            draft: resource_draft(&r.fields),
        })
        .collect();
    Ok(VillageLedger {
        village: unit,
        contracts: contract_views,
        debts: debt_views,
        claims: claim_views,
        resources: resource_views,
    })
}
