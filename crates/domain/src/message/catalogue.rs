//! Every message of the domain and application rules, Chinese beside English, each under a
//! stable code (the API's `reason`). Add a message here and to [`ALL`]; a test walks [`ALL`]
//! and checks that both languages are written and name the same values. Reading files and
//! importing rows speak in [`files`]; requests and the smaller rules in [`requests`]. A
//! `{detail}` (a library's own English words about a broken file or body) is filled in the
//! English text only: the Chinese one says what to do instead.
//! The credit program's and the ledger's refusals are typed enums with their own two texts
//! (`credit::CreditError`, `ledger::LedgerError`); their codes are `credit.*` and `ledger.*`.

use super::Entry;

pub mod files;
pub mod requests;
pub use files::*;
pub use requests::*;

/// Every entry of the catalogue: [`ALL`] and those of [`files`] and [`requests`].
pub fn all() -> impl Iterator<Item = &'static Entry> {
    ALL.iter().chain(files::ALL).chain(requests::ALL)
}

// ---- units and choices named in a request
pub const NOT_A_VILLAGE: Entry = Entry::new(
    "unit.not_a_village",
    "{code} 不是村（请选择一个村）",
    "{code} is not a village",
);
pub const NOT_A_GRID: Entry = Entry::new(
    "unit.not_a_grid",
    "{code} 不是网格或微网格",
    "{code} is not a grid",
);
pub const HOUSEHOLD_NOT_IN_GRID_VILLAGE: Entry = Entry::new(
    "grid.household_elsewhere",
    "户 {no} 不在该网格所在的村",
    "household {no} is not in the grid's village",
);
pub const UNKNOWN_LEDGER_KIND: Entry = Entry::new(
    "ledger.unknown_kind",
    "不认识的台账类型“{value}”（可选：{known}）",
    "unknown ledger kind '{value}' (one of {known})",
);
pub const UNKNOWN_FORMAT: Entry = Entry::new(
    "export.unknown_format",
    "不认识的文件格式“{value}”（可选：{known}）",
    "unknown format '{value}' (one of {known})",
);
pub const UNKNOWN_HEADERS: Entry = Entry::new(
    "export.unknown_headers",
    "不认识的表头样式“{value}”（可选：{known}）",
    "unknown headers '{value}' (one of {known})",
);
pub const UNKNOWN_SORT: Entry = Entry::new(
    "ranking.unknown_sort",
    "不认识的排序“{value}”（可选：{known}）",
    "unknown sort '{value}' (one of {known})",
);

// ---- the transparency log
pub const LOG_INDEX_OUT_OF_RANGE: Entry = Entry::new(
    "log.index_out_of_range",
    "第 {index} 条不在 {size} 条的树中（日志共 {now} 条）",
    "index {index} is not in a tree of {size} entries (the log holds {now})",
);
pub const LOG_SIZES_OUT_OF_RANGE: Entry = Entry::new(
    "log.sizes_out_of_range",
    "树的大小 {from} → {to} 须由小到大且不超过日志的 {now} 条",
    "sizes {from} → {to} are not within the log's {now} entries, in order",
);
pub const LOG_ENTRY: Entry = Entry::new("log.entry", "日志第 {index} 条", "log entry {index}");

// ---- ledger totals (a debt's principal, a claim's amount) never below what is settled
pub const PRINCIPAL_BELOW_RESOLVED: Entry = Entry::new(
    "ledger.principal_below_resolved",
    "本金不能少于已化解的金额（{settled}）",
    "the principal cannot be below what is already resolved ({settled})",
);
pub const AMOUNT_BELOW_COLLECTED: Entry = Entry::new(
    "ledger.amount_below_collected",
    "金额不能少于已收回的金额（{settled}）",
    "the amount cannot be below what is already collected ({settled})",
);

// ---- any field
pub const REQUIRED: Entry = Entry::new("required", "请填写{field}", "{field} is required");
pub const TOO_LONG: Entry = Entry::new(
    "too_long",
    "{field}不能超过 {max} 个字",
    "{field} is longer than {max} characters",
);
pub const CONTROL_CHARACTER: Entry = Entry::new(
    "control_character",
    "{field}含有控制字符（U+{code}），请输入普通文字",
    "{field} holds a control character (U+{code}); type plain text",
);
pub const MUST_BE_POSITIVE: Entry = Entry::new(
    "must_be_positive",
    "{field}须大于零",
    "{field} must be greater than zero",
);
pub const MUST_NOT_BE_NEGATIVE: Entry = Entry::new(
    "must_not_be_negative",
    "{field}不能为负",
    "{field} must not be negative",
);
pub const NUMBER_TOO_LARGE: Entry = Entry::new(
    "number_too_large",
    "{field}数值过大",
    "{field} is too large",
);
pub const BETWEEN: Entry = Entry::new(
    "between",
    "{field}须在 {min} 至 {max} 之间",
    "{field} must be between {min} and {max}",
);
pub const NOT_A_NUMBER: Entry = Entry::new(
    "not_a_number",
    "“{value}”不是整数",
    "'{value}' is not a whole number",
);

