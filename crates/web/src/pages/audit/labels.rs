//! What the audit log's action codes and summaries mean, in the reader's words.

use crate::i18n::Lang;
use serde_json::Value;

/// Every action the application records: (code, 中文, English).
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("household.create", "新增农户", "household created"),
    ("household.update", "修改农户", "household edited"),
    ("household.delete", "删除农户", "household deleted"),
    (
        "household.assign_grid",
        "分配网格",
        "household assigned to a grid",
    ),
    (
        "household.number_refused",
        "户号被拒绝",
        "household number refused",
    ),
    ("households.import", "导入农户", "households imported"),
    ("member.create", "新增家庭成员", "member added"),
    ("member.update", "修改家庭成员", "member edited"),
    ("member.delete", "删除家庭成员", "member deleted"),
    ("member.reveal", "查看完整号码", "full number revealed"),
    ("member.id_refused", "身份证号被拒绝", "resident ID refused"),
    ("grid.create", "新建网格", "grid created"),
    ("grid.update", "修改网格", "grid edited"),
    ("units.import", "导入行政区划", "divisions imported"),
    ("user.create", "新建账号", "account created"),
    ("user.password", "修改密码", "password changed"),
    (
        "user.password_failed",
        "修改密码失败",
        "password change failed",
    ),
    ("login.failed", "登录失败", "sign-in failed"),
    ("login.throttled", "登录被限制", "sign-in throttled"),
    ("logout", "退出登录", "signed out"),
    ("token.create", "创建 API 令牌", "API token created"),
    ("token.revoke", "吊销 API 令牌", "API token revoked"),
    ("ledger.import", "导入台账", "ledgers imported"),
    ("ledger.debt.action", "债务化解", "debt resolution recorded"),
    ("ledger.claim.collection", "清收欠款", "arrears collected"),
    (
        "ledger.resource.charge",
        "资源收费",
        "resource charge recorded",
    ),
    (
        "ledger.flag.update",
        "整改不规范合同",
        "contract rectification updated",
    ),
    (
        "ledger.flags.recompute",
        "重新检查合同",
        "contracts rechecked",
    ),
    ("ledger.rules.set", "设置检查规则", "county rules set"),
    ("credit.round.open", "开启评定轮次", "credit round opened"),
    ("credit.round.assess", "系统初评", "preliminary assessment"),
    ("credit.round.publish", "开始公示", "publicity started"),
    ("credit.round.finalize", "终评定级", "final assessment"),
    ("credit.profile.file", "信用建档", "household filed"),
    (
        "credit.record.create",
        "记录评分事项",
        "score event recorded",
    ),
    (
        "credit.record.confirm",
        "复核评分事项",
        "score event confirmed",
    ),
    (
        "credit.record.import",
        "导入评分事项",
        "score events imported",
    ),
    (
        "credit.relation.declare",
        "申报回避关系",
        "relation declared",
    ),
    ("credit.objection.raise", "提出异议", "objection raised"),
    ("credit.objection.resolve", "处理异议", "objection resolved"),
    (
        "credit.objection.reveal_contact",
        "查看异议人联系方式",
        "objector's contact revealed",
    ),
    (
        "credit.correction.create",
        "终评更正",
        "correction after final",
    ),
    ("credit.line.grant", "银行授信", "credit line granted"),
    ("credit.points.adjust", "调整积分", "points adjusted"),
    ("credit.points.redeem", "积分兑换", "points redeemed"),
    ("credit.goods.create", "上架商品", "goods added"),
    ("credit.goods.restock", "补充库存", "goods restocked"),
];

/// The action's name for a reader; unknown codes (older versions) are shown as they are.
pub fn action_label(l: Lang, code: &str) -> Option<&'static str> {
    ACTIONS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| l.t(zh, en))
}

/// A stored summary as `field: value` lines (nested objects as `before.stage: filing`), so a
/// reader sees what changed without reading JSON. Text that is not JSON is shown as it is.
pub fn summary_lines(summary: &str) -> Vec<String> {
    match serde_json::from_str::<Value>(summary) {
        Ok(v @ Value::Object(_)) => {
            let mut out = Vec::new();
            flatten("", &v, &mut out);
            out
        }
        _ => vec![summary.to_string()],
    }
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        Value::String(s) => out.push(format!("{prefix}: {s}")),
        Value::Null => out.push(format!("{prefix}: —")),
        other => out.push(format!("{prefix}: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_named_in_both_languages() {
        for (i, (code, zh, en)) in ACTIONS.iter().enumerate() {
            assert!(
                ACTIONS[i + 1..].iter().all(|(c, _, _)| c != code),
                "{code} twice"
            );
            assert!(!zh.is_ascii() && en.is_ascii(), "{code}");
        }
        assert_eq!(
            action_label(Lang::Zh, "credit.round.open"),
            Some("开启评定轮次")
        );
        assert_eq!(action_label(Lang::En, "nope"), None);
    }

    #[test]
    fn summaries_read_as_lines() {
        assert_eq!(
            summary_lines(
                r#"{"before":{"stage":"filing"},"after":{"stage":"assessed","households":3}}"#
            ),
            [
                "after.households: 3",
                "after.stage: assessed",
                "before.stage: filing"
            ]
        );
        assert_eq!(summary_lines("plain"), ["plain"]);
    }
}
