//! The demo: the embedded division sample, one account per role, grids and a few hundred
//! generated households with valid (fictitious) resident IDs.

use crate::accounts::{add_user, NewUser};
use crate::registry::households::{create, HouseholdInput};
use crate::registry::{grids, units};
use crate::{Actor, App, Result};
use domain::access::Role;
use domain::registry::{HouseholdDraft, MemberDraft};
use domain::ResidentId;

pub const PASSWORD: &str = "grassroots-demo";

/// The division sample committed with the project (three counties named in the seed articles).
pub const DIVISIONS: [(&str, &str); 5] = [
    (
        "provinces.csv",
        include_str!("../../../data/divisions-sample/provinces.csv"),
    ),
    (
        "cities.csv",
        include_str!("../../../data/divisions-sample/cities.csv"),
    ),
    (
        "areas.csv",
        include_str!("../../../data/divisions-sample/areas.csv"),
    ),
    (
        "streets.csv",
        include_str!("../../../data/divisions-sample/streets.csv"),
    ),
    (
        "villages.csv",
        include_str!("../../../data/divisions-sample/villages.csv"),
    ),
];

/// 陈区村's collective ledgers, built from seed 000's figures: 23.58 million yuan of debt,
/// resolved by write-off, adjustment, offset and repayment to 78.5 %.
/// One of the demo's ledger files: its register, its name, its text.
macro_rules! ledger_file {
    ($kind:ident, $name:literal) => {
        (
            crate::ledger::Kind::$kind,
            $name,
            include_str!(concat!("../../../data/demo/ledger/", $name)),
        )
    };
}

const LEDGER_FILES: [(crate::ledger::Kind, &str, &str); 5] = [
    ledger_file!(Resources, "resources.csv"),
    ledger_file!(Contracts, "contracts.csv"),
    ledger_file!(Debts, "debts.csv"),
    ledger_file!(DebtActions, "debt-actions.csv"),
    ledger_file!(Claims, "claims.csv"),
];

/// A smaller ledger for 王村 so the township ranking has two rows to compare.
const A2_DEBTS: &str = "debt_no,creditor,principal_yuan,incurred_on,category\nWD-01,镇财政所,1200000,2015-12-31,借款\n";
const A2_ACTIONS: &str = "debt_no,method,amount_yuan,acted_on\nWD-01,repayment,300000,2022-06-30\n";

async fn ledgers(app: &App, actor: &Actor) -> Result<()> {
    use crate::ledger::{import::import, Kind};
    for (kind, name, text) in LEDGER_FILES {
        import(app, actor, VILLAGE_A, kind, name, text.as_bytes(), false).await?;
    }
    import(
        app,
        actor,
        VILLAGE_A2,
        Kind::Debts,
        "debts.csv",
        A2_DEBTS.as_bytes(),
        false,
    )
    .await?;
    import(
        app,
        actor,
        VILLAGE_A2,
        Kind::DebtActions,
        "debt-actions.csv",
        A2_ACTIONS.as_bytes(),
        false,
    )
    .await?;
    Ok(())
}

pub fn division_files() -> Vec<(String, Vec<u8>)> {
    DIVISIONS
        .iter()
        .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
        .collect()
}

/// The demo's places: 高平市 (Gaoping), its 陈区镇 (Chenqu) with 陈区村 (seed 000's village),
/// and villages elsewhere for the scope demonstration.
pub const COUNTY: &str = "140581";
pub const TOWNSHIP: &str = "140581104";
pub const VILLAGE_A: &str = "140581104201";
/// Another village of the same township (王村).
pub const VILLAGE_A2: &str = "140581104202";
/// A village of another township (米山镇米西村).
pub const VILLAGE_B: &str = "140581101201";

/// A demo household head's name and resident ID, as a villager types them to register.
pub async fn registrable(app: &App) -> Result<(String, String)> {
    crate::demo_disclosure::identity_of(app, VILLAGE_A, "CQ002").await
}

#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: String,
    pub role: Role,
    pub unit: String,
}

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: [&str; 24] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "建国", "桂兰", "志强", "玉梅", "海燕",
];

/// A deterministic generator, so every demo looks the same, and a running number.
struct Lcg(domain::lcg::Lcg, u32);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0.next(n)
    }
}

fn person(rng: &mut Lcg, from_year: u32, span: u64, male: bool) -> (String, String) {
    let year = from_year + rng.next(span) as u32;
    let name = format!(
        "{}{}",
        SURNAMES[rng.next(20) as usize],
        GIVEN[rng.next(24) as usize]
    );
    let month = 1 + rng.next(12) as u32;
    let day = 1 + rng.next(28) as u32;
    rng.1 += 1;
    let seq = rng.1;
    // The 17th digit's parity is the sex.
    let order = (seq % 500) * 2 + u32::from(male);
    let id = ResidentId::from_first17(&format!("{COUNTY}{year:04}{month:02}{day:02}{order:03}"))
        .map(|i| i.as_str().to_string())
        .unwrap_or_default();
    (name, id)
}

