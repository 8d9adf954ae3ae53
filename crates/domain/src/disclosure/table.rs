//! A disclosure's table as uploaded (CSV or XLSX, read by the application): a header row and
//! rows of text. A column whose header ends in "（分）" or "(分)" holds money in fen: its cells
//! must be whole numbers, they are shown as yuan, and the column gets a total.

use super::DisclosureError;
use crate::money::Fen;
use serde::{Deserialize, Serialize};

pub const MAX_ROWS: usize = 2_000;
pub const MAX_COLUMNS: usize = 30;
pub const MAX_CELL: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Checks and trims uploaded rows; the first row is the header. Blank rows are dropped.
    pub fn from_rows(rows: Vec<Vec<String>>) -> Result<Table, DisclosureError> {
        let mut it = rows.into_iter().map(|r| {
            let mut r: Vec<String> = r.into_iter().map(|c| c.trim().to_string()).collect();
            while r.last().is_some_and(|c| c.is_empty()) {
                r.pop();
            }
            r
        });
        let columns = it.next().unwrap_or_default();
        if columns.is_empty() || columns.iter().all(|c| c.is_empty()) {
            return Err(DisclosureError::TableNoHeader);
        }
        if columns.len() > MAX_COLUMNS {
            return Err(DisclosureError::TableTooLarge {
                what: "columns",
                max: MAX_COLUMNS,
            });
        }
        let mut body = Vec::new();
        for (i, mut r) in it.enumerate() {
            let row = i + 2;
            if r.is_empty() {
                continue;
            }
            if body.len() >= MAX_ROWS {
                return Err(DisclosureError::TableTooLarge {
                    what: "rows",
                    max: MAX_ROWS,
                });
            }
            if r.len() > columns.len() {
                return Err(DisclosureError::TableRagged {
                    row,
                    got: r.len(),
                    want: columns.len(),
                });
            }
            r.resize(columns.len(), String::new());
            body.push(r);
        }
        let t = Table {
            columns,
            rows: body,
        };
        t.check()?;
        Ok(t)
    }

    /// Limits and money cells (also for a table read back from storage). A published list
    /// (e.g. of relief beneficiaries) never shows a resident ID or a mobile number: a cell that
    /// is one is refused, named by row and column.
    pub fn check(&self) -> Result<(), DisclosureError> {
        for (r, row) in self.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if self.is_money(c) {
                    continue;
                }
                let column = self.columns.get(c).cloned().unwrap_or_default();
                let t: String = cell
                    .chars()
                    .filter(|ch| !ch.is_whitespace() && *ch != '-')
                    .collect();
                if t.len() == 18 && crate::resident_id::ResidentId::parse(&t).is_ok() {
                    return Err(DisclosureError::TablePersonalNumber {
                        row: r + 2,
                        column,
                        what: "resident_id",
                    });
                }
                if t.len() == 11 && t.starts_with('1') && t.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(DisclosureError::TablePersonalNumber {
                        row: r + 2,
                        column,
                        what: "phone",
                    });
                }
            }
        }
        let cells = self.columns.iter().chain(self.rows.iter().flatten());
        for c in cells {
            if c.chars().count() > MAX_CELL || crate::text::bad_in_line(c).is_some() {
                return Err(DisclosureError::TableTooLarge {
                    what: "cell",
                    max: MAX_CELL,
                });
            }
        }
        self.totals().map(|_| ())
    }

    /// Whether column `i` holds fen.
    pub fn is_money(&self, i: usize) -> bool {
        self.columns
            .get(i)
            .is_some_and(|h| h.ends_with("（分）") || h.ends_with("(分)"))
    }

    /// The header as shown: a money column says 元.
    pub fn shown_header(&self, i: usize) -> String {
        let h = self.columns.get(i).map(String::as_str).unwrap_or("");
        if self.is_money(i) {
            let base = h.trim_end_matches("（分）").trim_end_matches("(分)");
            format!("{base}（元）")
        } else {
            h.to_string()
        }
    }

    /// A cell as shown: money as yuan with two decimals.
    pub fn shown_cell(&self, col: usize, cell: &str) -> String {
        if self.is_money(col) && !cell.is_empty() {
            if let Ok(f) = cell.parse::<i64>() {
                return Fen(f).to_yuan_string();
            }
        }
        cell.to_string()
    }

    /// The total of each money column (`None` for the others).
    pub fn totals(&self) -> Result<Vec<Option<Fen>>, DisclosureError> {
        let mut out = Vec::with_capacity(self.columns.len());
        for (i, name) in self.columns.iter().enumerate() {
            if !self.is_money(i) {
                out.push(None);
                continue;
            }
            let mut total = Fen(0);
            for (r, row) in self.rows.iter().enumerate() {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                if cell.is_empty() {
                    continue;
                }
                let bad = || DisclosureError::TableBadFen {
                    row: r + 2,
                    column: name.clone(),
                    value: cell.chars().take(40).collect(),
                };
                let v = cell.parse::<i64>().map_err(|_| bad())?;
                total = total.checked_add(Fen(v)).ok_or_else(bad)?;
            }
            out.push(Some(total));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn money_columns_are_shown_as_yuan_with_totals() {
        let t = Table::from_rows(rows(&[
            &["项目", "收入（分）", "备注"],
            &["土地租金", "1250000", "王家 3 亩"],
            &[" 鱼塘承包 ", "800050"],
            &[],
        ]))
        .unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1], vec!["鱼塘承包", "800050", ""]);
        assert_eq!(t.shown_header(1), "收入（元）");
        assert_eq!(t.shown_cell(1, "800050"), "8000.50");
        assert_eq!(t.totals().unwrap(), vec![None, Some(Fen(2_050_050)), None]);
    }

    #[test]
    fn bad_tables_are_refused_with_the_row_and_column() {
        let e = Table::from_rows(rows(&[&["项目", "金额(分)"], &["a", "12.5"]])).unwrap_err();
        assert_eq!(
            e,
            DisclosureError::TableBadFen {
                row: 2,
                column: "金额(分)".into(),
                value: "12.5".into()
            }
        );
        let e = Table::from_rows(rows(&[&["a"], &["1", "2"]])).unwrap_err();
        assert!(matches!(
            e,
            DisclosureError::TableRagged {
                row: 2,
                got: 2,
                want: 1
            }
        ));
        assert!(Table::from_rows(vec![]).is_err());
        let many = vec![vec!["x".to_string()]; MAX_ROWS + 2];
        assert!(matches!(
            Table::from_rows(many),
            Err(DisclosureError::TableTooLarge { what: "rows", .. })
        ));
        let over = rows(&[&["金额（分）"], &["9223372036854775807"], &["1"]]);
        assert!(Table::from_rows(over).is_err());
        // A beneficiary list with a resident ID or a mobile number is refused, by row and column.
        let id = crate::resident_id::ResidentId::from_first17("14058119650312101").unwrap();
        let e =
            Table::from_rows(rows(&[&["姓名", "身份证号"], &["王建国", id.as_str()]])).unwrap_err();
        assert!(
            matches!(
                e,
                DisclosureError::TablePersonalNumber {
                    row: 2,
                    what: "resident_id",
                    ..
                }
            ),
            "{e:?}"
        );
        let e =
            Table::from_rows(rows(&[&["姓名", "电话"], &["王建国", "138 0000 0001"]])).unwrap_err();
        assert!(
            matches!(
                e,
                DisclosureError::TablePersonalNumber { what: "phone", .. }
            ),
            "{e:?}"
        );
        // Eleven digits in a money column are an amount.
        assert!(Table::from_rows(rows(&[
            &["项目", "金额（分）"],
            &["征地补偿", "13800000001"]
        ]))
        .is_ok());
    }

    proptest! {
        #[test]
        fn totals_are_the_sum_of_the_cells(v in proptest::collection::vec(-1_000_000_000i64..1_000_000_000, 0..50)) {
            let mut r = vec![vec!["金额（分）".to_string()]];
            r.extend(v.iter().map(|x| vec![x.to_string()]));
            let t = Table::from_rows(r).unwrap();
            prop_assert_eq!(t.totals().unwrap()[0], Some(Fen(v.iter().sum())));
        }
    }
}
