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
        drafts::approve(app, supervisor, id, None).await?;
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
            attachments: None,
        };
        let id = drafts::prepare(app, accountant, input).await?;
        drafts::approve(app, supervisor, id, None).await?;
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

/// The head of a demo household as a villager would type them at registration: (name,
/// resident ID). Demo people are synthetic; the demo prints one so anyone can try registering.
pub async fn identity_of(app: &App, village: &str, household_no: &str) -> Result<(String, String)> {
    let mut conn = app.db.read().await?;
    let h = store::registry::households::find_by_no(&mut conn, village, household_no)
        .await?
        .ok_or_else(|| {
            crate::AppError::Internal(format!("demo household {household_no} missing"))
        })?;
    let m = store::registry::members::of_household(&mut conn, h.id)
        .await?
        .into_iter()
        .find(|m| m.id_cipher.is_some())
        .ok_or_else(|| {
            crate::AppError::Internal(format!("demo household {household_no}: no ID"))
        })?;
    let id = app
        .cipher
        .decrypt(m.id_cipher.as_deref().unwrap_or_default())?;
    Ok((m.name, id))
}

/// A villager of CQ001 registered against the registry (login: phone 13800000001), with a
/// question on the latest statement that the cadre answered.
pub async fn villager(app: &App, cadre: &Actor, village: &str) -> Result<String> {
    let (name, id) = identity_of(app, village, "CQ001").await?;
    let phone = "13800000001".to_string();
    crate::disclosure::villagers::register(
        app,
        crate::disclosure::villagers::Registration {
            village_code: village.to_string(),
            name,
            resident_id: id,
            phone: phone.clone(),
            password: crate::demo::PASSWORD.into(),
        },
        "demo",
    )
    .await?;
    let me = crate::disclosure::account_actor(app, &phone).await?;
    let me = Actor {
        scope: domain::access::Scope::nothing(me.user_id.unwrap_or(0)),
        ..me
    };
    let board = crate::disclosure::board::village_board(app, village, 1).await?;
    let latest = board
        .modules
        .iter()
        .find(|(m, _)| m.key() == "finance")
        .and_then(|(_, v)| v.first())
        .map(|d| d.id);
    let q = crate::disclosure::messages::ask(
        app,
        &me,
        "finance",
        latest,
        "question",
        "商铺租金是按年收取还是按月收取？",
    )
    .await?;
    crate::disclosure::messages::answer(
        app,
        cadre,
        q,
        "按合同约定每年一月一次性收取，表中按月折算列示。",
        None,
    )
    .await?;
    crate::disclosure::messages::ask(
        app,
        &me,
        "village",
        None,
        "suggestion",
        "建议村东道路硬化时同步安装路灯。",
    )
    .await?;
    Ok(phone)
}
