//! A witness against a real server: cosigns the log's checkpoint, which the log then serves
//! with both signatures; cosigns again after the log grew (consistency proof); refuses, with
//! evidence, a log under the same key that does not extend what it saw (a fork).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

fn cmd(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_grassroots"));
    c.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("GRASSROOTS_KEY")
        .env_remove("GRASSROOTS_WITNESS_KEYS");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    cmd(dir).args(args).output().expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/divisions-sample");

struct Server(Child, String);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path, db: &str, witness: &str) -> Server {
    let mut child = cmd(dir)
        .args([
            "--database-url",
            db,
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--witness-key",
            witness,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    Server(child, url)
}

fn get(url: &str, path: &str) -> String {
    let host = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out.split_once("\r\n\r\n").unwrap().1.to_string()
}

fn publish(dir: &Path, db: &str, title: &str) {
    std::fs::write(dir.join("body.txt"), "通知。\n").unwrap();
    let out = run(
        dir,
        &[
            "--database-url",
            db,
            "disclosure",
            "publish",
            "--unit",
            "140581104201",
            "--module",
            "other",
            "--category",
            "other.notices",
            "--title",
            title,
            "--body",
            "body.txt",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_witness_cosigns_a_growing_log_and_refuses_a_fork() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = "sqlite://log.db";
    assert!(run(d, &["--database-url", db, "units", "import", SAMPLE])
        .status
        .success());
    publish(d, db, "第一条通知");
    // The witness's key (made by `log key` on a scratch database, under the witness's name).
    let out = run(
        d,
        &[
            "--database-url",
            "sqlite://w.db",
            "--log-origin",
            "county-witness",
            "--log-key-file",
            "w.key",
            "log",
            "key",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let wkey = text(&out.stdout).trim().to_string();

    let server = serve(d, db, &wkey);
    let witness = |url: &str| {
        run(
            d,
            &[
                "log",
                "witness",
                "--log",
                url,
                "--key",
                "w.key",
                "--state",
                "w.state",
                "--name",
                "county-witness",
            ],
        )
    };
    let out = witness(&server.1);
    assert!(
        out.status.success(),
        "{} {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("cosigned the log at size 1"),
        "{}",
        text(&out.stdout)
    );
    let note = get(&server.1, "/public/log/checkpoint");
    assert!(
        note.contains("— grassroots/local ") && note.contains("— county-witness "),
        "{note}"
    );

    // The log grows; the witness checks consistency and cosigns the new size.
    publish(d, db, "第二条通知");
    let out = witness(&server.1);
    assert!(
        text(&out.stdout).contains("cosigned the log at size 2"),
        "{} {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    drop(server);

    // Another database under the same log key: one entry, another tree. A fork (rollback).
    let other = "sqlite://other.db";
    assert!(
        run(d, &["--database-url", other, "units", "import", SAMPLE])
            .status
            .success()
    );
    publish(d, other, "另一条通知");
    let forked = serve(d, other, &wkey);
    let out = witness(&forked.1);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{} {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("ROLLBACK"),
        "{}",
        text(&out.stderr)
    );
    let evidence = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("evidence"));
    assert!(evidence, "the evidence is kept");
    // The state still holds what was accepted before.
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("w.state")).unwrap()).unwrap();
    assert_eq!(state["size"], 2);
}
