//! Personal numbers (resident IDs, phones) are stored only as AES-256-GCM ciphertext, with a
//! keyed hash (HMAC-SHA-256) for exact look-up. One master key, from configuration, derives
//! both keys so neither can stand in for the other.

use crate::{AppError, Result};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::Arc;

#[derive(Clone)]
pub struct PersonalCipher {
    inner: Arc<Keys>,
}

struct Keys {
    aead: Aes256Gcm,
    mac_key: [u8; 32],
    log_seed: [u8; 32],
}

impl std::fmt::Debug for PersonalCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonalCipher(..)")
    }
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"grassroots/v1/");
    h.update(label);
    h.update(master);
    h.finalize().into()
}

impl PersonalCipher {
    pub fn new(master: [u8; 32]) -> PersonalCipher {
        let enc = derive(&master, b"encrypt");
        let aead = Aes256Gcm::new(&enc.into());
        PersonalCipher {
            inner: Arc::new(Keys {
                aead,
                mac_key: derive(&master, b"lookup"),
                log_seed: derive(&master, b"transparency-log"),
            }),
        }
    }

    /// Parses a master key written as 64 hex characters.
    pub fn from_hex(hex_key: &str) -> Result<PersonalCipher> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|_| AppError::BadRequest(domain::message::catalogue::KEY_NOT_HEX.text()))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| AppError::BadRequest(domain::message::catalogue::KEY_LENGTH.text()))?;
        Ok(PersonalCipher::new(key))
    }

    /// The seed of the default transparency-log signing key (derived, so a deployment that
    /// configured no log key still signs with the same key after a restart).
    pub fn log_seed(&self) -> [u8; 32] {
        self.inner.log_seed
    }

    /// A fresh random master key, as hex.
    pub fn generate_hex() -> String {
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        hex::encode(key)
    }

    pub fn encrypt(&self, plain: &str) -> Result<String> {
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = self
            .inner
            .aead
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| AppError::Crypto)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(base64::engine::general_purpose::STANDARD_NO_PAD.encode(out))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String> {
        let raw = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(stored)
            .map_err(|_| AppError::Crypto)?;
        if raw.len() < 12 {
            return Err(AppError::Crypto);
        }
        let (nonce, ct) = raw.split_at(12);
        let plain = self
            .inner
            .aead
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| AppError::Crypto)?;
        String::from_utf8(plain).map_err(|_| AppError::Crypto)
    }

    /// Keyed hash for exact look-up; deterministic, useless without the key.
    pub fn lookup_hash(&self, plain: &str) -> String {
        // HMAC accepts keys of any length; this cannot fail for a 32-byte key.
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.inner.mac_key) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(plain.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_hides() {
        let c = PersonalCipher::new([7; 32]);
        let Ok(ct) = c.encrypt("11010519491231002X") else {
            panic!("encrypts")
        };
        assert!(!ct.contains("19491231"));
        assert_eq!(c.decrypt(&ct).ok().as_deref(), Some("11010519491231002X"));
        // Random nonces: the same number encrypts differently each time, the hash does not.
        assert_ne!(c.encrypt("x").ok(), c.encrypt("x").ok());
        assert_eq!(c.lookup_hash("a"), c.lookup_hash("a"));
        assert_ne!(
            c.lookup_hash("a"),
            PersonalCipher::new([8; 32]).lookup_hash("a")
        );
        assert!(PersonalCipher::new([8; 32]).decrypt(&ct).is_err());
    }
}
