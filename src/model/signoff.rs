//! `reviews/<id>/round-<n>/<partner>.yaml`: one partner's decision in one
//! review round. A partner that changes its mind rewrites the file; git keeps
//! the earlier decision.

use serde::{Deserialize, Serialize};

use super::{Decision, Person, When};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    pub practice: String,
    pub round: u32,
    pub partner: String,
    pub decision: Decision,
    pub reviewer: Person,
    pub signed_at: When,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl SignOff {
    /// A sign-off must say where it belongs, and say the same as its path.
    pub fn validate(&self, path: &str, id: &str, round: u32, partner: &str) -> Result<()> {
        let invalid = |message: String| Error::Invalid {
            path: path.into(),
            message,
        };
        if self.practice != id {
            return Err(invalid(format!(
                "`practice: {}` does not match its folder `{id}`",
                self.practice
            )));
        }
        if self.round != round {
            return Err(invalid(format!(
                "`round: {}` does not match its folder `round-{round}`",
                self.round
            )));
        }
        if self.partner != partner {
            return Err(invalid(format!(
                "`partner: {}` does not match its file name `{partner}.yaml`",
                self.partner
            )));
        }
        self.reviewer.check(path, "reviewer")?;
        if needs_comment(self.decision)
            && self.comment.as_deref().is_none_or(|c| c.trim().is_empty())
        {
            return Err(invalid(format!(
                "a `{}` decision needs a `comment` saying why",
                self.decision
            )));
        }
        Ok(())
    }
}

/// Every decision but `suitable` must say why.
pub fn needs_comment(decision: Decision) -> bool {
    decision != Decision::Suitable
}
