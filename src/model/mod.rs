//! The files of a register, as typed values. Every struct refuses unknown
//! fields, so a misspelt key is an error with its line and column rather than
//! an answer that silently vanishes.

mod activity;
mod common;
mod config;
mod report;
mod signoff;
mod vocabulary;

pub use activity::Activity;
pub(crate) use common::git_time;
pub use common::{Imported, Person, Reasoned, Stamp, When};
pub(crate) use common::{check_email, check_name};
pub use config::{ApprovalRule, DEFAULT_TOPICS, Partner, RegisterConfig, RosterEntry};
pub use report::{Approval, ApprovalSignOff, PublishedEntry, Report, SECTIONS};
pub use signoff::SignOff;
pub use signoff::needs_comment;
pub use vocabulary::{Decision, Focus, Implementation, Kind, Rating, Scale, Signatures};
pub(crate) use vocabulary::{article, vocabulary};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Error, Result};

/// Parse the YAML `text` of the file at `path` (named in any error).
pub fn parse<T: DeserializeOwned>(path: &str, text: &[u8]) -> Result<T> {
    let text = std::str::from_utf8(text).map_err(|e| Error::Invalid {
        path: path.to_string(),
        message: format!("is not UTF-8 text ({e}); save it as UTF-8"),
    })?;
    yaml_serde::from_str(text).map_err(|e| Error::yaml(path, &e))
}

/// The YAML the register stores for `value`.
pub fn to_yaml<T: Serialize>(value: &T) -> Vec<u8> {
    // Our own types always serialise: they hold only strings, numbers, lists
    // and maps.
    yaml_serde::to_string(value)
        .expect("register types serialise to YAML")
        .into_bytes()
}

/// A required text that must hold more than white space.
pub(crate) fn require_text(path: &str, field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::Invalid {
            path: path.to_string(),
            message: format!("`{field}` is empty; write it in"),
        });
    }
    Ok(())
}
