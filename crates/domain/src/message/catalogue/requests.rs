//! What a request itself may be refused for (its headers, its body, its keys) and the smaller
//! rules of accounts, grids, households, ledgers and credit records that have no domain type of
//! their own.

use crate::message::Entry;

// ---- the request
pub const CSRF_HEADER: Entry = Entry::new(
    "forbidden.csrf_header",
    "缺少 X-CSRF-Token 请求头或其值不正确",
    "missing or wrong X-CSRF-Token header",
);
pub const BODY_UNREADABLE: Entry = Entry::new(
    "request.body_unreadable",
    "请求内容无法读取或超过 20 MiB",
    "the request body is unreadable or larger than 20 MiB",
);
pub const FORM_UNREADABLE: Entry = Entry::new(
    "request.form_unreadable",
    "提交的表单内容无法读取，请从页面重新填写并提交",
    "the form could not be read: {detail}",
);
pub const UPLOAD_UNREADABLE: Entry = Entry::new(
    "request.upload_unreadable",
    "上传的内容无法读取（文件可能过大或传输中断），请重试",
    "the upload could not be read: {detail}",
);
pub const JSON_BODY_UNREADABLE: Entry = Entry::new(
    "request.json_unreadable",
    "请求内容不是有效的 JSON，或 Content-Type 不是 application/json",
    "{detail}",
);
pub const JSON_BODY_SHAPE: Entry = Entry::new(
    "request.json_shape",
    "请求内容的字段或类型与接口文档（/api/v1/openapi.json）不符",
    "Failed to deserialize the JSON body into the target type: {detail}",
);
pub const ENTRY_INDEX_NUMBER: Entry = Entry::new(
    "request.entry_index",
    "日志条目序号须为整数",
    "the entry index is a whole number",
);
pub const UNKNOWN_STEP: Entry =
    Entry::new("request.unknown_step", "不认识的操作步骤", "unknown step");
pub const METHOD_NOT_ALLOWED: Entry = Entry::new(
    "request.method_not_allowed",
    "此地址不接受这种操作，请从页面上的按钮或链接进入",
    "this address does not take this kind of request; use the page's buttons and links",
);
pub const PAYLOAD_TOO_LARGE: Entry = Entry::new(
    "request.too_large",
    "提交的内容过大，请拆分后重试",
    "what was sent is too large; split it and try again",
);
pub const TODAY_ADMIN_ONLY: Entry = Entry::new(
    "forbidden.set_today",
    "只有管理员可以指定“今天”的日期",
    "only an administrator may set 'today'",
);

// ---- idempotent retries (API)
pub const IDEMPOTENCY_KEY_FORMAT: Entry = Entry::new(
    "idempotency.key_format",
    "Idempotency-Key 须为 1 至 {max} 个可打印的 ASCII 字符",
    "Idempotency-Key must be 1 to {max} printable ASCII characters",
);
pub const IDEMPOTENCY_KEY_REUSED: Entry = Entry::new(
    "idempotency.key_reused",
    "该 Idempotency-Key 已用于另一个请求（方法、路径或内容不同），请换一个新的键",
    "this key was already used for a different request (method, path or body); use a new key",
);
pub const IDEMPOTENCY_ANSWER_LOST: Entry = Entry::new(
    "idempotency.answer_lost",
    "该请求已执行，但服务器停止时答复丢失；请查询该记录，不要重试（换新键会再写一次）",
    "this request was carried out, but its answer was lost when the server stopped; look the \
     record up instead of retrying (a new key would write it again)",
);
pub const IDEMPOTENCY_IN_PROGRESS: Entry = Entry::new(
    "idempotency.in_progress",
    "使用该 Idempotency-Key 的请求仍在处理中（或已结束但没有答复），请稍后重试",
    "a request with this Idempotency-Key is still in progress (or ended without an answer); \
     retry later",
);

// ---- keys
pub const KEY_NOT_HEX: Entry = Entry::new(
    "key.not_hex",
    "密钥须为 64 个十六进制字符",
    "the key must be 64 hex characters",
);
pub const KEY_LENGTH: Entry = Entry::new(
    "key.length",
    "密钥须为 32 字节（64 个十六进制字符）",
    "the key must be 32 bytes (64 hex characters)",
);

