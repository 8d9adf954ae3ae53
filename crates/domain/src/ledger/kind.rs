//! The ledger registers and files, one [`Kind`] for the command line, the application and the
//! web (import/export kinds, page books, API paths).

use serde::{Deserialize, Serialize};

/// The five kinds of ledger files: four numbered registers and the debts' resolution actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Contracts,
    Debts,
    DebtActions,
    Claims,
    Resources,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Contracts,
        Kind::Debts,
        Kind::DebtActions,
        Kind::Claims,
        Kind::Resources,
    ];

    /// The code in file names, URLs and `--kind` (`debt-actions`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Contracts => "contracts",
            Kind::Debts => "debts",
            Kind::DebtActions => "debt-actions",
            Kind::Claims => "claims",
            Kind::Resources => "resources",
        }
    }

    /// Accepts the code, with `_` for `-` and surrounding spaces.
    pub fn from_code(s: &str) -> Option<Kind> {
        let t = s.trim().replace('_', "-");
        Kind::ALL.into_iter().find(|k| k.as_str() == t)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Contracts => "合同",
            Kind::Debts => "债务",
            Kind::DebtActions => "债务化解",
            Kind::Claims => "债权",
            Kind::Resources => "资源",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Kind::Contracts => "Contracts",
            Kind::Debts => "Debts",
            Kind::DebtActions => "Debt resolutions",
            Kind::Claims => "Claims",
            Kind::Resources => "Resources",
        }
    }

    /// The record's name in audit actions and entities (`ledger.debt.update`, entity `debt`).
    pub fn entity(self) -> &'static str {
        match self {
            Kind::Contracts => "contract",
            Kind::Debts | Kind::DebtActions => "debt",
            Kind::Claims => "claim",
            Kind::Resources => "resource",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_accept_underscores() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.as_str()), Some(k));
        }
        assert_eq!(Kind::from_code(" debt_actions "), Some(Kind::DebtActions));
        assert_eq!(Kind::from_code("合同"), None);
        assert_eq!(Kind::from_code("debt"), None);
        assert_eq!(Kind::DebtActions.entity(), "debt");
    }
}
