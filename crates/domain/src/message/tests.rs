use super::catalogue::{self, FIELDS};
use super::*;
use std::collections::BTreeSet;

/// The `{name}`s a template fills in.
fn names(template: &str) -> BTreeSet<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(n, _)| n))
        // A value given in each language (`{role_zh}`, `{role_en}`) is one value.
        .map(|n| n.trim_end_matches("_zh").trim_end_matches("_en"))
        // A library's own English words about a broken file: the English text only.
        .filter(|n| *n != "detail")
        .collect()
}

#[test]
fn every_catalogue_entry_has_chinese_and_english_naming_the_same_values() {
    let all: Vec<&Entry> = catalogue::all().collect();
    for e in &all {
        assert!(
            !e.zh.trim().is_empty() && has_han(e.zh),
            "{}: no Chinese",
            e.code
        );
        assert!(!e.en.trim().is_empty(), "{}: no English", e.code);
        assert!(
            !has_han(&e.en.replace("男/女", "").replace("是/否", "")),
            "{}: Chinese in English",
            e.code
        );
        assert_eq!(names(e.zh), names(e.en), "{}: values differ", e.code);
    }
    // Two sentences may share a code when they say the same thing (`not_found`).
    let codes: BTreeSet<(&str, &str)> = all.iter().map(|e| (e.code, e.zh)).collect();
    assert_eq!(codes.len(), all.len(), "an entry is listed twice");
}

#[test]
fn every_entry_written_in_the_catalogue_is_listed_in_all() {
    for (source, listed) in [
        (include_str!("catalogue.rs"), catalogue::ALL),
        (include_str!("catalogue/files.rs"), catalogue::files::ALL),
        (
            include_str!("catalogue/requests.rs"),
            catalogue::requests::ALL,
        ),
    ] {
        let written = source.matches(": Entry =").count();
        assert_eq!(written, listed.len(), "an entry is missing from an ALL");
    }
}

#[test]
fn every_field_label_has_chinese() {
    for (field, zh, en) in FIELDS {
        assert!(has_han(zh) && !en.is_empty(), "{field}");
    }
}

#[test]
fn entries_fill_values_and_field_labels_in_each_language() {
    let t = catalogue::TOO_LONG.field("head_name", &[("max", &40)]);
    assert_eq!(t.code, "too_long");
    assert_eq!(&*t.zh, "户主姓名不能超过 40 个字");
    assert_eq!(&*t.en, "head of household is longer than 40 characters");
    assert_eq!(
        t.to_string(),
        "head of household is longer than 40 characters / 户主姓名不能超过 40 个字"
    );
    assert_eq!(t.pick(true), "户主姓名不能超过 40 个字");
    assert_eq!(t.only(false).to_string(), &*t.en);
    let d = catalogue::DATE_INVALID.with(&[("value", &"2020-13-45")]);
    assert!(d.zh.contains("“2020-13-45”不是有效日期"), "{}", d.zh);
}

#[test]
fn plain_strings_split_into_their_languages() {
    let t = Text::from("required / 必填");
    assert_eq!((t.code, &*t.zh, &*t.en), (PLAIN, "必填", "required"));
    let t = Text::from("only english");
    assert!(!t.has_chinese() && t.to_string() == "only english");
}

#[test]
fn api_form_of_a_field_error() {
    let e = FieldError::new("name", catalogue::REQUIRED.field("name", &[]));
    let json = serde_json::to_value(&e).unwrap_or_default();
    assert_eq!(json["field"], "name");
    assert_eq!(json["reason"], "required");
    assert_eq!(json["message_zh"], "请填写姓名");
    assert_eq!(json["message_en"], "name is required");
    assert_eq!(json["message"], "name is required / 请填写姓名");
}

#[test]
fn things_are_found_by_their_english_name() {
    assert_eq!(catalogue::thing("household 12").map(|e| e.zh), Some("农户"));
    assert_eq!(
        catalogue::thing("API token 3").map(|e| e.zh),
        Some("接口令牌")
    );
    assert_eq!(
        catalogue::thing("assessment round").map(|e| e.zh),
        Some("评定轮次")
    );
    assert_eq!(catalogue::thing("households"), None);
}

#[test]
fn a_detail_fills_the_english_text_only() {
    let t = catalogue::XLSX_UNREADABLE.with(&[("detail", &"invalid Zip archive")]);
    assert!(t.en.ends_with("invalid Zip archive"), "{}", t.en);
    assert!(t.has_chinese() && !t.zh.contains("Zip"), "{}", t.zh);
}

#[test]
fn numbered_and_wrapped_texts_keep_each_language() {
    let t = catalogue::HOUSEHOLD.numbered(12);
    assert_eq!(
        (t.code, &*t.zh, &*t.en),
        ("thing.household", "农户 12", "household 12")
    );
    let why = catalogue::MONEY_EMPTY.text();
    let t = catalogue::ON_DEBT.wrap_with("why", &why, &[("no", &"ZW-1")]);
    assert_eq!(&*t.zh, "债务 ZW-1：请填写金额");
    assert_eq!(&*t.en, "debt ZW-1: amount is empty");
    assert_eq!(t.code, "money.empty");
}
