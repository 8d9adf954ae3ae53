//! Boundary tests of every flag rule (the test module of `flags.rs`).

use super::*;
use crate::ledger::codes::ContractKind;
use crate::ledger::rent::tests::{day, lease};
use crate::resident_id::ResidentId;

#[path = "flags_tests_dates.rs"]
mod dates;

/// A clean ten-year land lease on resource ZY-01: 10 mu at 10,000 yuan a year (reference
/// 800 yuan/mu → 8,000), first year paid, procedure recorded, ID known.
fn clean() -> Contract {
    Contract {
        counterparty_id: ResidentId::parse("11010519491231002X").ok(),
        resource_no: Some("ZY-01".into()),
        area_mu_x100: Some(1_000),
        procedure_ref: Some("2023-12 村民代表会议".into()),
        ..lease(day(2024, 1, 1), day(2033, 12, 31), 10_000, 1_000_000)
    }
}

fn at(today: NaiveDate) -> FlagContext {
    FlagContext::new(today)
}

fn codes(c: &Contract, ctx: &FlagContext) -> Vec<FlagCode> {
    flags_for(c, ctx, &FlagRules::default())
        .iter()
        .map(|f| f.code)
        .collect()
}

fn find(c: &Contract, ctx: &FlagContext, rules: &FlagRules, code: FlagCode) -> Option<Flag> {
    flags_for(c, ctx, rules)
        .into_iter()
        .find(|f| f.code == code)
}

fn has(c: &Contract, today: NaiveDate, code: FlagCode) -> bool {
    find(c, &at(today), &FlagRules::default(), code).is_some()
}

#[test]
fn a_clean_contract_has_no_flags() {
    assert_eq!(codes(&clean(), &at(day(2024, 1, 1))), []);
    assert_eq!(codes(&clean(), &at(day(2024, 6, 1))), []);
}

#[test]
fn lease_over_20_years_exactly_20_is_fine() {
    let today = day(2024, 1, 1);
    let twenty = Contract {
        end_on: day(2043, 12, 31),
        ..clean()
    };
    assert!(!has(&twenty, today, FlagCode::LeaseOver20Years));
    let and_a_day = Contract {
        end_on: day(2044, 1, 1),
        ..clean()
    };
    let f = find(
        &and_a_day,
        &at(today),
        &FlagRules::default(),
        FlagCode::LeaseOver20Years,
    );
    assert_eq!(
        f.map(|f| f.detail_zh),
        Some("租期 20 年 1 天，超过 20 年上限".to_string())
    );
    let long = Contract {
        end_on: day(2048, 12, 31),
        ..clean()
    };
    let f = find(
        &long,
        &at(today),
        &FlagRules::default(),
        FlagCode::LeaseOver20Years,
    );
    assert_eq!(
        f.map(|f| f.detail_en),
        Some("term 25 years exceeds the 20-year limit".to_string())
    );
    let works = Contract {
        kind: ContractKind::Construction,
        ..long
    };
    assert!(!has(&works, today, FlagCode::LeaseOver20Years));
}

#[test]
fn rent_exactly_30_percent_below_is_fine_30_01_is_not() {
    let today = day(2024, 1, 1);
    // Reference for 10 mu: 8,000 yuan. 30 % below: 5,600.
    let at_30 = Contract {
        annual_rent: Fen(560_000),
        paid: Fen(560_000),
        ..clean()
    };
    assert!(!has(&at_30, today, FlagCode::RentBelowReference));
    let at_30_01 = Contract {
        annual_rent: Fen(559_920),
        paid: Fen(559_920),
        ..clean()
    };
    let f = find(
        &at_30_01,
        &at(today),
        &FlagRules::default(),
        FlagCode::RentBelowReference,
    );
    assert_eq!(
        f.map(|f| f.detail_zh),
        Some("每亩年租金 ¥559.92，比参考价 ¥800.00 低 30.01%，超过 30% 的允许幅度".to_string())
    );
    let one_fen_less = Contract {
        annual_rent: Fen(559_999),
        ..at_30.clone()
    };
    assert!(has(&one_fen_less, today, FlagCode::RentBelowReference));
    // Area in m² only is converted: 6666.7 m² = 10 mu.
    let m2 = Contract {
        area_mu_x100: None,
        area_m2_x100: Some(666_670),
        ..at_30_01.clone()
    };
    assert!(has(&m2, today, FlagCode::RentBelowReference));
    // No area or no reference for the kind: nothing to compare.
    let no_area = Contract {
        area_mu_x100: None,
        ..at_30_01.clone()
    };
    assert!(!has(&no_area, today, FlagCode::RentBelowReference));
    let other = Contract {
        kind: ContractKind::Other,
        ..at_30_01
    };
    assert!(!has(&other, today, FlagCode::RentBelowReference));
}

