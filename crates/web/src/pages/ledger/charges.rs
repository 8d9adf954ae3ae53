//! Charges on resources occupied without a contract: shown under each such resource, with a
//! form that records a charge (a claim with origin `resource:<no>`).

use super::books::{answer, Failed};
use super::yuan;
use crate::ctx::Ctx;
use crate::error::PageResult;
use crate::layout::{csrf, date_field_in, field_in};
use crate::pages::forms::PagePath;
use crate::pages::forms::{Flash, RawForm};
use crate::AppState;
use app::ledger::charges::{charge_origin, charge_resource, ChargeDraft};
use app::ledger::view::{ResourceView, VillageLedger};
use axum::extract::State;
use domain::access::Permission;
use domain::ledger::Kind;
use maud::{html, Markup};
use serde_json::Value;

pub(super) fn section(
    ctx: &Ctx,
    ledger: &VillageLedger,
    r: &ResourceView,
    failed: &Failed,
) -> Markup {
    let l = ctx.lang;
    let origin = charge_origin(&r.draft.resource_no);
    let mine = failed.record == Some(r.id);
    let v = |k: &str| {
        if mine {
            failed
                .values
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        } else {
            String::new()
        }
    };
    let errs = if mine {
        failed.errors.clone()
    } else {
        Vec::new()
    };
    html! {
        @for c in ledger.claims.iter().filter(|c| c.draft.origin == origin) {
            div class="muted" { (l.t("收费 ", "Charge ")) (c.draft.claim_no) " · " (c.draft.debtor) " · " (yuan(c.amount_fen)) (l.t("，已收 ", ", collected ")) (yuan(c.collected_fen)) }
        }
        @if ctx.actor.role.can(Permission::EditLedger) {
            details open[mine] class="noprint" { summary { (l.t("登记收费", "Record a charge")) }
                form method="post" action={ "/villages/" (ledger.village.code) "/ledger/resources/" (r.id) "/charges" } { (csrf(ctx))
                    @let form = format!("resource{}", r.id);
                    div class="row" {
                        (field_in(&form, l.t("占用人", "Occupant"), "debtor", &v("debtor"), &errs, true))
                        (field_in(&form, l.t("金额（元）", "Amount (yuan)"), "amount_yuan", &v("amount_yuan"), &errs, true))
                        (date_field_in(&form, l.t("日期", "Date"), "arose_on", &v("arose_on"), &errs, false))
                        (field_in(&form, l.t("备注", "Note"), "note", &v("note"), &errs, false))
                    }
                    @for e in errs.iter().filter(|e| !["debtor", "amount_yuan", "arose_on", "note"].contains(&e.field)) { p class="field-error" { (e.message) } }
                    p { button type="submit" { (l.t("登记", "Record")) } }
                }
            }
        }
    }
}

pub async fn charge(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((code, id)): PagePath<(String, i64)>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let d = ChargeDraft {
        debtor: f.get("debtor"),
        amount_yuan: f.get("amount_yuan"),
        arose_on: f.get("arose_on"),
        note: f.get("note"),
    };
    let charged = charge_resource(&st.app, &ctx.actor, &code, id, &d).await;
    let on = (Kind::Resources, Some(id));
    answer(&st, &ctx, &code, on, &f, (charged, Flash::Saved)).await
}
