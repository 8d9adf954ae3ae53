//! What reading a spreadsheet and importing its rows says: the file as a whole (encoding,
//! size, workbook parts), its columns, its cells, and the rows of each import. The place
//! (file, row, column) travels beside the message in `ImportIssue`, never inside it.

use crate::message::Entry;

// ---- the file as a whole
pub const FILE_TOO_BIG: Entry = Entry::new(
    "file.too_big",
    "文件有 {size} MB，超过允许的 {max} MB，请拆分后再导入",
    "the file is {size} MB, more than the {max} MB allowed; split it",
);
pub const FILE_EMPTY: Entry = Entry::new("file.empty", "文件是空的", "the file is empty");
pub const FILE_NO_HEADER: Entry = Entry::new(
    "file.no_header",
    "文件没有表头行（第一行应为列名）",
    "the file has no header row",
);
pub const FILE_OLD_XLS: Entry = Entry::new(
    "file.old_xls",
    "这是旧版 .xls 工作簿，请另存为 .xlsx 或“CSV UTF-8”后再导入",
    "an old .xls workbook; save it as .xlsx or CSV UTF-8 and import that",
);
pub const FILE_XLSX_NOT_ZIP: Entry = Entry::new(
    "file.xlsx_not_zip",
    "不是可读取的 XLSX 工作簿（文件内容不是 xlsx 格式）",
    "not a readable XLSX workbook (not a zip file)",
);
pub const FILE_READER_FAILED: Entry = Entry::new(
    "file.reader_failed",
    "无法读取该文件（表格读取程序出错），请另存为 .xlsx 或“CSV UTF-8”后再导入",
    "the file could not be read (the spreadsheet reader failed on it); save it again as .xlsx \
     or CSV UTF-8",
);
pub const FILE_TOO_MANY_ROWS: Entry = Entry::new(
    "file.too_many_rows",
    "数据超过 {max} 行，请拆分文件",
    "more than {max} data rows; split the file",
);

// ---- text encodings (CSV)
pub const FILE_UTF8_BROKEN: Entry = Entry::new(
    "file.utf8_broken",
    "文件以 UTF-8 开头，但第 {byte} 个字节不是 UTF-8，请另存为“CSV UTF-8”",
    "the file starts as UTF-8 but byte {byte} is not UTF-8; save it again as \"CSV UTF-8\"",
);
pub const FILE_UTF16_BROKEN: Entry = Entry::new(
    "file.utf16_broken",
    "文件看起来是 {encoding} 文本，但不是有效的 {encoding}，请另存为“CSV UTF-8”",
    "the file looks like {encoding} text but is not valid {encoding}; save it again as \
     \"CSV UTF-8\"",
);
pub const FILE_UNKNOWN_ENCODING: Entry = Entry::new(
    "file.unknown_encoding",
    "文件既不是 UTF-8、UTF-16，也不是 GB18030/GBK 文本（是 CSV 文件吗？），请另存为“CSV UTF-8”",
    "the file is neither UTF-8, UTF-16 nor GB18030/GBK text (is it a CSV file?); save it again \
     as \"CSV UTF-8\"",
);
pub const CSV_ROW_UNREADABLE: Entry = Entry::new(
    "file.csv_row_unreadable",
    "这一行无法按 CSV 读取（引号或分隔符有误）",
    "unreadable CSV row: {detail}",
);

