//! Everything the credit program refuses, with an English message (`Display`) and a Chinese one
//! ([`CreditError::message_zh`]) for village pages.

use super::fairness::HouseholdRef;
use super::round::{RoundAction, RoundStage};
use crate::message::{FieldError, Text};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditError {
    // ---- rule sets
    #[error("rule set is not valid TOML (line {line}): {message}")]
    Toml { line: usize, message: String },
    #[error("{context}: '{field}' is required")]
    Required {
        context: String,
        field: &'static str,
    },
    #[error("{context}: '{field}' is longer than {max} characters")]
    TooLong {
        context: String,
        field: &'static str,
        max: usize,
    },
    #[error("base_score must not be negative (got {0})")]
    BadBaseScore(i64),
    #[error(
        "grade thresholds must strictly decrease AAA > AA > A (got AAA {aaa}, AA {aa}, A {a})"
    )]
    BadThresholds { aaa: i64, aa: i64, a: i64 },
    #[error("confirm_weight must be a positive integer (got {0})")]
    BadConfirmWeight(i64),
    #[error("rule set has no items ([[item]])")]
    NoItems,
    #[error("item code '{code}' may contain only letters, digits, '_', '-' and '.' (at most 32)")]
    BadCode { code: String },
    #[error("item code '{code}' is used twice")]
    DuplicateCode { code: String },
    #[error("item '{code}': aspect '{aspect}' must be a name of 1 to 20 characters of plain text")]
    BadAspect { code: String, aspect: String },
    #[error("item '{code}': points must not be zero")]
    ZeroPoints { code: String },
    #[error("item '{code}': cap {cap} must be a positive integer at least |points| ({points})")]
    BadCap { code: String, cap: i64, points: i64 },

    // ---- records and grades
    #[error("{}unknown item code '{code}'", record_id.map(|id| format!("record #{id}: ")).unwrap_or_default())]
    UnknownItem {
        code: String,
        record_id: Option<i64>,
    },
    #[error("'{0}' is not a grade (AAA, AA, A or B)")]
    BadGrade(String),

    // ---- fairness
    #[error("a recorder cannot score their own household ({target})")]
    OwnHousehold { target: HouseholdRef },
    #[error("the recorder declared a relation to household {target} and cannot score it")]
    RelatedHousehold { target: HouseholdRef },
    #[error("the confirmation must come from a second recorder, not from '{recorder}' who entered the record")]
    ConfirmerIsRecorder { recorder: String },

    // ---- assessment rounds
    #[error("cannot {action} while the round is in stage '{stage}'")]
    WrongStage {
        action: RoundAction,
        stage: RoundStage,
    },
    #[error("the round is final and locked: cannot {action}; record a correction instead")]
    RoundLocked { action: RoundAction },
    #[error("publicity is still running: the final assessment is possible from {final_from}")]
    PublicityRunning { final_from: NaiveDate },
    #[error("publicity ended on {last_day}: objections can no longer be raised")]
    PublicityOver { last_day: NaiveDate },
    #[error("{open} objection(s) still open: resolve them before the final assessment")]
    ObjectionsOpen { open: usize },
    #[error("{pending} heavy records still wait for a second recorder: confirm them first, or finalize leaving them out explicitly (drop_pending) — they would not count")]
    RecordsPending { pending: usize },
    #[error("publicity must last 1 to 60 days (got {0})")]
    BadPublicityDays(u32),
    #[error("the objection is already {status}")]
    ObjectionClosed { status: &'static str },
    #[error("a correction of zero points changes nothing")]
    ZeroDelta,

    // ---- points
    #[error("{field} must be positive (got {value})")]
    NotPositive { field: &'static str, value: i64 },
    #[error("not enough points: balance {balance}, needed {needed}")]
    InsufficientBalance { balance: i64, needed: i64 },
    #[error("not enough stock: {stock} left, {wanted} wanted")]
    InsufficientStock { stock: i64, wanted: i64 },
    #[error("number too large")]
    Overflow,
}

impl CreditError {
    /// The message in Chinese, for pages shown to village cadres and villagers.
    pub fn message_zh(&self) -> String {
        use CreditError::*;
        match self {
            Toml { line, message } => format!("评分细则格式错误（第 {line} 行）：{message}"),
            Required { context, field } => format!("{context}：缺少必填项 {field}"),
            TooLong {
                context,
                field,
                max,
            } => format!("{context}：{field} 超过 {max} 个字符"),
            BadBaseScore(v) => format!("基础分不能为负数（当前 {v}）"),
            BadThresholds { aaa, aa, a } => {
                format!("等级分数线必须依次降低 AAA > AA > A（当前 AAA {aaa}，AA {aa}，A {a}）")
            }
            BadConfirmWeight(v) => format!("复核分值 confirm_weight 必须为正整数（当前 {v}）"),
            NoItems => "评分细则没有任何评分项".to_string(),
            BadCode { code } => {
                format!("评分项编码“{code}”只能包含字母、数字、_、-、.，且不超过 32 位")
            }
            DuplicateCode { code } => format!("评分项编码“{code}”重复"),
            BadAspect { code, aspect } => {
                format!("评分项“{code}”：评价方面“{aspect}”须为 1 至 20 个字的名称")
            }
            ZeroPoints { code } => format!("评分项“{code}”：分值不能为 0"),
            BadCap { code, cap, points } => {
                format!(
                    "评分项“{code}”：上限 {cap} 必须为正整数且不小于单次分值的绝对值（{points}）"
                )
            }
            UnknownItem { code, record_id } => match record_id {
                Some(id) => format!("记录 #{id}：未知的评分项编码“{code}”"),
                None => format!("未知的评分项编码“{code}”"),
            },
            BadGrade(s) => format!("“{s}”不是有效等级（AAA、AA、A 或 B）"),
            OwnHousehold { target } => format!("评分人不能给本户（{target}）评分"),
            RelatedHousehold { target } => {
                format!("评分人已申报与户 {target} 存在关联关系，须回避")
            }
            ConfirmerIsRecorder { recorder } => {
                format!("复核须由另一名评分人确认，不能由录入人“{recorder}”本人确认")
            }
            WrongStage { action, stage } => format!(
                "当前处于“{}”阶段，不能{}",
                stage.label_zh(),
                action.label_zh()
            ),
            RoundLocked { action } => format!(
                "本轮评定已最终确定并锁定，不能{}；如需更改请登记更正",
                action.label_zh()
            ),
            PublicityRunning { final_from } => {
                format!("公示期尚未结束，{final_from} 起方可最终评定")
            }
            PublicityOver { last_day } => format!("公示期已于 {last_day} 结束，不能再提出异议"),
            ObjectionsOpen { open } => format!("还有 {open} 条异议未处理，处理完毕后方可最终评定"),
            RecordsPending { pending } => format!("还有 {pending} 条重大事项记录待第二人复核：请先复核；或明确选择不计这些记录后终评（它们将不计分）"),
            BadPublicityDays(d) => format!("公示天数须为 1 至 60 天（当前 {d}）"),
            ObjectionClosed { status } => {
                let s = match *status {
                    "upheld" => "已成立",
                    "rejected" => "已驳回",
                    other => other,
                };
                format!("该异议{s}，不能再次处理")
            }
            ZeroDelta => "更正分值为 0，没有任何变化".to_string(),
            NotPositive { field, value } => format!("{field} 必须为正数（当前 {value}）"),
            InsufficientBalance { balance, needed } => {
                format!("积分不足：余额 {balance}，需要 {needed}")
            }
            InsufficientStock { stock, wanted } => format!("库存不足：剩余 {stock}，需要 {wanted}"),
            Overflow => "数值过大".to_string(),
        }
    }

    /// The field a form or an import should mark.
    pub fn field(&self) -> &'static str {
        use CreditError::*;
        match self {
            Toml { .. } | NoItems => "rules",
            Required { field, .. } | TooLong { field, .. } | NotPositive { field, .. } => field,
            BadBaseScore(_) => "base_score",
            BadThresholds { .. } => "grades",
            BadConfirmWeight(_) => "confirm_weight",
            BadCode { .. } | DuplicateCode { .. } => "code",
            BadAspect { .. } => "aspect",
            ZeroPoints { .. } => "points",
            BadCap { .. } => "cap",
            UnknownItem { .. } => "item_code",
            BadGrade(_) => "grade",
            OwnHousehold { .. } | RelatedHousehold { .. } => "household",
            ConfirmerIsRecorder { .. } => "confirmer",
            WrongStage { .. }
            | RoundLocked { .. }
            | PublicityRunning { .. }
            | ObjectionsOpen { .. }
            | RecordsPending { .. } => "stage",
            PublicityOver { .. } | BadPublicityDays(_) => "publicity",
            ObjectionClosed { .. } => "status",
            ZeroDelta => "delta",
            InsufficientBalance { .. } => "balance",
            InsufficientStock { .. } => "stock",
            Overflow => "amount",
        }
    }

    /// As a [`FieldError`] (both languages), for forms and imports.
    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(self.field(), self.text())
    }

    /// The refusal in both languages, under a stable code.
    pub fn text(&self) -> Text {
        Text::new(self.code(), self.message_zh(), self.to_string())
    }

    /// The stable code clients may branch on (the API's `reason`).
    pub fn code(&self) -> &'static str {
        use CreditError::*;
        match self {
            Toml { .. } => "credit.rules_toml",
            Required { .. } => "credit.required",
            TooLong { .. } => "credit.too_long",
            BadBaseScore(_) => "credit.base_score",
            BadThresholds { .. } => "credit.thresholds",
            BadConfirmWeight(_) => "credit.confirm_weight",
            NoItems => "credit.no_items",
            BadCode { .. } => "credit.item_code",
            DuplicateCode { .. } => "credit.item_code_twice",
            BadAspect { .. } => "credit.aspect",
            ZeroPoints { .. } => "credit.zero_points",
            BadCap { .. } => "credit.cap",
            UnknownItem { .. } => "credit.unknown_item",
            BadGrade(_) => "credit.grade",
            OwnHousehold { .. } => "credit.own_household",
            RelatedHousehold { .. } => "credit.related_household",
            ConfirmerIsRecorder { .. } => "credit.confirmer_is_recorder",
            WrongStage { .. } => "credit.wrong_stage",
            RoundLocked { .. } => "credit.round_locked",
            PublicityRunning { .. } => "credit.publicity_running",
            PublicityOver { .. } => "credit.publicity_over",
            ObjectionsOpen { .. } => "credit.objections_open",
            RecordsPending { .. } => "credit.records_pending",
            BadPublicityDays(_) => "credit.publicity_days",
            ObjectionClosed { .. } => "credit.objection_closed",
            ZeroDelta => "credit.zero_delta",
            NotPositive { .. } => "credit.not_positive",
            InsufficientBalance { .. } => "credit.insufficient_balance",
            InsufficientStock { .. } => "credit.insufficient_stock",
            Overflow => "credit.overflow",
        }
    }

    /// One refusal of each kind, for the test that every message has Chinese.
    pub fn examples() -> Vec<CreditError> {
        use CreditError::*;
        let d = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default();
        let c = || "SV01".to_string();
        vec![
            Toml {
                line: 3,
                message: "expected '='".into(),
            },
            Required {
                context: "item SV01".into(),
                field: "text_zh",
            },
            TooLong {
                context: "item SV01".into(),
                field: "text_zh",
                max: 2000,
            },
            BadBaseScore(-1),
            BadThresholds {
                aaa: 1,
                aa: 2,
                a: 3,
            },
            BadConfirmWeight(0),
            NoItems,
            BadCode { code: c() },
            DuplicateCode { code: c() },
            BadAspect {
                code: c(),
                aspect: String::new(),
            },
            ZeroPoints { code: c() },
            BadCap {
                code: c(),
                cap: 0,
                points: 5,
            },
            UnknownItem {
                code: c(),
                record_id: Some(5),
            },
            BadGrade("C".into()),
            OwnHousehold {
                target: HouseholdRef(9),
            },
            RelatedHousehold {
                target: HouseholdRef(9),
            },
            ConfirmerIsRecorder {
                recorder: "cadre_a".into(),
            },
            WrongStage {
                action: RoundAction::StartPublicity,
                stage: RoundStage::Filing,
            },
            RoundLocked {
                action: RoundAction::StartPublicity,
            },
            PublicityRunning { final_from: d },
            PublicityOver { last_day: d },
            ObjectionsOpen { open: 2 },
            RecordsPending { pending: 3 },
            BadPublicityDays(90),
            ObjectionClosed { status: "upheld" },
            ZeroDelta,
            NotPositive {
                field: "qty",
                value: 0,
            },
            InsufficientBalance {
                balance: 16,
                needed: 7920,
            },
            InsufficientStock {
                stock: 0,
                wanted: 1,
            },
            Overflow,
        ]
    }
}

