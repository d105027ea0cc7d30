//! `reviews/<id>/round-<n>/reply.yaml`: the submitter's answer to the
//! questions a returned round asked, written by the amendment that opens
//! the next round. Written once; git keeps it as it was.

use serde::{Deserialize, Serialize};

use super::{Person, When};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub practice: String,
    /// The round whose questions it answers.
    pub round: u32,
    pub by: Person,
    pub on: When,
    pub text: String,
}

impl Reply {
    /// A reply must say where it belongs, as its path does, and say something.
    pub fn validate(&self, path: &str, id: &str, round: u32) -> Result<()> {
        let invalid = |message: String| Error::Invalid {
            path: path.into(),
            message,
        };
        if self.practice != id || self.round != round {
            return Err(invalid(format!(
                "says `practice: {}`, `round: {}` but lies in the folder of `{id}` round {round}",
                self.practice, self.round
            )));
        }
        self.by.check(path, "by")?;
        if self.text.trim().is_empty() {
            return Err(invalid("a reply's `text` is empty".into()));
        }
        Ok(())
    }
}
