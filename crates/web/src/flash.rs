//! The confirmations shown after a successful write: one catalogue. A handler redirects with a
//! [`Flash`] (`?flash=KEY`), the page shell turns the key back into text in the reader's
//! language; an unknown key shows nothing (keys come from a URL anyone can edit).

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flash {
    Saved,
    Created,
    Deleted,
    Imported,
    Assigned,
    GridCreated,
    Password,
    TokenRevoked,
    RoundOpened,
    RoundAssessed,
    RoundPublished,
    RoundFinal,
    Recorded,
    RecordPending,
    RecordConfirmed,
    ObjectionResolved,
    CreditLineRecorded,
    GoodsSaved,
    Redeemed,
}

impl Flash {
    pub const ALL: [Flash; 19] = [
        Flash::Saved,
        Flash::Created,
        Flash::Deleted,
        Flash::Imported,
        Flash::Assigned,
        Flash::GridCreated,
        Flash::Password,
        Flash::TokenRevoked,
        Flash::RoundOpened,
        Flash::RoundAssessed,
        Flash::RoundPublished,
        Flash::RoundFinal,
        Flash::Recorded,
        Flash::RecordPending,
        Flash::RecordConfirmed,
        Flash::ObjectionResolved,
        Flash::CreditLineRecorded,
        Flash::GoodsSaved,
        Flash::Redeemed,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Flash::Saved => "saved",
            Flash::Created => "created",
            Flash::Deleted => "deleted",
            Flash::Imported => "imported",
            Flash::Assigned => "assigned",
            Flash::GridCreated => "grid_created",
            Flash::Password => "password",
            Flash::TokenRevoked => "token_revoked",
            Flash::RoundOpened => "opened",
            Flash::RoundAssessed => "assessed",
            Flash::RoundPublished => "published",
            Flash::RoundFinal => "final",
            Flash::Recorded => "recorded",
            Flash::RecordPending => "pending",
            Flash::RecordConfirmed => "confirmed",
            Flash::ObjectionResolved => "resolved",
            Flash::CreditLineRecorded => "credit_line",
            Flash::GoodsSaved => "goods_saved",
            Flash::Redeemed => "redeemed",
        }
    }

    pub fn parse(key: &str) -> Option<Flash> {
        Flash::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn text(self, l: Lang) -> &'static str {
        match self {
            Flash::Saved => l.t("已保存。", "Saved."),
            Flash::Created => l.t("已创建。", "Created."),
            Flash::Deleted => l.t("已删除。", "Deleted."),
            Flash::Imported => l.t("导入完成。", "Import finished."),
            Flash::Assigned => l.t("已分配网格。", "Households assigned."),
            Flash::GridCreated => l.t("网格已创建。", "Grid created."),
            Flash::Password => l.t(
                "密码已修改；其他登录和全部 API 令牌已失效。",
                "Password changed; other sessions and all API tokens ended.",
            ),
            Flash::TokenRevoked => l.t("API 令牌已吊销。", "API token revoked."),
            Flash::RoundOpened => l.t("评定轮次已开启。", "The round is open."),
            Flash::RoundAssessed => l.t("系统初评完成。", "Preliminary assessment done."),
            Flash::RoundPublished => l.t("已开始公示。", "Publicity started."),
            Flash::RoundFinal => l.t("终评完成，等级已锁定。", "Final: grades are locked."),
            Flash::Recorded => l.t("已记录。", "Recorded."),
            Flash::RecordPending => l.t(
                "已记录，重大事项需另一名记录人复核后才计分。",
                "Recorded; a heavy item counts once a second recorder confirms it.",
            ),
            Flash::RecordConfirmed => l.t("已复核确认。", "Confirmed."),
            Flash::ObjectionResolved => l.t("异议已处理。", "Objection resolved."),
            Flash::CreditLineRecorded => l.t("授信已记录。", "Credit line recorded."),
            Flash::GoodsSaved => l.t("商品已保存。", "Goods saved."),
            Flash::Redeemed => l.t("兑换成功。", "Redeemed."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_back_and_has_text_in_both_languages() {
        for f in Flash::ALL {
            assert_eq!(Flash::parse(f.key()), Some(f));
            assert!(!f.text(Lang::Zh).is_ascii(), "{f:?} needs Chinese text");
            assert!(f.text(Lang::En).is_ascii(), "{f:?} needs English text");
        }
        assert_eq!(Flash::parse("已保存。"), None);
        assert_eq!(Flash::parse(""), None);
    }
}