pub const REQUIRED_DATE: Entry = Entry::new(
    "required_date",
    "请填写{field}（年-月-日）",
    "{field} is required (YYYY-MM-DD)",
);
pub const REQUIRED_MONEY: Entry = Entry::new(
    "required_money",
    "请填写{field}（元，例如 1234.50）",
    "{field} is required (yuan, e.g. 1234.50)",
);
pub const NOT_A_DECIMAL: Entry = Entry::new(
    "not_a_decimal",
    "“{value}”不是最多两位小数的数字（例如 12.5）",
    "'{value}' is not a number with at most 2 decimals (e.g. 12.5)",
);
pub const NOT_YES_NO: Entry = Entry::new(
    "not_yes_no",
    "“{value}”不是“是”或“否”（可填 是/否、true/false、1/0）",
    "'{value}' is not yes/no (是/否, true/false, 1/0)",
);
pub const UNKNOWN_CHOICE: Entry = Entry::new(
    "unknown_choice",
    "未知的{field}“{value}”（可选：{known}）",
    "unknown {field} '{value}' (known: {known})",
);

// ---- ledgers (application rules; the domain's amounts are `LedgerError`)
pub const END_BEFORE_START: Entry = Entry::new(
    "ledger.end_before_start",
    "终止日期须晚于起始日期",
    "end_on must be after start_on",
);
pub const TERM_TOO_LONG: Entry = Entry::new(
    "ledger.term_too_long",
    "期限超过 {max} 年，请核对日期",
    "the term is longer than {max} years; check the dates",
);
pub const CONTRACTED_NEEDS_CONTRACT: Entry = Entry::new(
    "ledger.contracted_needs_contract",
    "已发包须填写合同编号",
    "a contracted resource needs its contract_no",
);
pub const ORIGIN_SET_BY_SYSTEM: Entry = Entry::new(
    "ledger.origin_set_by_system",
    "以 {prefixes} 开头的来源由系统生成，不能手工填写",
    "origins starting with {prefixes} are set by the system only",
);

// ---- dates, resident IDs, money
pub const DATE_INVALID: Entry = Entry::new(
    "date.invalid",
    "“{value}”不是有效日期（格式为 年-月-日，例如 2024-03-01）",
    "'{value}' is not a date (expected YYYY-MM-DD, e.g. 2024-03-01)",
);
pub const RESIDENT_ID_LENGTH: Entry = Entry::new(
    "resident_id.length",
    "身份证号应为 18 位，这个号码有 {count} 位",
    "resident ID must have 18 characters, this one has {count}",
);
pub const RESIDENT_ID_CHARACTERS: Entry = Entry::new(
    "resident_id.characters",
    "身份证号只能由数字和末位 X 组成",
    "resident ID may hold only digits and a final X",
);
pub const RESIDENT_ID_CHECK_DIGIT: Entry = Entry::new(
    "resident_id.check_digit",
    "身份证号校验位不正确（应为 {expected}，实为 {found}），请核对号码",
    "resident ID check digit is wrong (expected {expected}, found {found})",
);
pub const RESIDENT_ID_BIRTH_DATE: Entry = Entry::new(
    "resident_id.birth_date",
    "身份证号中的出生日期 {value} 不存在",
    "resident ID holds an impossible birth date {value}",
);
pub const MONEY_EMPTY: Entry = Entry::new("money.empty", "请填写金额", "amount is empty");
pub const MONEY_INVALID: Entry = Entry::new(
    "money.invalid",
    "“{value}”不是以元为单位的金额（数字，最多两位小数，例如 1234.50）",
    "'{value}' is not an amount in yuan (digits with at most 2 decimals, e.g. 1234.50)",
);
pub const MONEY_TOO_LARGE: Entry = Entry::new(
    "money.too_large",
    "金额“{value}”过大",
    "amount '{value}' is too large",
);
pub const MONEY_AT_MOST: Entry = Entry::new(
    "money.at_most",
    "{field}不得超过 {max}",
    "{field} must not exceed {max}",
);