// ---- accounts
pub const USERNAME_FORMAT: Entry = Entry::new(
    "account.username_format",
    "用户名须为 3–32 个字母、数字、“.”、“_”或“-”",
    "3–32 letters, digits, '.', '_' or '-'",
);
pub const UNIT_REQUIRED_FOR_ROLE: Entry = Entry::new(
    "account.unit_required",
    "除管理员外，每个账号都须属于一个单位",
    "every account except an administrator is bound to a unit",
);
pub const UNIT_NOT_IMPORTED: Entry = Entry::new(
    "account.unit_missing",
    "单位 {code} 不存在，请先导入行政区划",
    "unit {code} does not exist; import the divisions first",
);
pub const TOKEN_DAYS: Entry = Entry::new(
    "account.token_days",
    "令牌有效期须为 1 至 {max} 天",
    "a token lives 1 to {max} days",
);

// ---- grids and households
pub const GRID_NAME: Entry = Entry::new(
    "registry.grid_name",
    "请填写名称（1–40 个字）",
    "a name of 1–40 characters is required",
);
pub const GRID_NOT_FOUND: Entry = Entry::new(
    "registry.grid_not_found",
    "没有找到网格 {code}",
    "grid {code} not found",
);
pub const NOT_GRID_OF_VILLAGE: Entry = Entry::new(
    "registry.not_grid_of_village",
    "{grid} 不是村 {village} 的网格",
    "{grid} is not a grid of village {village}",
);
pub const CHOOSE_YOUR_GRID: Entry = Entry::new(
    "registry.choose_your_grid",
    "请选择您负责的网格",
    "choose one of your grids",
);
pub const GRID_OUTSIDE_AREA: Entry = Entry::new(
    "registry.grid_outside_area",
    "该网格不在您的管辖范围内",
    "this grid is outside your area",
);
pub const MICRO_GRID_SIZE: Entry = Entry::new(
    "registry.micro_grid_size",
    "{n} 户；微网格宜为 {min}–{max} 户",
    "{n} households; a micro-grid should hold {min}–{max}",
);
pub const REVEAL_WHAT: Entry = Entry::new(
    "registry.reveal_what",
    "只能查看身份证号或电话",
    "reveal resident_id or phone",
);

// ---- ledgers
pub const NUMBER_TAKEN_IN_VILLAGE: Entry = Entry::new(
    "ledger.number_taken",
    "该编号在本村已存在（编号已存在）",
    "this number is already used in the village",
);
pub const TASK_CLOSED: Entry = Entry::new(
    "ledger.task_closed",
    "该整改任务已办结",
    "this task is already closed",
);
pub const CHARGE_UNCONTRACTED_ONLY: Entry = Entry::new(
    "ledger.charge_uncontracted_only",
    "仅无合同占用的资源可以这样收费",
    "only a resource occupied without a contract is charged this way",
);

// ---- credit
pub const ROUND_CHANGED: Entry = Entry::new(
    "credit.round_changed",
    "评定轮次已被他人修改，请刷新后重试",
    "the round changed meanwhile; reload and try again",
);
pub const RELATION_KIND: Entry = Entry::new(
    "credit.relation_kind",
    "请选择“本人”（own）或“亲属”（relation）",
    "own or relation",
);

/// Every entry above (the catalogue's test walks them with the others).
pub const ALL: &[Entry] = &[
    CSRF_HEADER,
    BODY_UNREADABLE,
    FORM_UNREADABLE,
    UPLOAD_UNREADABLE,
    JSON_BODY_UNREADABLE,
    JSON_BODY_SHAPE,
    ENTRY_INDEX_NUMBER,
    UNKNOWN_STEP,
    METHOD_NOT_ALLOWED,
    PAYLOAD_TOO_LARGE,
    TODAY_ADMIN_ONLY,
    IDEMPOTENCY_KEY_FORMAT,
    IDEMPOTENCY_KEY_REUSED,
    IDEMPOTENCY_ANSWER_LOST,
    IDEMPOTENCY_IN_PROGRESS,
    KEY_NOT_HEX,
    KEY_LENGTH,
    USERNAME_FORMAT,
    UNIT_REQUIRED_FOR_ROLE,
    UNIT_NOT_IMPORTED,
    TOKEN_DAYS,
    GRID_NAME,
    GRID_NOT_FOUND,
    NOT_GRID_OF_VILLAGE,
    CHOOSE_YOUR_GRID,
    GRID_OUTSIDE_AREA,
    MICRO_GRID_SIZE,
    REVEAL_WHAT,
    NUMBER_TAKEN_IN_VILLAGE,
    TASK_CLOSED,
    CHARGE_UNCONTRACTED_ONLY,
    ROUND_CHANGED,
    RELATION_KIND,
];
