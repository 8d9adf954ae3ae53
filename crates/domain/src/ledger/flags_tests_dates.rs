//! Boundary tests of the date-driven flag rules: prepayment, arrears, expiry, overlap.

use super::*;
use crate::ledger::rent::arrears_owed;

#[test]
fn prepaid_exactly_3_years_is_fine_more_is_not() {
    let today = day(2024, 1, 1);
    let three = Contract {
        paid: Fen(3_000_000),
        ..clean()
    };
    assert!(!has(&three, today, FlagCode::PrepaidBeyondTerm));
    let more = Contract {
        paid: Fen(3_000_001),
        ..clean()
    };
    let f = find(
        &more,
        &at(today),
        &FlagRules::default(),
        FlagCode::PrepaidBeyondTerm,
    );
    assert_eq!(
        f.map(|f| f.detail_zh),
        Some("已付 ¥30,000.01 覆盖租金至 2027-01-01，超过今日起 3 年（2027-01-01）".to_string())
    );
    // A year later, the same payment covers less than three years ahead.
    assert!(!has(&more, day(2025, 1, 1), FlagCode::PrepaidBeyondTerm));
    // Closed contracts are not judged on prepayment.
    let closed = FlagContext {
        active: false,
        ..at(today)
    };
    assert!(find(
        &more,
        &closed,
        &FlagRules::default(),
        FlagCode::PrepaidBeyondTerm
    )
    .is_none());
}

#[test]
fn prepaid_years_written_in_the_contract() {
    let today = day(2024, 1, 1);
    let three = Contract {
        prepaid_years_x100: Some(300),
        ..clean()
    };
    assert!(!has(&three, today, FlagCode::PrepaidBeyondTerm));
    let more = Contract {
        prepaid_years_x100: Some(301),
        ..clean()
    };
    let f = find(
        &more,
        &at(today),
        &FlagRules::default(),
        FlagCode::PrepaidBeyondTerm,
    );
    assert_eq!(
        f.map(|f| f.detail_zh),
        Some("合同约定预收 3.01 年租金，超过 3 年上限".to_string())
    );
}

#[test]
fn prepaid_beyond_the_committee_term() {
    let today = day(2024, 1, 1);
    let rules = FlagRules {
        committee_term_end: Some(day(2025, 12, 31)),
        ..FlagRules::default()
    };
    let to_term_end = Contract {
        paid: Fen(2_000_000),
        ..clean()
    };
    assert!(find(
        &to_term_end,
        &at(today),
        &rules,
        FlagCode::PrepaidBeyondTerm
    )
    .is_none());
    let beyond = Contract {
        paid: Fen(2_000_001),
        ..clean()
    };
    let f = find(&beyond, &at(today), &rules, FlagCode::PrepaidBeyondTerm);
    assert!(f.is_some_and(|f| f.detail_zh.contains("超出本届村委会任期（至 2025-12-31）")));
    // A term end already past is a stale setting and is ignored.
    let stale = FlagRules {
        committee_term_end: Some(day(2023, 12, 31)),
        ..FlagRules::default()
    };
    assert!(find(&beyond, &at(today), &stale, FlagCode::PrepaidBeyondTerm).is_none());
}

#[test]
fn arrears_after_90_days_not_at_90() {
    let unpaid = Contract {
        paid: Fen::ZERO,
        ..clean()
    };
    assert!(!has(&unpaid, day(2024, 3, 31), FlagCode::Arrears)); // 90 days after 2024-01-01
    let f = find(
        &unpaid,
        &at(day(2024, 4, 1)),
        &FlagRules::default(),
        FlagCode::Arrears,
    );
    assert_eq!(
        f.map(|f| f.detail_zh),
        Some(
            "欠缴租金 ¥10,000.00，最早一笔应于 2024-01-01 缴纳，已逾期 91 天（超过 90 天）"
                .to_string()
        )
    );
    assert_eq!(arrears_owed(&unpaid, day(2024, 4, 1)), Fen(1_000_000));
    // Year 2 falls due on 2025-01-01 while year 1 is paid: the clock starts again.
    assert!(!has(&clean(), day(2025, 4, 1), FlagCode::Arrears)); // 90 days after 2025-01-01
    assert!(has(&clean(), day(2025, 4, 2), FlagCode::Arrears));
    assert_eq!(arrears_owed(&clean(), day(2025, 4, 2)), Fen(1_000_000));
    let closed = FlagContext {
        active: false,
        ..at(day(2024, 4, 1))
    };
    assert!(find(&unpaid, &closed, &FlagRules::default(), FlagCode::Arrears).is_none());
}

#[test]
fn expired_open_from_the_day_after_the_end() {
    let c = Contract {
        end_on: day(2024, 12, 31),
        ..clean()
    };
    assert!(!has(&c, day(2024, 12, 31), FlagCode::ExpiredOpen));
    let f = find(
        &c,
        &at(day(2025, 1, 1)),
        &FlagRules::default(),
        FlagCode::ExpiredOpen,
    );
    assert_eq!(
        f.map(|f| f.detail_zh),
        Some("合同已于 2024-12-31 到期，1 天后仍未办结".to_string())
    );
    let closed = FlagContext {
        active: false,
        ..at(day(2025, 1, 1))
    };
    assert!(find(&c, &closed, &FlagRules::default(), FlagCode::ExpiredOpen).is_none());
}

#[test]
fn overlap_when_sharing_a_day_not_when_touching() {
    let today = day(2024, 1, 1);
    let other = |no: &str, start: NaiveDate, end: NaiveDate| ContractPeriod {
        contract_no: no.into(),
        start_on: start,
        end_on: end,
    };
    let touching = FlagContext {
        others_on_resource: vec![
            other("HT-0", day(2014, 1, 1), day(2023, 12, 31)),
            (&clean()).into(),
        ],
        ..at(today)
    };
    assert!(find(
        &clean(),
        &touching,
        &FlagRules::default(),
        FlagCode::Overlap
    )
    .is_none());
    let sharing = FlagContext {
        others_on_resource: vec![other("HT-0", day(2014, 1, 1), day(2024, 1, 1))],
        ..at(today)
    };
    let f = find(&clean(), &sharing, &FlagRules::default(), FlagCode::Overlap);
    assert_eq!(
        f.map(|f| f.detail_zh),
        Some("资源 ZY-01 上与合同 HT-0（2014-01-01 至 2024-01-01）期限重叠".to_string())
    );
    let inside = FlagContext {
        others_on_resource: vec![other("HT-9", day(2030, 5, 1), day(2030, 5, 2))],
        ..at(today)
    };
    assert!(find(&clean(), &inside, &FlagRules::default(), FlagCode::Overlap).is_some());
    let no_resource = Contract {
        resource_no: None,
        ..clean()
    };
    assert!(find(
        &no_resource,
        &sharing,
        &FlagRules::default(),
        FlagCode::Overlap
    )
    .is_none());
    let closed = FlagContext {
        active: false,
        ..sharing
    };
    assert!(find(&clean(), &closed, &FlagRules::default(), FlagCode::Overlap).is_none());
}