#[test]
fn shop_rent_is_compared_per_square_metre() {
    let today = day(2024, 1, 1);
    // 100 m² at the 120 yuan/m² reference: 12,000; 30 % below: 8,400.
    let shop = Contract {
        kind: ContractKind::ShopLease,
        area_mu_x100: None,
        area_m2_x100: Some(10_000),
        annual_rent: Fen(840_000),
        paid: Fen(840_000),
        ..clean()
    };
    assert!(!has(&shop, today, FlagCode::RentBelowReference));
    let cheap = Contract {
        annual_rent: Fen(839_999),
        ..shop
    };
    let f = find(
        &cheap,
        &at(today),
        &FlagRules::default(),
        FlagCode::RentBelowReference,
    );
    assert!(f.is_some_and(|f| f
        .detail_en
        .starts_with("rent ¥84.00 per m² per year is 30.00% below")));
}

#[test]
fn no_procedure_above_exactly_50000_yuan() {
    let today = day(2024, 1, 1);
    let one_year = Contract {
        end_on: day(2024, 12, 31),
        procedure_ref: None,
        area_mu_x100: None,
        ..clean()
    };
    let exactly = Contract {
        annual_rent: Fen(5_000_000),
        paid: Fen(5_000_000),
        ..one_year.clone()
    };
    assert!(!has(&exactly, today, FlagCode::NoProcedure));
    let above = Contract {
        annual_rent: Fen(5_000_001),
        paid: Fen(5_000_001),
        ..one_year
    };
    let f = find(
        &above,
        &at(today),
        &FlagRules::default(),
        FlagCode::NoProcedure,
    );
    assert_eq!(
        f.map(|f| f.detail_zh),
        Some("合同金额 ¥50,000.01 超过 ¥50,000.00，未记录民主决策程序".to_string())
    );
    let with_procedure = Contract {
        procedure_ref: Some("2024-01 会议纪要".into()),
        ..above
    };
    assert!(!has(&with_procedure, today, FlagCode::NoProcedure));
    // Value is rent over the whole term: 5 years × 10,000 = 50,000 exactly.
    let five = Contract {
        end_on: day(2028, 12, 31),
        procedure_ref: None,
        ..clean()
    };
    assert!(!has(&five, today, FlagCode::NoProcedure));
    let five_and_a_day = Contract {
        end_on: day(2029, 1, 1),
        ..five
    };
    assert!(has(&five_and_a_day, today, FlagCode::NoProcedure));
}

#[test]
fn several_flags_sorted_with_related_cadre_first() {
    let c = Contract {
        counterparty_id: None,
        related_cadre: true,
        procedure_ref: None,
        end_on: day(2049, 12, 31),
        paid: Fen::ZERO,
        ..clean()
    };
    let got = codes(&c, &at(day(2024, 6, 1)));
    assert_eq!(
        got,
        [
            FlagCode::RelatedCadre,
            FlagCode::LeaseOver20Years,
            FlagCode::NoProcedure,
            FlagCode::Arrears,
            FlagCode::MissingPartyId
        ]
    );
    let f = flags_for(&c, &at(day(2024, 6, 1)), &FlagRules::default());
    assert_eq!(
        f.first().map(|f| f.detail_zh.as_str()),
        Some("承包方“李四”为村干部本人或其近亲属")
    );
    assert_eq!(
        f.last().map(|f| f.detail_en.as_str()),
        Some("no resident ID recorded for counterparty '李四'")
    );
}
