//! Evidence files: attached to an activity while it is open, listed with
//! their size and type as read from their content, and taken off again
//! before publication.

use super::load;
use crate::action::{ActionKind, Change};
use crate::identity::Actor;
use crate::layout::RegisterPath;
use crate::model::{self, Evidence};
use crate::pipeline::rules;
use crate::register::State;
use crate::{Error, Result};

/// The activity `id`, if `actor` may attach evidence to it (or detach it)
/// now; `public` when the file is to be public.
fn open_for_evidence(
    state: &State,
    actor: &Actor,
    id: &str,
    public: bool,
) -> Result<(crate::id::PracticeId, crate::register::Item)> {
    let (id, item) = load(state, id)?;
    let submitter = item
        .activity
        .as_ref()
        .and_then(|a| a.submitted.as_ref())
        .map(|s| &s.by);
    rules::attach(
        &state.config,
        &actor.person,
        submitter,
        id.as_str(),
        item.stage(&state.config),
        public,
    )?;
    Ok((id, item))
}

/// Attach `content` as `name` to the activity `id`; `public` (an editor's
/// choice) has the website link it once the entry is published.
pub fn attach(
    state: &State,
    actor: &Actor,
    id: &str,
    name: &str,
    content: &[u8],
    public: bool,
) -> Result<Change> {
    let (id, item) = open_for_evidence(state, actor, id, public)?;
    model::check_evidence_name(name).map_err(Error::bad)?;
    if content.len() as u64 > model::MAX_EVIDENCE_BYTES {
        return Err(Error::bad(format!(
            "{name} is {} MiB; the register takes files up to 20 MiB (link a larger one from the activity's evidence instead)",
            content.len() >> 20
        )));
    }
    let Some(kind) = model::evidence_type(name, content) else {
        return Err(Error::bad(format!(
            "{name} is not a PDF, an image (PNG, JPEG, GIF, WebP), a spreadsheet (XLSX, ODS, XLS) or plain text, by its content; the register takes only these"
        )));
    };
    if item.evidence.iter().any(|e| e.name == name) {
        return Err(Error::bad(format!(
            "`{id}` has a file named {name} already; give another --name, or `practice detach {id} {name}` first"
        )));
    }
    let mut list = item.evidence.clone();
    list.push(Evidence {
        name: name.to_string(),
        kind: kind.to_string(),
        bytes: content.len() as u64,
        public,
        added: actor.dated_stamp(),
    });
    let shown = if public { ", public" } else { "" };
    Ok(Change::new(
        ActionKind::Attach,
        Some(id.as_str()),
        format!("attach {id}: {name} ({kind}{shown})"),
    )
    .write(RegisterPath::evidence(id.as_str(), name), content.to_vec())
    .write(
        RegisterPath::evidence_list(id.as_str()),
        model::to_yaml(&list),
    ))
}

/// Take the file `name` off the activity `id` (git keeps it).
pub fn detach(state: &State, actor: &Actor, id: &str, name: &str) -> Result<Change> {
    let (id, item) = open_for_evidence(state, actor, id, false)?;
    if !item.evidence.iter().any(|e| e.name == name) {
        let names: Vec<&str> = item.evidence.iter().map(|e| e.name.as_str()).collect();
        return Err(Error::bad(format!(
            "`{id}` has no file named {name}; it has: {}",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
    }
    let list: Vec<Evidence> = item
        .evidence
        .iter()
        .filter(|e| e.name != name)
        .cloned()
        .collect();
    Ok(Change::new(
        ActionKind::Detach,
        Some(id.as_str()),
        format!("detach {id}: {name}"),
    )
    .remove(RegisterPath::evidence(id.as_str(), name))
    .write(
        RegisterPath::evidence_list(id.as_str()),
        model::to_yaml(&list),
    ))
}
