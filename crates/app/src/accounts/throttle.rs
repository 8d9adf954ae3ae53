//! Failed logins slow down the (username, address) pair that made them, with growing delays,
//! instead of locking the account for everyone: someone guessing a cadre's password from one
//! address cannot keep the cadre out from another. One address is also capped across usernames.

use crate::{Config, Result};
use chrono::{DateTime, Duration, Utc};
use store::accounts::users;
use store::AnyConnection;

/// Longest delay between two attempts of one pair.
const MAX_DELAY_SECONDS: i64 = 15 * 60;

/// Seconds the pair must wait after its last failure: none for the first `free` failures,
/// then 2, 4, 8 … seconds, at most [`MAX_DELAY_SECONDS`].
pub fn delay_after(failures: i64, free: i64) -> i64 {
    let free = free.max(1);
    if failures < free {
        return 0;
    }
    let n = (failures - free + 1).min(20) as u32;
    2i64.pow(n).min(MAX_DELAY_SECONDS)
}

fn parse(at: Option<&str>, fallback: DateTime<Utc>) -> DateTime<Utc> {
    at.and_then(|a| DateTime::parse_from_rfc3339(a).ok())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(fallback)
}

fn text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Seconds this username must wait before trying again from this address, if any.
pub(crate) async fn wait_for(
    conn: &mut AnyConnection,
    config: &Config,
    username: &str,
    ip: &str,
) -> Result<Option<i64>> {
    let now = Utc::now();
    let window = Duration::minutes(config.login_window_minutes);
    let since = text(now - window);
    let pair = users::failures_of_pair(conn, username, ip, &since).await?;
    let delay = delay_after(pair.count, config.login_free_failures);
    if delay > 0 {
        let until = parse(pair.last_at.as_deref(), now) + Duration::seconds(delay);
        let left = (until - now).num_milliseconds();
        if left > 0 {
            return Ok(Some((left + 999) / 1000));
        }
    }
    let from = users::failures_from(conn, ip, &since).await?;
    if from.count >= config.max_failures_per_address {
        // Until the oldest failure in the window drops out of it.
        let until = parse(from.first_at.as_deref(), now) + window;
        return Ok(Some(((until - now).num_seconds()).max(1)));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_the_free_failures_and_stop_growing() {
        let d: Vec<i64> = (0..8).map(|n| delay_after(n, 3)).collect();
        assert_eq!(d, vec![0, 0, 0, 2, 4, 8, 16, 32]);
        assert_eq!(delay_after(40, 3), MAX_DELAY_SECONDS);
        assert_eq!(delay_after(1, 0), 2);
    }
}
