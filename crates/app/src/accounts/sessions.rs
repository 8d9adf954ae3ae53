use super::passwords::{dummy_hash, verify_off_thread};
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
        scope: if role == Role::Villager {
            Scope::nothing(u.id)
        } else {
            Scope::new(u.unit_code.clone().unwrap_or_default())
        },
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
    let anonymous = Actor {
        user_id: None,
        username: username.to_string(),
        display_name: username.to_string(),
        role: Role::BankOfficer,
        scope: Scope::new(""),
        ip: ip.to_string(),
    };
    // Reads and the password check come first, without the write turn: argon2 is slow on
    // purpose, and holding the turn through it would stall every other write (on SQLite).
    let (wait, user) = {
        let mut conn = app.db.read().await?;
        let wait = throttle::wait_for(&mut conn, &app.config, username, ip).await?;
        (wait, users::by_username(&mut conn, username).await?)
    };
    if let Some(wait) = wait {
        let tx = app.db.begin().await?;
        return throttled(tx, &anonymous, user.and_then(|u| u.unit_code), wait).await;
    }
    let checked = match &user {
        Some(u) => u.active && verify_off_thread(password, &u.password_hash).await?,
        None => {
            verify_off_thread(password, dummy_hash()).await?;
            false
        }
    };
    let mut conn = app.db.begin().await?;
    let current = users::by_username(&mut conn, username).await?;
    // Again inside the transaction: parallel guesses all read the throttle before any of them
    // recorded its failure (a correct one among them gets no session), and the account may
    // have changed during the check.
    if let Some(wait) = throttle::wait_for(&mut conn, &app.config, username, ip).await? {
        return throttled(conn, &anonymous, current.and_then(|u| u.unit_code), wait).await;
    }
    let unchanged = |u: &users::UserRow| {
        user.as_ref()
            .is_some_and(|c| c.id == u.id && c.password_hash == u.password_hash)
    };
    let Some(user) = current
        .clone()
        .filter(|u| checked && u.active && unchanged(u))
    else {
        users::record_failure(&mut conn, username, ip).await?;
        // Filed under the account's unit (when it exists) so its officers see the attempts.
        let unit = current.and_then(|u| u.unit_code).unwrap_or_default();
        audit::record(
            &mut conn,
            &anonymous,
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
    audit::record_user(&mut conn, &actor, "login", &user, json!({})).await?;
    conn.commit().await?;
    Ok(Session {
        token,
        csrf_token,
        actor,
    })
}

/// Audits a login refused by the throttle and answers with the wait.
async fn throttled(
    mut tx: store::WriteTx,
    who: &Actor,
    unit: Option<String>,
    wait: i64,
) -> Result<Session> {
    audit::record(
        &mut tx,
        who,
        "login.throttled",
        "user",
        &who.username,
        &unit.unwrap_or_default(),
        json!({"retry_after_seconds": wait}),
    )
    .await?;
    tx.commit().await?;
    Err(AppError::Throttled(wait))
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
/// apart from the request (see [`touch_session`]).
pub async fn actor_for_session(
    app: &App,
    token: &str,
    ip: &str,
) -> Result<Option<(Actor, String)>> {
    let mut conn = app.db.read().await?;
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
        touch_session(app, hash, a_minute_ago);
    }
    Ok(live_user(&mut conn, s.user_id, ip)
        .await?
        .map(|a| (a, s.csrf_token)))
}

/// The account behind an API bearer token that has not expired.
pub async fn actor_for_token(app: &App, token: &str, ip: &str) -> Result<Option<Actor>> {
    let mut conn = app.db.read().await?;
    let hash = hash_token(token);
    let legacy = ago(chrono::Duration::days(app.config.token_days));
    let Some((live, user)) = tokens::live_user_of(&mut conn, &hash, &legacy).await? else {
        return Ok(None);
    };
    drop(conn);
    token_used(app, hash, &live, &user, ip)
}

/// [`actor_for_token`] for a request carrying an `Idempotency-Key`, with the account's row for
/// that key looked up in the same query (one round trip; see
/// [`crate::idempotency::begin_looked_up`]).
pub async fn actor_and_key_for_token(
    app: &App,
    token: &str,
    ip: &str,
    (key, method, path): (&str, &str, &str),
) -> Result<Option<(Actor, crate::idempotency::Lookup)>> {
    let mut conn = app.db.read().await?;
    let hash = hash_token(token);
    let legacy = ago(chrono::Duration::days(app.config.token_days));
    let found = tokens::live_user_and_key(&mut conn, &hash, &legacy, (key, method, path)).await?;
    let Some((live, user, stored)) = found else {
        return Ok(None);
    };
    drop(conn);
    Ok(token_used(app, hash, &live, &user, ip)?
        .map(|actor| (actor, crate::idempotency::Lookup::new(stored))))
}

/// Marks a live token used (at most once a minute, apart from the request) and gives its
/// account if active.
fn token_used(
    app: &App,
    hash: String,
    live: &tokens::LiveToken,
    user: &users::UserRow,
    ip: &str,
) -> Result<Option<Actor>> {
    let stale_before = ago(chrono::Duration::minutes(TOKEN_TOUCH_MINUTES));
    if live
        .last_used_at
        .as_deref()
        .is_none_or(|t| t < stale_before.as_str())
    {
        touch_token(app, hash, stale_before);
    }
    if !user.active {
        return Ok(None);
    }
    Ok(Some(actor_from(user, ip)?))
}

/// `api_tokens.last_used_at` is kept to this precision, so polling clients do not write.
const TOKEN_TOUCH_MINUTES: i64 = 1;

/// Marks a token used on its own task, after and apart from the request, and only when a write
/// turn is free: the request neither waits for the write lock nor fails when the database is
/// busy (the mark is then skipped, and made by a later request).
fn touch_token(app: &App, hash: String, stale_before: String) {
    touch_apart(app, "api token last_used_at", move |db| async move {
        let mut conn = db.read().await?;
        tokens::touch(&mut conn, &hash, &stale_before).await
    });
}

/// Records a session's last use the same way as [`touch_token`]: a session idle for half an
/// hour ends, so a skipped mark is only a little less precise, never a lost session (it is
/// tried again on the next request).
fn touch_session(app: &App, hash: String, unless_after: String) {
    touch_apart(app, "session last_seen_at", move |db| async move {
        let mut conn = db.read().await?;
        sessions::touch(&mut conn, &hash, &unless_after).await
    });
}

/// Runs a one-statement write on its own task while holding a write turn taken without
/// waiting; skipped when every turn is taken (so a burst of requests makes at most as many
/// of these writes at once as there are turns).
fn touch_apart<F, Fut>(app: &App, what: &'static str, write: F)
where
    F: FnOnce(store::Db) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = store::Result<u64>> + Send + 'static,
{
    let Some(turn) = app.db.try_write_turn() else {
        tracing::debug!("{what} not updated: the database is busy writing");
        return;
    };
    let db = app.db.clone();
    tokio::spawn(async move {
        let _turn = turn;
        if let Err(e) = write(db).await {
            tracing::debug!(error = %e, "{what} not updated");
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
