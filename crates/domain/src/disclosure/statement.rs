//! A finance statement drawn from the ledgers (财务收支明细): contracts' rent for the period
//! (annual rent prorated by month, rounded down to the fen), claims collected, debts resolved.
//! The accountant edits the draft before a supervisor approves it.

use super::period::Period;
use crate::ledger::codes::DebtMethod;
use crate::money::Fen;

/// One ledger fact of the period (see `store::disclosure::ledger_lines`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// `rent` (annual rent), `collection`, or `debt.<method>`.
    pub kind: String,
    pub item: String,
    pub party: String,
    pub amount_fen: i64,
}

/// Title, body and table (header first) of the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub title: String,
    pub body: String,
    pub rows: Vec<Vec<String>>,
}

fn months(p: Period) -> i64 {
    match p {
        Period::Quarter { .. } => 3,
        _ => 1,
    }
}

pub fn statement(village_name: &str, period: Period, lines: &[Line]) -> Statement {
    let mut rows = vec![vec![
        "类别".to_string(),
        "事项".to_string(),
        "对方".to_string(),
        "金额（分）".to_string(),
    ]];
    let (mut rent, mut collected, mut repaid, mut other) = (0i64, 0i64, 0i64, 0i64);
    let mut contracts = 0;
    for l in lines {
        let (label, amount) = match l.kind.as_str() {
            "rent" => {
                contracts += 1;
                let a = l.amount_fen.saturating_mul(months(period)) / 12;
                rent = rent.saturating_add(a);
                ("合同租金（应收）".to_string(), a)
            }
            "collection" => {
                collected = collected.saturating_add(l.amount_fen);
                ("收回欠款".to_string(), l.amount_fen)
            }
            k => {
                let method = k
                    .strip_prefix("debt.")
                    .and_then(DebtMethod::parse)
                    .unwrap_or(DebtMethod::Adjustment);
                if method == DebtMethod::Repayment {
                    repaid = repaid.saturating_add(l.amount_fen);
                } else {
                    other = other.saturating_add(l.amount_fen);
                }
                (format!("债务化解（{}）", method.label_zh()), l.amount_fen)
            }
        };
        rows.push(vec![
            label,
            l.item.clone(),
            l.party.clone(),
            amount.to_string(),
        ]);
    }
    let y = |f: i64| Fen(f).to_yuan_string();
    let body = format!(
        "{village_name}{}财务收支情况（由“三资”台账生成）：\n\
         合同应收租金 {} 元（{contracts} 份在期合同，按年租金折算到本期）；\n\
         收回欠款 {} 元；\n\
         偿还债务 {} 元；核销、调整、抵销等非现金化解 {} 元。\n\n\
         如有疑问，请在下方留言，或向村务监督委员会反映。",
        period.label_zh(),
        y(rent),
        y(collected),
        y(repaid),
        y(other),
    );
    Statement {
        title: format!("{village_name}{}财务收支明细", period.label_zh()),
        body,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rent_is_prorated_and_debts_are_split_by_cash() {
        let p = Period::parse("2026-Q3").unwrap();
        let lines = [
            Line {
                kind: "rent".into(),
                item: "HT-1".into(),
                party: "王".into(),
                amount_fen: 1_200_000,
            },
            Line {
                kind: "collection".into(),
                item: "QK-1".into(),
                party: "李".into(),
                amount_fen: 5_000,
            },
            Line {
                kind: "debt.repayment".into(),
                item: "ZW-1".into(),
                party: "某公司".into(),
                amount_fen: 7_000,
            },
            Line {
                kind: "debt.write_off".into(),
                item: "ZW-2".into(),
                party: "某站".into(),
                amount_fen: 9_000,
            },
        ];
        let s = statement("陈区村", p, &lines);
        assert_eq!(s.title, "陈区村2026年第3季度财务收支明细");
        assert_eq!(s.rows[1], vec!["合同租金（应收）", "HT-1", "王", "300000"]);
        assert_eq!(s.rows[4][0], "债务化解（核销）");
        assert!(
            s.body.contains("合同应收租金 3000.00 元（1 份"),
            "{}",
            s.body
        );
        assert!(
            s.body
                .contains("偿还债务 70.00 元；核销、调整、抵销等非现金化解 90.00 元"),
            "{}",
            s.body
        );
        // The table is a valid disclosure table with a money column.
        let t = super::super::table::Table::from_rows(s.rows).unwrap();
        assert_eq!(
            t.totals().unwrap()[3],
            Some(Fen(300_000 + 5_000 + 7_000 + 9_000))
        );
    }
}
