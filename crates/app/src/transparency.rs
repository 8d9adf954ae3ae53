//! The transparency log's use cases: append a publication inside its own write transaction,
//! issue signed checkpoints, serve proofs, and audit the log against the database.
//!
//! Publications today: the final credit grades of each village of a round (`credit.final`),
//! appended by `credit::rounds::finalize`. Their leaf is canonical JSON (fields in a fixed
//! order; docs/transparency-log.md): counts per grade and the SHA-256 of the village's final
//! list, never the households' grades themselves (they are not public after publicity).

use crate::{App, AppError, Result};
use domain::message::catalogue as msg;
use domain::message::Text;
use domain::transparency::merkle::{self, Hash, Node};
use domain::transparency::note::{self, Checkpoint, SignerKey, VerifierKey};
use serde::Serialize;
use std::collections::HashMap;
use store::transparency as log;
use store::StoreError;

/// Kind of the final credit grades of one village in one round.
pub const CREDIT_FINAL: &str = "credit.final";

/// The log's identity: the checkpoint origin and the key that signs its checkpoints.
pub struct LogKey {
    pub origin: String,
    pub signer: SignerKey,
}

impl LogKey {
    pub fn verifier(&self) -> VerifierKey {
        self.signer.verifier()
    }
}

impl std::fmt::Debug for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LogKey({})", self.origin)
    }
}

/// A new signing key with a random seed, named `origin`.
pub fn fresh_signer(origin: &str) -> Result<SignerKey> {
    use rand::RngCore;
    let mut seed = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut seed);
    SignerKey::from_seed(origin, &seed).map_err(|e| AppError::BadRequest(e.to_string().into()))
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// One village's final grades as its list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinalGrade {
    pub household_id: i64,
    pub no: String,
    pub score: i64,
    pub grade: String,
}

/// The leaf of a village's final grades: the grades themselves are not public once publicity
/// is over (banks see consenting households only), so the leaf commits to the list by its
/// SHA-256 and shows only counts. Whoever holds the list (the village's printed final list, a
/// bank's, the township's) recomputes [`list_digest`] and checks it against the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditFinalLeaf {
    pub v: u32,
    pub kind: &'static str,
    pub unit: String,
    pub round: i64,
    pub period: String,
    pub finalized_on: String,
    pub households: usize,
    /// How many households got each grade.
    pub grades: std::collections::BTreeMap<String, usize>,
    /// SHA-256 (hex) of the list's canonical JSON ([`list_digest`]).
    pub list_sha256: String,
}

impl CreditFinalLeaf {
    pub fn new(
        unit: &str,
        round: i64,
        period: &str,
        finalized_on: &str,
        list: &[FinalGrade],
    ) -> Result<CreditFinalLeaf> {
        let grades = grade_counts(list);
        Ok(CreditFinalLeaf {
            v: 1,
            kind: CREDIT_FINAL,
            unit: unit.to_string(),
            round,
            period: period.to_string(),
            finalized_on: finalized_on.to_string(),
            households: list.len(),
            grades,
            list_sha256: list_digest(list)?,
        })
    }

    pub fn bytes(&self) -> Result<String> {
        serde_json::to_string(self).map_err(internal)
    }
}

/// How many households of a list got each grade.
fn grade_counts(list: &[FinalGrade]) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for g in list {
        *counts.entry(g.grade.clone()).or_insert(0) += 1;
    }
    counts
}

/// One line of a final list as printed: household number, score, grade.
#[derive(Serialize)]
struct ListLine<'a> {
    no: &'a str,
    score: i64,
    grade: &'a str,
}

/// SHA-256 (hex) of `[{"no","score","grade"}, …]` in household-number order, no whitespace.
pub fn list_digest(list: &[FinalGrade]) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut lines: Vec<ListLine<'_>> = list
        .iter()
        .map(|g| ListLine {
            no: &g.no,
            score: g.score,
            grade: &g.grade,
        })
        .collect();
    lines.sort_by(|a, b| a.no.cmp(b.no));
    let json = serde_json::to_string(&lines).map_err(internal)?;
    Ok(hex::encode(Sha256::digest(json.as_bytes())))
}

/// Kind of a correction of a round's final grades made after final.
pub const CREDIT_CORRECTION: &str = "credit.correction";

