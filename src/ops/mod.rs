//! The actions of the pipeline. Each takes the register as HEAD has it, the
//! acting person and the user's input, checks the rules, and returns the
//! [`Change`](crate::action::Change) that records it, or a refusal. None of
//! them touches git: [`Register::act`](crate::register::Register::act) lands
//! the change, so planning can be repeated against a newer HEAD.

mod evidence;
mod fields;
mod init;
mod publication;
mod review;
mod roster;
mod rules;
mod submission;

pub use evidence::{attach, detach};
pub use fields::ActivityFields;
pub use init::{Setup, init};
pub use publication::{bank, import, publish, rerate, retract, revise, write_up};
pub use review::{Decided, clear, reopen, review};
pub use roster::{RosterChange, roster};
pub use rules::{RuleChange, plan as plan_rules_change, rules_change};
pub use submission::{Amendment, amend, reinstate, submit, withdraw};

use crate::Result;

/// Where an action's text came from, for messages, and whether it is the
/// register's own file edited in place (which the action may then replace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// How to name it in a message: the file as the user gave it.
    pub name: String,
    /// The register path it is, when the user passed the register's own file.
    pub adopt: Option<String>,
}

impl Source {
    /// Answers given as flags.
    pub fn flags() -> Source {
        Source {
            name: "the answers given".into(),
            adopt: None,
        }
    }

    fn adopts(&self, path: &str) -> bool {
        self.adopt.as_deref() == Some(path)
    }
}
use crate::id::PracticeId;
use crate::layout::RegisterPath;
use crate::register::{Item, State};

/// The activity `id` as HEAD has it, and the path of its activity file.
fn load(state: &State, id: &str) -> Result<(PracticeId, Item)> {
    let id = PracticeId::parse(id)?;
    let item = state.item(&id)?;
    Ok((id, item))
}

fn activity_path(id: &PracticeId) -> String {
    RegisterPath::activity(id.as_str()).to_string()
}

fn report_path(id: &PracticeId) -> String {
    RegisterPath::report(id.as_str()).to_string()
}

/// The round after `item`'s current one, which an amendment of a returned
/// activity or a reopening opens: refused past the register's last round.
fn next_round(id: &PracticeId, item: &Item) -> Result<u32> {
    item.current_round()
        .checked_add(1)
        .filter(|r| *r <= crate::layout::MAX_ROUND)
        .ok_or_else(|| {
            crate::Error::bad(format!(
                "`{id}` has had as many review rounds as a register holds"
            ))
        })
}

/// A reason or comment that must say something.
fn require_reason(text: &str, flag: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(crate::Error::Missing {
            what: "a reason".into(),
            flag: flag.into(),
        });
    }
    Ok(text.to_string())
}
