//! The coded vocabularies of the ledgers. Codes (`as_str`) are stored and exchanged; labels are
//! shown. [`parse`](ContractKind::parse) accepts the code (any case, `-` or space for `_`), the
//! Chinese label, the English label (any case) and a few listed aliases.

/// Defines a `Copy` enum whose variants carry a stable code, a Chinese and an English label and
/// optional extra spellings accepted by `parse`. Serde uses the code. `Ord` follows declaration
/// order.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = ($code:literal, $zh:literal, $en:literal $(, $alias:literal)* $(,)?)
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration (= sort) order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and written by exports.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// Extra spellings `parse` accepts besides the code and the two labels.
            pub fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($alias),*]),+ }
            }

            /// Accepts the code, the Chinese label, the English label or an alias.
            pub fn parse(text: &str) -> Option<$name> {
                let t = text.trim();
                let code: String = t
                    .chars()
                    .map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() })
                    .collect();
                $name::ALL.iter().copied().find(|v| {
                    v.as_str() == code
                        || v.label_zh() == t
                        || v.label_en().eq_ignore_ascii_case(t)
                        || v.aliases().contains(&t)
                })
            }

            /// `商铺租赁、土地租赁…` — for "unknown value" messages.
            pub fn known_labels() -> String {
                $name::ALL
                    .iter()
                    .map(|v| format!("{} ({})", v.label_zh(), v.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

coded_enum! {
    /// What a collective contract is about.
    pub enum ContractKind {
        ShopLease = ("shop_lease", "商铺租赁", "Shop lease"),
        LandLease = ("land_lease", "土地租赁", "Land lease"),
        Pond = ("pond", "坑塘", "Pond"),
        Forest = ("forest", "林地", "Forest land"),
        Building = ("building", "房屋", "Building"),
        Construction = ("construction", "工程", "Construction"),
        Procurement = ("procurement", "采购", "Procurement"),
        Other = ("other", "其他", "Other"),
    }
}

/// The unit a rent reference price is quoted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RentUnit {
    /// fen per mu per year (land, ponds, forest, other)
    PerMu,
    /// fen per square metre per year (shops, buildings)
    PerM2,
}

impl ContractKind {
    /// Leases: the counterparty pays the village rent. Construction and procurement contracts are
    /// the other way round (the village pays a price), so the rent rules (term limit, reference
    /// rent, prepayment, arrears) do not apply to them and their `annual_rent` column holds the
    /// contract price.
    pub fn is_lease(self) -> bool {
        !matches!(self, ContractKind::Construction | ContractKind::Procurement)
    }

    pub fn rent_unit(self) -> RentUnit {
        match self {
            ContractKind::ShopLease | ContractKind::Building => RentUnit::PerM2,
            _ => RentUnit::PerMu,
        }
    }
}

coded_enum! {
    /// How (part of) a village debt was resolved (化解方式).
    pub enum DebtMethod {
        WriteOff = ("write_off", "核销", "Write-off"),
        Adjustment = ("adjustment", "账务调整", "Accounting adjustment"),
        Offset = ("offset", "抵销", "Offset", "以债抵债", "债权抵债务"),
        Repayment = ("repayment", "偿还", "Repayment", "还款"),
    }
}

coded_enum! {
    /// Kinds of collective resources (资源).
    pub enum ResourceKind {
        Arable = ("arable", "耕地", "Arable land"),
        ReserveLand = ("reserve_land", "机动地", "Reserve land"),
        Homestead = ("homestead", "宅基地", "Homestead"),
        Pond = ("pond", "坑塘", "Pond"),
        Forest = ("forest", "林地", "Forest land"),
        Building = ("building", "房屋", "Building"),
        Equipment = ("equipment", "设备", "Equipment"),
        Other = ("other", "其他", "Other"),
    }
}

coded_enum! {
    pub enum ResourceStatus {
        Contracted = ("contracted", "已发包", "Contracted"),
        Idle = ("idle", "闲置", "Idle"),
        OccupiedWithoutContract =
            ("occupied_without_contract", "无合同占用", "Occupied without contract"),
    }
}

coded_enum! {
    /// Problems found on a contract. Declaration order is the sort order: `related_cadre` first.
    pub enum FlagCode {
        RelatedCadre = ("related_cadre", "涉及村干部", "Cadre-related"),
        LeaseOver20Years = ("lease_over_20_years", "租期超20年", "Lease over 20 years"),
        RentBelowReference = ("rent_below_reference", "租金偏低", "Rent below reference"),
        PrepaidBeyondTerm = ("prepaid_beyond_term", "超期预收", "Prepaid too far ahead"),
        NoProcedure = ("no_procedure", "未经民主程序", "No democratic procedure"),
        Arrears = ("arrears", "欠缴租金", "Rent arrears"),
        ExpiredOpen = ("expired_open", "到期未结", "Expired but open"),
        Overlap = ("overlap", "合同重叠", "Overlapping contracts"),
        MissingPartyId = ("missing_party_id", "缺身份证号", "Missing party ID"),
    }
}

impl FlagCode {
    /// What the flag means, in plain words.
    pub fn explain_zh(self) -> &'static str {
        match self {
            FlagCode::RelatedCadre => "承包方为村干部本人或其近亲属，须回避并公开，优先核查",
            FlagCode::LeaseOver20Years => "租期超过20年（《民法典》第705条），超过部分无效",
            FlagCode::RentBelowReference => "租金明显低于当地参考价，可能造成集体资产流失",
            FlagCode::PrepaidBeyondTerm => "预收租金年限过长或超出本届村委会任期",
            FlagCode::NoProcedure => "大额合同未经“四议两公开”等民主决策程序",
            FlagCode::Arrears => "租金到期后逾期未缴",
            FlagCode::ExpiredOpen => "合同已到期，仍未办结",
            FlagCode::Overlap => "同一资源上有期限重叠的另一份有效合同",
            FlagCode::MissingPartyId => "未登记承包方身份证号，无法核实身份",
        }
    }

    pub fn explain_en(self) -> &'static str {
        match self {
            FlagCode::RelatedCadre => {
                "The counterparty is a village cadre or a close relative: recusal and public \
                 disclosure are required; checked first"
            }
            FlagCode::LeaseOver20Years => {
                "Lease longer than 20 years (Civil Code art. 705): the excess is void"
            }
            FlagCode::RentBelowReference => {
                "Rent far below the local reference price: collective assets may be lost"
            }
            FlagCode::PrepaidBeyondTerm => {
                "Rent collected too many years ahead, or beyond the current committee's term"
            }
            FlagCode::NoProcedure => {
                "Large contract without the democratic procedure (\"four deliberations, two \
                 disclosures\")"
            }
            FlagCode::Arrears => "Rent overdue and unpaid",
            FlagCode::ExpiredOpen => "The contract has expired but is still open",
            FlagCode::Overlap => "Another active contract on the same resource overlaps in time",
            FlagCode::MissingPartyId => "The counterparty's resident ID is not recorded",
        }
    }
}

