use crate::{AppError, Result};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// Refuses a password that breaks the rules of [`domain::password`] (length, common list,
/// username), naming the `password` field.
pub fn check_new_password(password: &str, username: &str) -> Result<()> {
    domain::password::check_new_password(password, username)
        .map_err(|p| AppError::field("password", p.text()))
}

/// argon2id with the crate's default (OWASP-recommended) parameters. Callers check the
/// password first ([`check_new_password`]).
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the username does not exist, so both paths cost the same.
pub(crate) fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$HqpHfrGDUVPHGIOsY3QrYBJ2cWNnUgN7XE3+SZH5Ssk"
}

/// [`verify_password`] on a blocking thread: argon2 is slow on purpose, and must hold neither
/// an async worker nor (callers see to it) the database's write turn.
pub(crate) async fn verify_off_thread(password: &str, stored: &str) -> Result<bool> {
    let (password, stored) = (password.to_string(), stored.to_string());
    tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .map_err(|e| AppError::Internal(format!("password check failed: {e}")))
}

/// [`hash_password`] on a blocking thread (see [`verify_off_thread`]).
pub(crate) async fn hash_off_thread(password: &str) -> Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))?
}