/// The leaf of a correction after final: like the final list, it does not publish the
/// household's grade; it commits to the correction (household number, points, grade, reason)
/// by SHA-256, so whoever holds the correction notice checks it against the log.
pub fn correction_leaf(
    unit: &str,
    c: &store::credit::objections::CorrectionRow,
    household_no: &str,
) -> Result<String> {
    use sha2::{Digest, Sha256};
    let detail = serde_json::json!({"no": household_no, "points": c.points, "grade": c.grade, "reason": c.reason});
    let digest = hex::encode(Sha256::digest(detail.to_string().as_bytes()));
    #[derive(Serialize)]
    struct Leaf<'a> {
        v: u32,
        kind: &'static str,
        unit: &'a str,
        round: i64,
        correction: i64,
        made_on: &'a str,
        sha256: String,
    }
    serde_json::to_string(&Leaf {
        v: 1,
        kind: CREDIT_CORRECTION,
        unit,
        round: c.round_id,
        correction: c.id,
        made_on: &c.made_on,
        sha256: digest,
    })
    .map_err(internal)
}

/// Hashes in standard base64, as proofs travel in JSON.
pub fn base64_hashes(hashes: &[Hash]) -> Vec<String> {
    use base64::Engine;
    hashes
        .iter()
        .map(|h| base64::engine::general_purpose::STANDARD.encode(h))
        .collect()
}

/// Reads stored subtree hashes into a map for a plan.
async fn read_nodes(conn: &mut store::AnyConnection, plan: &[Node]) -> Result<HashMap<Node, Hash>> {
    Ok(log::nodes(conn, plan).await?.into_iter().collect())
}

/// Appends one publication inside the caller's write transaction; returns its index.
pub async fn append(
    conn: &mut store::AnyConnection,
    kind: &str,
    unit_code: &str,
    ref_id: Option<i64>,
    leaf: &str,
) -> Result<u64> {
    let index = log::next_index(conn).await?;
    // The left siblings the new leaf completes pairs with.
    let plan: Vec<Node> = (0..64u32)
        .take_while(|l| (index >> l) & 1 == 1)
        .map(|level| Node {
            level,
            index: (index >> level) - 1,
        })
        .collect();
    let have = read_nodes(conn, &plan).await?;
    let made = merkle::append(index, merkle::leaf_hash(leaf.as_bytes()), |n| {
        have.get(&n).copied()
    })
    .map_err(internal)?;
    log::insert_entry(conn, index, kind, unit_code, ref_id, leaf).await?;
    log::insert_nodes(conn, &made).await?;
    Ok(index)
}

/// The root of the first `size` entries.
async fn root_at(conn: &mut store::AnyConnection, size: u64) -> Result<Hash> {
    let have = read_nodes(conn, &merkle::root_plan(size)).await?;
    merkle::root(size, |n| have.get(&n).copied()).map_err(internal)
}

/// The signed checkpoint of the log as it is now: the newest one if nothing was appended
/// since (read without the write turn: anyone may ask, as often as they like), else a new one
/// — signed only after checking it is consistent with the newest.
pub async fn checkpoint(app: &App) -> Result<String> {
    {
        let mut conn = app.db.read().await?;
        let size = log::size(&mut conn).await?;
        if let Some(c) = log::latest_checkpoint(&mut conn)
            .await?
            .filter(|c| c.size >= size)
        {
            return Ok(c.note);
        }
    }
    let mut tx = app.db.begin().await?;
    let size = log::size(&mut tx).await?;
    let latest = log::latest_checkpoint(&mut tx).await?;
    if let Some(c) = latest.as_ref().filter(|c| c.size >= size) {
        // Another request signed this size while we waited for the write turn.
        return Ok(c.note.clone());
    }
    let root = root_at(&mut tx, size).await?;
    if let Some(prev) = &latest {
        let old = prev.root;
        let have = read_nodes(&mut tx, &merkle::consistency_plan(prev.size, size)).await?;
        let proof = merkle::consistency_proof(prev.size, size, |n| have.get(&n).copied())
            .map_err(internal)?;
        merkle::verify_consistency(prev.size, size, &proof, &old, &root).map_err(|e| {
            AppError::Internal(format!(
                "refusing to sign: size {size} is not consistent with the checkpoint at {} ({e})",
                prev.size
            ))
        })?;
    }
    let body = Checkpoint {
        origin: app.log.origin.clone(),
        size,
        root,
        extensions: vec![],
    };
    let signed = note::sign(&body.text(), &[&app.log.signer]).map_err(internal)?;
    let kept = log::insert_checkpoint(&mut tx, size, &root, &signed).await?;
    let stored = if kept {
        signed
    } else {
        // The size was signed meanwhile (PostgreSQL): answer what the log holds.
        log::latest_checkpoint(&mut tx)
            .await?
            .map(|c| c.note)
            .ok_or_else(|| internal("a checkpoint vanished"))?
    };
    tx.commit().await.map_err(StoreError::from)?;
    Ok(stored)
}

