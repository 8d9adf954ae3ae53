//! The four stages of an assessment round, and the actions a refusal can name.

use serde::{Deserialize, Serialize};
use std::fmt;

/// filing (信息建档) → assessed (系统初评) → publicity (村内公示) → final (最终评定).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundStage {
    Filing,
    Assessed,
    Publicity,
    Final,
}

impl RoundStage {
    pub const ALL: [RoundStage; 4] = [
        RoundStage::Filing,
        RoundStage::Assessed,
        RoundStage::Publicity,
        RoundStage::Final,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoundStage::Filing => "filing",
            RoundStage::Assessed => "assessed",
            RoundStage::Publicity => "publicity",
            RoundStage::Final => "final",
        }
    }
    pub fn parse(s: &str) -> Option<RoundStage> {
        RoundStage::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim())
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            RoundStage::Filing => "信息建档",
            RoundStage::Assessed => "系统初评",
            RoundStage::Publicity => "村内公示",
            RoundStage::Final => "最终评定",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            RoundStage::Filing => "Information filing",
            RoundStage::Assessed => "Preliminary assessment",
            RoundStage::Publicity => "Publicity",
            RoundStage::Final => "Final assessment",
        }
    }
}

impl fmt::Display for RoundStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What someone tried to do, for refusal messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundAction {
    Record,
    Assess,
    StartPublicity,
    Finalize,
    RaiseObjection,
    ResolveObjection,
    Correct,
}

impl RoundAction {
    pub fn label_en(self) -> &'static str {
        match self {
            RoundAction::Record => "add or change score records",
            RoundAction::Assess => "run the preliminary assessment",
            RoundAction::StartPublicity => "start publicity",
            RoundAction::Finalize => "finalize",
            RoundAction::RaiseObjection => "raise an objection",
            RoundAction::ResolveObjection => "resolve an objection",
            RoundAction::Correct => "record a correction",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            RoundAction::Record => "录入或修改评分记录",
            RoundAction::Assess => "进行系统初评",
            RoundAction::StartPublicity => "开始公示",
            RoundAction::Finalize => "最终评定",
            RoundAction::RaiseObjection => "提出异议",
            RoundAction::ResolveObjection => "处理异议",
            RoundAction::Correct => "登记更正",
        }
    }
}

impl fmt::Display for RoundAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_round_trip() {
        for s in RoundStage::ALL {
            assert_eq!(RoundStage::parse(s.as_str()), Some(s));
        }
        assert_eq!(RoundStage::parse("done"), None);
    }
}
