use crate::{AppError, Result};
use domain::access::{Permission, Role, Scope};
use domain::message::catalogue as msg;

/// Who is acting: an account with a role, bound to a unit subtree, from an address.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub ip: String,
}

impl Actor {
    /// The command line, acting with national administrator rights (whoever runs the binary
    /// already holds the database).
    pub fn cli() -> Actor {
        let who = std::env::var("USER").unwrap_or_else(|_| "operator".into());
        Actor {
            user_id: None,
            username: format!("cli:{who}"),
            display_name: format!("cli:{who}"),
            role: Role::Admin,
            scope: Scope::new(""),
            ip: "local".into(),
        }
    }

    pub fn require(&self, p: Permission) -> Result<()> {
        if self.role.can(p) {
            Ok(())
        } else {
            let (zh, en) = (self.role.label_zh(), self.role.label_en());
            Err(AppError::Forbidden(
                msg::ROLE_MAY_NOT.with(&[("role_zh", &zh), ("role_en", &en)]),
            ))
        }
    }

    /// Refuses units outside the account's subtree. Callers answer "not found" for reads so
    /// that the existence of other villages' records is not disclosed.
    pub fn require_unit(&self, unit_code: &str) -> Result<()> {
        if self.scope.covers(unit_code) {
            Ok(())
        } else {
            Err(AppError::Forbidden(msg::OUTSIDE_AREA.text()))
        }
    }

    pub fn can_see(&self, unit_code: &str) -> bool {
        self.scope.covers(unit_code)
    }
}