/// The checkpoint as the public reads it: [`checkpoint`] with the signature lines of every
/// witness that cosigned that size.
pub async fn served_checkpoint(app: &App) -> Result<String> {
    let mut note = checkpoint(app).await?;
    let size = note::parse(&note)
        .ok()
        .and_then(|n| Checkpoint::parse(&n.text).ok())
        .map(|c| c.size);
    if let Some(size) = size {
        let mut conn = app.db.read().await?;
        for line in log::cosignatures(&mut conn, size).await? {
            note.push_str(&line);
        }
    }
    Ok(note)
}

/// Keeps a witness's cosignature of one of the log's checkpoints: the note's text must be the
/// log's own checkpoint of that size, and each other signature must verify under a witness
/// key this deployment was given. Returns how many cosignatures were new.
pub async fn add_cosignature(app: &App, cosigned: &str) -> Result<usize> {
    use base64::Engine;
    let bad = |m: &str| {
        AppError::BadRequest(Text::new(
            "log.bad_cosignature",
            format!("签名检查点无效：{m}"),
            format!("not a valid cosigned checkpoint: {m}"),
        ))
    };
    let parsed = note::parse(cosigned).map_err(|e| bad(&e.to_string()))?;
    let cp = Checkpoint::parse(&parsed.text).map_err(|e| bad(&e.to_string()))?;
    let mut conn = app.db.read().await?;
    let ours = log::checkpoint_at(&mut conn, cp.size)
        .await?
        .ok_or_else(|| AppError::NotFound(msg::RECORD.text()))?;
    let ours_text = note::parse(&ours.note).map_err(internal)?.text;
    if ours_text != parsed.text {
        return Err(bad("its text is not the log's checkpoint of that size"));
    }
    let keys: Vec<VerifierKey> = app
        .config
        .witnesses
        .iter()
        .filter_map(|k| VerifierKey::parse(k).ok())
        .collect();
    let mut added = 0;
    let mut known = 0;
    for sig in parsed
        .signatures
        .iter()
        .filter(|s| s.name != app.log.origin)
    {
        // A line of a witness this log does not (or no longer) know is left out: one stale
        // line must not block the others.
        let Some(key) = keys.iter().find(|k| k.name == sig.name && k.id == sig.id) else {
            continue;
        };
        known += 1;
        let (_, verified) =
            note::open(cosigned, std::slice::from_ref(key)).map_err(|e| bad(&e.to_string()))?;
        if !verified.contains(&key.name) {
            return Err(bad("a witness signature does not verify"));
        }
        let mut raw = sig.id.to_be_bytes().to_vec();
        raw.extend_from_slice(&sig.signature);
        let line = format!(
            "— {} {}\n",
            sig.name,
            base64::engine::general_purpose::STANDARD.encode(raw)
        );
        let mut tx = app.db.begin().await?;
        if log::insert_cosignature(&mut tx, cp.size, &sig.name, &line).await? {
            added += 1;
            let witness = crate::Actor {
                user_id: None,
                username: format!("witness:{}", sig.name),
                display_name: sig.name.clone(),
                role: domain::access::Role::Villager,
                scope: domain::access::Scope::nothing(0),
                ip: String::new(),
            };
            crate::audit::record(
                &mut tx,
                &witness,
                "log.cosign",
                "checkpoint",
                cp.size,
                "",
                serde_json::json!({"witness": sig.name, "size": cp.size}),
            )
            .await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
    }
    if known == 0 {
        return Err(AppError::Forbidden(Text::new(
            "log.unknown_witness",
            "没有本日志登记的见证方签名",
            "no signature of a witness this log knows",
        )));
    }
    Ok(added)
}

/// An inclusion proof of entry `index` in the tree of `size` entries.
pub async fn inclusion(app: &App, index: u64, size: u64) -> Result<Vec<Hash>> {
    let mut conn = app.db.read().await?;
    let now = log::size(&mut conn).await?;
    if size > now || index >= size {
        return Err(AppError::BadRequest(msg::LOG_INDEX_OUT_OF_RANGE.with(&[
            ("index", &index),
            ("size", &size),
            ("now", &now),
        ])));
    }
    let have = read_nodes(&mut conn, &merkle::inclusion_plan(index, size)).await?;
    merkle::inclusion_proof(index, size, |n| have.get(&n).copied()).map_err(internal)
}

/// A consistency proof between two sizes.
pub async fn consistency(app: &App, from: u64, to: u64) -> Result<Vec<Hash>> {
    let mut conn = app.db.read().await?;
    let now = log::size(&mut conn).await?;
    if from > to || to > now {
        return Err(AppError::BadRequest(msg::LOG_SIZES_OUT_OF_RANGE.with(&[
            ("from", &from),
            ("to", &to),
            ("now", &now),
        ])));
    }
    let have = read_nodes(&mut conn, &merkle::consistency_plan(from, to)).await?;
    merkle::consistency_proof(from, to, |n| have.get(&n).copied()).map_err(internal)
}

/// One entry (public: the leaf is what was published).
pub async fn entry(app: &App, index: u64) -> Result<log::EntryRow> {
    let not_found = || AppError::NotFound(msg::LOG_ENTRY.with(&[("index", &index)]));
    if i64::try_from(index).is_err() {
        // Beyond any stored index: absent, without asking the database.
        return Err(not_found());
    }
    let mut conn = app.db.read().await?;
    log::entry_at(&mut conn, index).await?.ok_or_else(not_found)
}

/// The entries about one thing (e.g. a round's final grades), for its pages.
pub async fn entries_of(app: &App, kind: &str, ref_id: i64) -> Result<Vec<log::EntryRow>> {
    let mut conn = app.db.read().await?;
    Ok(log::entries_of(&mut conn, kind, ref_id).await?)
}

/// What `log audit` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub entries: u64,
    pub checkpoints: usize,
    /// The first problem found, if any ("entry 12: …").
    pub problem: Option<String>,
}

