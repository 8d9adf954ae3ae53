use super::*;
use proptest::prelude::*;

// golang/mod sumdb/note/note_test.go: a signer key, its verifier key, a text and its signature.
const SKEY: &str = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
const PETER_SIG: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

fn peter() -> SignerKey {
    SignerKey::parse(SKEY).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn go_sumdb_keys_and_signature_are_reproduced() {
    let s = peter();
    assert_eq!(s.id(), 0xc74f20a3);
    assert_eq!(s.text(), SKEY);
    assert_eq!(s.verifier().text(), VKEY);
    let v = VerifierKey::parse(VKEY).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((v.name.as_str(), v.id), ("PeterNeumann", 0xc74f20a3));
    // Ed25519 is deterministic: the same note, byte for byte.
    assert_eq!(sign(TEXT, &[&s]), Ok(format!("{TEXT}\n{PETER_SIG}")));
}

#[test]
fn opening_ignores_unknown_keys_and_refuses_bad_signatures() {
    let peter_v = VerifierKey::parse(VKEY).unwrap_or_else(|e| panic!("{e}"));
    let enoch_v = VerifierKey::parse(ENOCH).unwrap_or_else(|e| panic!("{e}"));
    let both = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");
    assert_eq!(
        open(&both, std::slice::from_ref(&peter_v)),
        Ok((TEXT.to_string(), vec!["PeterNeumann".to_string()]))
    );
    assert_eq!(
        open(&both, &[peter_v.clone(), enoch_v]).map(|(_, names)| names.len()),
        Ok(2)
    );
    assert_eq!(open(&both, &[]), Err(NoteError::Unverified));
    let tampered = format!("{}ABCD{}", &PETER_SIG[..60], &PETER_SIG[60..]);
    assert!(matches!(
        open(
            &format!("{TEXT}\n{tampered}"),
            std::slice::from_ref(&peter_v)
        ),
        Err(NoteError::InvalidSignature { .. })
    ));
    let changed = TEXT.replace("answer", "Answer");
    assert!(open(
        &format!("{changed}\n{PETER_SIG}"),
        std::slice::from_ref(&peter_v)
    )
    .is_err());
    let many = format!("{TEXT}\n{}", PETER_SIG.repeat(MAX_SIGNATURES + 1));
    assert!(matches!(
        open(&many, std::slice::from_ref(&peter_v)),
        Err(NoteError::Malformed(_))
    ));
}

#[test]
fn malformed_notes_and_keys_are_refused() {
    let v = VerifierKey::parse(VKEY).unwrap_or_else(|e| panic!("{e}"));
    let bad_sig_line = PETER_SIG.trim_end_matches('\n');
    for bad in [
        TEXT.to_string(),
        format!("{TEXT}\n"),
        format!("{TEXT}\n{bad_sig_line}"),
        format!("\u{1}{TEXT}\n{PETER_SIG}"),
        format!("{TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"),
        format!("{TEXT}\n{PETER_SIG}Unexpected line.\n"),
    ] {
        assert!(matches!(open(&bad, std::slice::from_ref(&v)), Err(NoteError::Malformed(_))), "{bad:?}");
    }
    assert!(
        sign("abc", &[&peter()]).is_err(),
        "text without a final newline"
    );
    // Every shortening and every one-byte change of the verifier key is refused.
    let b = VKEY.as_bytes();
    for i in 0..b.len() {
        for j in i + 1..=b.len() {
            if (i, j) != (0, b.len()) {
                let part = String::from_utf8_lossy(&b[i..j]).to_string();
                assert!(VerifierKey::parse(&part).is_err(), "{part}");
            }
        }
        let mut c = b.to_vec();
        c[i] = c[i].wrapping_add(1);
        let changed = String::from_utf8_lossy(&c).to_string();
        assert!(VerifierKey::parse(&changed).is_err(), "{changed}");
    }
    assert!(SignerKey::parse(&SKEY.replace("c74f20a3", "c74f20a4")).is_err());
    assert!(SignerKey::from_seed("a+b", &[7; 32]).is_err());
}

#[test]
fn checkpoints_round_trip_and_refuse_bad_bodies() {
    let c = Checkpoint {
        origin: "grassroots/gaoping".into(),
        size: 8,
        root: super::super::merkle::EMPTY_ROOT,
        extensions: vec![],
    };
    assert_eq!(
        c.text(),
        "grassroots/gaoping\n8\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
    );
    assert_eq!(Checkpoint::parse(&c.text()), Ok(c.clone()));
    for bad in [
        "grassroots/gaoping\n08\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
        "grassroots/gaoping\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
        "grassroots/gaoping\n8\nAAAA\n",
        "grassroots/gaoping\n8\n",
        "\n8\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
    ] {
        assert!(Checkpoint::parse(bad).is_err(), "{bad:?}");
    }
    let s = peter();
    let note = sign(&c.text(), &[&s]).unwrap_or_else(|e| panic!("{e}"));
    let (text, _) = open(&note, &[s.verifier()]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Checkpoint::parse(&text), Ok(c));
}

proptest! {
    /// Any key and any checkpoint: the signed note opens with the key's verifier and with
    /// a cosigner's, and a changed size or root never opens.
    #[test]
    fn signed_checkpoints_open_only_unchanged(seed in any::<[u8; 32]>(), size in any::<u64>(), root in any::<[u8; 32]>()) {
        let log = SignerKey::from_seed("grassroots/test", &seed).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let witness = SignerKey::from_seed("witness", &[9; 32]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let c = Checkpoint { origin: "grassroots/test".into(), size, root, extensions: vec![] };
        let note = sign(&c.text(), &[&log, &witness]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (_, names) = open(&note, &[log.verifier(), witness.verifier()]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(names.len(), 2);
        let other = Checkpoint { size: size.wrapping_add(1), ..c.clone() };
        let forged = note.replacen(&c.text(), &other.text(), 1);
        prop_assert!(open(&forged, &[log.verifier()]).is_err());
    }
}
