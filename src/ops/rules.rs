//! What editors change of the register's rules. Each change is one
//! `Action: rules` commit whose `Rule` trailer names the rule, judged by
//! the audit like any action.

use crate::action::{ActionKind, Change};
use crate::identity::Actor;
use crate::layout::CONFIG;
use crate::model::{self, GuardRules};
use crate::pipeline::rules;
use crate::register::State;
use crate::{Error, Result};

/// Let the guard on a shared remote take pushes to `pattern` (a ref name or
/// a folder of them, `refs/tags/*`) besides the register branch, or, when
/// `allow` is false, stop taking them.
pub fn guard_other_refs(
    state: &State,
    actor: &Actor,
    pattern: &str,
    allow: bool,
) -> Result<Change> {
    rules::require_editor(&state.config, &actor.person, "change the register's rules")?;
    GuardRules::check_pattern(pattern).map_err(Error::bad)?;
    let mut config = state.config.clone();
    let guard = config.guard.get_or_insert_with(GuardRules::default);
    let listed = guard.other_refs.iter().any(|p| p == pattern);
    let subject = match (allow, listed) {
        (true, true) => {
            return Err(Error::bad(format!(
                "the guard takes {pattern} already; nothing to change"
            )));
        }
        (false, false) => {
            return Err(Error::bad(format!(
                "the guard does not take {pattern}; nothing to change (register.yaml lists what it takes under guard.other_refs)"
            )));
        }
        (true, false) => {
            guard.other_refs.push(pattern.to_string());
            format!("rules: the guard takes pushes to {pattern}")
        }
        (false, true) => {
            guard.other_refs.retain(|p| p != pattern);
            format!("rules: the guard no longer takes pushes to {pattern}")
        }
    };
    if guard.other_refs.is_empty() {
        config.guard = None;
    }
    config.validate()?;
    Ok(Change::new(ActionKind::Rules, None, subject)
        .trailer("Rule", "guard")
        .trailer("Change", if allow { "allow" } else { "disallow" })
        .trailer("Ref", pattern)
        .write(CONFIG, model::to_yaml(&config)))
}