// ---- passwords
pub const PASSWORD_TOO_SHORT: Entry = Entry::new(
    "password.too_short",
    "密码至少 {min} 位",
    "password must have at least {min} characters",
);
pub const PASSWORD_TOO_LONG: Entry = Entry::new(
    "password.too_long",
    "密码至多 {max} 位",
    "password must have at most {max} characters",
);
pub const PASSWORD_COMMON: Entry = Entry::new(
    "password.common",
    "该密码过于常见，请换一个",
    "this password is too common; choose another",
);
pub const PASSWORD_IS_USERNAME: Entry = Entry::new(
    "password.is_username",
    "密码不能与用户名相同",
    "the password must not be the username",
);
pub const PASSWORD_WRONG: Entry = Entry::new("password.wrong", "当前密码不正确", "wrong password");
pub const PASSWORD_CHANGED_MEANWHILE: Entry = Entry::new(
    "password.changed_meanwhile",
    "密码已被修改，请重新登录",
    "the password was changed meanwhile; sign in again",
);

// ---- who may do what
pub const ROLE_MAY_NOT: Entry = Entry::new(
    "forbidden.role",
    "“{role_zh}”角色不能进行此操作",
    "the role {role_en} may not do this",
);
pub const OUTSIDE_AREA: Entry = Entry::new(
    "forbidden.outside_area",
    "该单位不在您的管辖范围内",
    "this unit is outside your area",
);
pub const NATIONAL_ACCOUNT_ONLY: Entry = Entry::new(
    "forbidden.national_account",
    "只有全国管理员可以创建全国账号",
    "only a national administrator may create a national account",
);
pub const BANKS_NO_LEDGERS: Entry = Entry::new(
    "forbidden.bank_ledgers",
    "银行人员不能查看村集体台账",
    "bank officers do not read village ledgers",
);
pub const FORM_EXPIRED: Entry = Entry::new(
    "forbidden.form_expired",
    "表单已过期或来源不明，请刷新页面后重试",
    "the form expired or came from elsewhere; reload and try again",
);
pub const BAD_LINK: Entry = Entry::new(
    "request.bad_link",
    "链接地址不完整或有误，请从菜单重新进入",
    "this address is incomplete or malformed; open the page from the menu",
);

// ---- registry
pub const GRID_PLACE: Entry = Entry::new(
    "registry.grid_place",
    "网格须建在村下，微网格须建在网格下",
    "grids are created under a village, micro-grids under a grid",
);
pub const GRID_ONLY: Entry = Entry::new(
    "registry.grid_only",
    "这里只能编辑网格和微网格",
    "only grids and micro-grids are edited here",
);
pub const GRIDS_FULL: Entry = Entry::new(
    "registry.grids_full",
    "该单位已有 999 个网格，不能再增加",
    "this unit already has 999 grids",
);
pub const UNIT_CODE_DIGITS: Entry = Entry::new(
    "unit_code.digits",
    "单位代码“{value}”只能由数字组成",
    "unit code '{value}' must be digits only",
);
pub const UNIT_CODE_LENGTH: Entry = Entry::new(
    "unit_code.length",
    "单位代码“{value}”有 {len} 位，应为 2、4、6、9、12、15 或 18 位",
    "unit code '{value}' has {len} digits; expected 2, 4, 6, 9, 12, 15 or 18",
);
pub const TAG_UNKNOWN: Entry = Entry::new(
    "registry.tag_unknown",
    "未知的户标签“{value}”（可用：{known}）",
    "unknown tag '{value}' (known: {known})",
);
pub const PHONE_INVALID: Entry = Entry::new(
    "registry.phone_invalid",
    "“{value}”不是电话号码（11 位手机号或带区号的固定电话）",
    "'{value}' is not a phone number (11-digit mobile or area-code landline)",
);
pub const SEX_INVALID: Entry = Entry::new(
    "registry.sex_invalid",
    "“{value}”不是性别（男/女）",
    "'{value}' is not a sex (男/女)",
);
pub const BIRTH_DATE_NOT_ID: Entry = Entry::new(
    "registry.birth_date_not_id",
    "出生日期与身份证号不符",
    "birth date does not match the resident ID",
);
pub const SEX_NOT_ID: Entry = Entry::new(
    "registry.sex_not_id",
    "性别与身份证号不符",
    "sex does not match the resident ID",
);
pub const BIRTH_DATE_FUTURE: Entry = Entry::new(
    "registry.birth_date_future",
    "出生日期晚于今天",
    "birth date is in the future",
);
pub const TAG_FILTER_FORBIDDEN: Entry = Entry::new(
    "registry.tag_filter_forbidden",
    "您的角色不能按标签筛选农户",
    "your role may not filter households by tag",
);
pub const SEARCH_TOO_SHORT: Entry = Entry::new(
    "registry.search_too_short",
    "在乡镇及以上范围内搜索，请至少输入姓名的前 {n} 个字，或完整身份证号",
    "across a township or more, type at least {n} characters of a name (it matches from the \
     start), or a full resident ID",
);
pub const RESIDENT_ID_ELSEWHERE: Entry = Entry::new(
    "registry.resident_id_elsewhere",
    "该身份证号无法在此登记，请联系乡镇核实",
    "this resident ID cannot be registered here; contact the township",
);
pub const RESIDENT_ID_TAKEN: Entry = Entry::new(
    "registry.resident_id_taken",
    "该身份证号已登记在户 {no}（{village}）",
    "this resident ID is already registered in household {no} ({village})",
);
pub const MEMBER_ROW: Entry = Entry::new("registry.member_row", "成员 {n}：", "member {n}: ");

