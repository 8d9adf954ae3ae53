//! Follow-up of a flag (整改): `open → rectified` or `open → waived` (with a reason). Both end
//! states are final: a problem that comes back is a new flag with a new rectification record,
//! so the history of the old one stays as it was.

use super::codes::RectificationStatus;
use super::LedgerError;

impl RectificationStatus {
    /// Whether the follow-up is finished (rectified or waived).
    pub fn is_closed(self) -> bool {
        self != RectificationStatus::Open
    }

    /// Moves to `to`. `reason` is required (non-blank) to waive and ignored otherwise.
    /// Allowed: open → rectified, open → waived. Everything else, including staying put, is
    /// refused.
    pub fn transition(
        self,
        to: RectificationStatus,
        reason: &str,
    ) -> Result<RectificationStatus, LedgerError> {
        match (self, to) {
            (RectificationStatus::Open, RectificationStatus::Rectified) => Ok(to),
            (RectificationStatus::Open, RectificationStatus::Waived)
                if reason.trim().is_empty() =>
            {
                Err(LedgerError::WaiveReasonRequired)
            }
            (RectificationStatus::Open, RectificationStatus::Waived) => Ok(to),
            (from, to) => Err(LedgerError::Transition { from, to }),
        }
    }

    pub fn rectify(self) -> Result<RectificationStatus, LedgerError> {
        self.transition(RectificationStatus::Rectified, "")
    }

    pub fn waive(self, reason: &str) -> Result<RectificationStatus, LedgerError> {
        self.transition(RectificationStatus::Waived, reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RectificationStatus::{Open, Rectified, Waived};

    #[test]
    fn open_goes_to_rectified_or_waived_with_a_reason() {
        assert_eq!(Open.rectify(), Ok(Rectified));
        assert_eq!(Open.waive("合同已于2024年解除，资产已收回"), Ok(Waived));
        assert_eq!(Open.waive("  "), Err(LedgerError::WaiveReasonRequired));
        assert!(!Open.is_closed() && Rectified.is_closed() && Waived.is_closed());
    }

    #[test]
    fn everything_else_is_refused() {
        for from in RectificationStatus::ALL {
            for to in RectificationStatus::ALL {
                let r = from.transition(*to, "reason");
                let allowed = *from == Open && *to != Open;
                assert_eq!(r.is_ok(), allowed, "{from} → {to}");
                if !allowed {
                    assert_eq!(
                        r,
                        Err(LedgerError::Transition {
                            from: *from,
                            to: *to
                        })
                    );
                }
            }
        }
    }
}
