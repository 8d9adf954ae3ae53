//! Collective resources (资源): land and assets, with their contract status.

use super::register::{columns, Columns, Register, Table};
use crate::Result;
use sqlx::any::AnyRow;
use sqlx::Row;

columns! {
    pub struct ResourceWrite {
        pub resource_no: String,
        pub kind: String,
        pub name: Option<String>,
        pub area_mu_x100: Option<i64>,
        pub location: Option<String>,
        pub status: String,
        pub contract_no: Option<String>,
        pub note: String,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRow {
    pub id: i64,
    pub fields: ResourceWrite,
}

impl Register for ResourceRow {
    type Write = ResourceWrite;
    const TABLE: Table = Table {
        name: "resources",
        village: "village_code",
        number: "resource_no",
        computed: &[],
    };
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(ResourceRow {
            id: r.try_get("id")?,
            fields: ResourceWrite::read(r)?,
        })
    }
    fn id(&self) -> i64 {
        self.id
    }
    fn fields(&self) -> &ResourceWrite {
        &self.fields
    }
}