// ---- workbooks (XLSX)
pub const XLSX_UNREADABLE: Entry = Entry::new(
    "file.xlsx_unreadable",
    "不是可读取的 XLSX 工作簿（文件可能已损坏）",
    "not a readable XLSX workbook: {detail}",
);
pub const XLSX_TOO_MANY_PARTS: Entry = Entry::new(
    "file.xlsx_parts",
    "工作簿有 {parts} 个部件，超过允许的 {max} 个",
    "the workbook has {parts} parts, more than the {max} allowed",
);
pub const XLSX_UNPACKS_TOO_BIG: Entry = Entry::new(
    "file.xlsx_unpacked_size",
    "工作簿解压后超过 {max} MB，请拆分文件",
    "the workbook unpacks to more than {max} MB; split the file",
);
pub const XLSX_RATIO: Entry = Entry::new(
    "file.xlsx_ratio",
    "部件“{part}”的压缩比为 {ratio}:1，超过表格所需的 {max}:1（压缩比异常）",
    "part '{part}' is compressed {ratio}:1, more than the {max}:1 a spreadsheet needs",
);
pub const XLSX_SHARED_STRINGS_UNREADABLE: Entry = Entry::new(
    "file.xlsx_shared_strings_unreadable",
    "无法读取工作簿的共享字符串表（文件可能已损坏）",
    "unreadable shared strings: {detail}",
);
pub const XLSX_SHARED_STRINGS_CLAIM: Entry = Entry::new(
    "file.xlsx_shared_strings_claim",
    "共享字符串表声称有 {claimed} 项，超过文件能容纳的数量或允许的 {max} 项",
    "the shared-string table claims {claimed} entries, more than the file can hold or {max} \
     allowed",
);
pub const SPREADSHEET_UNREADABLE: Entry = Entry::new(
    "file.spreadsheet_unreadable",
    "不是可读取的表格文件（文件可能已损坏）",
    "not a readable spreadsheet: {detail}",
);
pub const XLSX_NO_SHEET: Entry = Entry::new(
    "file.xlsx_no_sheet",
    "工作簿中没有工作表",
    "the workbook has no sheet",
);
pub const SHEET_UNREADABLE: Entry = Entry::new(
    "file.sheet_unreadable",
    "无法读取第一个工作表（文件可能已损坏）",
    "unreadable first sheet: {detail}",
);
pub const ROWS_OUT_OF_ORDER: Entry = Entry::new(
    "file.rows_out_of_order",
    "该工作表的行顺序错乱，请用表格软件打开后重新保存",
    "the rows of this sheet are out of order; open and save it again in a spreadsheet program",
);

// ---- columns and cells
pub const TOO_MANY_COLUMNS: Entry = Entry::new(
    "file.too_many_columns",
    "超过 {max} 列",
    "more than {max} columns",
);
pub const CELL_BEYOND_COLUMNS: Entry = Entry::new(
    "file.cell_beyond_columns",
    "{last} 列右侧还有内容（只读取前 {max} 列，请删除右侧的内容）",
    "a cell beyond column {last} (only {max} columns are read; delete what is to the right)",
);
pub const COLUMN_TWICE: Entry = Entry::new(
    "file.column_twice",
    "“{column}”列出现了两次",
    "column {column} appears twice",
);
pub const COLUMN_MISSING: Entry = Entry::new(
    "file.column_missing",
    "缺少必填列（表头：{names}）",
    "required column missing (header: {names})",
);
pub const CELL_TOO_LONG: Entry = Entry::new(
    "file.cell_too_long",
    "内容过长：超过 {max} 个字",
    "longer than {max} characters",
);
pub const CELL_NUMBER_ROUNDED: Entry = Entry::new(
    "file.number_rounded",
    "该单元格是被表格软件四舍五入的长数字，请把该列设为文本格式后重新输入",
    "this cell holds a long number that the spreadsheet has rounded; format the column as text \
     and type it again",
);
pub const CELL_DATE_UNREADABLE: Entry =
    Entry::new("file.date_unreadable", "无法读取的日期", "unreadable date");
pub const CELL_SPREADSHEET_ERROR: Entry = Entry::new(
    "file.spreadsheet_error",
    "单元格显示表格公式错误（{error}）",
    "the cell shows a spreadsheet error ({error})",
);

