//! Disclosures from the command line: the catalogue, a finance statement published with the
//! supervisor's approval, an export bundle that verifies offline, and a tampered bundle that
//! does not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grassroots"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("GRASSROOTS_KEY")
        .env("GRASSROOTS_PASSWORD", "a-long-test-password-1")
        .args(args)
        .output()
        .expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/divisions-sample");
const VILLAGE: &str = "140581104201";

#[test]
fn publish_export_and_verify_offline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(run(d, &["units", "import", SAMPLE]).status.success());
    let out = run(
        d,
        &[
            "user",
            "add",
            "sup",
            "--role",
            "supervisor",
            "--unit",
            VILLAGE,
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = run(d, &["--json", "disclosure", "categories"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let cats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cats = cats.as_array().unwrap();
    assert!(cats.len() >= 10);
    let monthly = cats.iter().find(|c| c["key"] == "finance.monthly").unwrap();
    assert_eq!(
        (monthly["module"].as_str(), monthly["cadence"].as_str()),
        (Some("finance"), Some("monthly"))
    );

    std::fs::write(d.join("body.txt"), "本月收支如下。\n\n如有疑问请留言。\n").unwrap();
    std::fs::write(d.join("t.csv"), "项目,金额（分）\n租金,1250000\n").unwrap();
    let publish = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "disclosure",
            "publish",
            "--unit",
            VILLAGE,
            "--module",
            "finance",
            "--category",
            "finance.monthly",
            "--title",
            "十月收支",
            "--body",
            "body.txt",
            "--table",
            "t.csv",
            "--period",
            "2026-10",
        ];
        args.extend_from_slice(extra);
        run(d, &args)
    };
    // Finance needs the supervisor's approval.
    let out = publish(&[]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("approved"),
        "{}",
        text(&out.stderr)
    );
    let out = publish(&["--approved-by", "sup"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p["index"], 0);
    let id = p["id"].as_i64().unwrap();

    let out = run(
        d,
        &[
            "disclosure",
            "export",
            "--unit",
            VILLAGE,
            "--out",
            "bundle.json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(d, &["log", "key"]);
    let vkey = text(&out.stdout).trim().to_string();
    let out = run(d, &["verify", "bundle.json", "--key", &vkey]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        "verified 1 entries at tree size 1"
    );

    // A bundle whose disclosure was altered fails, naming the entry.
    let mut b: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("bundle.json")).unwrap()).unwrap();
    b["entries"][0]["disclosure"]["table"]["rows"][0][1] = "1".into();
    std::fs::write(d.join("bad.json"), b.to_string()).unwrap();
    let out = run(d, &["verify", "bad.json", "--key", &vkey]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!(
            "entry 0 (disclosure {id}): the disclosure differs from its leaf"
        )),
        "{}",
        text(&out.stderr)
    );
    // Another key: the signature does not hold.
    let other = "other+00000000+AYbT3nWcJ3Rj1cRmQkPAqzvO8U0nKbV6sZ0q5f5y8ZQm";
    let out = run(d, &["verify", "bundle.json", "--key", other]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(d, &["log", "audit"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