/// Recomputes every leaf hash and stored subtree from the entries, every checkpoint's root and
/// signature, and every publication's leaf from the rows it was made of.
pub async fn audit(app: &App) -> Result<AuditReport> {
    let mut conn = app.db.read().await?;
    let size = log::size(&mut conn).await?;
    let mut rebuilt: HashMap<Node, Hash> = HashMap::new();
    let mut problem: Option<String> = None;
    let mut from = 0u64;
    while from < size && problem.is_none() {
        let batch = log::entries(&mut conn, from, 2000).await?;
        if batch.is_empty() {
            problem = Some(format!("entry {from}: missing (the log holds {size})"));
            break;
        }
        for e in &batch {
            if e.index != from {
                problem = Some(format!("entry {from}: missing"));
                break;
            }
            let made = merkle::append(e.index, merkle::leaf_hash(e.leaf.as_bytes()), |n| {
                rebuilt.get(&n).copied()
            })
            .map_err(internal)?;
            rebuilt.extend(made);
            if let Some(p) = source_mismatch(&mut conn, e).await? {
                problem = Some(format!("entry {}: {p}", e.index));
                break;
            }
            from += 1;
        }
    }
    if problem.is_none() {
        problem = stored_nodes_mismatch(&mut conn, &rebuilt).await?;
    }
    let checkpoints = log::checkpoints(&mut conn).await?;
    if problem.is_none() {
        for c in &checkpoints {
            if c.size > size {
                problem = Some(format!(
                    "checkpoint at size {}: the log holds only {size} entries",
                    c.size
                ));
                break;
            }
            let root = merkle::root(c.size, |n| rebuilt.get(&n).copied()).map_err(internal)?;
            if root != c.root {
                problem = Some(format!(
                    "checkpoint at size {}: its root is not the log's",
                    c.size
                ));
                break;
            }
            match note::open(&c.note, &[app.log.verifier()]) {
                Err(e) => {
                    problem = Some(format!("checkpoint at size {}: {e}", c.size));
                    break;
                }
                Ok((text, _)) => {
                    let says = Checkpoint::parse(&text).ok();
                    if says.as_ref().map(|b| (b.size, b.root, b.origin.as_str()))
                        != Some((c.size, root, app.log.origin.as_str()))
                    {
                        problem = Some(format!(
                            "checkpoint at size {}: its signed text is for another tree",
                            c.size
                        ));
                        break;
                    }
                }
            }
        }
    }
    Ok(AuditReport {
        entries: size,
        checkpoints: checkpoints.len(),
        problem,
    })
}

/// The stored subtree hashes against those rebuilt from the entries.
async fn stored_nodes_mismatch(
    conn: &mut store::AnyConnection,
    rebuilt: &HashMap<Node, Hash>,
) -> Result<Option<String>> {
    let mut keys: Vec<Node> = rebuilt.keys().copied().collect();
    keys.sort();
    for chunk in keys.chunks(512) {
        let stored: HashMap<Node, Hash> = log::nodes(conn, chunk).await?.into_iter().collect();
        for n in chunk {
            if stored.get(n) != rebuilt.get(n) {
                return Ok(Some(format!(
                    "stored subtree {}/{} differs from the entries",
                    n.level, n.index
                )));
            }
        }
    }
    Ok(None)
}

