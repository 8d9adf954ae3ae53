//! Checkpoints (C2SP tlog-checkpoint) and signed notes (C2SP signed-note) with Ed25519 keys.
//!
//! A note is UTF-8 text of one or more lines, each ending in a newline; then a blank line; then
//! one line per signature: "— <key name> <base64(key ID ‖ signature)>". The key ID is the first
//! four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). Keys travel as text: the verifier key
//! `name+hex(ID)+base64(0x01 ‖ public key)` and the signer key `PRIVATE+KEY+name+hex(ID)+
//! base64(0x01 ‖ seed)`, both as Go's `sumdb/note` writes them, so its tools read ours.

use super::merkle::Hash;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signer, Verifier};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// The algorithm byte of Ed25519 keys.
const ED25519: u8 = 0x01;
/// A note with more signature lines than this is refused (Go refuses over 100 too).
pub const MAX_SIGNATURES: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoteError {
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    #[error("malformed key: {0}")]
    BadKey(&'static str),
    #[error("malformed checkpoint: {0}")]
    BadCheckpoint(&'static str),
    #[error("invalid signature for key {name}+{id:08x}")]
    InvalidSignature { name: String, id: u32 },
    #[error("the note has no signature by a known key")]
    Unverified,
}

/// A key name: non-empty, no `+`, no whitespace (it sits in `name+id+key` and signature lines).
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c == '+' || c.is_whitespace() || c.is_control())
}

/// First 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), big-endian.
pub fn key_id(name: &str, public: &[u8; 32]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([ED25519]);
    h.update(public);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// A verifier key: who signed, and the public key to check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    pub name: String,
    pub id: u32,
    key: ed25519_dalek::VerifyingKey,
}

impl VerifierKey {
    /// Parses `name+hex8+base64(0x01 ‖ key)`, checking that the ID belongs to name and key.
    pub fn parse(text: &str) -> Result<VerifierKey, NoteError> {
        let (name, id, public) = key_parts(text)?;
        if key_id(name, &public) != id {
            return Err(NoteError::BadKey("key ID does not match name and key"));
        }
        let key = ed25519_dalek::VerifyingKey::from_bytes(&public)
            .map_err(|_| NoteError::BadKey("not an Ed25519 public key"))?;
        Ok(VerifierKey {
            name: name.to_string(),
            id,
            key,
        })
    }

    /// The key as text (`name+hex8+base64`).
    pub fn text(&self) -> String {
        let mut raw = vec![ED25519];
        raw.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.id, B64.encode(raw))
    }

    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        let Ok(bytes) = <[u8; 64]>::try_from(sig) else {
            return false;
        };
        let sig = ed25519_dalek::Signature::from_bytes(&bytes);
        self.key.verify(msg, &sig).is_ok()
    }
}

/// `name+hex8+base64(0x01 ‖ 32 bytes)`: the shape of both key texts (the bytes are a public
/// key or a seed). The name must be valid; the ID is returned unchecked.
fn key_parts(text: &str) -> Result<(&str, u32, [u8; 32]), NoteError> {
    let mut parts = text.splitn(3, '+');
    let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(NoteError::BadKey("expected name+id+key"));
    };
    if !valid_name(name) {
        return Err(NoteError::BadKey("bad key name"));
    }
    let id = parse_id(id)?;
    let raw = B64
        .decode(key)
        .map_err(|_| NoteError::BadKey("key is not base64"))?;
    let bytes: [u8; 32] = match raw.split_first() {
        Some((&ED25519, rest)) => rest
            .try_into()
            .map_err(|_| NoteError::BadKey("an Ed25519 key has 32 bytes"))?,
        _ => return Err(NoteError::BadKey("unknown key algorithm")),
    };
    Ok((name, id, bytes))
}

/// Exactly eight lowercase or uppercase hex digits.
fn parse_id(s: &str) -> Result<u32, NoteError> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(NoteError::BadKey("key ID is 8 hex digits"));
    }
    u32::from_str_radix(s, 16).map_err(|_| NoteError::BadKey("key ID is 8 hex digits"))
}

/// A signer: a key name and an Ed25519 key (made from a 32-byte seed).
pub struct SignerKey {
    pub name: String,
    key: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the seed.
        write!(f, "SignerKey({}+{:08x})", self.name, self.id())
    }
}

impl SignerKey {
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<SignerKey, NoteError> {
        if !valid_name(name) {
            return Err(NoteError::BadKey("bad key name"));
        }
        Ok(SignerKey {
            name: name.to_string(),
            key: ed25519_dalek::SigningKey::from_bytes(seed),
        })
    }

    /// Parses `PRIVATE+KEY+name+hex8+base64(0x01 ‖ seed)`.
    pub fn parse(text: &str) -> Result<SignerKey, NoteError> {
        let rest = text
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(NoteError::BadKey("expected PRIVATE+KEY+name+id+key"))?;
        let (name, id, seed) = key_parts(rest)?;
        let signer = SignerKey::from_seed(name, &seed)?;
        if signer.id() != id {
            return Err(NoteError::BadKey("key ID does not match name and key"));
        }
        Ok(signer)
    }

