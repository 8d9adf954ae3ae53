//! Collective resources (资源): land and assets, with their contract status.

use super::register::register;

register! {
    pub struct ResourceWrite in "resources" by resource_no {
        pub resource_no: String,
        pub kind: String,
        pub name: Option<String>,
        pub area_mu_x100: Option<i64>,
        pub location: Option<String>,
        pub status: String,
        pub contract_no: Option<String>,
        pub note: String,
    }
    pub struct ResourceRow {}
}