/// Whether a publication still matches the rows it was made of.
async fn source_mismatch(
    conn: &mut store::AnyConnection,
    e: &log::EntryRow,
) -> Result<Option<String>> {
    if e.kind == domain::disclosure::leaf::KIND {
        return disclosure_mismatch(conn, e).await;
    }
    if e.kind == CREDIT_CORRECTION {
        let Some(id) = e.ref_id else {
            return Ok(Some(
                "a credit.correction entry without its correction".into(),
            ));
        };
        return Ok(
            match store::credit::objections::correction_with_no(conn, id).await? {
                None => Some(format!("credit correction {id} is gone from the database")),
                Some((c, no)) if correction_leaf(&e.unit_code, &c, &no)? == e.leaf => None,
                Some(_) => Some(format!(
                    "credit correction {id} in {} changed since it was logged",
                    e.unit_code
                )),
            },
        );
    }
    if e.kind != CREDIT_FINAL {
        return Ok(None);
    }
    let Some(round) = e.ref_id else {
        return Ok(Some("a credit.final entry without its round".into()));
    };
    let published: serde_json::Value = match serde_json::from_str(&e.leaf) {
        Ok(v) => v,
        Err(_) => return Ok(Some("the leaf is not JSON".into())),
    };
    let now = final_grades(conn, round, &e.unit_code).await?;
    let digest = list_digest(&now)?;
    if published["list_sha256"].as_str() == Some(digest.as_str()) {
        return Ok(None);
    }
    let counts = grade_counts(&now);
    Ok(Some(format!(
        "final grades of round {round} in {} changed: published {} households {}, the database now holds {} households {}",
        e.unit_code,
        published["households"],
        published["grades"],
        now.len(),
        serde_json::to_string(&counts).map_err(internal)?
    )))
}

/// Whether a published disclosure still reads as its leaf says (a row edited behind the
/// application's back, the triggers dropped, shows here).
async fn disclosure_mismatch(
    conn: &mut store::AnyConnection,
    e: &log::EntryRow,
) -> Result<Option<String>> {
    let Some(id) = e.ref_id else {
        return Ok(Some("a disclosure entry without its disclosure".into()));
    };
    let Some(row) = store::disclosure::by_id(conn, id).await? else {
        return Ok(Some(format!("disclosure {id} is gone from the database")));
    };
    // A row tampered into something unreadable is a difference to name, not an audit failure.
    let Ok(now) = crate::disclosure::drafts::leaf_of(&row) else {
        return Ok(Some(format!("disclosure {id} in {} no longer reads as a disclosure (its table or attachments were altered)", e.unit_code)));
    };
    if now == e.leaf {
        // The leaf names each attachment by its hash: the bytes kept must still have it.
        let shas: Vec<String> = serde_json::from_str(&row.attachments).unwrap_or_default();
        for sha in shas {
            use base64::Engine;
            use sha2::{Digest, Sha256};
            let kept = store::disclosure::file(conn, &sha).await?;
            let same = kept
                .and_then(|f| {
                    base64::engine::general_purpose::STANDARD
                        .decode(f.data)
                        .ok()
                })
                .is_some_and(|b| hex::encode(Sha256::digest(&b)) == sha);
            if !same {
                return Ok(Some(format!(
                    "disclosure {id} in {}: attachment {sha} is missing or altered",
                    e.unit_code
                )));
            }
        }
        Ok(None)
    } else {
        Ok(Some(format!(
            "disclosure {id} in {} changed since it was published (\"{}\" now reads \"{}\")",
            e.unit_code,
            serde_json::from_str::<serde_json::Value>(&e.leaf)
                .ok()
                .and_then(|v| v["title"].as_str().map(str::to_string))
                .unwrap_or_default(),
            row.content.title
        )))
    }
}

/// A village's final grades of a round, by household number.
pub async fn final_grades(
    conn: &mut store::AnyConnection,
    round: i64,
    village: &str,
) -> Result<Vec<FinalGrade>> {
    let rows = store::credit::assess::of_round(conn, round, village, 100_000).await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.is_final)
        .map(|r| FinalGrade {
            household_id: r.household_id,
            no: r.household_no,
            score: r.score,
            grade: r.grade,
        })
        .collect())
}
