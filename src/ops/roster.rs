//! What editors do with the roster: add and remove partner reviewers and
//! editors.

use crate::action::{ActionKind, Change};
use crate::identity::Actor;
use crate::layout::CONFIG;
use crate::model::{self, RosterEntry};
use crate::pipeline::rules;
use crate::register::State;
use crate::{Error, Result};

/// A change to the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterChange {
    /// Add a reviewer to `partner`, or an editor when `partner` is `None`.
    Add {
        partner: Option<String>,
        entry: RosterEntry,
    },
    /// Remove `email` from `partner`'s reviewers, or from the editors when
    /// `editor`; from everywhere it appears when neither is given.
    Remove {
        email: String,
        partner: Option<String>,
        editor: bool,
    },
}

pub fn roster(state: &State, actor: &Actor, change: &RosterChange) -> Result<Change> {
    rules::require_editor(&state.config, &actor.person, "change the roster")?;
    let mut config = state.config.clone();
    let commit = match change {
        RosterChange::Add { partner, entry } => {
            let mut entry = entry.clone();
            entry.name = entry.name.trim().to_string();
            entry.email = entry.email.trim().to_string();
            entry.person().check("--name/--email", "new person")?;
            let (list, role) = match partner {
                Some(p) => {
                    state.config.require_partner(p)?;
                    let partner = config
                        .partners
                        .iter_mut()
                        .find(|x| &x.id == p)
                        .expect("checked");
                    (&mut partner.reviewers, format!("{p} reviewer"))
                }
                None => (&mut config.editors, "editor".to_string()),
            };
            if list
                .iter()
                .any(|e| e.email.eq_ignore_ascii_case(&entry.email))
            {
                return Err(Error::bad(format!(
                    "{} is already a {role}; nothing to change",
                    entry.email
                )));
            }
            let who = entry.person().to_string();
            list.push(entry);
            let c = Change::new(
                ActionKind::Roster,
                None,
                format!("roster: add {who} as {role}"),
            )
            .trailer("Change", "add");
            match partner {
                Some(p) => c.trailer("Partner", p).trailer("Role", "reviewer"),
                None => c.trailer("Role", "editor"),
            }
            .trailer("Email", &who)
        }
        RosterChange::Remove {
            email,
            partner,
            editor,
        } => {
            if let Some(p) = partner {
                state.config.require_partner(p)?;
            }
            let everywhere = partner.is_none() && !editor;
            let mut removed = Vec::new();
            let keep = |list: &mut Vec<RosterEntry>| {
                let before = list.len();
                list.retain(|e| !e.email.eq_ignore_ascii_case(email));
                before != list.len()
            };
            for p in &mut config.partners {
                if (everywhere || partner.as_deref() == Some(p.id.as_str()))
                    && keep(&mut p.reviewers)
                {
                    removed.push(format!("{} reviewer", p.id));
                }
            }
            if (everywhere || *editor) && keep(&mut config.editors) {
                removed.push("editor".to_string());
            }
            if removed.is_empty() {
                return Err(Error::bad(format!(
                    "{email} is not on the roster there; `practice roster list` shows who is"
                )));
            }
            if config.editors.is_empty() {
                return Err(Error::bad(format!(
                    "{email} is the last editor; add another editor before removing them"
                )));
            }
            let mut c = Change::new(
                ActionKind::Roster,
                None,
                format!("roster: remove {email} as {}", removed.join(", ")),
            )
            .trailer("Change", "remove");
            if let Some(p) = partner {
                c = c.trailer("Partner", p);
            }
            c.trailer("Email", email)
        }
    };
    config.validate()?;
    Ok(commit.write(CONFIG, model::to_yaml(&config)))
}
