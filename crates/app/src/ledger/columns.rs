//! The columns of each ledger file: English field names (the import/export layout) and the
//! Chinese headers accepted for them. See docs/ledger-import.md.

use super::Kind;
use crate::tabular::{col, Column};

pub const CONTRACT_COLUMNS: &[Column] = &[
    col("contract_no", &["合同编号", "合同号"], true),
    col("kind", &["合同类型", "类型"], true),
    col("counterparty", &["承包方", "承租方", "对方"], true),
    col("counterparty_id", &["承包方身份证号", "身份证号"], false),
    col("subject", &["标的", "合同标的"], false),
    col("resource_no", &["资源编号"], false),
    col("area_mu", &["面积（亩）", "面积(亩)", "亩数"], false),
    col(
        "area_m2",
        &["面积（平方米）", "面积(平方米)", "平方米"],
        false,
    ),
    col("start_on", &["起始日期", "开始日期", "起租日期"], true),
    col("end_on", &["终止日期", "结束日期", "到期日期"], true),
    col(
        "annual_rent_yuan",
        &["年租金（元）", "年租金(元)", "年租金", "合同金额"],
        true,
    ),
    col("prepaid_years", &["预收年限", "预收租金年限"], false),
    col(
        "paid_yuan",
        &["已收金额（元）", "已收金额(元)", "已收金额", "已收租金"],
        false,
    ),
    col("signed_on", &["签订日期"], false),
    col("procedure_ref", &["民主程序记录", "民主程序"], false),
    col("related_cadre", &["涉及村干部", "是否涉及村干部"], false),
];

pub const DEBT_COLUMNS: &[Column] = &[
    col("debt_no", &["债务编号"], true),
    col("creditor", &["债权人"], true),
    col(
        "principal_yuan",
        &["本金（元）", "本金(元)", "债务金额", "本金"],
        true,
    ),
    col("incurred_on", &["发生日期", "形成日期"], false),
    col("category", &["类别", "债务类别"], false),
    col("note", &["备注"], false),
];

pub const ACTION_COLUMNS: &[Column] = &[
    col("debt_no", &["债务编号"], true),
    col("method", &["化解方式", "方式"], true),
    col(
        "amount_yuan",
        &["化解金额（元）", "化解金额(元)", "化解金额", "金额"],
        true,
    ),
    col("acted_on", &["化解日期", "日期"], true),
    col("evidence", &["证明材料", "凭证"], false),
    col("note", &["备注"], false),
];

pub const CLAIM_COLUMNS: &[Column] = &[
    col("claim_no", &["债权编号"], true),
    col("debtor", &["债务人", "欠款人"], true),
    col(
        "amount_yuan",
        &["金额（元）", "金额(元)", "债权金额", "金额"],
        true,
    ),
    col("arose_on", &["发生日期", "形成日期"], false),
    col("origin", &["来源"], false),
    col("note", &["备注"], false),
];

pub const RESOURCE_COLUMNS: &[Column] = &[
    col("resource_no", &["资源编号"], true),
    col("kind", &["资源类型", "类型"], true),
    col("name", &["名称", "资源名称"], false),
    col("area_mu", &["面积（亩）", "面积(亩)", "面积"], false),
    col("location", &["位置", "坐落"], false),
    col("status", &["状态", "使用状态"], true),
    col("contract_no", &["合同编号"], false),
    col("note", &["备注"], false),
];

pub fn columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Contracts => CONTRACT_COLUMNS,
        Kind::Debts => DEBT_COLUMNS,
        Kind::DebtActions => ACTION_COLUMNS,
        Kind::Claims => CLAIM_COLUMNS,
        Kind::Resources => RESOURCE_COLUMNS,
    }
}
