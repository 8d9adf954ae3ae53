//! Villagers' accounts, verified against the registry: a villager registers with name, full
//! resident ID and phone; the account is made only when a member of a household of that village
//! has that ID (keyed hash) and name, and it is bound to that member. A registration that does
//! not match waits for a cadre's check in person (the seed's face check). Guessing is throttled
//! per address and audited; a failed match says nothing about which field failed.

use crate::accounts::{check_new_password, hash_password};
use crate::{audit, Actor, App, AppError, Result};
use domain::access::{Permission, Role};
use domain::message::FieldError;
use domain::ResidentId;
use serde_json::json;
use store::accounts::users::{self, UserRow};
use store::villagers::{self as rows, Link, Request};

/// Attempts one address may make per hour.
pub const ATTEMPTS_PER_HOUR: i64 = 10;

#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub village_code: String,
    pub name: String,
    pub resident_id: String,
    pub phone: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// Matched the registry: the account exists, its username is the phone number.
    Account { username: String },
    /// Did not match: a cadre will check in person.
    Pending,
}

fn village_ok(code: &str) -> bool {
    code.len() == 12 && code.bytes().all(|b| b.is_ascii_digit())
}

pub async fn register(app: &App, r: Registration, ip: &str) -> Result<Registered> {
    let mut errors = Vec::new();
    let name = r.name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new(
            "name",
            domain::message::catalogue::REQUIRED.field("name", &[]),
        ));
    } else if name.chars().count() > 20 {
        errors.push(FieldError::new(
            "name",
            domain::message::catalogue::TOO_LONG.field("name", &[("max", &20)]),
        ));
    } else if let Err(e) = domain::text::check_line("name", &name) {
        errors.push(e);
    }
    let id = match ResidentId::parse(&r.resident_id) {
        Ok(id) => Some(id),
        Err(e) => {
            errors.push(FieldError::new("resident_id", e.text()));
            None
        }
    };
    let phone = match domain::registry::household::validate_phone(&r.phone) {
        Ok(p) if p.len() == 11 => Some(p),
        Ok(_) => {
            errors.push(FieldError::new(
                "phone",
                domain::message::catalogue::PHONE_INVALID.with(&[("value", &r.phone)]),
            ));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if let Some(p) = &phone {
        if let Err(AppError::Invalid(mut e)) = check_new_password(&r.password, p) {
            errors.append(&mut e);
        }
    }
    let (Some(id), Some(phone), true) = (id, phone, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    if !village_ok(&r.village_code) {
        return Err(AppError::NotFound(
            domain::message::catalogue::RECORD.text(),
        ));
    }
    let since = (chrono::Utc::now() - chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let cli = Actor {
        user_id: None,
        username: format!("register:{phone}", phone = domain::mask::mask_phone(&phone)),
        display_name: name.clone(),
        role: Role::Villager,
        scope: domain::access::Scope::new(r.village_code.clone()),
        ip: ip.to_string(),
    };
    let id_hash = app.cipher.lookup_hash(id.as_str());
    let id_masked = id.masked();
    let mut tx = app.db.begin().await?;
    // Throttled per address (an IPv6 client counts by its /64, which it can rotate within) and
    // per name in the village (so rotating addresses does not buy guesses at one person's ID);
    // the name is kept only as a keyed hash.
    let by_ip = rows::attempt(&mut tx, &throttle_key(ip), &since).await?;
    let name_key = format!("name:{}:{}", r.village_code, app.cipher.lookup_hash(&name));
    let by_name = rows::attempt(&mut tx, &name_key, &since).await?;
    if by_ip >= ATTEMPTS_PER_HOUR || by_name >= ATTEMPTS_PER_HOUR {
        audit::record(
            &mut tx,
            &cli,
            "villager.register_throttled",
            "villager",
            "",
            &r.village_code,
            json!({"resident_id": id_masked}),
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::Throttled(3600));
    }
    // A phone with an account already gets the neutral answer too: whether a number has an
    // account is nobody's business here.
    if users::by_username(&mut tx, &phone).await?.is_some() {
        audit::record(
            &mut tx,
            &cli,
            "villager.register_phone_taken",
            "villager",
            "",
            &r.village_code,
            json!({"phone": domain::mask::mask_phone(&phone)}),
        )
        .await?;
        tx.commit().await?;
        return Ok(Registered::Pending);
    }
    let matched = rows::match_member(&mut tx, &r.village_code, &id_hash, &name).await?;
    let free = match matched {
        Some((member, _)) => !rows::member_linked(&mut tx, member).await?,
        None => false,
    };
    let password_hash = hash_password(&r.password)?;
    let phone_cipher = app.cipher.encrypt(&phone)?;
    let phone_masked = domain::mask::mask_phone(&phone);
    match (matched, free) {
        (Some((member_id, household_id)), true) => {
            let made = users::insert(
                &mut tx,
                &UserRow {
                    id: 0,
                    username: phone.clone(),
                    display_name: name.clone(),
                    password_hash,
                    role: Role::Villager.as_str().into(),
                    unit_code: Some(r.village_code.clone()),
                    active: true,
                },
            )
            .await;
            // Another registration of the same member or phone won meanwhile (PostgreSQL
            // lets both get this far): the same neutral answer as any mismatch.
            let user_id = match made {
                Err(store::StoreError::Conflict(_)) => return Ok(Registered::Pending),
                other => other?,
            };
            let linked = rows::insert_link(
                &mut tx,
                &Link {
                    user_id,
                    member_id,
                    household_id,
                    village_code: r.village_code.clone(),
                    phone_masked,
                    verified_by: "registry".into(),
                    inbox_seen_at: String::new(),
                },
                &phone_cipher,
            )
            .await;
            if let Err(store::StoreError::Conflict(_)) = linked {
                return Ok(Registered::Pending);
            }
            linked?;
            audit::record(
                &mut tx,
                &cli,
                "villager.register",
                "user",
                user_id,
                &r.village_code,
                json!({"member_id": member_id, "verified_by": "registry"}),
            )
            .await?;
            tx.commit().await?;
            Ok(Registered::Account { username: phone })
        }
        _ => {
            // Nothing says whether the ID, the name or the village failed, or that the member
            // has an account already.
            let q = Request {
                id: 0,
                village_code: r.village_code.clone(),
                name,
                id_hash,
                id_masked: id_masked.clone(),
                phone_cipher,
                phone_masked,
                password_hash,
                status: "pending".into(),
                created_at: String::new(),
            };
            let phone_hash = app.cipher.lookup_hash(&phone);
            let req = rows::insert_request(&mut tx, &q, &phone_hash).await?;
            audit::record(
                &mut tx,
                &cli,
                "villager.register_unmatched",
                "villager_request",
                req,
                &r.village_code,
                json!({"resident_id": id_masked}),
            )
            .await?;
            tx.commit().await?;
            Ok(Registered::Pending)
        }
    }
}

/// The address a registration attempt counts against: an IPv6 address by its /64 (one
/// household's line gets a whole /64), anything else as it is.
pub fn throttle_key(ip: &str) -> String {
    match ip.parse::<std::net::Ipv6Addr>() {
        Ok(v6) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => ip.to_string(),
    }
}

/// Registrations waiting for a cadre in the actor's area.
pub async fn pending(app: &App, actor: &Actor) -> Result<Vec<Request>> {
    actor.require(Permission::EditHouseholds)?;
    let mut conn = app.db.read().await?;
    Ok(rows::pending_requests(&mut conn, &actor.scope.root).await?)
}

/// A cadre who checked the person face to face binds the registration to a member of the
/// village (whose record they chose); the account is made with the password the villager set.
pub async fn confirm(app: &App, actor: &Actor, request_id: i64, member_id: i64) -> Result<String> {
    actor.require(Permission::EditHouseholds)?;
    let mut tx = app.db.begin().await?;
    let q = rows::request_by_id(&mut tx, request_id)
        .await?
        .filter(|q| actor.can_see(&q.village_code))
        .ok_or_else(|| AppError::NotFound(domain::message::catalogue::RECORD.text()))?;
    let m = store::registry::members::get(&mut tx, member_id).await?;
    let household = match m {
        Some(m) => store::registry::households::get(&mut tx, m.household_id).await?,
        None => None,
    };
    let Some(h) = household.filter(|h| h.village_code == q.village_code) else {
        return Err(AppError::field(
            "member_id",
            domain::message::Text::new(
                "villager.member_elsewhere",
                "所选成员不在该村",
                "the member chosen is not of that village",
            ),
        ));
    };
    if rows::member_linked(&mut tx, member_id).await? {
        return Err(AppError::Conflict(domain::message::Text::new(
            "villager.member_linked",
            "该成员已有村民账号",
            "that member has a villager account already",
        )));
    }
    if !rows::decide_request(&mut tx, request_id, "confirmed", &actor.username).await? {
        return Err(AppError::Conflict(domain::message::Text::new(
            "villager.decided",
            "该申请已处理",
            "the request was decided already",
        )));
    }
    let phone = app.cipher.decrypt(&q.phone_cipher)?;
    let user_id = users::insert(
        &mut tx,
        &UserRow {
            id: 0,
            username: phone.clone(),
            display_name: q.name.clone(),
            password_hash: q.password_hash.clone(),
            role: Role::Villager.as_str().into(),
            unit_code: Some(q.village_code.clone()),
            active: true,
        },
    )
    .await?;
    rows::insert_link(
        &mut tx,
        &Link {
            user_id,
            member_id,
            household_id: h.id,
            village_code: q.village_code.clone(),
            phone_masked: q.phone_masked.clone(),
            verified_by: actor.username.clone(),
            inbox_seen_at: String::new(),
        },
        &q.phone_cipher,
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "villager.confirm",
        "user",
        user_id,
        &q.village_code,
        json!({"request": request_id, "member_id": member_id, "resident_id": q.id_masked}),
    )
    .await?;
    tx.commit().await?;
    Ok(phone)
}

/// The villager's binding, or a refusal for any other role.
pub async fn link(app: &App, actor: &Actor) -> Result<Link> {
    let (Role::Villager, Some(uid)) = (actor.role, actor.user_id) else {
        return Err(AppError::Forbidden(domain::message::Text::new(
            "villager.only",
            "仅限村民账号",
            "for villagers' accounts",
        )));
    };
    let mut conn = app.db.read().await?;
    rows::link_of(&mut conn, uid)
        .await?
        .ok_or_else(|| AppError::NotFound(domain::message::catalogue::RECORD.text()))
}

/// The villager's own household file.
pub async fn my_household(
    app: &App,
    actor: &Actor,
) -> Result<crate::registry::households::HouseholdView> {
    let l = link(app, actor).await?;
    crate::registry::households::of_villager(app, actor, l.household_id).await
}

/// A pending registration with the members of its village who carry that name.
#[derive(Debug, Clone)]
pub struct PendingView {
    pub request: Request,
    pub candidates: Vec<(i64, String, String, String)>,
}

pub async fn pending_with_candidates(app: &App, actor: &Actor) -> Result<Vec<PendingView>> {
    let list = pending(app, actor).await?;
    let mut conn = app.db.read().await?;
    let mut out = Vec::with_capacity(list.len());
    for q in list {
        let candidates = rows::members_named(&mut conn, &q.village_code, &q.name).await?;
        out.push(PendingView {
            request: q,
            candidates,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::throttle_key;

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        assert_eq!(throttle_key("2408:8207:1:2:aaaa::1"), "2408:8207:1:2::/64");
        assert_eq!(throttle_key("2408:8207:1:2:bbbb::9"), "2408:8207:1:2::/64");
        assert_eq!(throttle_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(throttle_key("::ffff:203.0.113.7"), "::ffff:203.0.113.7");
        assert_eq!(throttle_key("in-process"), "in-process");
    }
}
