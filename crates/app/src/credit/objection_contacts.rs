//! Objectors' contacts, stored like members' phones: AES-GCM ciphertext and a masked form.
//! Shown masked to the review group; a role that may reveal personal numbers sees one in full,
//! audited.

use super::load_round;
use crate::{audit, Actor, App, AppError, Result};
use domain::access::Permission;
use serde_json::json;
use store::credit::objections as obj_store;

/// Encrypts the contacts filed before they were stored encrypted, clearing the plain column.
/// Run once after migrating (every start; nothing to do once sealed). Returns how many rows it
/// sealed.
pub async fn seal_plain_contacts(app: &App) -> Result<usize> {
    let mut tx = app.db.begin().await?;
    let plain = obj_store::plain_contacts(&mut tx).await?;
    for (id, contact) in &plain {
        let contact = contact.trim();
        obj_store::seal_contact(
            &mut tx,
            *id,
            &app.cipher.encrypt(contact)?,
            &domain::mask::mask_contact(contact),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(plain.len())
}

/// An objector's contact in full, for a role that may reveal personal numbers; audited.
pub async fn reveal(app: &App, actor: &Actor, objection_id: i64) -> Result<String> {
    actor.require(Permission::EditCredit)?;
    actor.require(Permission::RevealPersonal)?;
    let mut tx = app.db.begin().await?;
    let o = obj_store::get(&mut tx, objection_id)
        .await?
        .filter(|o| actor.can_see(&o.village_code))
        .ok_or_else(|| AppError::not_found(domain::message::catalogue::OBJECTION, objection_id))?;
    load_round(&mut tx, actor, o.round_id).await?;
    let plain = match &o.contact_cipher {
        Some(c) => app.cipher.decrypt(c)?,
        None => {
            return Err(AppError::NotFound(
                domain::message::catalogue::CONTACT.text(),
            ))
        }
    };
    audit::record(
        &mut tx,
        actor,
        "credit.objection.reveal_contact",
        "credit_objection",
        objection_id,
        &o.village_code,
        json!({"round": o.round_id, "household": o.household_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(plain)
}
