//! Where a user-supplied "come back to" target (`back`, `next`) may send the browser: only a
//! path on this site. Anything else becomes `/`, so a crafted link cannot bounce a logged-in
//! user to another host (`//evil`, `/\evil`, `/\t/evil` which browsers read as `//evil`).

/// The target if it is a same-site path, else `/`.
///
/// A same-site path starts with exactly one `/`, has no backslash and no control character,
/// neither as given nor after one more round of percent-decoding (`/%0d%0a…`, `/%2f/evil`,
/// `/%5cevil`). Characters outside printable ASCII are percent-encoded in the result, so it is
/// always a valid `Location` header value.
pub fn same_site_path(target: &str) -> String {
    if is_same_site_path(target) && is_same_site_path(&percent_decode(target)) {
        encode_non_ascii(target)
    } else {
        "/".into()
    }
}

fn is_same_site_path(t: &str) -> bool {
    let mut chars = t.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && !t.contains('\\')
        && !t.chars().any(|c| c.is_control())
}

/// Decodes `%XX` sequences (invalid ones are kept as they are); bytes that do not form UTF-8
/// are replaced, which is enough for the checks above.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

fn encode_non_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn local_paths_pass_and_others_become_root() {
        for ok in ["/", "/households?village=1&page=2", "/login", "/a/b%20c"] {
            assert_eq!(same_site_path(ok), ok);
        }
        assert_eq!(
            same_site_path("/搜索?q=张三"),
            "/%E6%90%9C%E7%B4%A2?q=%E5%BC%A0%E4%B8%89"
        );
        for bad in [
            "",
            "//evil.example",
            "/\\evil.example",
            "\\/evil",
            "/\t/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/%0d%0aX",
            "/%09/evil.example",
            "/%2f/evil.example",
            "/%2F%2Fevil",
            "/%5cevil",
            "https://evil.example",
            "evil.example",
            "javascript:alert(1)",
            "/\u{85}x",
        ] {
            assert_eq!(same_site_path(bad), "/", "{bad:?}");
        }
    }

    fn safe_after_decoding(out: &str) -> bool {
        let d = percent_decode(out);
        is_same_site_path(out) && is_same_site_path(&d)
    }

    proptest! {
        /// Whatever comes in, what goes out is a same-site path that stays one after decoding
        /// and is printable ASCII (a valid header value).
        #[test]
        fn every_result_is_a_same_site_path(t in any::<String>()) {
            let out = same_site_path(&t);
            prop_assert!(safe_after_decoding(&out), "{t:?} -> {out:?}");
            prop_assert!(out.bytes().all(|b| b.is_ascii_graphic()), "{out:?}");
        }

        /// Targets built from the dangerous pieces never survive unless harmless.
        #[test]
        fn dangerous_pieces_never_lead_off_site(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("/"), Just("//"), Just("\\"), Just("%2f"), Just("%5C"), Just("%09"),
                    Just("\t"), Just("\r\n"), Just("%0d%0a"), Just("evil.example"), Just("%"),
                    Just("%25"), Just("?"), Just("a"),
                ],
                0..8,
            )
        ) {
            let t: String = parts.concat();
            let out = same_site_path(&t);
            prop_assert!(out == "/" || out == t, "{t:?} -> {out:?}");
            prop_assert!(safe_after_decoding(&out));
        }

        /// Ordinary paths are kept as they are.
        #[test]
        fn plain_paths_are_kept(p in "/[a-z0-9]{1,10}(/[a-z0-9_-]{1,8}){0,3}(\\?[a-z]{1,5}=[a-z0-9]{0,6})?") {
            prop_assert_eq!(same_site_path(&p), p);
        }
    }
}
