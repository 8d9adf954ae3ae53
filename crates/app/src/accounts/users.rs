use super::passwords::{check_new_password, hash_password};
use crate::{audit, Actor, App, AppError, Result};
use domain::access::{Permission, Role};
use domain::message::catalogue as msg;
use domain::registry::UnitCode;
use serde_json::json;
use store::accounts::users::{self, UserRow};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    /// None: the whole country (administrators only).
    pub unit_code: Option<String>,
}

fn valid_username(u: &str) -> bool {
    (3..=32).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

pub async fn add_user(app: &App, actor: &Actor, u: NewUser) -> Result<i64> {
    actor.require(Permission::Administer)?;
    if !valid_username(&u.username) {
        return Err(AppError::field("username", msg::USERNAME_FORMAT));
    }
    check_new_password(&u.password, &u.username)?;
    let mut conn = app.db.begin().await?;
    match &u.unit_code {
        None if u.role != Role::Admin => {
            return Err(AppError::field("unit", msg::UNIT_REQUIRED_FOR_ROLE))
        }
        // Only a national administrator may create another national account.
        None if !actor.scope.root.is_empty() => {
            return Err(AppError::Forbidden(msg::NATIONAL_ACCOUNT_ONLY.text()))
        }
        None => {}
        Some(code) => {
            let parsed = UnitCode::parse(code).map_err(|e| AppError::field("unit", e.text()))?;
            actor.require_unit(parsed.as_str())?;
            if store::registry::units::get(&mut conn, parsed.as_str())
                .await?
                .is_none()
            {
                return Err(AppError::field(
                    "unit",
                    msg::UNIT_NOT_IMPORTED.with(&[("code", code)]),
                ));
            }
        }
    }
    let hash = hash_password(&u.password)?;
    let id = users::insert(
        &mut conn,
        &UserRow {
            id: 0,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            password_hash: hash,
            role: u.role.as_str().into(),
            unit_code: u.unit_code.clone(),
            active: true,
        },
    )
    .await?;
    audit::record(
        &mut conn,
        actor,
        "user.create",
        "user",
        id,
        u.unit_code.as_deref().unwrap_or(""),
        json!({"after": {"username": u.username, "role": u.role.as_str(), "unit": u.unit_code}}),
    )
    .await?;
    conn.commit().await?;
    Ok(id)
}

/// Sets an account's password (administrators, or the CLI). Every session and API token of
/// that account ends.
pub async fn set_password(app: &App, actor: &Actor, username: &str, password: &str) -> Result<()> {
    let mut conn = app.db.begin().await?;
    let user = users::by_username(&mut conn, username)
        .await?
        .ok_or_else(|| AppError::not_found(msg::USER, username))?;
    if actor.user_id != Some(user.id) {
        actor.require(Permission::Administer)?;
        actor.require_unit(user.unit_code.as_deref().unwrap_or(""))?;
    }
    check_new_password(password, &user.username)?;
    let hash = hash_password(password)?;
    password_set(conn, actor, &user, &hash, None).await
}

/// Changes the caller's own password after checking the current one (no new session, no
/// login entry); the caller's other sessions and all API tokens end, the current session
/// (`keep_token`) stays. Wrong current passwords count as failed logins of this address.
pub async fn change_own_password(
    app: &App,
    actor: &Actor,
    current: &str,
    new_password: &str,
    keep_token: &str,
) -> Result<()> {
    let user_id = actor.user_id.ok_or(AppError::Unauthenticated)?;
    // Reads, the check and the new hash first, without the write turn (argon2 is slow on
    // purpose; see `login`).
    let user = {
        let mut conn = app.db.read().await?;
        let user = users::by_id(&mut conn, user_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if let Some(wait) =
            super::throttle::wait_for(&mut conn, &app.config, &user.username, &actor.ip).await?
        {
            return Err(AppError::Throttled(wait));
        }
        user
    };
    let right = super::passwords::verify_off_thread(current, &user.password_hash).await?;
    let new_hash = if right {
        check_new_password(new_password, &user.username)?;
        Some(super::passwords::hash_off_thread(new_password).await?)
    } else {
        None
    };
    let mut conn = app.db.begin().await?;
    let Some(new_hash) = new_hash else {
        users::record_failure(&mut conn, &user.username, &actor.ip).await?;
        audit::record_user(&mut conn, actor, "user.password_failed", &user, json!({})).await?;
        conn.commit().await?;
        return Err(AppError::field("current", msg::PASSWORD_WRONG));
    };
    // The password checked must still be the account's (not changed meanwhile elsewhere).
    let still = users::by_id(&mut conn, user_id).await?;
    if still.is_none_or(|u| u.password_hash != user.password_hash) {
        return Err(AppError::Conflict(msg::PASSWORD_CHANGED_MEANWHILE.text()));
    }
    let keep = super::sessions::hash_token(keep_token);
    password_set(conn, actor, &user, &new_hash, Some(&keep)).await
}

pub async fn list_users(app: &App, actor: &Actor) -> Result<Vec<UserRow>> {
    actor.require(Permission::ViewAudit)?;
    let mut conn = app.db.read().await?;
    Ok(users::list_in(&mut conn, &actor.scope.root).await?)
}

/// Stores a user's new password hash; their sessions end (but `keep`, the session that changed
/// it) and all their API tokens are revoked; audited with how many; committed.
async fn password_set(
    mut conn: store::WriteTx,
    actor: &Actor,
    user: &UserRow,
    hash: &str,
    keep: Option<&str>,
) -> Result<()> {
    users::set_password(&mut conn, user.id, hash).await?;
    let ended = store::accounts::sessions::delete_for_user(&mut conn, user.id, keep).await?;
    let revoked = store::accounts::tokens::delete_for_user(&mut conn, user.id).await?;
    // The same entry as ever: an administrator's change counts every session ended, one's
    // own the others.
    let ended_key = if keep.is_some() {
        "other_sessions_ended"
    } else {
        "sessions_ended"
    };
    let mut summary = json!({"username": user.username, "tokens_revoked": revoked});
    summary[ended_key] = json!(ended);
    audit::record_user(&mut conn, actor, "user.password", user, summary).await?;
    conn.commit().await?;
    Ok(())
}
