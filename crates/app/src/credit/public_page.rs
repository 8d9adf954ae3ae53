//! What the village's public credit page shows (no account needed), read on one connection,
//! and the version of that data (migration 0009) so the web layer can cache the rendered page
//! and notice any write that changes it, from this process or another.

use super::RoundView;
use crate::{App, AppError, Result};
use domain::credit::{Grade, PublicityEntry, RoundStage};
use serde::Serialize;

/// The page's data.
#[derive(Debug, Clone)]
pub struct PublicPage {
    pub village_name: String,
    /// A round covers the village (any stage): the page is worth caching (the web layer caches
    /// only such villages, so arbitrary codes cannot fill its cache).
    pub has_round: bool,
    /// The round in publicity, when there is one.
    pub publicity: Option<Publicity>,
}

#[derive(Debug, Clone)]
pub struct Publicity {
    pub round: RoundView,
    /// Every household with its masked name, score and grade (nothing else is disclosed).
    pub rows: Vec<PublicityEntry>,
    pub answers: Vec<PublicAnswer>,
}

/// Answers to the objections of a village in publicity, as the public page shows them: the
/// household number, the decision and its reason; never who objected or how to reach them.
#[derive(Debug, Clone, Serialize)]
pub struct PublicAnswer {
    pub household_no: String,
    pub raised_on: String,
    pub status: String,
    pub decision_reason: String,
}

/// The unit codes whose versions cover the village's page: the village and its ancestors (a
/// township round is keyed by the township's code).
pub fn scopes(village: &str) -> Vec<String> {
    domain::registry::Level::ALL
        .iter()
        .filter_map(|l| village.get(..l.code_len()))
        .map(str::to_string)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The version of what the village's page shows (see `store::public_pages`). Read it before
/// the data: a write committed after this read bumps the version past it.
pub async fn version(app: &App, village: &str) -> Result<i64> {
    let mut conn = app.db.read().await?;
    Ok(store::public_pages::version(&mut conn, &scopes(village)).await?)
}

/// The village's name and its round in publicity (the objection form needs no more).
pub async fn village_and_round(app: &App, village: &str) -> Result<(String, Option<RoundView>)> {
    let mut conn = app.db.read().await?;
    let (name, rounds) = village_rounds(&mut conn, village).await?;
    let round = publicity_of(village, &rounds);
    Ok((name, round.map(super::rounds::view)))
}

async fn village_rounds(
    conn: &mut store::AnyConnection,
    village: &str,
) -> Result<(String, Vec<store::credit::rounds::RoundRow>)> {
    let unit = store::registry::units::get(conn, village)
        .await?
        .filter(|u| u.level == "village")
        .ok_or_else(|| AppError::NotFound(domain::message::catalogue::VILLAGE.text()))?;
    // Rounds of the village itself or of a unit above it (a township round covers it).
    let rounds = store::credit::rounds::list_related(conn, village)
        .await?
        .into_iter()
        .filter(|r| village.starts_with(&r.unit_code))
        .collect();
    Ok((unit.name, rounds))
}

fn publicity_of<'a>(
    village: &str,
    rounds: &'a [store::credit::rounds::RoundRow],
) -> Option<&'a store::credit::rounds::RoundRow> {
    rounds
        .iter()
        .find(|r| village.starts_with(&r.unit_code) && r.stage == RoundStage::Publicity.as_str())
}

/// Everything the page shows; `NotFound` when the code is not a village.
pub async fn load(app: &App, village: &str) -> Result<PublicPage> {
    let mut conn = app.db.read().await?;
    let (village_name, rounds) = village_rounds(&mut conn, village).await?;
    let publicity = match publicity_of(village, &rounds) {
        None => None,
        Some(round) => {
            let rows =
                store::credit::assess::of_round(&mut conn, round.id, village, 100_000).await?;
            let list = domain::credit::publicity_list(rows.iter().filter_map(|r| {
                Grade::parse(&r.grade)
                    .map(|g| (r.household_no.as_str(), r.head_name.as_str(), r.score, g))
            }));
            let answers = store::credit::objections::of_round(&mut conn, round.id)
                .await?
                .into_iter()
                .filter(|o| o.village_code == village)
                .map(|o| PublicAnswer {
                    household_no: o.household_no,
                    raised_on: o.raised_on,
                    status: o.status,
                    decision_reason: o.decision_reason,
                })
                .collect();
            Some(Publicity {
                round: super::rounds::view(round),
                rows: list,
                answers,
            })
        }
    };
    Ok(PublicPage {
        village_name,
        has_round: !rounds.is_empty(),
        publicity,
    })
}

#[cfg(test)]
mod tests {
    use super::scopes;

    #[test]
    fn a_village_is_covered_by_its_own_code_and_its_ancestors() {
        assert_eq!(
            scopes("140581104201"),
            ["14", "1405", "140581", "140581104", "140581104201"]
        );
    }
}
