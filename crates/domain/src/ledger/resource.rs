//! Collective resources (资源): land, ponds, buildings, equipment, and whether they are
//! contracted, idle or occupied without a contract.

use super::codes::{ResourceKind, ResourceStatus};
use super::fields::{trimmed, Amount, Fields, MAX_NAME_CHARS, MAX_NO_CHARS, MAX_TEXT_CHARS};
use crate::message::catalogue as msg;
use crate::registry::household::FieldError;
use serde::{Deserialize, Serialize};

/// A resource as typed. Columns: `resource_no*, kind*, name, area_mu, location, status*,
/// contract_no, note`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceDraft {
    pub resource_no: String,
    pub kind: String,
    pub name: String,
    pub area_mu: String,
    pub location: String,
    pub status: String,
    pub contract_no: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub resource_no: String,
    pub kind: ResourceKind,
    pub name: Option<String>,
    /// Hundredths of a mu (`12.5` → 1250).
    pub area_mu_x100: Option<i64>,
    pub location: Option<String>,
    pub status: ResourceStatus,
    /// Required when the status is `contracted`.
    pub contract_no: Option<String>,
    pub note: String,
}

impl ResourceDraft {
    /// Validates every field at once. A `contracted` resource must name its contract.
    pub fn validate(&self) -> Result<Resource, Vec<FieldError>> {
        let mut f = Fields::default();
        let resource_no = f.required_text("resource_no", &self.resource_no, MAX_NO_CHARS);
        let kind = f.required_choice(
            ("kind", "kind"),
            &self.kind,
            ResourceKind::parse,
            ResourceKind::known_labels,
        );
        let name = f.optional_text("name", &self.name, MAX_NAME_CHARS);
        let area_mu_x100 =
            f.optional_hundredths("area_mu", &self.area_mu, &["亩", "mu"], Amount::Positive);
        let location = f.optional_text("location", &self.location, MAX_TEXT_CHARS);
        let status = f.required_choice(
            ("status", "status"),
            &self.status,
            ResourceStatus::parse,
            ResourceStatus::known_labels,
        );
        let contract_no = f.optional_text("contract_no", &self.contract_no, MAX_NO_CHARS);
        if status == Some(ResourceStatus::Contracted) && trimmed(&self.contract_no).is_none() {
            f.push("contract_no", msg::CONTRACTED_NEEDS_CONTRACT);
        }
        let note = f.note("note", &self.note);
        let resource = match (kind, status) {
            (Some(kind), Some(status)) => Some(Resource {
                resource_no,
                kind,
                name,
                area_mu_x100,
                location,
                status,
                contract_no,
                note,
            }),
            _ => None,
        };
        f.into_result(resource)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ResourceDraft {
        ResourceDraft {
            resource_no: "ZY-01".into(),
            kind: "机动地".into(),
            name: "东坡".into(),
            area_mu: "35.6".into(),
            location: "村东".into(),
            status: "已发包".into(),
            contract_no: "HT-2024-001".into(),
            note: "".into(),
        }
    }

    #[test]
    fn valid_resource() {
        let Ok(r) = draft().validate() else {
            panic!("valid")
        };
        assert_eq!(r.kind, ResourceKind::ReserveLand);
        assert_eq!(r.status, ResourceStatus::Contracted);
        assert_eq!(r.area_mu_x100, Some(3560));
        let idle = ResourceDraft {
            status: "idle".into(),
            contract_no: "".into(),
            ..draft()
        };
        assert!(idle.validate().is_ok_and(|r| r.contract_no.is_none()));
    }

    #[test]
    fn reports_every_bad_field() {
        let bad = ResourceDraft {
            resource_no: "".into(),
            kind: "飞机".into(),
            area_mu: "-1".into(),
            contract_no: " ".into(),
            ..draft()
        };
        let fields = crate::refused_fields(bad.validate());
        assert_eq!(fields, ["resource_no", "kind", "area_mu", "contract_no"]);
        let missing = ResourceDraft::default()
            .validate()
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = missing.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["resource_no", "kind", "status"]);
    }
}
