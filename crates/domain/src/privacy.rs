//! What each role may see of a person, field by field, in one table. Every page, API response
//! and export that shows members, persons or counterparties goes through [`shown`].
//!
//! The rule the table keeps: a role without [`Permission::RevealPersonal`] never gets more of a
//! resident ID than the area (first 4 digits), the birth year and the last character, whatever
//! fields it combines. So such roles see a birth *year*, never a birth date, and a masked ID
//! never carries birth-date digits (see [`crate::mask::mask_resident_id`]).

use crate::access::{Permission, Role};

/// A piece of personal data shown somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonField {
    Name,
    ResidentId,
    BirthDate,
    Sex,
    Phone,
    Address,
    /// Free text about a household (may mention anything).
    Notes,
    /// Household tags such as 低保户: social status, sensitive outside the village's work.
    Tags,
}

/// How much of a field a role sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shown {
    /// In full; for resident IDs and phones: masked in lists, revealed in full on request (audited).
    Full,
    /// Masked: IDs as area and last character, phones as `138****5678`, birth dates as the year.
    Masked,
    /// Not at all.
    Hidden,
}

impl PersonField {
    pub const ALL: [PersonField; 8] = [
        PersonField::Name,
        PersonField::ResidentId,
        PersonField::BirthDate,
        PersonField::Sex,
        PersonField::Phone,
        PersonField::Address,
        PersonField::Notes,
        PersonField::Tags,
    ];
}

use PersonField as F;
use Shown::{Full as Y, Hidden as N, Masked as M};

/// The policy: per role, per field (in [`PersonField::ALL`] order:
/// name, resident ID, birth date, sex, phone, address, notes, tags).
const POLICY: [(Role, [Shown; 8]); 9] = [
    (Role::Admin, [Y, Y, Y, Y, Y, Y, Y, Y]),
    (Role::CountyOfficer, [Y, Y, Y, Y, Y, Y, Y, Y]),
    (Role::TownshipOfficer, [Y, Y, Y, Y, Y, Y, Y, Y]),
    (Role::VillageCadre, [Y, Y, Y, Y, Y, Y, Y, Y]),
    // Keeps the books: needs to know who, not personal numbers.
    (Role::VillageAccountant, [Y, M, M, Y, M, Y, Y, Y]),
    // Visits households: needs a phone (masked unless a cadre reveals it), ages for care work.
    (Role::GridMember, [Y, M, M, Y, M, Y, Y, Y]),
    // Credit lines need who and where, and ages for labour; no numbers, notes or social tags.
    (Role::BankOfficer, [Y, N, M, N, N, Y, N, N]),
    // Supervises the village's affairs: sees who and what, not personal numbers.
    (Role::Supervisor, [Y, M, M, Y, M, Y, Y, Y]),
    // Their own household only (reached through the bound member): numbers masked.
    (Role::Villager, [Y, M, M, Y, M, Y, N, N]),
];

/// How much of `field` the `role` sees.
pub fn shown(role: Role, field: PersonField) -> Shown {
    let row = POLICY
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, row)| row)
        .unwrap_or(&[N; 8]);
    let i = F::ALL.iter().position(|f| *f == field).unwrap_or(0);
    row[i]
}

/// Bank officers see household files only of households that consented to share their credit
/// information (docs/credit.md); every other role sees every household in its scope.
pub fn needs_consent(role: Role) -> bool {
    role == Role::BankOfficer
}

/// Whether the role may see a full resident ID or phone (on request, audited).
pub fn may_reveal(role: Role) -> bool {
    role.can(Permission::RevealPersonal)
}

/// A stored masked ID in the form this role may see: the stored mask re-cut to area and last
/// character (rows masked before that rule held kept four trailing characters), or nothing.
pub fn resident_id_for(role: Role, stored_masked: Option<&str>) -> Option<String> {
    match shown(role, F::ResidentId) {
        N => None,
        Y | M => stored_masked.map(crate::mask::remask_resident_id),
    }
}