    /// The signer key as text (to keep in a file readable by its owner only).
    pub fn text(&self) -> String {
        let mut raw = vec![ED25519];
        raw.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.id(),
            B64.encode(raw)
        )
    }

    pub fn id(&self) -> u32 {
        key_id(&self.name, self.key.verifying_key().as_bytes())
    }

    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            id: self.id(),
            key: self.key.verifying_key(),
        }
    }

    /// The signature line of `text` ("— name base64(id ‖ sig)\n").
    pub fn line(&self, text: &str) -> String {
        let sig = self.key.sign(text.as_bytes());
        let mut raw = self.id().to_be_bytes().to_vec();
        raw.extend_from_slice(&sig.to_bytes());
        format!("— {} {}\n", self.name, B64.encode(raw))
    }
}

/// Checks note text: valid lines, each ending in a newline, no blank line, no control bytes.
fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') || text.starts_with('\n') || text.contains("\n\n") {
        return Err(NoteError::Malformed(
            "text lines must each end in a newline, none blank",
        ));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(NoteError::Malformed("control character in the text"));
    }
    Ok(())
}

/// Signs `text` with each signer: the signed note.
pub fn sign(text: &str, signers: &[&SignerKey]) -> Result<String, NoteError> {
    check_text(text)?;
    let mut out = format!("{text}\n");
    for s in signers {
        out.push_str(&s.line(text));
    }
    Ok(out)
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureLine {
    pub name: String,
    pub id: u32,
    /// The signature bytes after the key ID.
    pub signature: Vec<u8>,
}

/// A note split into its text and signature lines (nothing verified yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub signatures: Vec<SignatureLine>,
}

/// Splits a signed note; refuses anything not exactly in the format.
pub fn parse(note: &str) -> Result<Note, NoteError> {
    let split = note
        .rfind("\n\n")
        .ok_or(NoteError::Malformed("no blank line before the signatures"))?;
    let (text, sigs) = (&note[..split + 1], &note[split + 2..]);
    check_text(text)?;
    if !sigs.ends_with('\n') {
        return Err(NoteError::Malformed(
            "the last signature line has no newline",
        ));
    }
    let mut signatures = Vec::new();
    for line in sigs.lines() {
        let rest = line.strip_prefix("— ").ok_or(NoteError::Malformed(
            "a signature line starts with an em dash",
        ))?;
        let (name, b64) = rest
            .split_once(' ')
            .ok_or(NoteError::Malformed("signature line: name and signature"))?;
        if !valid_name(name) || b64.contains(' ') {
            return Err(NoteError::Malformed("signature line: bad key name"));
        }
        let raw = B64
            .decode(b64)
            .map_err(|_| NoteError::Malformed("signature is not base64"))?;
        if raw.len() < 5 {
            return Err(NoteError::Malformed("signature too short"));
        }
        signatures.push(SignatureLine {
            name: name.to_string(),
            id: u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
            signature: raw[4..].to_vec(),
        });
        if signatures.len() > MAX_SIGNATURES {
            return Err(NoteError::Malformed("too many signatures"));
        }
    }
    if signatures.is_empty() {
        return Err(NoteError::Malformed("no signature"));
    }
    Ok(Note {
        text: text.to_string(),
        signatures,
    })
}

/// Opens a signed note: the text and the names of the known keys whose signatures hold.
/// Signatures by unknown keys are ignored; a bad signature by a known key is an error.
pub fn open(note: &str, known: &[VerifierKey]) -> Result<(String, Vec<String>), NoteError> {
    let n = parse(note)?;
    let mut verified = Vec::new();
    for s in &n.signatures {
        let Some(k) = known.iter().find(|k| k.name == s.name && k.id == s.id) else {
            continue;
        };
        if !k.verify(n.text.as_bytes(), &s.signature) {
            return Err(NoteError::InvalidSignature {
                name: s.name.clone(),
                id: s.id,
            });
        }
        if !verified.contains(&s.name) {
            verified.push(s.name.clone());
        }
    }
    if verified.is_empty() {
        return Err(NoteError::Unverified);
    }
    Ok((n.text, verified))
}

/// A checkpoint body: which log, how many entries, the root over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// Optional extension lines after the root (kept as they are).
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// The note text: origin, size in decimal, base64 root, extensions; each line ending "\n".
    pub fn text(&self) -> String {
        let mut out = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        );
        for e in &self.extensions {
            out.push_str(e);
            out.push('\n');
        }
        out
    }

    pub fn parse(text: &str) -> Result<Checkpoint, NoteError> {
        check_text(text).map_err(|_| NoteError::BadCheckpoint("not note text"))?;
        let mut lines = text.lines();
        let origin = lines
            .next()
            .filter(|o| !o.is_empty())
            .ok_or(NoteError::BadCheckpoint("no origin line"))?;
        let size = lines
            .next()
            .filter(|s| {
                !s.is_empty()
                    && s.bytes().all(|b| b.is_ascii_digit())
                    && (s.len() == 1 || !s.starts_with('0'))
            })
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or(NoteError::BadCheckpoint(
                "tree size: decimal, no leading zeros",
            ))?;
        let root: Hash = lines
            .next()
            .and_then(|r| B64.decode(r).ok())
            .and_then(|r| r.try_into().ok())
            .ok_or(NoteError::BadCheckpoint("root: base64 of 32 bytes"))?;
        Ok(Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            extensions: lines.map(str::to_string).collect(),
        })
    }
}

#[cfg(test)]
#[path = "note_tests.rs"]
mod tests;
