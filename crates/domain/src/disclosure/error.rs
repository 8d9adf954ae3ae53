//! Everything the disclosure program refuses, each with a stable code and both languages.

use crate::message::Text;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisclosureError {
    // ---- the catalogue
    #[error("disclosure catalogue is not valid TOML (line {line}): {message}")]
    Toml { line: usize, message: String },
    #[error("disclosure catalogue has no categories ([[category]])")]
    NoCategories,
    #[error("disclosure catalogue has more than {max} categories")]
    TooManyCategories { max: usize },
    #[error("category {at}: key '{key}' may hold only a-z, 0-9, '_' and '.' (1 to 40)")]
    BadKey { at: usize, key: String },
    #[error("category key '{key}' is used twice")]
    DuplicateKey { key: String },
    #[error("category '{key}': '{field}' is required and at most {max} characters")]
    BadName {
        key: String,
        field: &'static str,
        max: usize,
    },
    #[error("category '{key}': unknown module '{value}' (party, finance, village or other)")]
    BadModule { key: String, value: String },
    #[error("category '{key}': unknown cadence '{value}' (monthly, quarterly or immediate)")]
    BadCadence { key: String, value: String },
    #[error("category '{key}': {field} must be from {min} to {max} (got {value})")]
    OutOfRange {
        key: String,
        field: &'static str,
        min: u32,
        max: u32,
        value: i64,
    },

    // ---- a disclosure
    #[error("unknown disclosure category '{0}'")]
    UnknownCategory(String),
    #[error("category '{category}' belongs to module {expected}, not {got}")]
    WrongModule {
        category: String,
        expected: &'static str,
        got: &'static str,
    },
    #[error("'{value}' is not a period (e.g. 2026-11, 2026-Q3 or 2026-11-05)")]
    BadPeriod { value: String },
    #[error("category '{category}' is published {cadence}: its period looks like {example}, not '{value}'")]
    PeriodDoesNotFit {
        category: String,
        cadence: &'static str,
        example: &'static str,
        value: String,
    },
    #[error("the period {period} has not begun yet")]
    FuturePeriod { period: String },
    #[error("a finance disclosure must be approved by a second person before it is published")]
    NeedsApproval,
    #[error("the person who prepared a disclosure cannot approve it")]
    SelfApproval,
    #[error(
        "only a supervisor of the village (村务监督委员会) may approve its finance disclosures"
    )]
    ApproverNotSupervisor,
    #[error("this draft is already approved (or was published meanwhile)")]
    AlreadyApproved,
    #[error("the draft was changed meanwhile (a finance one must then be approved again); look at it again")]
    ChangedMeanwhile,
    #[error("this disclosure is already published; publish a correction that supersedes it")]
    AlreadyPublished,
    #[error("a correction must supersede a published disclosure of the same village and category")]
    BadSupersede,
    #[error("disclosure {0} has already been superseded")]
    AlreadySuperseded(i64),

    // ---- its table
    #[error("table: {what} exceeds the limit of {max}")]
    TableTooLarge { what: &'static str, max: usize },
    #[error("table row {row}: {got} cells where the header has {want}")]
    TableRagged { row: usize, got: usize, want: usize },
    #[error("table row {row}, column '{column}': '{value}' is not a whole number of fen")]
    TableBadFen {
        row: usize,
        column: String,
        value: String,
    },
    #[error("table: the header is empty")]
    TableNoHeader,
    #[error("table row {row}, column '{column}': a {what} is never published; remove the column")]
    TablePersonalNumber {
        row: usize,
        column: String,
        what: &'static str,
    },

    // ---- its attachments
    #[error("attachment '{name}' is not a PDF, JPEG or PNG file")]
    AttachmentType { name: String },
    #[error("attachment '{name}' is larger than {max_mb} MB")]
    AttachmentTooLarge { name: String, max_mb: usize },
    #[error("at most {max} attachments")]
    TooManyAttachments { max: usize },
}

