//! Credit supermarket (信用超市) points: households earn points from positive items and exchange
//! them for goods. Balances and stock never go negative; every change is a passbook entry.

use super::error::CreditError;
use super::scoring::ScoreBreakdown;
use serde::{Deserialize, Serialize};

/// How score points turn into supermarket points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsPolicy {
    /// Supermarket points per applied positive score point (default 1).
    pub points_per_score_point: i64,
}

impl Default for PointsPolicy {
    fn default() -> PointsPolicy {
        PointsPolicy {
            points_per_score_point: 1,
        }
    }
}

impl PointsPolicy {
    pub fn new(points_per_score_point: i64) -> Result<PointsPolicy, CreditError> {
        positive("points_per_score_point", points_per_score_point)?;
        Ok(PointsPolicy {
            points_per_score_point,
        })
    }

    /// Points earned in a round: applied (after caps, counted records only) points of positive
    /// items times the rate. Negative items do not take supermarket points away.
    pub fn earned(&self, breakdown: &ScoreBreakdown) -> i64 {
        breakdown
            .positive_applied()
            .max(0)
            .saturating_mul(self.points_per_score_point)
    }
}

fn positive(field: &'static str, value: i64) -> Result<i64, CreditError> {
    if value > 0 {
        Ok(value)
    } else {
        Err(CreditError::NotPositive { field, value })
    }
}

/// Exchanges `qty` goods at `price` points each: returns `(new_balance, new_stock)`. Refused when
/// price or quantity is not positive, balance or stock is negative, the balance is short, or the
/// stock is short; so neither result is ever negative.
pub fn redeem(balance: i64, price: i64, qty: i64, stock: i64) -> Result<(i64, i64), CreditError> {
    positive("price", price)?;
    positive("qty", qty)?;
    if balance < 0 {
        return Err(CreditError::NotPositive {
            field: "balance",
            value: balance,
        });
    }
    if stock < 0 {
        return Err(CreditError::NotPositive {
            field: "stock",
            value: stock,
        });
    }
    let cost = price.checked_mul(qty).ok_or(CreditError::Overflow)?;
    if cost > balance {
        return Err(CreditError::InsufficientBalance {
            balance,
            needed: cost,
        });
    }
    if qty > stock {
        return Err(CreditError::InsufficientStock { stock, wanted: qty });
    }
    Ok((balance - cost, stock - qty))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassbookKind {
    Earn,
    Redeem,
    Adjust,
}

impl PassbookKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PassbookKind::Earn => "earn",
            PassbookKind::Redeem => "redeem",
            PassbookKind::Adjust => "adjust",
        }
    }
    pub fn parse(s: &str) -> Option<PassbookKind> {
        [
            PassbookKind::Earn,
            PassbookKind::Redeem,
            PassbookKind::Adjust,
        ]
        .into_iter()
        .find(|k| k.as_str() == s.trim())
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            PassbookKind::Earn => "积分获得",
            PassbookKind::Redeem => "积分兑换",
            PassbookKind::Adjust => "积分调整",
        }
    }
}

/// One line of a household's points passbook. `amount` is signed (redeem is negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassbookEntry {
    pub kind: PassbookKind,
    pub amount: i64,
    pub balance_after: i64,
    pub note: String,
}

impl PassbookEntry {
    /// Points earned (positive `points`).
    pub fn earn(balance: i64, points: i64, note: &str) -> Result<PassbookEntry, CreditError> {
        positive("points", points)?;
        let after = balance.checked_add(points).ok_or(CreditError::Overflow)?;
        if after < 0 {
            return Err(CreditError::InsufficientBalance { balance, needed: 0 });
        }
        Ok(PassbookEntry {
            kind: PassbookKind::Earn,
            amount: points,
            balance_after: after,
            note: note.trim().to_string(),
        })
    }

    /// A redemption (see [`redeem`]): the entry and the new stock.
    pub fn redeem(
        balance: i64,
        price: i64,
        qty: i64,
        stock: i64,
        note: &str,
    ) -> Result<(PassbookEntry, i64), CreditError> {
        let (after, new_stock) = redeem(balance, price, qty, stock)?;
        let entry = PassbookEntry {
            kind: PassbookKind::Redeem,
            amount: after - balance,
            balance_after: after,
            note: note.trim().to_string(),
        };
        Ok((entry, new_stock))
    }

    /// A manual adjustment (e.g. after a correction): non-zero, with a reason, never below zero.
    pub fn adjust(balance: i64, delta: i64, reason: &str) -> Result<PassbookEntry, CreditError> {
        if delta == 0 {
            return Err(CreditError::ZeroDelta);
        }
        if reason.trim().is_empty() {
            return Err(CreditError::Required {
                context: "points adjustment".into(),
                field: "reason",
            });
        }
        let after = balance.checked_add(delta).ok_or(CreditError::Overflow)?;
        if after < 0 {
            return Err(CreditError::InsufficientBalance {
                balance,
                needed: delta.saturating_neg(),
            });
        }
        Ok(PassbookEntry {
            kind: PassbookKind::Adjust,
            amount: delta,
            balance_after: after,
            note: reason.trim().to_string(),
        })
    }
}

