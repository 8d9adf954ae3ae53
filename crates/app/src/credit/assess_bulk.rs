//! The batch assessment's read–score–write pass over every household of a round.
//!
//! On SQLite the write transaction holds the database's only write lock (`BEGIN IMMEDIATE`)
//! from before the first read, so other connections read exactly the committed state the
//! transaction sees and nobody can change a record meanwhile: the round is read in parts by
//! several connections at once, each part scored as its rows arrive, while the transaction's
//! own connection inserts the scored chunks (a pipeline over both cores). On PostgreSQL other
//! connections could see records committed after the transaction began, so the round is read
//! on the transaction's own connection, then written.

use super::assess::compact;
use crate::Result;
use domain::credit::{Adjustment, Grade, GradeCounts, PointsPolicy, RuleSet, Tallier};
use std::collections::HashMap;
use std::sync::Arc;
use store::credit::assess::{self as assess_store, AssessmentWrite};
use store::{AnyConnection, Backend, StoreError};

/// Households per chunk handed from a reading part to the writer.
const CHUNK: usize = 2000;
/// Parts read at once on SQLite (the machine this runs on has two cores; the writer is the
/// third thread).
const PARTS: usize = 2;

#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Totals {
    pub records: u64,
    pub counts: GradeCounts,
}

impl Totals {
    fn add(&mut self, o: Totals) {
        self.records += o.records;
        self.counts.aaa += o.counts.aaa;
        self.counts.aa += o.counts.aa;
        self.counts.a += o.counts.a;
        self.counts.b += o.counts.b;
    }
}

/// Scores households one by one with one rule set.
struct Scorer<'r> {
    tallier: Tallier<'r>,
    adjustments: &'r HashMap<i64, Vec<Adjustment>>,
    policy: PointsPolicy,
    totals: Totals,
}

impl<'r> Scorer<'r> {
    fn new(rules: &'r RuleSet, adjustments: &'r HashMap<i64, Vec<Adjustment>>) -> Self {
        Scorer {
            tallier: Tallier::new(rules),
            adjustments,
            policy: PointsPolicy::default(),
            totals: Totals::default(),
        }
    }

    fn score(&mut self, hid: i64, packed: &str) -> AssessmentWrite {
        let adj = self.adjustments.get(&hid).map(Vec::as_slice).unwrap_or(&[]);
        let t = self.tallier.tally(assess_store::unpack(packed), adj);
        let c = &mut self.totals.counts;
        match t.grade {
            Grade::AAA => c.aaa += 1,
            Grade::AA => c.aa += 1,
            Grade::A => c.a += 1,
            Grade::B => c.b += 1,
        }
        AssessmentWrite {
            household_id: hid,
            score: t.total,
            grade: t.grade.as_str().to_string(),
            earned: t
                .positive_applied
                .max(0)
                .saturating_mul(self.policy.points_per_score_point),
            breakdown: compact(t.lines.iter().map(|(c, n, a)| (c.as_str(), *n, *a))),
        }
    }

    /// Reads the records of `ids` (ascending, one contiguous part of the round) on `conn` and
    /// hands the scored households to `out` in chunks; households without records get the
    /// base score.
    async fn part(
        &mut self,
        conn: &mut AnyConnection,
        round: i64,
        ids: &[i64],
        mut out: impl FnMut(Vec<AssessmentWrite>),
    ) -> Result<()> {
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            return Ok(());
        };
        let mut buf = Vec::with_capacity(CHUNK);
        let mut pos = 0usize;
        let mut push = |w: AssessmentWrite, buf: &mut Vec<AssessmentWrite>| {
            buf.push(w);
            if buf.len() == CHUNK {
                out(std::mem::replace(buf, Vec::with_capacity(CHUNK)));
            }
        };
        assess_store::stream_records_between(conn, round, first, last, |hid, packed| {
            // Both sides are ordered by household id: advance instead of looking up.
            while pos < ids.len() && ids[pos] < hid {
                push(self.score(ids[pos], ""), &mut buf);
                pos += 1;
            }
            if pos < ids.len() && ids[pos] == hid {
                self.totals.records += assess_store::unpack(packed).count() as u64;
                push(self.score(hid, packed), &mut buf);
                pos += 1;
            }
        })
        .await?;
        for &hid in &ids[pos..] {
            push(self.score(hid, ""), &mut buf);
        }
        if !buf.is_empty() {
            out(buf);
        }
        Ok(())
    }
}

/// Scores the households `ids` (ascending) of round `round` and replaces the round's
/// assessments with the result, inside the write transaction `tx`.
pub(super) async fn score_and_write(
    app: &crate::App,
    tx: &mut AnyConnection,
    round: i64,
    rules: RuleSet,
    adjustments: HashMap<i64, Vec<Adjustment>>,
    ids: Vec<i64>,
) -> Result<Totals> {
    if app.db.backend != Backend::Sqlite {
        let mut writes = Vec::with_capacity(ids.len());
        let mut scorer = Scorer::new(&rules, &adjustments);
        scorer
            .part(&mut *tx, round, &ids, |chunk| writes.extend(chunk))
            .await?;
        assess_store::replace_all(tx, round, &writes).await?;
        return Ok(scorer.totals);
    }
    let rules = Arc::new(rules);
    let adjustments = Arc::new(adjustments);
    let ids = Arc::new(ids);
    let (send, mut chunks) = tokio::sync::mpsc::unbounded_channel::<Vec<AssessmentWrite>>();
    let per = ids.len().div_ceil(PARTS).max(1);
    let mut readers = Vec::new();
    for p in 0..PARTS {
        let (pool, rules, adjustments, ids, send) = (
            app.db.pool.clone(),
            rules.clone(),
            adjustments.clone(),
            ids.clone(),
            send.clone(),
        );
        readers.push(tokio::spawn(async move {
            let part = ids
                .get(p * per..((p + 1) * per).min(ids.len()))
                .unwrap_or(&[]);
            let mut conn = pool.acquire().await.map_err(StoreError::from)?;
            let mut scorer = Scorer::new(&rules, &adjustments);
            // A closed channel means the writer failed: its error is the one reported.
            scorer
                .part(&mut conn, round, part, |chunk| {
                    let _ = send.send(chunk);
                })
                .await?;
            Ok::<_, crate::AppError>(scorer.totals)
        }));
    }
    drop(send);
    assess_store::delete_round(&mut *tx, round).await?;
    let mut written = Ok(());
    while let Some(chunk) = chunks.recv().await {
        if written.is_ok() {
            written = assess_store::insert_many(&mut *tx, round, &chunk).await;
        }
    }
    written?;
    let mut totals = Totals::default();
    for r in readers {
        let part = r
            .await
            .map_err(|e| crate::AppError::Internal(format!("assessment reader: {e}")))??;
        totals.add(part);
    }
    Ok(totals)
}