/// Longest free text of the credit program (reasons, evidence, names of rules).
pub const MAX_TEXT_CHARS: usize = 2000;

/// `value` trimmed, or [`CreditError::Required`] / [`CreditError::TooLong`] naming `field` in `context` when blank.
pub(crate) fn required(
    value: &str,
    context: &str,
    field: &'static str,
) -> Result<String, CreditError> {
    let t = value.trim();
    if t.is_empty() {
        Err(CreditError::Required {
            context: context.to_string(),
            field,
        })
    } else if t.chars().count() > MAX_TEXT_CHARS {
        Err(CreditError::TooLong {
            context: context.to_string(),
            field,
            max: MAX_TEXT_CHARS,
        })
    } else {
        Ok(t.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_credit_refusal_has_chinese_and_english_and_its_own_code() {
        let examples = CreditError::examples();
        let mut codes: Vec<&str> = examples.iter().map(CreditError::code).collect();
        for e in &examples {
            let t = e.text();
            assert!(t.has_chinese() && !t.en.is_empty(), "{e:?}");
            assert!(t.code.starts_with("credit."));
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes.len(),
            examples.len(),
            "a kind is missing or shares a code"
        );
    }

    #[test]
    fn messages_name_the_item_in_both_languages() {
        let e = CreditError::DuplicateCode {
            code: "SV01".into(),
        };
        assert_eq!(e.to_string(), "item code 'SV01' is used twice");
        assert!(e.message_zh().contains("SV01") && e.message_zh().contains("重复"));
        let e = CreditError::UnknownItem {
            code: "X1".into(),
            record_id: Some(5),
        };
        assert_eq!(e.to_string(), "record #5: unknown item code 'X1'");
        let f = e.to_field_error();
        assert_eq!(f.field, "item_code");
        assert_eq!(&*f.message.en, "record #5: unknown item code 'X1'");
        assert_eq!(&*f.message.zh, "记录 #5：未知的评分项编码“X1”");
        assert_eq!(f.message.code, "credit.unknown_item");
        let e = CreditError::UnknownItem {
            code: "X1".into(),
            record_id: None,
        };
        assert_eq!(e.to_string(), "unknown item code 'X1'");
        let e = CreditError::WrongStage {
            action: RoundAction::StartPublicity,
            stage: RoundStage::Filing,
        };
        assert_eq!(
            e.to_string(),
            "cannot start publicity while the round is in stage 'filing'"
        );
        assert_eq!(e.message_zh(), "当前处于“信息建档”阶段，不能开始公示");
        let e = CreditError::ObjectionsOpen { open: 2 };
        assert!(e.to_string().starts_with("2 objection(s)") && e.message_zh().contains('2'));
        assert_eq!(
            CreditError::OwnHousehold {
                target: HouseholdRef(9)
            }
            .to_string(),
            "a recorder cannot score their own household (#9)"
        );
        assert_eq!(
            CreditError::ObjectionClosed { status: "rejected" }.message_zh(),
            "该异议已驳回，不能再次处理"
        );
    }
}