// ---- conflicts and absences the store reports
pub const HOUSEHOLD_NO_TAKEN: Entry = Entry::new(
    "conflict.household_no",
    "该户号在本村已被使用",
    "this household number is already used in the village",
);
pub const HOUSEHOLD_NO_ELSEWHERE: Entry = Entry::new(
    "registry.household_no_elsewhere",
    "该户号无法在此使用，请联系村委会",
    "this household number cannot be used here; contact the village committee",
);
pub const USERNAME_TAKEN: Entry = Entry::new(
    "conflict.username",
    "该用户名已被占用",
    "this username is taken",
);
pub const UNIT_CODE_TAKEN: Entry = Entry::new(
    "conflict.unit_code",
    "已有使用该代码的单位",
    "a unit with this code already exists",
);
pub const SAME_NUMBER_EXISTS: Entry = Entry::new(
    "conflict.duplicate",
    "已有相同编号的记录",
    "a record with the same number already exists",
);
pub const DATA_RULE: Entry = Entry::new(
    "conflict.data_rule",
    "数据规则不允许此操作，请核对填写的内容",
    "refused by a data rule: {detail}",
);
pub const MORE_PROBLEMS: Entry = Entry::new(
    "import.more_problems",
    "另有 {rest} 个问题未列出；请先改正以上问题再检查",
    "and {rest} more problem(s) not listed; fix these and check again",
);
pub const NOT_FOUND: Entry = Entry::new(
    "not_found",
    "没有找到{what}，或它不在您的管辖范围内",
    "{what} not found (or outside your area)",
);
pub const NOT_FOUND_ANY: Entry = Entry::new(
    "not_found",
    "没有找到要访问的内容，或它不在您的管辖范围内。",
    "not found (or outside your area)",
);
pub const FORBIDDEN: Entry = Entry::new("forbidden", "无权进行此操作：{why}", "not allowed: {why}");
pub const UNAUTHENTICATED: Entry = Entry::new("unauthenticated", "请先登录", "please log in");
pub const THROTTLED: Entry = Entry::new(
    "throttled",
    "尝试次数过多，请 {seconds} 秒后再试",
    "too many attempts; try again in {seconds} seconds",
);
pub const DATABASE_BUSY: Entry = Entry::new(
    "unavailable",
    "数据库繁忙，未写入任何数据，请 {seconds} 秒后重试",
    "the database is busy; nothing was written — please retry in {seconds} s",
);
pub const INTERNAL: Entry = Entry::new(
    "internal",
    "系统内部错误，已记录，请稍后再试。",
    "internal error; it has been logged",
);
pub const IMPORT_REFUSED: Entry = Entry::new(
    "import_refused",
    "导入被拒绝：共 {count} 个问题，未写入任何数据",
    "the import was refused: {count} problem(s), nothing was written",
);
pub const RECORD: Entry = Entry::new("thing.record", "记录", "record");
pub const PAGE: Entry = Entry::new("thing.page", "页面", "page");
pub const HOUSEHOLD: Entry = Entry::new("thing.household", "农户", "household");
pub const UNIT: Entry = Entry::new("thing.unit", "单位", "unit");
pub const USER: Entry = Entry::new("thing.user", "账号", "user");
pub const ROUND: Entry = Entry::new("thing.round", "评定轮次", "round");
pub const OBJECTION: Entry = Entry::new("thing.objection", "异议", "objection");
pub const GOODS: Entry = Entry::new("thing.goods", "商品", "goods");
pub const HOUSEHOLD_GRADED_CONSENTING: Entry = Entry::new(
    "thing.household_graded_consenting",
    "已终评且同意共享信息的农户",
    "household with a final grade and consent",
);
pub const ROUND_IN_PUBLICITY: Entry = Entry::new(
    "thing.round_in_publicity",
    "正在公示的评定轮次",
    "round in publicity",
);
pub const CONTRACT: Entry = Entry::new("thing.contract", "合同", "contract");
pub const DEBT: Entry = Entry::new("thing.debt", "债务", "debt");
pub const CLAIM: Entry = Entry::new("thing.claim", "债权", "claim");
pub const RESOURCE: Entry = Entry::new("thing.resource", "资源", "resource");
pub const FLAG: Entry = Entry::new("thing.flag", "问题提示", "flag");
pub const VILLAGE: Entry = Entry::new("thing.village", "村", "village");
pub const CONTACT: Entry = Entry::new("thing.contact", "联系方式", "contact");
pub const ROUTE: Entry = Entry::new("thing.route", "接口", "route");
pub const API_TOKEN: Entry = Entry::new("thing.api_token", "接口令牌", "API token");
pub const ASSESSMENT_ROUND: Entry =
    Entry::new("thing.assessment_round", "评定轮次", "assessment round");
