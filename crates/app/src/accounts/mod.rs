//! Accounts: passwords (argon2id), server-side sessions, API tokens, login throttling.

mod passwords;
mod sessions;
mod throttle;
mod tokens;
mod users;

pub use passwords::{check_new_password, hash_password, verify_password};
pub use sessions::{
    actor_and_key_for_token, actor_for_session, actor_for_token, login, logout, Session,
};
pub use store::accounts::tokens::TokenRow;
pub use throttle::delay_after;
pub use tokens::{create_token, list_tokens, revoke_token, MAX_TOKEN_DAYS};
pub use users::{add_user, change_own_password, list_users, set_password, NewUser};