impl DisclosureError {
    /// The stable code clients may branch on.
    pub fn code(&self) -> &'static str {
        use DisclosureError::*;
        match self {
            Toml { .. } | NoCategories | TooManyCategories { .. } | BadKey { .. } => {
                "disclosure.catalogue"
            }
            DuplicateKey { .. } | BadName { .. } | BadModule { .. } | BadCadence { .. } => {
                "disclosure.catalogue"
            }
            OutOfRange { .. } => "disclosure.catalogue",
            UnknownCategory(_) => "disclosure.unknown_category",
            WrongModule { .. } => "disclosure.wrong_module",
            BadPeriod { .. } | PeriodDoesNotFit { .. } | FuturePeriod { .. } => {
                "disclosure.bad_period"
            }
            NeedsApproval => "disclosure.needs_approval",
            SelfApproval => "disclosure.self_approval",
            ApproverNotSupervisor => "disclosure.approver_not_supervisor",
            AlreadyApproved => "disclosure.already_approved",
            ChangedMeanwhile => "disclosure.changed_meanwhile",
            AlreadyPublished => "disclosure.published_is_final",
            BadSupersede => "disclosure.bad_supersede",
            AlreadySuperseded(_) => "disclosure.already_superseded",
            TableTooLarge { .. } | TableRagged { .. } | TableBadFen { .. } | TableNoHeader => {
                "disclosure.bad_table"
            }
            TablePersonalNumber { .. } => "disclosure.personal_number",
            AttachmentType { .. } | AttachmentTooLarge { .. } | TooManyAttachments { .. } => {
                "disclosure.bad_attachment"
            }
        }
    }

    /// The Chinese message.
    pub fn message_zh(&self) -> String {
        use DisclosureError::*;
        match self {
            Toml { line, message } => format!("公开目录不是有效的 TOML（第 {line} 行）：{message}"),
            NoCategories => "公开目录没有任何类别（[[category]]）".into(),
            TooManyCategories { max } => format!("公开目录的类别超过 {max} 个"),
            BadKey { at, key } => format!(
                "第 {at} 个类别：代码“{key}”只能由小写字母、数字、“_”和“.”组成（1 至 40 个）"
            ),
            DuplicateKey { key } => format!("类别代码“{key}”重复"),
            BadName { key, field, max } => {
                format!("类别“{key}”：{field} 必填，且不超过 {max} 个字")
            }
            BadModule { key, value } => format!(
                "类别“{key}”：不认识的模块“{value}”（党务 party、财务 finance、村务 village、其他 other）"
            ),
            BadCadence { key, value } => format!(
                "类别“{key}”：不认识的公开周期“{value}”（monthly 每月、quarterly 每季、immediate 即时）"
            ),
            OutOfRange {
                key,
                field,
                min,
                max,
                value,
            } => format!("类别“{key}”：{field} 应在 {min} 至 {max} 之间（实为 {value}）"),
            UnknownCategory(k) => format!("没有“{k}”这个公开类别"),
            WrongModule {
                category,
                expected,
                got,
            } => format!("类别“{category}”属于 {expected} 模块，不属于 {got}"),
            BadPeriod { value } => {
                format!("“{value}”不是公开期间（例如 2026-11、2026-Q3 或 2026-11-05）")
            }
            PeriodDoesNotFit {
                category,
                cadence,
                example,
                value,
            } => format!(
                "类别“{category}”按{}公开，期间应写成 {example} 这样，而不是“{value}”",
                cadence_zh(cadence)
            ),
            FuturePeriod { period } => format!("期间 {period} 还没有开始"),
            NeedsApproval => "财务公开须经第二人（村务监督委员会成员）审核后才能发布".into(),
            SelfApproval => "制表人不能审核自己编制的公开".into(),
            ApproverNotSupervisor => "只有本村村务监督委员会成员可以审核财务公开".into(),
            AlreadyApproved => "该草稿已经审核过（或已发布）".into(),
            ChangedMeanwhile => "草稿已被修改（财务公开须重新审核），请重新查看".into(),
            AlreadyPublished => "该公开已发布，不能修改；请发布一条更正来替代它".into(),
            BadSupersede => "更正只能替代本村同一类别已发布的公开".into(),
            AlreadySuperseded(id) => format!("公开 {id} 已经被更正替代"),
            TableTooLarge { what, max } => format!("表格：{} 超过上限 {max}", what_zh(what)),
            TableRagged { row, got, want } => {
                format!("表格第 {row} 行：有 {got} 个单元格，表头有 {want} 列")
            }
            TableBadFen { row, column, value } => {
                format!("表格第 {row} 行“{column}”列：“{value}”不是整数（单位：分）")
            }
            TableNoHeader => "表格：表头为空".into(),
            TablePersonalNumber { row, column, what } => format!(
                "表格第 {row} 行“{column}”列：{}不得公开，请删除该列",
                if *what == "phone" { "手机号" } else { "身份证号" }
            ),
            AttachmentType { name } => format!("附件“{name}”不是 PDF、JPEG 或 PNG 文件"),
            AttachmentTooLarge { name, max_mb } => format!("附件“{name}”超过 {max_mb} MB"),
            TooManyAttachments { max } => format!("附件最多 {max} 个"),
        }
    }

    /// Both languages under the stable code.
    pub fn text(&self) -> Text {
        Text::new(self.code(), self.message_zh(), self.to_string())
    }
}

fn cadence_zh(c: &str) -> &'static str {
    match c {
        "monthly" => "月",
        "quarterly" => "季度",
        _ => "事项（即时）",
    }
}

fn what_zh(w: &str) -> &'static str {
    match w {
        "rows" => "行数",
        "columns" => "列数",
        _ => "单元格长度",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_chinese_and_a_code() {
        let samples = [
            DisclosureError::NoCategories,
            DisclosureError::SelfApproval,
            DisclosureError::NeedsApproval,
            DisclosureError::BadPeriod { value: "x".into() },
            DisclosureError::TableBadFen {
                row: 2,
                column: "金额".into(),
                value: "1.5".into(),
            },
        ];
        for e in samples {
            let t = e.text();
            assert!(t.has_chinese(), "{e}");
            assert!(t.code.starts_with("disclosure."));
        }
    }
}
