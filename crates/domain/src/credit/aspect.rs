//! The eight aspects a household is assessed on (八个方面).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The eight aspects a household is assessed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    SupportVillageWork,
    PublicWelfare,
    CustomsCivility,
    LawAbiding,
    FamilyVirtue,
    Environment,
    HonestyRepayment,
    IndustryDiligence,
}

impl Aspect {
    pub const ALL: [Aspect; 8] = [
        Aspect::SupportVillageWork,
        Aspect::PublicWelfare,
        Aspect::CustomsCivility,
        Aspect::LawAbiding,
        Aspect::FamilyVirtue,
        Aspect::Environment,
        Aspect::HonestyRepayment,
        Aspect::IndustryDiligence,
    ];

    /// The code used in rule files and storage, e.g. `support_village_work`.
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::SupportVillageWork => "support_village_work",
            Aspect::PublicWelfare => "public_welfare",
            Aspect::CustomsCivility => "customs_civility",
            Aspect::LawAbiding => "law_abiding",
            Aspect::FamilyVirtue => "family_virtue",
            Aspect::Environment => "environment",
            Aspect::HonestyRepayment => "honesty_repayment",
            Aspect::IndustryDiligence => "industry_diligence",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Aspect::SupportVillageWork => "支持村务",
            Aspect::PublicWelfare => "热心公益",
            Aspect::CustomsCivility => "移风易俗",
            Aspect::LawAbiding => "遵纪守法",
            Aspect::FamilyVirtue => "家庭美德",
            Aspect::Environment => "环境卫生",
            Aspect::HonestyRepayment => "诚信守约",
            Aspect::IndustryDiligence => "勤劳致富",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Aspect::SupportVillageWork => "Supporting village work",
            Aspect::PublicWelfare => "Public welfare",
            Aspect::CustomsCivility => "Civil customs",
            Aspect::LawAbiding => "Abiding by the law",
            Aspect::FamilyVirtue => "Family virtue",
            Aspect::Environment => "Environment and hygiene",
            Aspect::HonestyRepayment => "Honesty and repayment",
            Aspect::IndustryDiligence => "Diligence and enterprise",
        }
    }

    /// Accepts the code or the Chinese label (`移风易俗` and `乡风文明` both mean customs).
    pub fn parse(s: &str) -> Option<Aspect> {
        let t = s.trim();
        if t == "乡风文明" {
            return Some(Aspect::CustomsCivility);
        }
        Aspect::ALL
            .into_iter()
            .find(|a| a.as_str() == t || a.label_zh() == t)
    }
}

impl fmt::Display for Aspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aspects_round_trip() {
        for a in Aspect::ALL {
            assert_eq!(Aspect::parse(a.as_str()), Some(a));
            assert_eq!(Aspect::parse(a.label_zh()), Some(a));
        }
        assert_eq!(Aspect::parse("乡风文明"), Some(Aspect::CustomsCivility));
        assert_eq!(Aspect::parse("farming"), None);
    }
}