#[allow(clippy::too_many_arguments)]
async fn households(
    app: &App,
    actor: &Actor,
    village: &str,
    prefix: &str,
    count: usize,
    grid_codes: &[String],
    rng: &mut Lcg,
) -> Result<()> {
    for i in 0..count {
        let (head, head_id) = person(rng, 1950, 40, true);
        let (spouse, spouse_id) = person(rng, 1952, 40, false);
        let mut members = vec![
            MemberDraft {
                name: head.clone(),
                relation: "户主".into(),
                resident_id: head_id,
                phone: format!("1{}{:09}", 3 + rng.next(6), rng.next(1_000_000_000)),
                ..Default::default()
            },
            MemberDraft {
                name: spouse,
                relation: "配偶".into(),
                resident_id: spouse_id,
                ..Default::default()
            },
        ];
        for _ in 0..rng.next(3) {
            let male = rng.next(2) == 0;
            let (child, child_id) = person(rng, 1985, 30, male);
            members.push(MemberDraft {
                name: child,
                relation: if male { "子" } else { "女" }.into(),
                resident_id: child_id,
                ..Default::default()
            });
        }
        let tags = match rng.next(10) {
            0 => "party_member",
            1 => "low_income",
            2 => "party_member,military",
            _ => "",
        };
        let input = HouseholdInput {
            village_code: village.into(),
            grid_code: grid_codes.get(i / 12).cloned(),
            fields: HouseholdDraft {
                household_no: format!("{prefix}{:03}", i + 1),
                address: format!("{}组{}号", 1 + i / 30, 1 + i % 30),
                head_name: head,
                tags: tags.into(),
                notes: String::new(),
            },
            members,
        };
        create(app, actor, input).await?;
    }
    Ok(())
}

/// Seeds an empty database and returns the demo accounts.
pub async fn seed(app: &App) -> Result<Vec<DemoLogin>> {
    let cli = Actor::cli();
    units::import_division_files(app, &cli, &division_files()).await?;
    let accounts = [
        ("admin", "系统管理员", Role::Admin, None),
        ("county", "高平市农经站", Role::CountyOfficer, Some(COUNTY)),
        (
            "township",
            "陈区镇干部",
            Role::TownshipOfficer,
            Some(TOWNSHIP),
        ),
        ("cadre", "陈区村书记", Role::VillageCadre, Some(VILLAGE_A)),
        (
            "accountant",
            "陈区村报账员",
            Role::VillageAccountant,
            Some(VILLAGE_A),
        ),
        ("cadre_b", "他村书记", Role::VillageCadre, Some(VILLAGE_B)),
        ("bank", "农商行客户经理", Role::BankOfficer, Some(TOWNSHIP)),
        (
            "supervisor",
            "陈区村监委会主任",
            Role::Supervisor,
            Some(VILLAGE_A),
        ),
    ];
    let mut logins = Vec::new();
    for (u, name, role, unit) in accounts {
        add_user(
            app,
            &cli,
            NewUser {
                username: u.into(),
                display_name: name.into(),
                password: PASSWORD.into(),
                role,
                unit_code: unit.map(str::to_string),
            },
        )
        .await?;
        logins.push(DemoLogin {
            username: u.into(),
            role,
            unit: unit.unwrap_or("全国").into(),
        });
    }
    let mut micro = Vec::new();
    for g in 1..=3 {
        let grid = grids::create(
            app,
            &cli,
            VILLAGE_A,
            &format!("第{g}网格"),
            &format!("党员{g}"),
        )
        .await?;
        for m in 1..=4 {
            micro.push(
                grids::create(
                    app,
                    &cli,
                    &grid.code,
                    &format!("第{g}-{m}微网格"),
                    &format!("党员{g}-{m}"),
                )
                .await?
                .code,
            );
        }
    }
    let grid_member_unit = micro.first().cloned().unwrap_or_default();
    add_user(
        app,
        &cli,
        NewUser {
            username: "grid".into(),
            display_name: "网格员".into(),
            password: PASSWORD.into(),
            role: Role::GridMember,
            unit_code: Some(grid_member_unit.clone()),
        },
    )
    .await?;
    logins.push(DemoLogin {
        username: "grid".into(),
        role: Role::GridMember,
        unit: grid_member_unit,
    });
    let mut rng = Lcg(domain::lcg::Lcg(20_260_000), 0);
    households(app, &cli, VILLAGE_A, "CQ", 140, &micro, &mut rng).await?;
    households(app, &cli, VILLAGE_A2, "WC", 30, &[], &mut rng).await?;
    households(app, &cli, VILLAGE_B, "MX", 40, &[], &mut rng).await?;
    ledgers(app, &cli).await?;
    crate::demo_credit::seed(app, &cli, VILLAGE_A, chrono::Local::now().date_naive()).await?;
    use crate::disclosure::account_actor;
    crate::demo_disclosure::seed(
        app,
        &account_actor(app, "accountant").await?,
        &account_actor(app, "supervisor").await?,
        &account_actor(app, "cadre").await?,
        VILLAGE_A,
        crate::disclosure::today(),
    )
    .await?;
    let phone =
        crate::demo_disclosure::villager(app, &account_actor(app, "cadre").await?, VILLAGE_A)
            .await?;
    logins.push(DemoLogin {
        username: phone,
        role: Role::Villager,
        unit: "陈区村 CQ001".into(),
    });
    Ok(logins)
}
