//! The files of a register, as typed values. Every struct refuses unknown
//! fields, so a misspelt key is an error with its line and column rather than
//! an answer that silently vanishes.

mod activity;
mod common;
mod config;
mod evidence;
mod reply;
mod report;
mod shape;
mod signoff;
mod vocabulary;

pub use activity::Activity;
pub(crate) use common::git_time;
pub use common::{Imported, Person, Reasoned, Stamp, When, git_instant, git_trimmed};
pub(crate) use common::{check_email, check_name};
pub use config::{
    ApprovalRule, DEFAULT_TOPICS, GuardRules, Partner, Publisher, RegisterConfig, RosterEntry,
    is_email_address, is_web_address,
};
pub use evidence::{
    Evidence, EvidenceList, MAX_EVIDENCE_BYTES, check_evidence, check_evidence_name, evidence_type,
};
pub use reply::Reply;
pub use report::{Approval, ApprovalSignOff, PublishedEntry, Report, SECTIONS};
pub use shape::{MAX_BYTES, YEARS};
pub use signoff::SignOff;
pub use signoff::needs_comment;
pub use vocabulary::{Decision, Focus, Implementation, Kind, Rating, Scale, Signatures};
pub(crate) use vocabulary::{article, vocabulary};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Error, Result};

/// Parse the YAML `text` of the file at `path` (named in any error), after
/// the checks of [`shape`]: a size, UTF-8, a depth, no tags, no `~` taken
/// for a text.
pub fn parse<T: DeserializeOwned + Serialize>(path: &str, text: &[u8]) -> Result<T> {
    let text = shape::text(path, text)?;
    let value: T = yaml_serde::from_str(text).map_err(|e| {
        let mut err = Error::yaml(path, &e);
        // The reader names no place for a duplicate key: find its line.
        if let Error::Malformed { line, message, .. } = &mut err
            && let Some(key) = message
                .strip_prefix("duplicate field `")
                .and_then(|rest| rest.split('`').next())
            && let Some(at) = shape::duplicate_line(text, key)
        {
            *line = at;
        }
        err
    })?;
    // Most files hold neither a tag nor a null: they are not read twice.
    if shape::may_hide(text)
        && let Ok(typed) = yaml_serde::to_value(&value)
    {
        shape::hidden(path, text, &typed)?;
    }
    Ok(value)
}

/// The YAML the register stores for `value`.
pub fn to_yaml<T: Serialize>(value: &T) -> Vec<u8> {
    // Our own types always serialise: they hold only strings, numbers, lists
    // and maps.
    yaml_serde::to_string(value)
        .expect("register types serialise to YAML")
        .into_bytes()
}

/// A one-line field (a title, an organisation, a topic): no line break or
/// other control character, which would break a table, a commit subject or
/// a terminal. Trailing white space (a YAML block's last line end) is fine.
pub(crate) fn one_line(path: &str, field: &str, value: &str) -> Result<()> {
    match value.trim_end().chars().find(|c| c.is_control()) {
        Some(c) => Err(Error::Invalid {
            path: path.to_string(),
            message: format!(
                "`{field}` holds {}; it is one line of text, so remove it",
                common::describe(c)
            ),
        }),
        None => Ok(()),
    }
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
