//! What the submitter changed between review rounds: the activity as it
//! stood when a round began, against the activity now, field by field.
//!
//! Round 1 begins with the submission; every later round with the commit
//! that opened it (the amendment answering a returned round, or an
//! editor's reopening), which leaves the round's placeholder behind.

use git2::Oid;
use serde::Serialize;

use crate::id::PracticeId;
use crate::layout::RegisterPath;
use crate::model::{self, Activity};
use crate::register::State;
use crate::{Error, Result};

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    /// As YAML, without the key; `None` where the field was absent.
    pub before: Option<String>,
    pub after: Option<String>,
    /// For text of more than one line: a unified line diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<String>,
}

/// What changed in an activity since a round began.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    pub id: String,
    /// The round whose start is compared with now.
    pub since_round: u32,
    /// The commit that began it.
    pub since_commit: String,
    pub fields: Vec<FieldChange>,
}

/// The commit that opened round `round` (from 2) of the activity `id`: the
/// one that left the round's placeholder.
pub fn opened_by(state: &State, id: &str, round: u32) -> Result<Option<Oid>> {
    let placeholder = RegisterPath::round_placeholder(id, round).to_string();
    Ok(state
        .introduced_by(std::slice::from_ref(&placeholder))?
        .remove(&placeholder))
}

/// The activity `id` as the commit `commit` holds it, if it holds it.
fn activity_at(state: &State, commit: &git2::Commit<'_>, id: &str) -> Result<Option<Activity>> {
    let path = RegisterPath::activity(id).to_string();
    let Ok(entry) = commit.tree()?.get_path(std::path::Path::new(&path)) else {
        return Ok(None);
    };
    let blob = state.repo().find_blob(entry.id())?;
    Ok(Some(model::parse(&path, blob.content())?))
}

/// The commit that began round `round` of the activity `id`.
pub fn round_began(state: &State, id: &PracticeId, round: u32) -> Result<Oid> {
    let began = if round == 1 {
        state.added_by(&RegisterPath::activity(id.as_str()).to_string())?
    } else {
        opened_by(state, id.as_str(), round)?
    };
    began.ok_or_else(|| {
        Error::bad(format!(
            "`{id}` has no round {round} to compare with; `practice show {id}` lists its rounds"
        ))
    })
}

/// What changed in `id`'s activity since round `since` began (default:
/// the round before the current one; round 1 in round 1).
pub fn changes(state: &State, id: &str, since: Option<u32>) -> Result<Changes> {
    let id = PracticeId::parse(id)?;
    let item = state.item(&id)?;
    let Some(now) = &item.activity else {
        return Err(Error::bad(format!(
            "`{id}` was imported into the published set and has no submission to compare"
        )));
    };
    let current = item.current_round();
    let round = since.unwrap_or(current.saturating_sub(1).max(1));
    if round == 0 || round > current {
        return Err(Error::bad(format!(
            "`{id}` is in round {current}; give --round from 1 to {current}"
        )));
    }
    let commit = round_began(state, &id, round)?;
    let then = activity_at(state, &state.repo().find_commit(commit)?, id.as_str())?
        .ok_or_else(|| Error::bad(format!("`{id}` had no activity when round {round} began")))?;
    Ok(Changes {
        id: id.to_string(),
        since_round: round,
        since_commit: commit.to_string(),
        fields: compare(&then, now),
    })
}

/// The fields the submitter changed since the round before the current one
/// ended: the activity before the commit `opened` (which opened the
/// current round) against `now`. Empty in round 1.
pub fn changed_since_last_round(
    state: &State,
    id: &str,
    opened: Oid,
    now: &Activity,
) -> Result<Vec<String>> {
    let Some(parent) = state.repo().find_commit(opened)?.parents().next() else {
        return Ok(Vec::new());
    };
    let Some(then) = activity_at(state, &parent, id)? else {
        return Ok(Vec::new());
    };
    Ok(compare(&then, now).into_iter().map(|f| f.field).collect())
}

/// The fields of two versions of an activity that differ, in the file's
/// order; `submitted` is the register's record, never the submitter's
/// change.
pub fn compare(before: &Activity, after: &Activity) -> Vec<FieldChange> {
    // As the file lists them: a mapping keeps the order of the fields.
    let fields = |a: &Activity| -> Vec<(String, yaml_serde::Value)> {
        match yaml_serde::to_value(a) {
            Ok(yaml_serde::Value::Mapping(map)) => map
                .into_iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v)))
                .collect(),
            _ => Vec::new(),
        }
    };
    let (b, a) = (fields(before), fields(after));
    let mut keys: Vec<&String> = a.iter().map(|(k, _)| k).collect();
    keys.extend(
        b.iter()
            .map(|(k, _)| k)
            .filter(|k| !a.iter().any(|(x, _)| x == *k)),
    );
    let get = |side: &[(String, yaml_serde::Value)], key: &str| -> Option<String> {
        match side.iter().find(|(k, _)| k == key).map(|(_, v)| v)? {
            yaml_serde::Value::Null => None,
            yaml_serde::Value::String(s) => Some(s.clone()),
            other => Some(
                String::from_utf8_lossy(&model::to_yaml(other))
                    .trim_end()
                    .to_string(),
            ),
        }
    };
    keys.into_iter()
        .filter(|k| k.as_str() != "submitted")
        .filter_map(|k| {
            let (before, after) = (get(&b, k), get(&a, k));
            (before != after).then(|| {
                let multiline =
                    |t: &Option<String>| t.as_deref().is_some_and(|t| t.trim_end().contains('\n'));
                let lines = (multiline(&before) || multiline(&after)).then(|| {
                    // Both ending in a line break, so a last line that
                    // changed reads as itself.
                    let ended = |t: &Option<String>| {
                        let t = t.as_deref().unwrap_or("");
                        if t.is_empty() || t.ends_with('\n') {
                            t.to_string()
                        } else {
                            format!("{t}\n")
                        }
                    };
                    let (old, new) = (ended(&before), ended(&after));
                    similar::TextDiff::from_lines(&old, &new)
                        .unified_diff()
                        .context_radius(2)
                        .to_string()
                });
                FieldChange {
                    field: k.clone(),
                    before,
                    after,
                    lines,
                }
            })
        })
        .collect()
}
