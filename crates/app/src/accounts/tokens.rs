//! API tokens: created with an expiry (default 90 days), listed and revoked by their owner or
//! an administrator over the owner's unit; all of a user's tokens end on a password change.

use super::sessions::{hash_token, random_token};
use crate::{audit, Actor, App, AppError, Result};
use domain::access::Permission;
use serde_json::json;
use store::accounts::tokens::{self, TokenRow};
use store::accounts::users::{self, UserRow};
use store::AnyConnection;

/// The longest lifetime a token may be given.
pub const MAX_TOKEN_DAYS: i64 = 366;

/// The actor may manage this user's tokens: their own, or as an administrator over the unit.
fn may_manage(actor: &Actor, user: &UserRow) -> Result<()> {
    if actor.user_id != Some(user.id) {
        actor.require(Permission::Administer)?;
        actor.require_unit(user.unit_code.as_deref().unwrap_or(""))?;
    }
    Ok(())
}

async fn user_named(conn: &mut AnyConnection, username: &str) -> Result<UserRow> {
    users::by_username(conn, username)
        .await?
        .ok_or_else(|| AppError::not_found(domain::message::catalogue::USER, username))
}

/// Creates an API token for a user; the token is shown once and stored only hashed.
pub async fn create_token(
    app: &App,
    actor: &Actor,
    username: &str,
    name: &str,
    days: Option<i64>,
) -> Result<String> {
    let days = days.unwrap_or(app.config.token_days);
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return Err(AppError::field(
            "days",
            domain::message::catalogue::TOKEN_DAYS.with(&[("max", &MAX_TOKEN_DAYS)]),
        ));
    }
    let mut conn = app.db.begin().await?;
    let user = user_named(&mut conn, username).await?;
    may_manage(actor, &user)?;
    let token = format!("grt_{}", random_token());
    let expires = (chrono::Utc::now() + chrono::Duration::days(days))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let id = tokens::insert(
        &mut conn,
        user.id,
        name,
        &hash_token(&token),
        Some(&expires),
    )
    .await?;
    audit::record(
        &mut conn,
        actor,
        "token.create",
        "api_token",
        id,
        user.unit_code.as_deref().unwrap_or(""),
        json!({"user": username, "name": name, "expires_at": expires}),
    )
    .await?;
    conn.commit().await?;
    Ok(token)
}

/// A user's tokens (never their values).
pub async fn list_tokens(app: &App, actor: &Actor, username: &str) -> Result<Vec<TokenRow>> {
    let mut conn = app.db.read().await?;
    let user = user_named(&mut conn, username).await?;
    may_manage(actor, &user)?;
    let mut list = tokens::list_for_user(&mut conn, user.id).await?;
    // Tokens from before expiry was required show the expiry they are held to.
    for t in &mut list {
        if t.expires_at.is_none() {
            t.expires_at = chrono::DateTime::parse_from_rfc3339(&t.created_at)
                .ok()
                .map(|c| {
                    (c + chrono::Duration::days(app.config.token_days))
                        .to_utc()
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                });
        }
    }
    Ok(list)
}

/// Revokes one token. A token of an account outside the actor's reach is "not found".
pub async fn revoke_token(app: &App, actor: &Actor, id: i64) -> Result<()> {
    let mut conn = app.db.begin().await?;
    let not_found = || AppError::not_found(domain::message::catalogue::API_TOKEN, id);
    let token = tokens::get(&mut conn, id).await?.ok_or_else(not_found)?;
    let user = users::by_id(&mut conn, token.user_id)
        .await?
        .ok_or_else(not_found)?;
    may_manage(actor, &user).map_err(|_| not_found())?;
    tokens::delete(&mut conn, id).await?;
    audit::record(
        &mut conn,
        actor,
        "token.revoke",
        "api_token",
        id,
        user.unit_code.as_deref().unwrap_or(""),
        json!({"user": user.username, "name": token.name}),
    )
    .await?;
    conn.commit().await?;
    Ok(())
}
