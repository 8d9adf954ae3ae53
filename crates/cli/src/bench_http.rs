//! A tiny blocking HTTP/1.1 client for the crash campaign: one connection per request
//! (`Connection: close`), so a killed server shows up as an error on exactly the requests it
//! had in hand.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A complete answer (status line, headers and the whole body as announced).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// `"id"` of a JSON body, when there is one.
    pub id: Option<i64>,
    /// `Idempotent-Replayed: true` was sent.
    pub replayed: bool,
    /// A 409 saying the first request wrote but its answer was lost.
    pub answer_lost: bool,
}

/// No complete answer. `sent`: the request left (the server may have acted on it).
#[derive(Debug)]
pub struct Failed {
    pub sent: bool,
}

pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    key: Option<&str>,
    body: &str,
) -> Result<Reply, Failed> {
    let mut s = TcpStream::connect(addr).map_err(|_| Failed { sent: false })?;
    let sent = |_| Failed { sent: true };
    s.set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(sent)?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if !token.is_empty() {
        req.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if let Some(k) = key {
        req.push_str(&format!("Idempotency-Key: {k}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).map_err(sent)?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(sent)?;
    parse(&buf).ok_or(Failed { sent: true })
}

fn parse(buf: &[u8]) -> Option<Reply> {
    let text = String::from_utf8_lossy(buf);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let mut length = None;
    let mut replayed = false;
    for line in lines {
        let (k, v) = line.split_once(':')?;
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        if k == "content-length" {
            length = v.parse::<usize>().ok();
        } else if k == "idempotent-replayed" {
            replayed = v == "true";
        } else if k == "transfer-encoding" && v.contains("chunked") {
            // Not used by the API's JSON answers; treat as incomplete rather than guess.
            return None;
        }
    }
    // A body cut short by the kill is no answer.
    if body.len() < length? {
        return None;
    }
    let id = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("id").and_then(serde_json::Value::as_i64));
    Some(Reply {
        status,
        id,
        replayed,
        answer_lost: status == 409 && body.contains("answer was lost"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_answers_count() {
        let whole = b"HTTP/1.1 201 Created\r\ncontent-length: 8\r\nidempotent-replayed: true\r\n\r\n{\"id\":7}";
        let r = parse(whole).unwrap();
        assert_eq!((r.status, r.id, r.replayed), (201, Some(7), true));
        assert!(parse(b"HTTP/1.1 201 Created\r\ncontent-length: 9\r\n\r\n{\"id\":7").is_none());
        assert!(parse(b"HTTP/1.1 201 Cre").is_none());
    }
}