// ---- rows of an import
pub const DUPLICATE_NUMBER: Entry = Entry::new(
    "import.duplicate_number",
    "编号“{no}”重复：第 {prev} 行已有（编号重复）",
    "duplicate number '{no}': already on row {prev}",
);
pub const NO_DEBT_IN_VILLAGE: Entry = Entry::new(
    "import.no_debt",
    "村 {village} 没有编号为“{no}”的债务，请先导入债务",
    "no debt '{no}' in village {village}; import the debts first",
);
pub const ON_DEBT: Entry = Entry::new("import.on_debt", "债务 {no}：{why}", "debt {no}: {why}");
pub const NO_GRID_IN_VILLAGE: Entry = Entry::new(
    "import.no_grid",
    "村 {village} 没有网格“{grid}”，请先建立该网格",
    "no grid '{grid}' in village {village}; create it first",
);
pub const DIFFERS_FROM_ROW_VALUE: Entry = Entry::new(
    "import.differs_from_row",
    "与同一户第 {row} 行不一致（“{value}”）",
    "differs from row {row} of the same household ('{value}')",
);
pub const DIFFERS_FROM_ROW: Entry = Entry::new(
    "import.differs_from_row",
    "与同一户第 {row} 行不一致",
    "differs from row {row} of the same household",
);
pub const SAME_ID_ON_ROW: Entry = Entry::new(
    "import.same_resident_id",
    "同一身份证号已在第 {row} 行",
    "the same resident ID is already on row {row}",
);
pub const DIVISION_LEVEL: Entry = Entry::new(
    "import.division_level",
    "代码 {code} 是{found_zh}代码，此文件应为{expected_zh}代码",
    "code {code} is a {found_en} code, expected a {expected_en} code",
);
pub const DIVISION_PARENT: Entry = Entry::new(
    "import.division_parent",
    "上级代码 {declared} 不包含代码 {code}",
    "parent code {declared} does not contain code {code}",
);
pub const DIVISION_NAME_EMPTY: Entry =
    Entry::new("import.division_name_empty", "名称为空", "name is empty");
pub const NO_DIVISION_FILES: Entry = Entry::new(
    "import.no_division_files",
    "此处没有 provinces/cities/areas/streets/villages.csv 中的任何一个文件",
    "no provinces/cities/areas/streets/villages.csv here",
);
pub const CREDIT_NO_CONFIRMER: Entry = Entry::new(
    "import.credit_no_confirmer",
    "没有可确认信用记录的账号“{username}”",
    "no account '{username}' allowed to confirm credit records",
);
pub const CREDIT_CONFIRMER_OUTSIDE: Entry = Entry::new(
    "import.credit_confirmer_outside",
    "账号“{username}”无权确认该户的记录",
    "account '{username}' may not confirm records of this household",
);

/// Every entry above (the catalogue's test walks them with the others).
pub const ALL: &[Entry] = &[
    FILE_TOO_BIG,
    FILE_EMPTY,
    FILE_NO_HEADER,
    FILE_OLD_XLS,
    FILE_XLSX_NOT_ZIP,
    FILE_READER_FAILED,
    FILE_TOO_MANY_ROWS,
    FILE_UTF8_BROKEN,
    FILE_UTF16_BROKEN,
    FILE_UNKNOWN_ENCODING,
    CSV_ROW_UNREADABLE,
    XLSX_UNREADABLE,
    XLSX_TOO_MANY_PARTS,
    XLSX_UNPACKS_TOO_BIG,
    XLSX_RATIO,
    XLSX_SHARED_STRINGS_UNREADABLE,
    XLSX_SHARED_STRINGS_CLAIM,
    SPREADSHEET_UNREADABLE,
    XLSX_NO_SHEET,
    SHEET_UNREADABLE,
    ROWS_OUT_OF_ORDER,
    TOO_MANY_COLUMNS,
    CELL_BEYOND_COLUMNS,
    COLUMN_TWICE,
    COLUMN_MISSING,
    CELL_TOO_LONG,
    CELL_NUMBER_ROUNDED,
    CELL_DATE_UNREADABLE,
    CELL_SPREADSHEET_ERROR,
    DUPLICATE_NUMBER,
    NO_DEBT_IN_VILLAGE,
    ON_DEBT,
    NO_GRID_IN_VILLAGE,
    DIFFERS_FROM_ROW_VALUE,
    DIFFERS_FROM_ROW,
    SAME_ID_ON_ROW,
    DIVISION_LEVEL,
    DIVISION_PARENT,
    DIVISION_NAME_EMPTY,
    NO_DIVISION_FILES,
    CREDIT_NO_CONFIRMER,
    CREDIT_CONFIRMER_OUTSIDE,
];
