//! Masking of personal data for display. Pages and API responses show only these forms unless a
//! role with the right reveals the full value (and that reveal is audited).

/// `140581199001011234` → `1405*************4`: the area and the last character only, so no
/// birth-date or sequence digit is shown (with a birth year and the village code known, about
/// 16,000 IDs still fit; see [`crate::privacy`]).
pub fn mask_resident_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail = chars[chars.len() - 1];
    format!("{head}{}{tail}", "*".repeat(chars.len() - 5))
}

/// A stored mask (possibly of the older `1405**********1234` form) re-cut to the current form.
pub fn remask_resident_id(masked: &str) -> String {
    mask_resident_id(masked)
}

/// Whether `typed` is the masked form of the ID whose stored mask is `stored` (old or current
/// form): edit forms send the masked ID back to mean "keep the stored one".
pub fn is_mask_of(typed: &str, stored: &str) -> bool {
    let t = typed.trim();
    !stored.is_empty() && t.contains('*') && mask_resident_id(t) == mask_resident_id(stored)
}

/// A free-text contact (`13812345678`, `0356-5221234`, `wechat zhang88`…) masked: phones as
/// phones, anything else keeps its first and last character.
pub fn mask_contact(contact: &str) -> String {
    let t = contact.trim();
    match crate::registry::validate_phone(t) {
        Ok(p) => mask_phone(&p),
        Err(_) => {
            let chars: Vec<char> = t.chars().collect();
            match chars.len() {
                0..=2 => "*".repeat(chars.len()),
                n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
            }
        }
    }
}

/// `13812345678` → `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// `张三明` → `张*明`, `张三` → `张*`: how publicity lists show names.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => chars[0].to_string(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_as_the_issue_shows() {
        assert_eq!(mask_resident_id("140581199001011234"), "1405*************4");
        assert_eq!(
            remask_resident_id("1405**********1234"),
            "1405*************4"
        );
        assert!(is_mask_of("1405**********1234", "1405*************4"));
        assert!(!is_mask_of("140581199001011234", "1405*************4"));
        assert_eq!(mask_contact("13812345678"), "138****5678");
        assert_eq!(mask_contact("wx:zhang"), "w******g");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_name("张三明"), "张*明");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳小明"), "欧**明");
    }
}