pub const GRID: Entry = Entry::new("thing.grid", "网格", "grid");
pub const MEMBER: Entry = Entry::new("thing.member", "家庭成员", "member");
pub const NO_PAGE: Entry = Entry::new("not_found.page", "没有这个页面", "no page at this address");
pub const BODY_NOT_JSON_OBJECT: Entry = Entry::new(
    "request.not_json_object",
    "请求体须为 JSON 对象",
    "the request body must be a JSON object",
);

// ---- credit program (application rules; the domain's are `CreditError`)
pub const CREDIT_ROUND_UNIT: Entry = Entry::new(
    "credit.round_unit",
    "评定轮次须对应一个村或一个乡镇",
    "a round covers a village or a township",
);
pub const CREDIT_UNKNOWN_ITEM: Entry = Entry::new(
    "credit.unknown_item_code",
    "未知的评分项目：{code}",
    "unknown item code: {code}",
);
pub const CREDIT_EVIDENCE_REQUIRED: Entry = Entry::new(
    "credit.evidence_required",
    "请填写佐证材料（照片、名单、文件）",
    "evidence is required (photo, list, document)",
);
pub const CREDIT_ALREADY_CONFIRMED: Entry = Entry::new(
    "credit.already_confirmed",
    "该记录已确认",
    "already confirmed",
);
pub const CREDIT_BANK_SEES_CONSENTING: Entry = Entry::new(
    "credit.bank_consenting_only",
    "银行仅可查看同意共享信息农户的终评等级",
    "banks see only final grades of consenting households",
);
pub const CREDIT_VILLAGE_CODE: Entry = Entry::new(
    "credit.village_code",
    "请填写村代码",
    "a village code is required",
);
pub const CREDIT_STOCK_BELOW_ZERO: Entry = Entry::new(
    "credit.stock_below_zero",
    "库存不足（现有 {stock}）",
    "stock would go below zero (stock {stock})",
);
pub const CREDIT_NOT_ENOUGH_POINTS: Entry = Entry::new(
    "credit.not_enough_points",
    "积分不足：余额 {balance}，需要 {needed}",
    "not enough points: balance {balance}, needed {needed}",
);
pub const CREDIT_NOT_ENOUGH_POINTS_SHORT: Entry =
    Entry::new("credit.not_enough_points", "积分不足", "not enough points");
pub const CREDIT_NOT_ENOUGH_STOCK: Entry =
    Entry::new("credit.not_enough_stock", "库存不足", "not enough stock");