coded_enum! {
    /// Where the follow-up of a flag stands. See [`super::rectification`].
    pub enum RectificationStatus {
        Open = ("open", "待整改", "Open"),
        Rectified = ("rectified", "已整改", "Rectified"),
        Waived = ("waived", "免于整改", "Waived"),
    }
}

coded_enum! {
    /// Collection state of a claim (债权). See [`super::claim`].
    pub enum ClaimStatus {
        Open = ("open", "待清收", "Open"),
        PartlyCollected = ("partly_collected", "部分收回", "Partly collected"),
        Collected = ("collected", "已收回", "Collected"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! round_trips {
        ($($t:ty),+) => {$(
            for v in <$t>::ALL.iter().copied() {
                assert_eq!(<$t>::parse(v.as_str()), Some(v), "{}", v.as_str());
                assert_eq!(<$t>::parse(v.label_zh()), Some(v), "{}", v.label_zh());
                assert_eq!(<$t>::parse(v.label_en()), Some(v), "{}", v.label_en());
                assert_eq!(<$t>::parse(&format!(" {} ", v.as_str().to_uppercase())), Some(v));
                for a in v.aliases() {
                    assert_eq!(<$t>::parse(a), Some(v), "{a}");
                }
                assert_eq!(v.to_string(), v.as_str());
            }
            assert_eq!(<$t>::parse("no such thing"), None);
            assert_eq!(<$t>::parse(""), None);
        )+};
    }

    #[test]
    fn every_enum_round_trips_through_code_and_labels() {
        round_trips!(
            ContractKind,
            DebtMethod,
            ResourceKind,
            ResourceStatus,
            FlagCode,
            RectificationStatus,
            ClaimStatus
        );
    }

    #[test]
    fn specific_spellings() {
        assert_eq!(DebtMethod::parse("以债抵债"), Some(DebtMethod::Offset));
        assert_eq!(DebtMethod::parse("write-off"), Some(DebtMethod::WriteOff));
        assert_eq!(
            ContractKind::parse("Shop Lease"),
            Some(ContractKind::ShopLease)
        );
        assert_eq!(
            ResourceKind::parse("机动地"),
            Some(ResourceKind::ReserveLand)
        );
        assert_eq!(
            ResourceStatus::parse("occupied without contract"),
            Some(ResourceStatus::OccupiedWithoutContract)
        );
        assert!(ContractKind::known_labels().contains("商铺租赁 (shop_lease)"));
    }

    #[test]
    fn related_cadre_sorts_first() {
        let mut codes = FlagCode::ALL.to_vec();
        codes.reverse();
        codes.sort();
        assert_eq!(codes.first(), Some(&FlagCode::RelatedCadre));
        assert!(FlagCode::ALL.iter().all(|c| FlagCode::RelatedCadre <= *c));
    }

    #[test]
    fn explanations_exist_and_cite_the_law() {
        assert_eq!(
            FlagCode::LeaseOver20Years.explain_zh(),
            "租期超过20年（《民法典》第705条），超过部分无效"
        );
        for c in FlagCode::ALL {
            assert!(!c.explain_zh().is_empty() && !c.explain_en().is_empty());
        }
    }

    #[test]
    fn lease_kinds_and_units() {
        assert!(ContractKind::Pond.is_lease());
        assert!(!ContractKind::Construction.is_lease());
        assert_eq!(ContractKind::ShopLease.rent_unit(), RentUnit::PerM2);
        assert_eq!(ContractKind::LandLease.rent_unit(), RentUnit::PerMu);
    }
}
