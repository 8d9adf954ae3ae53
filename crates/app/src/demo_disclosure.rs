//! The demo's disclosures: 陈区村's monthly finance statements for the last six months, drawn
//! from its ledgers, prepared by the accountant, approved by the supervision committee's chair
//! and published on the 5th of the following month; a correction of the latest; a quarterly
//! party-fee disclosure and a village decision.

use crate::disclosure::drafts;
use crate::{Actor, App, Result};
use chrono::{Datelike, NaiveDate};
use domain::disclosure::{Cadence, Period};

pub async fn seed(
    app: &App,
    accountant: &Actor,
    supervisor: &Actor,
    cadre: &Actor,
    village: &str,
    today: NaiveDate,
) -> Result<()> {
    let monthly = Cadence::Monthly { due_day: 10 };
    let mut p = Period::holding(monthly, today);
    let mut months = Vec::new();
    for _ in 0..6 {
        p = p.previous();
        months.push(p);
    }
    months.reverse();
    let mut last = None;
    for m in months {
        let id = drafts::prepare_statement(app, accountant, village, &m.to_string()).await?;
        drafts::approve(app, supervisor, id).await?;
        let on = m.end().with_day(5).unwrap_or(m.end());
        let at = format!("{}T01:00:00Z", on.format("%Y-%m-%d"));
        let published = if on <= today {
            drafts::publish_at(app, accountant, id, at).await?
        } else {
            drafts::publish(app, accountant, id).await?
        };
        last = Some((published.id, m));
    }
    if let Some((old, m)) = last {
        let input = crate::disclosure::DraftInput {
            unit_code: village.to_string(),
            category: "finance.monthly".into(),
            module: String::new(),
            period: m.to_string(),
            title: format!("（更正）陈区村{}财务收支明细", m.label_zh()),
            body: "原公开表中“临街商铺2号”租金按年租金折算有误，现更正如下；其余不变。\n\n如有疑问，请在下方留言。".into(),
            table: Some(vec![
                vec!["类别".into(), "事项".into(), "对方".into(), "金额（分）".into()],
                vec!["合同租金（应收）".into(), "HT-2019-001".into(), "王建国".into(), "100000".into()],
                vec!["合同租金（应收）".into(), "HT-2019-002".into(), "李秀英".into(), "33333".into()],
            ]),
            supersedes: Some(old),
        };
        let id = drafts::prepare(app, accountant, input).await?;
        drafts::approve(app, supervisor, id).await?;
        drafts::publish(app, accountant, id).await?;
    }
    let quarter = Period::holding(Cadence::Quarterly { due_day: 20 }, today).previous();
    let fees = crate::disclosure::DraftInput {
        unit_code: village.to_string(),
        category: "party.fees".into(),
        period: quarter.to_string(),
        title: format!("陈区村党支部{}党费收缴情况", quarter.label_zh()),
        body: "本季度应交党费党员 42 名，已全部按时足额交纳。".into(),
        table: Some(vec![
            vec!["项目".into(), "人数".into(), "金额（分）".into()],
            vec!["在职党员".into(), "18".into(), "216000".into()],
            vec!["农民党员".into(), "24".into(), "72000".into()],
        ]),
        ..Default::default()
    };
    let id = drafts::prepare(app, cadre, fees).await?;
    drafts::publish(app, cadre, id).await?;
    let decision = crate::disclosure::DraftInput {
        unit_code: village.to_string(),
        category: "village.decisions".into(),
        period: today.format("%Y-%m-%d").to_string(),
        title: "关于硬化村东道路的决议".into(),
        body: "经村党支部提议、村“两委”商议、党员大会审议，村民代表会议表决通过（应到 35 人，实到 31 人，同意 29 人）：硬化村东道路 1.2 公里，预算 36 万元，由一事一议筹资和上级奖补解决。".into(),
        ..Default::default()
    };
    let id = drafts::prepare(app, cadre, decision).await?;
    drafts::publish(app, cadre, id).await?;
    Ok(())
}
