use super::passwords::{dummy_hash, verify_password};
use super::throttle;
use crate::{audit, Actor, App, AppError, Result};
use domain::access::{Role, Scope};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use store::accounts::{sessions, tokens, users};
use store::AnyConnection;

/// A logged-in session: the cookie value (given to the browser once, stored only hashed) and
/// the CSRF token its forms must echo.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub csrf_token: String,
    pub actor: Actor,
}

pub(crate) fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub(crate) fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn actor_from(u: &users::UserRow, ip: &str) -> Result<Actor> {
    let role = Role::parse(&u.role)
        .ok_or_else(|| AppError::Internal(format!("unknown role {}", u.role)))?;
    Ok(Actor {
        user_id: Some(u.id),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role,
        scope: Scope::new(u.unit_code.clone().unwrap_or_default()),
        ip: ip.to_string(),
    })
}

fn ago(d: chrono::Duration) -> String {
    (chrono::Utc::now() - d).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Checks the password; after repeated failures of this username from this address, refuses
/// without checking until the pair's delay has passed (other addresses are not slowed). Audits
/// success, failure and refusal alike.
pub async fn login(app: &App, username: &str, password: &str, ip: &str) -> Result<Session> {
    let username = username.trim();
    let mut conn = app.db.begin().await?;
    let anonymous = |name: &str| Actor {
        user_id: None,
        username: name.to_string(),
        display_name: name.to_string(),
        role: Role::BankOfficer,
        scope: Scope::new(""),
        ip: ip.to_string(),
    };
    if let Some(wait) = throttle::wait_for(&mut conn, &app.config, username, ip).await? {
        let unit = users::by_username(&mut conn, username)
            .await?
            .and_then(|u| u.unit_code)
            .unwrap_or_default();
        audit::record(
            &mut conn,
            &anonymous(username),
            "login.throttled",
            "user",
            username,
            &unit,
            json!({"retry_after_seconds": wait}),
        )
        .await?;
        conn.commit().await?;
        return Err(AppError::Throttled(wait));
    }
    let user = users::by_username(&mut conn, username).await?;
    let ok = match &user {
        Some(u) => u.active && verify_password(password, &u.password_hash),
        None => {
            verify_password(password, dummy_hash());
            false
        }
    };
    let Some(user) = user.clone().filter(|_| ok) else {
        users::record_failure(&mut conn, username, ip).await?;
        // Filed under the account's unit (when it exists) so its officers see the attempts.
        let unit = user.and_then(|u| u.unit_code).unwrap_or_default();
        audit::record(
            &mut conn,
            &anonymous(username),
            "login.failed",
            "user",
            username,
            &unit,
            json!({}),
        )
        .await?;
        conn.commit().await?;
        return Err(AppError::Unauthenticated);
    };
    let actor = actor_from(&user, ip)?;
    users::clear_failures(&mut conn, username, ip).await?;
    let token = random_token();
    let csrf_token = random_token();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(app.config.session_hours))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sessions::insert(
        &mut conn,
        &sessions::SessionRow {
            token_hash: hash_token(&token),
            user_id: user.id,
            csrf_token: csrf_token.clone(),
            expires_at: expires,
            created_at: String::new(),
            last_seen_at: String::new(),
        },
        ip,
    )
    .await?;
    sessions::delete_expired(&mut conn, &ago(idle(app))).await?;
    audit::record(
        &mut conn,
        &actor,
        "login",
        "user",
        user.id,
        user.unit_code.as_deref().unwrap_or(""),
        json!({}),
    )
    .await?;
    conn.commit().await?;
    Ok(Session {
        token,
        csrf_token,
        actor,
    })
}

async fn live_user(conn: &mut AnyConnection, user_id: i64, ip: &str) -> Result<Option<Actor>> {
    match users::by_id(conn, user_id).await? {
        Some(u) if u.active => Ok(Some(actor_from(&u, ip)?)),
        _ => Ok(None),
    }
}

fn idle(app: &App) -> chrono::Duration {
    chrono::Duration::minutes(app.config.session_idle_minutes)
}

/// The account behind a session cookie, with the session's CSRF token. A session ends after
/// its absolute lifetime or when idle too long; its last use is written at most once a minute,
/// outside any transaction, and a failed write does not fail the request.
pub async fn actor_for_session(
    app: &App,
    token: &str,
    ip: &str,
) -> Result<Option<(Actor, String)>> {
    let mut conn = app
        .db
        .pool
        .acquire()
        .await
        .map_err(store::StoreError::from)?;
    let hash = hash_token(token);
    let live = sessions::Liveness {
        now: ago(chrono::Duration::zero()),
        created_after: ago(chrono::Duration::hours(app.config.session_hours)),
        seen_after: ago(idle(app)),
    };
    let Some(s) = sessions::get_live(&mut conn, &hash, &live).await? else {
        return Ok(None);
    };
    let a_minute_ago = ago(chrono::Duration::minutes(1));
    if s.last_seen_at < a_minute_ago {
        if let Err(e) = sessions::touch(&mut conn, &hash, &a_minute_ago).await {
            tracing::warn!(error = %e, "could not record a session's last use");
        }
    }
    Ok(live_user(&mut conn, s.user_id, ip)
        .await?
        .map(|a| (a, s.csrf_token)))
}

/// The account behind an API bearer token that has not expired.
pub async fn actor_for_token(app: &App, token: &str, ip: &str) -> Result<Option<Actor>> {
    let mut conn = app
        .db
        .pool
        .acquire()
        .await
        .map_err(store::StoreError::from)?;
    let hash = hash_token(token);
    let legacy = ago(chrono::Duration::days(app.config.token_days));
    let Some(live) = tokens::user_of(&mut conn, &hash, &legacy).await? else {
        return Ok(None);
    };
    let stale_before = ago(chrono::Duration::minutes(TOKEN_TOUCH_MINUTES));
    if live
        .last_used_at
        .as_deref()
        .is_none_or(|t| t < stale_before.as_str())
    {
        touch_token(app, hash, stale_before);
    }
    live_user(&mut conn, live.user_id, ip).await
}

/// `api_tokens.last_used_at` is kept to this precision, so polling clients do not write.
const TOKEN_TOUCH_MINUTES: i64 = 1;

/// Marks a token used on its own task, after and apart from the request: the request neither
/// waits for the write lock nor fails when the database is busy (the mark is then skipped).
fn touch_token(app: &App, hash: String, stale_before: String) {
    let db = app.db.clone();
    tokio::spawn(async move {
        let res = async {
            let mut conn = db.pool.acquire().await.map_err(store::StoreError::from)?;
            tokens::touch(&mut conn, &hash, &stale_before).await
        };
        if let Err(e) = res.await {
            tracing::debug!(error = %e, "api token last_used_at not updated");
        }
    });
}

pub async fn logout(app: &App, actor: &Actor, token: &str) -> Result<()> {
    let mut conn = app.db.begin().await?;
    sessions::delete(&mut conn, &hash_token(token)).await?;
    audit::record(
        &mut conn,
        actor,
        "logout",
        "user",
        actor.user_id.unwrap_or(0),
        &actor.scope.root,
        json!({}),
    )
    .await?;
    conn.commit().await?;
    Ok(())
}