/// A birth date (`YYYY-MM-DD`) as this role may see it: the date, or nothing (the year is
/// given separately by [`birth_year_for`]).
pub fn birth_date_for(role: Role, date: Option<&str>) -> Option<String> {
    match shown(role, F::BirthDate) {
        Y => date.map(str::to_string),
        M | N => None,
    }
}

/// The birth year, for every role that sees birth dates at least masked.
pub fn birth_year_for(role: Role, date: Option<&str>) -> Option<i32> {
    match shown(role, F::BirthDate) {
        N => None,
        Y | M => date.and_then(|d| d.get(..4)).and_then(|y| y.parse().ok()),
    }
}

/// A stored masked phone as this role may see it.
pub fn phone_for(role: Role, stored_masked: Option<&str>) -> Option<String> {
    match shown(role, F::Phone) {
        N => None,
        Y | M => stored_masked.map(str::to_string),
    }
}

/// A plain text field (name, sex, address, notes) as this role may see it.
pub fn text_for(role: Role, field: PersonField, value: &str) -> Option<String> {
    match shown(role, field) {
        Y => Some(value.to_string()),
        M => Some(crate::mask::mask_name(value)),
        N => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ResidentId;
    use proptest::prelude::*;

    #[test]
    fn full_ids_and_phones_exactly_for_roles_that_may_reveal() {
        for r in Role::ALL {
            let full = shown(r, F::ResidentId) == Y;
            assert_eq!(full, may_reveal(r), "{r:?}");
            assert_eq!(shown(r, F::Phone) == Y, may_reveal(r), "{r:?}");
        }
    }

    #[test]
    fn without_reveal_no_birth_date_and_banks_no_numbers() {
        for r in Role::ALL.into_iter().filter(|r| !may_reveal(*r)) {
            assert_ne!(shown(r, F::BirthDate), Y, "{r:?}");
            assert_eq!(birth_date_for(r, Some("1962-12-05")), None);
        }
        let bank = Role::BankOfficer;
        assert_eq!(resident_id_for(bank, Some("1405*************1")), None);
        assert_eq!(phone_for(bank, Some("138****5678")), None);
        assert_eq!(birth_year_for(bank, Some("1962-12-05")), Some(1962));
        assert_eq!(text_for(bank, F::Notes, "x"), None);
        assert!(needs_consent(bank) && !needs_consent(Role::VillageCadre));
    }

    #[test]
    fn old_masks_are_recut() {
        assert_eq!(
            resident_id_for(Role::GridMember, Some("1405**********0071")),
            Some("1405*************1".into())
        );
    }

    proptest! {
        /// Whatever a role without the reveal right gets of one member (masked ID, birth year,
        /// sex), at most the area, birth year, sex digit parity and the last character of the
        /// ID are in it: the other birth-date digits and the sequence never appear.
        #[test]
        fn masked_view_keeps_at_most_area_year_and_last_char(
            y in 1930u32..2020, m in 1u32..13, d in 1u32..29, seq in 0u32..1000,
            role in proptest::sample::select(Role::ALL.to_vec()),
        ) {
            let Ok(id) = ResidentId::from_first17(&format!("140581{y:04}{m:02}{d:02}{seq:03}")) else {
                return Err(TestCaseError::fail("valid id"));
            };
            let birth = id.birth_date().map(|b| b.to_string());
            let masked = resident_id_for(role, Some(&id.masked()));
            let date = birth_date_for(role, birth.as_deref());
            if !may_reveal(role) {
                prop_assert!(date.is_none());
            }
            if let Some(mk) = &masked {
                let s = id.as_str();
                prop_assert_eq!(mk.chars().count(), 18);
                // Only positions 0..4 and 17 are shown.
                for (i, c) in mk.chars().enumerate() {
                    if (4..17).contains(&i) {
                        prop_assert_eq!(c, '*');
                    } else {
                        prop_assert_eq!(Some(c), s.chars().nth(i));
                    }
                }
            }
            let year = birth_year_for(role, birth.as_deref());
            prop_assert!(year.is_none_or(|v| v == y as i32));
        }
    }
}
