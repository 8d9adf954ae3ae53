//! Attachments a disclosure may carry: PDF, JPEG or PNG, recognised by their first bytes (not
//! by the name a file was given), at most [`MAX_FILES`] of at most [`MAX_BYTES`] each.

use super::DisclosureError;

pub const MAX_FILES: usize = 5;
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// The type of a file by its first bytes, if it is one a disclosure may carry.
pub fn kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// Checks a set of uploaded files (name, bytes); the type of each, in order.
pub fn check(files: &[(String, Vec<u8>)]) -> Result<Vec<&'static str>, DisclosureError> {
    if files.len() > MAX_FILES {
        return Err(DisclosureError::TooManyAttachments { max: MAX_FILES });
    }
    files
        .iter()
        .map(|(name, bytes)| {
            let name: String = name.chars().take(60).collect();
            if bytes.len() > MAX_BYTES {
                return Err(DisclosureError::AttachmentTooLarge {
                    name,
                    max_mb: MAX_BYTES >> 20,
                });
            }
            kind(bytes).ok_or(DisclosureError::AttachmentType { name })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pdf_jpeg_and_png_by_their_bytes() {
        assert_eq!(kind(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(kind(b"MZ\x90\x00"), None);
        let exe = vec![("a.pdf".to_string(), b"MZ".to_vec())];
        assert!(matches!(
            check(&exe),
            Err(DisclosureError::AttachmentType { .. })
        ));
        let big = vec![(
            "b.pdf".to_string(),
            [b"%PDF-".to_vec(), vec![0; MAX_BYTES]].concat(),
        )];
        assert!(matches!(
            check(&big),
            Err(DisclosureError::AttachmentTooLarge { max_mb: 5, .. })
        ));
        let many = vec![("c.png".to_string(), b"\x89PNG\r\n\x1a\n".to_vec()); MAX_FILES + 1];
        assert!(matches!(
            check(&many),
            Err(DisclosureError::TooManyAttachments { .. })
        ));
    }
}