pub const CREDIT_ADJUSTMENT_NEEDS: Entry = Entry::new(
    "credit.adjustment_needs",
    "须填写调整数和理由",
    "a non-zero change and a reason",
);
pub const CREDIT_ADJUSTMENT_CAP: Entry = Entry::new(
    "credit.adjustment_cap",
    "单次调整不超过 {max} 分",
    "a change of at most {max} points either way",
);
pub const CREDIT_NO_SUCH_HOUSEHOLD: Entry = Entry::new(
    "credit.no_such_household",
    "本村无此户号",
    "no such household",
);
pub const CREDIT_REJECTION_REASON: Entry = Entry::new(
    "credit.rejection_reason",
    "驳回须说明理由",
    "a rejection needs a reason",
);
pub const CREDIT_UPHOLD_NEEDS: Entry = Entry::new(
    "credit.uphold_needs",
    "请填写分数调整或作废的记录",
    "give a score correction or a record to void",
);
pub const CREDIT_NOT_THIS_HOUSEHOLDS: Entry = Entry::new(
    "credit.not_this_households_record",
    "该记录不属于此户",
    "not a record of this household",
);
pub const CREDIT_CORRECTION_NEEDS: Entry = Entry::new(
    "credit.correction_needs",
    "更正须调整积分或等级",
    "a correction changes points or the grade",
);
pub const CREDIT_ALREADY_RESOLVED: Entry = Entry::new(
    "credit.already_resolved",
    "该异议已处理",
    "already resolved",
);
pub const CREDIT_NO_HOUSEHOLD_IN_AREA: Entry = Entry::new(
    "credit.no_household_in_area",
    "本轮范围内无户号 {no}",
    "no household {no} in the round's area",
);
pub const CREDIT_HOUSEHOLD_NO_AMBIGUOUS: Entry = Entry::new(
    "credit.household_no_ambiguous",
    "多个村有此户号，请加“村代码”列",
    "the number is used in several villages: add a village column",
);

/// Every entry above, for the test that walks the catalogue.
pub const ALL: &[Entry] = &[
    NOT_A_VILLAGE,
    NOT_A_GRID,
    HOUSEHOLD_NOT_IN_GRID_VILLAGE,
    UNKNOWN_LEDGER_KIND,
    UNKNOWN_FORMAT,
    UNKNOWN_HEADERS,
    UNKNOWN_SORT,
    LOG_INDEX_OUT_OF_RANGE,
    LOG_SIZES_OUT_OF_RANGE,
    LOG_ENTRY,
    PRINCIPAL_BELOW_RESOLVED,
    AMOUNT_BELOW_COLLECTED,
    REQUIRED,
    TOO_LONG,
    CONTROL_CHARACTER,
    MUST_BE_POSITIVE,
    MUST_NOT_BE_NEGATIVE,
    NUMBER_TOO_LARGE,
    BETWEEN,
    NOT_A_NUMBER,
    REQUIRED_DATE,
    REQUIRED_MONEY,
    NOT_A_DECIMAL,
    NOT_YES_NO,
    UNKNOWN_CHOICE,
    END_BEFORE_START,
    TERM_TOO_LONG,
    CONTRACTED_NEEDS_CONTRACT,
    ORIGIN_SET_BY_SYSTEM,
    DATE_INVALID,
    RESIDENT_ID_LENGTH,
    RESIDENT_ID_CHARACTERS,
    RESIDENT_ID_CHECK_DIGIT,
    RESIDENT_ID_BIRTH_DATE,
    MONEY_EMPTY,
    MONEY_INVALID,
    MONEY_TOO_LARGE,
    MONEY_AT_MOST,
    PASSWORD_TOO_SHORT,
    PASSWORD_TOO_LONG,
    PASSWORD_COMMON,
    PASSWORD_IS_USERNAME,
    PASSWORD_WRONG,
    PASSWORD_CHANGED_MEANWHILE,
    ROLE_MAY_NOT,
    OUTSIDE_AREA,
    NATIONAL_ACCOUNT_ONLY,
    BANKS_NO_LEDGERS,
    FORM_EXPIRED,
    BAD_LINK,
    GRID_PLACE,
    GRID_ONLY,
    GRIDS_FULL,
    UNIT_CODE_DIGITS,
    UNIT_CODE_LENGTH,
    TAG_UNKNOWN,
    PHONE_INVALID,
    SEX_INVALID,
    BIRTH_DATE_NOT_ID,
    SEX_NOT_ID,
    BIRTH_DATE_FUTURE,
    TAG_FILTER_FORBIDDEN,
    SEARCH_TOO_SHORT,
    RESIDENT_ID_ELSEWHERE,
    RESIDENT_ID_TAKEN,
    MEMBER_ROW,
    HOUSEHOLD_NO_TAKEN,
    HOUSEHOLD_NO_ELSEWHERE,
    USERNAME_TAKEN,
    UNIT_CODE_TAKEN,
    SAME_NUMBER_EXISTS,
    DATA_RULE,
    MORE_PROBLEMS,
    NOT_FOUND,
    NOT_FOUND_ANY,
    FORBIDDEN,
    UNAUTHENTICATED,
    THROTTLED,
    DATABASE_BUSY,
    INTERNAL,
    IMPORT_REFUSED,
    RECORD,
    PAGE,
    HOUSEHOLD,
    UNIT,
    USER,
    ROUND,
    OBJECTION,
    GOODS,
    HOUSEHOLD_GRADED_CONSENTING,
    ROUND_IN_PUBLICITY,
    CONTRACT,
    DEBT,
    CLAIM,
    RESOURCE,
    FLAG,
    VILLAGE,
    CONTACT,
    ROUTE,
    API_TOKEN,
    ASSESSMENT_ROUND,
    GRID,
    MEMBER,
    NO_PAGE,
    BODY_NOT_JSON_OBJECT,
    CREDIT_ROUND_UNIT,
    CREDIT_UNKNOWN_ITEM,
    CREDIT_EVIDENCE_REQUIRED,
    CREDIT_ALREADY_CONFIRMED,
    CREDIT_BANK_SEES_CONSENTING,
    CREDIT_VILLAGE_CODE,
    CREDIT_STOCK_BELOW_ZERO,
    CREDIT_NOT_ENOUGH_POINTS,
    CREDIT_NOT_ENOUGH_POINTS_SHORT,
    CREDIT_NOT_ENOUGH_STOCK,
    CREDIT_ADJUSTMENT_NEEDS,
    CREDIT_ADJUSTMENT_CAP,
    CREDIT_NO_SUCH_HOUSEHOLD,
    CREDIT_REJECTION_REASON,
    CREDIT_UPHOLD_NEEDS,
    CREDIT_NOT_THIS_HOUSEHOLDS,
    CREDIT_CORRECTION_NEEDS,
    CREDIT_ALREADY_RESOLVED,
    CREDIT_NO_HOUSEHOLD_IN_AREA,
    CREDIT_HOUSEHOLD_NO_AMBIGUOUS,
];

