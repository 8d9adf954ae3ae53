//! What a new password must be (ASVS 2.1): at least 12 characters, at most 128, not one of the
//! shipped common passwords (compared case-insensitively), and not the username.

use std::collections::HashSet;
use std::sync::OnceLock;

pub const MIN_CHARS: usize = 12;
/// Long enough for passphrases; bounded so hashing cost stays bounded.
pub const MAX_CHARS: usize = 128;

/// data/common-passwords.txt, composed by scripts/common-passwords.py.
const COMMON: &str = include_str!("../../../data/common-passwords.txt");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("password must have at least {MIN_CHARS} characters / 密码至少 {MIN_CHARS} 位")]
    TooShort,
    #[error("password must have at most {MAX_CHARS} characters / 密码至多 {MAX_CHARS} 位")]
    TooLong,
    #[error("this password is too common; choose another / 该密码过于常见，请换一个")]
    Common,
    #[error("the password must not be the username / 密码不能与用户名相同")]
    SameAsUsername,
}

impl PasswordProblem {
    /// The refusal in both languages.
    pub fn text(&self) -> crate::message::Text {
        use crate::message::catalogue as msg;
        match self {
            PasswordProblem::TooShort => msg::PASSWORD_TOO_SHORT.with(&[("min", &MIN_CHARS)]),
            PasswordProblem::TooLong => msg::PASSWORD_TOO_LONG.with(&[("max", &MAX_CHARS)]),
            PasswordProblem::Common => msg::PASSWORD_COMMON.text(),
            PasswordProblem::SameAsUsername => msg::PASSWORD_IS_USERNAME.text(),
        }
    }
}

impl From<PasswordProblem> for crate::message::Text {
    fn from(p: PasswordProblem) -> Self {
        p.text()
    }
}

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Whether the password is on the shipped list (any letter case).
pub fn is_common(password: &str) -> bool {
    common().contains(password.to_lowercase().as_str())
}

/// Checks a password someone is about to set for `username`.
pub fn check_new_password(password: &str, username: &str) -> Result<(), PasswordProblem> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if n > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    if is_common(password) {
        return Err(PasswordProblem::Common);
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(PasswordProblem::SameAsUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_loaded_and_large() {
        assert!(common().len() > 3000, "{}", common().len());
        assert!(common().iter().all(|p| *p == p.to_lowercase()));
    }

    #[test]
    fn short_common_and_username_passwords_are_refused() {
        assert_eq!(
            check_new_password("short-pw", "x"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password("１２３４５６７８９０１", "x"),
            Err(PasswordProblem::TooShort)
        );
        for common in [
            "123456789012",
            "QwertyUiop123",
            "woaini5201314",
            "1qaz2wsx3edc",
            "PASSWORD2024",
            "iloveyou1314",
            "111111111111",
        ] {
            assert_eq!(
                check_new_password(common, "x"),
                Err(PasswordProblem::Common),
                "{common}"
            );
        }
        assert_eq!(
            check_new_password("Cadre-Account-7", "cadre-account-7"),
            Err(PasswordProblem::SameAsUsername)
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), "u"),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn ordinary_passphrases_pass() {
        for ok in [
            "test-password-1",
            "grassroots-demo",
            "柳树下的老井水很甜又很清凉",
            "correct horse battery",
        ] {
            assert_eq!(check_new_password(ok, "cadre_a"), Ok(()), "{ok}");
        }
    }
}
