//! Bank credit lines, supermarket goods, redemptions and the passbook.

use super::ApiResult;
use crate::api::ApiJson;
use crate::api::{ApiPath, ApiQuery};
use crate::ctx::ApiCtx;
use crate::AppState;
use app::credit::bank::{self, LineInput};
use app::credit::points::{self, Passbook, Redeemed};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub async fn bank_households(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiQuery(q): ApiQuery<super::UnitQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let rows = bank::consenting(
        &st.app,
        &c.actor,
        q.unit.as_deref().unwrap_or(""),
        q.grade.as_deref(),
    )
    .await?;
    Ok(Json(rows.into_iter().map(|r| json!({"household_id": r.household_id, "village_code": r.village_code,
        "household_no": r.household_no, "head_name": r.head_name, "round": r.round_id, "score": r.score,
        "grade": r.grade, "industry": r.industry, "income_band": r.income_band})).collect()))
}

pub async fn grant(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiJson(b): ApiJson<LineInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = bank::grant(&st.app, &c.actor, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"credit_line": id}))))
}

pub async fn list_goods(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiQuery(q): ApiQuery<super::UnitQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let rows = points::goods(&st.app, &c.actor, q.unit.as_deref().unwrap_or("")).await?;
    Ok(Json(
        rows.into_iter()
            .map(|g| {
                json!({"id": g.id, "village_code": g.village_code, "name": g.name,
        "price_points": g.price_points, "stock": g.stock})
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct GoodsBody {
    village_code: String,
    name: String,
    price_points: i64,
    stock: i64,
}

pub async fn add_goods(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiJson(b): ApiJson<GoodsBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = points::add_goods(
        &st.app,
        &c.actor,
        &b.village_code,
        &b.name,
        b.price_points,
        b.stock,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"goods": id}))))
}

#[derive(Deserialize)]
pub struct RedeemBody {
    household_id: i64,
    goods_id: i64,
    qty: i64,
}

pub async fn redeem(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiJson(b): ApiJson<RedeemBody>,
) -> ApiResult<(StatusCode, Json<Redeemed>)> {
    Ok((
        StatusCode::CREATED,
        Json(points::redeem(&st.app, &c.actor, b.household_id, b.goods_id, b.qty).await?),
    ))
}

pub async fn passbook(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Passbook>> {
    Ok(Json(points::passbook(&st.app, &c.actor, id).await?))
}
