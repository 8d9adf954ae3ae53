//! The command line as an operator uses it: real binary, real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grassroots"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("GRASSROOTS_KEY")
        .args(args)
        .output()
        .expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/divisions-sample");
const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/examples/households.csv"
);

#[test]
fn operator_session_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let out = run(d, &["--json", "units", "import", SAMPLE]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["report"]["added"], 1050);
    assert!(
        d.join("grassroots.key").exists(),
        "a key is created on first use"
    );
    // Idempotent.
    let out = run(d, &["--json", "units", "import", SAMPLE]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            report["report"]["added"].as_u64(),
            report["report"]["unchanged"].as_u64()
        ),
        (Some(0), Some(1050))
    );

    // A bad file: each problem on its own line as file:row:column, exit code 2, nothing written.
    std::fs::write(
        d.join("bad.csv"),
        "household_no,head_name,head_id\n9,李,140581197002030019\n10,,\n",
    )
    .unwrap();
    let out = run(
        d,
        &[
            "households",
            "import",
            "--village",
            "140581104201",
            "bad.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("bad.csv:2:head_id: resident ID check digit is wrong"),
        "{err}"
    );
    assert!(
        err.contains("bad.csv:3:head_name: head of household is required"),
        "{err}"
    );
    assert!(err.contains("nothing was written"));

    // Dry run, then the real import.
    let out = run(
        d,
        &[
            "--json",
            "households",
            "import",
            "--village",
            "140581104201",
            EXAMPLE,
            "--dry-run",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (r["households"].as_u64(), r["dry_run"].as_bool()),
        (Some(2), Some(true))
    );
    let out = run(
        d,
        &["households", "import", "--village", "140581104201", EXAMPLE],
    );
    assert!(
        text(&out.stdout).contains("imported: 2 households, 3 members"),
        "{}",
        text(&out.stdout)
    );

    // Accounts and tokens.
    let out = run(
        d,
        &[
            "user",
            "add",
            "zhang",
            "--role",
            "village_cadre",
            "--unit",
            "140581104201",
            "--password",
            "village-secret-123",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(
        d,
        &[
            "user",
            "add",
            "x",
            "--role",
            "boss",
            "--unit",
            "14",
            "--password",
            "village-secret-123",
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("unknown role 'boss'"));
    let out = run(
        d,
        &[
            "user",
            "add",
            "yuser",
            "--role",
            "village_cadre",
            "--unit",
            "999999999999",
            "--password",
            "village-secret-123",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unit: unit 999999999999 does not exist"),
        "{}",
        text(&out.stderr)
    );
    let out = run(
        d,
        &[
            "--json", "token", "create", "--user", "zhang", "--days", "30",
        ],
    );
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(t["token"].as_str().unwrap().starts_with("grt_"));
    // Tokens are listed (never their values) and revoked by id.
    let out = run(
        d,
        &["token", "create", "--user", "zhang", "--name", "second"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(d, &["--json", "token", "list", "--user", "zhang"]);
    let l: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tokens = l["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 2);
    assert!(tokens.iter().all(|t| t["expires_at"].is_string()), "{l}");
    assert!(!text(&out.stdout).contains("grt_"));
    let id = tokens[0]["id"].as_i64().unwrap().to_string();
    let out = run(d, &["token", "revoke", &id]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(d, &["--json", "token", "list", "--user", "zhang"]);
    let l: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(l["tokens"].as_array().unwrap().len(), 1);
    let out = run(d, &["token", "create", "--user", "zhang", "--days", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        d,
        &[
            "user",
            "passwd",
            "zhang",
            "--password",
            "another-secret-phrase",
        ],
    );
    assert!(out.status.success());
    // Too short, or common: refused with the field named, exit code 2.
    let out = run(d, &["user", "passwd", "zhang", "--password", "secret-123"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("password: password must have at least 12"));
    let out = run(
        d,
        &["user", "passwd", "zhang", "--password", "QWERTYUIOP123"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("too common"),
        "{}",
        text(&out.stderr)
    );

    // Migrations are idempotent.
    let out = run(d, &["--json", "migrate"]);
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["applied"], serde_json::json!([]));
}

#[test]
fn a_wrong_key_is_refused_not_ignored() {
    let dir = tempfile::tempdir().unwrap();
    // migrate does not need the key; a command that does reports the bad key clearly.
    let out = run(dir.path(), &["--key", "abcd", "migrate"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(dir.path(), &["--key", "abcd", "units", "import", SAMPLE]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("64 hex characters"),
        "{}",
        text(&out.stderr)
    );
}
