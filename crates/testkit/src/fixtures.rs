//! Form data more than one test program fills in the same way.

/// The ledger's contract form for a land lease to a cadre's relative (村主任之子, flagged
/// `related_cadre`), 2020–2049, 10 mu at 100 yuan a year.
pub fn related_cadre_contract(contract_no: &str) -> [(&'static str, &str); 9] {
    [
        ("contract_no", contract_no),
        ("kind", "土地租赁"),
        ("counterparty", "村主任之子"),
        ("start_on", "2020-01-01"),
        ("end_on", "2049-12-31"),
        ("annual_rent_yuan", "100"),
        ("area_mu", "10"),
        ("related_cadre", "是"),
        ("status", "active"),
    ]
}

/// A credit round of `unit` written straight into its table (period 2026, empty rules), for
/// store tests that work below the application; its id.
pub async fn insert_round(c: &mut sqlx::AnyConnection, unit: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO credit_rounds (unit_code, period, rules_name, rules_toml, created_by, created_at) \
         VALUES ($1, '2026', '细则', '', 'conformance', '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(unit)
    .fetch_one(c)
    .await
    .expect("round")
}
