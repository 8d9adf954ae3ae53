//! One more attempt for a write that PostgreSQL aborted because of a concurrent transaction
//! (deadlock victim, serialization failure). The aborted attempt was rolled back whole, so
//! running the use case again cannot write twice; if the second attempt fails too, the client
//! gets 503 with `Retry-After`.

use crate::AppError;
use store::StoreError;

/// True for a write the database aborted for a concurrent transaction.
pub fn aborted(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Unavailable {
            source: StoreError::Aborted(_),
            ..
        }
    )
}

/// Evaluates `attempt` (an awaited use-case call), and once more if the database aborted it
/// for a concurrent transaction. Only for use cases that are one transaction (nothing
/// committed before the failure). A macro rather than a function taking an async closure,
/// so that the request's future stays `Send` for axum.
macro_rules! once {
    ($attempt:expr) => {
        match $attempt {
            Err(e) if $crate::retry::aborted(&e) => {
                tracing::info!(error = %e, "write aborted by a concurrent one; trying again");
                $attempt
            }
            other => other,
        }
    };
}
pub(crate) use once;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Result;
    use std::cell::Cell;

    fn abort() -> AppError {
        AppError::from(StoreError::Aborted("40P01 deadlock detected".into()))
    }

    #[tokio::test]
    async fn an_aborted_write_runs_once_more_and_only_once() {
        let runs = Cell::new(0);
        let attempt = async || {
            runs.set(runs.get() + 1);
            if runs.get() == 1 {
                Err(abort())
            } else {
                Ok(7)
            }
        };
        let r = once!(attempt().await);
        assert_eq!((r.ok(), runs.get()), (Some(7), 2));

        let runs = Cell::new(0);
        let attempt = async || -> Result<()> {
            runs.set(runs.get() + 1);
            Err(abort())
        };
        let r = once!(attempt().await);
        assert!(matches!(r, Err(AppError::Unavailable { .. })));
        assert_eq!(runs.get(), 2);

        let runs = Cell::new(0);
        let attempt = async || -> Result<()> {
            runs.set(runs.get() + 1);
            Err(AppError::Conflict("not enough points".into()))
        };
        let r = once!(attempt().await);
        assert!(matches!(r, Err(AppError::Conflict(_))));
        assert_eq!(runs.get(), 1, "other errors are not retried");
    }
}
