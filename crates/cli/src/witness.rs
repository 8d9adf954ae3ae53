//! `grassroots log witness`: run by another party (e.g. the county discipline office) against a
//! log's public address. It fetches the checkpoint and a consistency proof from the size it saw
//! last, cosigns only if the log merely grew (domain::transparency::witness), sends the
//! cosignature back, and refuses loudly on a fork or rollback, keeping both checkpoints as
//! evidence. Plain HTTP (an intranet address or a local TLS-terminating proxy): no TLS client
//! is built in.

use crate::CmdResult;
use anyhow::{anyhow, Context};
use base64::Engine;
use domain::transparency::merkle::Hash;
use domain::transparency::witness::{self, State};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// Largest answer read (a checkpoint or a proof is a few KB).
const MAX_REPLY: u64 = 1 << 20;

/// One HTTP/1.1 request to an `http://host[:port]` base; the status and the body.
fn http(base: &str, method: &str, path: &str, body: &str) -> anyhow::Result<(u16, String)> {
    let rest = base
        .strip_prefix("http://")
        .ok_or_else(|| anyhow!("--log must be an http:// address (got {base})"))?;
    let host = rest.trim_end_matches('/');
    let addr = if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:80")
    };
    let mut s = TcpStream::connect(&addr).with_context(|| format!("connecting to {addr}"))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    s.take(MAX_REPLY).read_to_end(&mut raw)?;
    let text = String::from_utf8(raw).map_err(|_| anyhow!("the log answered with non-UTF-8"))?;
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| anyhow!("the log's answer has no body"))?;
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| anyhow!("the log's answer has no status"))?;
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return Err(anyhow!("chunked answers are not supported"));
    }
    Ok((status, body.to_string()))
}

fn get(base: &str, path: &str) -> anyhow::Result<String> {
    let (status, body) = http(base, "GET", path, "")?;
    if status != 200 {
        return Err(anyhow!("GET {path}: HTTP {status}: {}", body.trim()));
    }
    Ok(body)
}

pub fn run(log: &str, key_file: &Path, state_file: &Path, name: &str) -> CmdResult {
    let signer = crate::log::signer(name, key_file)?;
    let before: Option<State> = match std::fs::read_to_string(state_file) {
        Ok(t) => Some(
            serde_json::from_str(&t)
                .with_context(|| format!("reading {}", state_file.display()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(anyhow!("reading {}: {e}", state_file.display())),
    };
    let note = get(log, "/public/log/checkpoint")?;
    let key = get(log, "/public/log/key")?.trim().to_string();
    let new_size = note
        .lines()
        .nth(1)
        .and_then(|l| l.parse::<u64>().ok())
        .unwrap_or(0);
    let proof: Vec<Hash> = match &before {
        Some(b) if b.size > 0 && new_size > b.size => {
            let v: serde_json::Value = serde_json::from_str(&get(
                log,
                &format!(
                    "/public/log/proof/consistency?from={}&to={new_size}",
                    b.size
                ),
            )?)?;
            v["proof"]
                .as_array()
                .ok_or_else(|| anyhow!("the consistency proof is not a list"))?
                .iter()
                .map(|h| {
                    h.as_str()
                        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
                        .and_then(|b| Hash::try_from(b).ok())
                        .ok_or_else(|| anyhow!("a proof hash is not base64 of 32 bytes"))
                })
                .collect::<anyhow::Result<_>>()?
        }
        _ => Vec::new(),
    };
    match witness::cosign(before.as_ref(), &key, &note, &proof, &signer) {
        Ok(c) => {
            let (status, answer) = http(log, "POST", "/public/log/cosignature", &c.note)?;
            if status != 200 {
                return Err(anyhow!(
                    "the log refused the cosignature: HTTP {status}: {}",
                    answer.trim()
                ));
            }
            std::fs::write(state_file, serde_json::to_string_pretty(&c.state)?)
                .with_context(|| format!("writing {}", state_file.display()))?;
            println!(
                "cosigned the log at size {} ({})",
                c.state.size,
                answer.trim()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(refusal) => {
            let evidence = state_file.with_extension(format!(
                "evidence-{}.txt",
                chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
            ));
            let kept = before.map(|b| b.checkpoint).unwrap_or_default();
            std::fs::write(
                &evidence,
                format!("{refusal}\n\nlog: {log}\nkey: {key}\n\n-- the checkpoint kept before --\n{kept}\n-- the checkpoint served now --\n{note}"),
            )
            .with_context(|| format!("writing evidence {}", evidence.display()))?;
            eprintln!("REFUSED TO COSIGN: {refusal}");
            eprintln!("evidence kept in {}", evidence.display());
            Ok(ExitCode::from(3))
        }
    }
}
