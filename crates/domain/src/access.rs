//! Roles and what each may do. Where a role may act is decided separately, by the unit subtree
//! its account is bound to (see [`Scope`]).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    CountyOfficer,
    TownshipOfficer,
    VillageCadre,
    VillageAccountant,
    GridMember,
    BankOfficer,
    /// A member of the village affairs supervision committee (村务监督委员会): reads everything of
    /// the village, approves its finance disclosures.
    Supervisor,
    /// A villager, bound to one registry member: reads their own household's file and the
    /// public pages, asks and comments on disclosures. Sees nothing of others.
    Villager,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See units, households (masked) and dashboards.
    ViewRegistry,
    /// Add, edit and import households and members.
    EditHouseholds,
    /// Create grids and micro-grids, assign households to them.
    ManageGrids,
    /// See a resident ID or phone number in full (audited).
    RevealPersonal,
    /// Read the audit log.
    ViewAudit,
    /// Import administrative divisions, manage accounts.
    Administer,
    /// Keep the collective ledgers.
    EditLedger,
    /// Record credit-village events and run assessments.
    EditCredit,
    /// Record bank credit lines.
    GrantCredit,
    /// Prepare and publish the village's disclosures.
    PrepareDisclosure,
    /// Approve a finance disclosure someone else prepared (a second person).
    ApproveDisclosure,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Admin,
        Role::CountyOfficer,
        Role::TownshipOfficer,
        Role::VillageCadre,
        Role::VillageAccountant,
        Role::GridMember,
        Role::BankOfficer,
        Role::Supervisor,
        Role::Villager,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::CountyOfficer => "county_officer",
            Role::TownshipOfficer => "township_officer",
            Role::VillageCadre => "village_cadre",
            Role::VillageAccountant => "village_accountant",
            Role::GridMember => "grid_member",
            Role::BankOfficer => "bank_officer",
            Role::Supervisor => "supervisor",
            Role::Villager => "villager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::CountyOfficer => "县级干部",
            Role::TownshipOfficer => "乡镇干部",
            Role::VillageCadre => "村干部",
            Role::VillageAccountant => "村报账员",
            Role::GridMember => "网格员",
            Role::BankOfficer => "银行客户经理",
            Role::Supervisor => "村务监督委员",
            Role::Villager => "村民",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::CountyOfficer => "County officer",
            Role::TownshipOfficer => "Township officer",
            Role::VillageCadre => "Village cadre",
            Role::VillageAccountant => "Village accountant",
            Role::GridMember => "Grid member",
            Role::BankOfficer => "Bank officer",
            Role::Supervisor => "Supervision committee member",
            Role::Villager => "Villager",
        }
    }

    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match p {
            ViewRegistry => self != Villager,
            EditHouseholds => matches!(
                self,
                Admin
                    | CountyOfficer
                    | TownshipOfficer
                    | VillageCadre
                    | VillageAccountant
                    | GridMember
            ),
            ManageGrids => matches!(self, Admin | CountyOfficer | TownshipOfficer | VillageCadre),
            RevealPersonal => {
                matches!(self, Admin | CountyOfficer | TownshipOfficer | VillageCadre)
            }
            ViewAudit => matches!(self, Admin | CountyOfficer | TownshipOfficer | Supervisor),
            Administer => matches!(self, Admin),
            EditLedger => matches!(self, Admin | VillageCadre | VillageAccountant),
            EditCredit => matches!(
                self,
                Admin | CountyOfficer | TownshipOfficer | VillageCadre | GridMember
            ),
            GrantCredit => matches!(self, Admin | BankOfficer),
            PrepareDisclosure => matches!(self, Admin | VillageCadre | VillageAccountant),
            // Never the administrator: approval is a village's second person, not a superuser.
            ApproveDisclosure => matches!(self, Supervisor),
        }
    }
}

/// The subtree an account may see and touch: every unit whose code starts with `root`. The
/// national administrator has the empty root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub root: String,
}

impl Scope {
    pub fn new(root: impl Into<String>) -> Scope {
        Scope { root: root.into() }
    }

    /// A villager's scope: no unit at all (their own household is reached through the
    /// account's bound member, never through the tree).
    pub fn nothing(user_id: i64) -> Scope {
        Scope {
            root: format!("villager:{user_id}"),
        }
    }

    pub fn covers(&self, unit_code: &str) -> bool {
        unit_code.starts_with(&self.root)
    }

    /// Whether the account can see a unit above its own root (e.g. the village of its grid),
    /// needed to show breadcrumbs, never data.
    pub fn is_ancestor_of_root(&self, unit_code: &str) -> bool {
        self.root.starts_with(unit_code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_officers_are_read_only_and_only_admin_administers() {
        assert!(!Role::BankOfficer.can(Permission::EditHouseholds));
        assert!(Role::BankOfficer.can(Permission::GrantCredit));
        for r in Role::ALL {
            assert_eq!(r.can(Permission::Administer), r == Role::Admin);
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn a_villager_sees_no_unit_and_may_do_nothing_of_the_staff() {
        let s = Scope::nothing(7);
        assert!(!s.covers("140581104201") && !s.covers(""));
        assert!(!s.is_ancestor_of_root("1"));
        use Permission::*;
        for p in [
            ViewRegistry,
            EditHouseholds,
            ManageGrids,
            RevealPersonal,
            ViewAudit,
            Administer,
            EditLedger,
            EditCredit,
            GrantCredit,
            PrepareDisclosure,
            ApproveDisclosure,
        ] {
            assert!(!Role::Villager.can(p), "{p:?}");
        }
    }

    #[test]
    fn scope_is_a_prefix() {
        let s = Scope::new("140581001");
        assert!(s.covers("140581001001"));
        assert!(!s.covers("140581002001"));
        assert!(s.is_ancestor_of_root("140581"));
        assert!(Scope::new("").covers("34"));
    }
}