/// Checks a passbook from zero: each `balance_after` is the previous balance plus `amount`, and
/// never negative. Returns the final balance; on a broken chain, the index of the first bad entry.
pub fn check_passbook(entries: &[PassbookEntry]) -> Result<i64, usize> {
    let mut balance = 0i64;
    for (i, e) in entries.iter().enumerate() {
        match balance.checked_add(e.amount) {
            Some(b) if b == e.balance_after && b >= 0 => balance = b,
            _ => return Err(i),
        }
    }
    Ok(balance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::rules::RuleSet;
    use crate::credit::scoring::{score, ScoreRecord};
    use proptest::prelude::*;

    #[test]
    fn redeem_refuses_what_would_go_negative() {
        assert_eq!(redeem(100, 30, 3, 5), Ok((10, 2)));
        assert_eq!(redeem(90, 30, 3, 3), Ok((0, 0)));
        assert_eq!(
            redeem(89, 30, 3, 5),
            Err(CreditError::InsufficientBalance {
                balance: 89,
                needed: 90
            })
        );
        assert_eq!(
            redeem(100, 30, 3, 2),
            Err(CreditError::InsufficientStock {
                stock: 2,
                wanted: 3
            })
        );
        assert_eq!(
            redeem(100, 0, 1, 5),
            Err(CreditError::NotPositive {
                field: "price",
                value: 0
            })
        );
        assert_eq!(
            redeem(100, 5, -1, 5),
            Err(CreditError::NotPositive {
                field: "qty",
                value: -1
            })
        );
        assert_eq!(
            redeem(-1, 5, 1, 5),
            Err(CreditError::NotPositive {
                field: "balance",
                value: -1
            })
        );
        assert_eq!(redeem(i64::MAX, i64::MAX, 2, 5), Err(CreditError::Overflow));
    }

    #[test]
    fn passbook_entries_and_check() -> Result<(), CreditError> {
        let e1 = PassbookEntry::earn(0, 25, "2024年度评定")?;
        let (e2, stock) = PassbookEntry::redeem(e1.balance_after, 10, 2, 9, "洗衣粉 ×2")?;
        assert_eq!((e2.amount, e2.balance_after, stock), (-20, 5, 7));
        let e3 = PassbookEntry::adjust(e2.balance_after, -5, "更正：义务劳动重复记录")?;
        assert_eq!(e3.balance_after, 0);
        assert!(PassbookEntry::adjust(0, -1, "x").is_err());
        assert!(PassbookEntry::adjust(3, 1, " ").is_err());
        assert_eq!(
            PassbookEntry::earn(0, 0, "x"),
            Err(CreditError::NotPositive {
                field: "points",
                value: 0
            })
        );
        let mut book = vec![e1, e2, e3];
        assert_eq!(check_passbook(&book), Ok(0));
        book[1].balance_after = 6;
        assert_eq!(check_passbook(&book), Err(1));
        assert_eq!(PassbookKind::parse("redeem"), Some(PassbookKind::Redeem));
        Ok(())
    }

    #[test]
    fn earned_points_come_from_positive_items_only() -> Result<(), CreditError> {
        let rules = RuleSet::default_set()?;
        let day = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default();
        let rec = |id: i64, code: &str| ScoreRecord {
            id,
            item_code: code.into(),
            occurred_on: day,
            recorder: "wang01".into(),
            evidence: "照片".into(),
            confirmed: true,
            voided: false,
        };
        // PW01 +2 ×6 capped at 10, EN01 +5, EN05 -5
        let mut records: Vec<ScoreRecord> = (1..=6).map(|i| rec(i, "PW01")).collect();
        records.push(rec(7, "EN01"));
        records.push(rec(8, "EN05"));
        let b = score(&rules, &records);
        assert_eq!(PointsPolicy::default().earned(&b), 15);
        assert_eq!(PointsPolicy::new(10)?.earned(&b), 150);
        assert!(PointsPolicy::new(0).is_err());
        Ok(())
    }

    #[derive(Debug, Clone)]
    enum Op {
        Earn(i64),
        Redeem { price: i64, qty: i64 },
        Adjust(i64),
        Restock(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (-5i64..200).prop_map(Op::Earn),
            ((-2i64..60), (-1i64..6)).prop_map(|(price, qty)| Op::Redeem { price, qty }),
            (-100i64..100).prop_map(Op::Adjust),
            (0i64..10).prop_map(Op::Restock),
        ]
    }

    proptest! {
        #[test]
        fn balances_and_stock_never_go_negative(ops in proptest::collection::vec(op(), 0..60)) {
            let (mut balance, mut stock) = (0i64, 3i64);
            let mut book = Vec::new();
            for op in ops {
                let result = match op {
                    Op::Earn(p) => PassbookEntry::earn(balance, p, "earn").map(|e| (e, stock)),
                    Op::Redeem { price, qty } => PassbookEntry::redeem(balance, price, qty, stock, "goods"),
                    Op::Adjust(d) => PassbookEntry::adjust(balance, d, "adjust").map(|e| (e, stock)),
                    Op::Restock(n) => { stock += n; continue; }
                };
                if let Ok((entry, new_stock)) = result {
                    prop_assert!(entry.balance_after >= 0 && new_stock >= 0);
                    prop_assert_eq!(entry.balance_after, balance + entry.amount);
                    balance = entry.balance_after;
                    stock = new_stock;
                    book.push(entry);
                }
                prop_assert!(balance >= 0 && stock >= 0);
            }
            prop_assert_eq!(check_passbook(&book), Ok(balance));
        }
    }
}