/// What can be looked for and not found ("household 12" names a household).
const THINGS: &[Entry] = &[
    RECORD,
    PAGE,
    HOUSEHOLD,
    UNIT,
    USER,
    ROUND,
    OBJECTION,
    GOODS,
    MEMBER,
    CONTRACT,
    DEBT,
    CLAIM,
    RESOURCE,
    FLAG,
    VILLAGE,
    CONTACT,
    ROUTE,
    API_TOKEN,
    ASSESSMENT_ROUND,
    GRID,
    HOUSEHOLD_GRADED_CONSENTING,
    ROUND_IN_PUBLICITY,
];

/// The thing an English name such as "household 12" or "API token 3" is about.
pub fn thing(en: &str) -> Option<&'static Entry> {
    THINGS
        .iter()
        .filter(|e| en == e.en || en.strip_prefix(e.en).is_some_and(|r| r.starts_with(' ')))
        .max_by_key(|e| e.en.len())
}

/// What a field is called, in Chinese and English, where a message names it.
pub const FIELDS: &[(&str, &str, &str)] = &[
    ("name", "姓名", "name"),
    ("relation", "与户主关系", "relation"),
    ("sex", "性别", "sex"),
    ("birth_date", "出生日期", "birth date"),
    ("resident_id", "身份证号", "resident ID"),
    ("phone", "电话", "phone"),
    ("household_no", "户号", "household number"),
    ("head_name", "户主姓名", "head of household"),
    ("address", "地址", "address"),
    ("tags", "户标签", "tags"),
    ("notes", "备注", "notes"),
    ("note", "备注", "note"),
    ("reason", "理由", "reason"),
    ("evidence", "佐证材料", "evidence"),
    ("contact", "联系方式", "contact"),
    ("message", "内容", "message"),
    ("period", "评定期间", "period"),
    ("village", "村", "village"),
    ("unit_code", "单位代码", "unit code"),
    ("code", "编码", "code"),
    ("item_code", "评分项编码", "item code"),
    ("member_name", "成员姓名", "member name"),
    ("qty", "数量", "quantity"),
    ("points", "积分", "points"),
    ("cost", "所需积分", "cost"),
    ("stock", "库存", "stock"),
    ("delta", "调整分值", "change"),
    ("amount", "金额", "amount"),
    ("amount_yuan", "金额（元）", "amount (yuan)"),
    ("principal_yuan", "本金（元）", "principal (yuan)"),
    ("paid_yuan", "已付（元）", "paid (yuan)"),
    ("debt_no", "债务编号", "debt number"),
    ("claim_no", "债权编号", "claim number"),
    ("contract_no", "合同编号", "contract number"),
    ("resource_no", "资源编号", "resource number"),
    ("counterparty", "对方", "counterparty"),
    ("counterparty_id", "对方证件号", "counterparty ID"),
    ("creditor", "债权人", "creditor"),
    ("debtor", "债务人", "debtor"),
    ("subject", "事项", "subject"),
    ("location", "位置", "location"),
    ("category", "类别", "category"),
    // ---- disclosures
    ("title", "标题", "title"),
    ("body", "正文", "body"),
    ("table", "表格", "table"),
    ("attachments", "附件", "attachments"),
    ("module", "公开模块", "module"),
    ("supersedes", "更正对象", "corrected disclosure"),
    ("answer", "答复", "answer"),
    ("kind", "类型", "kind"),
    ("origin", "形成原因", "origin"),
    ("method", "方式", "method"),
    ("status", "状态", "status"),
    ("procedure_ref", "程序文号", "procedure reference"),
    ("signed_on", "签订日期", "signing date"),
    ("start_on", "起始日期", "start date"),
    ("end_on", "终止日期", "end date"),
    ("arose_on", "发生日期", "date arisen"),
    ("incurred_on", "发生日期", "date incurred"),
    ("occurred_on", "发生日期", "date"),
    ("acted_on", "办理日期", "date"),
    ("area_mu", "面积（亩）", "area (mu)"),
    ("industry", "产业", "industry"),
    ("income_band", "收入档次", "income band"),
    ("loans", "贷款", "loans"),
    ("repayment", "还款情况", "repayment"),
    ("related_cadre", "关联干部", "related cadre"),
    ("micro_grid", "微网格", "micro-grid"),
    ("username", "用户名", "username"),
    ("password", "密码", "password"),
    ("display_name", "显示名称", "display name"),
    ("limit_yuan", "授信额度（元）", "credit limit (yuan)"),
    ("household", "农户", "household"),
    ("price_points", "所需积分", "price (points)"),
    ("amount_fen", "授信金额", "amount"),
    ("granted_on", "授信日期", "date granted"),
    ("term_months", "期限（月）", "term (months)"),
    ("rate_bp", "利率（基点）", "rate (basis points)"),
    ("record_id", "记录", "record"),
    ("unit", "单位", "unit"),
    ("tag", "户标签", "tag"),
    ("q", "查询内容", "search"),
    ("current", "当前密码", "current password"),
    ("rules", "评分细则", "rules"),
    ("deadline", "整改期限", "deadline"),
    ("annual_rent_yuan", "年租金（元）", "annual rent (yuan)"),
    ("area_m2", "面积（平方米）", "area (m²)"),
    ("goods_id", "商品", "goods"),
    ("head_id", "户主", "head of household"),
    ("grid_code", "网格", "grid"),
    ("contract_kind", "合同类型", "contract kind"),
    ("leader", "负责人", "leader"),
    ("labour", "劳动力人数", "labourers"),
    ("role", "角色", "role"),
    ("days", "有效天数", "days"),
    ("village_code", "村代码", "village code"),
    ("collected_on", "收回日期", "date collected"),
    ("confirmed_by", "确认人", "confirmed by"),
    ("body", "请求内容", "request body"),
];

/// What a level of the administrative tree is called `(zh, en)`, where a message names it.
pub fn level_label(level: &str) -> (&'static str, &'static str) {
    match level {
        "province" => ("省级", "province"),
        "city" => ("市级", "city"),
        "county" => ("县级", "county"),
        "township" => ("乡镇级", "township"),
        "village" => ("村级", "village"),
        "grid" => ("网格", "grid"),
        "micro_grid" => ("微网格", "micro-grid"),
        _ => ("单位", "unit"),
    }
}

/// A field's label `(zh, en)`; a field without one is named by its code in both.
pub fn field_label(field: &str) -> (&str, &str) {
    FIELDS
        .iter()
        .find(|(f, _, _)| *f == field)
        .map_or((field, field), |(_, zh, en)| (*zh, *en))
}
