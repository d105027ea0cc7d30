//! What forces do: submit an activity, amend it, withdraw it.

use super::{ActivityFields, Source, activity_path, load, require_reason};
use crate::action::{ActionKind, Change};
use crate::id::PracticeId;
use crate::identity::Actor;
use crate::model::{self, Activity, Reasoned, Stamp};
use crate::pipeline::rules;
use crate::register::State;
use crate::{Error, Result};

/// Bring an activity's answers into the register's spelling and check them.
/// `kept` is the topic it was filed under, which an amendment may keep.
fn settle(state: &State, activity: &mut Activity, path: &str, kept: Option<&str>) -> Result<()> {
    activity.tidy();
    activity.topic = state.config.topic_keeping(&activity.topic, kept)?;
    activity.validate(path)
}

/// A new activity. Its id is `id`, else the file's own, else derived from the
/// title and lead organisation. `submitted` is always the acting person, now:
/// the record must agree with the commit that makes it.
pub fn submit(
    state: &State,
    actor: &Actor,
    mut activity: Activity,
    id: Option<&str>,
    source: &Source,
) -> Result<Change> {
    if activity.withdrawn.is_some() || activity.reinstated.is_some() {
        return Err(Error::bad(
            "a new submission cannot be withdrawn or reinstated already; remove its `withdrawn` or `reinstated` block",
        ));
    }
    let id = match (id, activity.id.as_deref()) {
        (Some(flag), Some(file)) if flag != file => {
            return Err(Error::bad(format!(
                "--id {flag} differs from the file's `id: {file}`; give one of them"
            )));
        }
        (Some(given), _) | (None, Some(given)) => PracticeId::parse(given)?,
        (None, None) => {
            activity.tidy();
            PracticeId::derive(&activity.title, activity.lead())?
        }
    };
    if state.exists(&id) {
        return Err(Error::DuplicateId(id.to_string()));
    }
    let path = activity_path(&id);
    activity.id = Some(id.to_string());
    activity.submitted = Some(Stamp {
        on: actor.when(),
        by: actor.person.clone(),
    });
    settle(state, &mut activity, &source.name, None)?;
    let mut change = Change::new(
        ActionKind::Submit,
        Some(id.as_str()),
        format!("submit {id}: {}", activity.title),
    )
    .trailer("Round", 1)
    .write(path.clone(), model::to_yaml(&activity));
    if source.adopts(&path) {
        change = change.adopt(path);
    }
    Ok(change)
}

/// What an amendment changes: the whole activity (from a file) or some of its
/// answers (from flags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amendment {
    Replace(Box<Activity>),
    Fields(Box<ActivityFields>),
}

/// Amend an activity while it is submitted or returned. Amending a returned
/// activity answers the partners' questions and opens the next round.
///
/// Amending a returned activity answers the round's questions: `reply` is
/// the submitter's answer, written beside the round's sign-offs in the same
/// commit that opens the next round, and required then.
pub fn amend(
    state: &State,
    actor: &Actor,
    id: &str,
    amendment: Amendment,
    source: &Source,
    reply: Option<&str>,
) -> Result<Change> {
    let reply = reply.map(str::trim).filter(|r| !r.is_empty());
    let (id, item) = load(state, id)?;
    let Some(old) = &item.activity else {
        return Err(Error::bad(format!(
            "`{id}` was imported into the published set and has no submission to amend"
        )));
    };
    let stage = item.stage(&state.config);
    let effect = rules::amend(
        &state.config,
        &actor.person,
        old.submitted.as_ref().map(|s| &s.by),
        id.as_str(),
        stage,
    )?;
    let path = activity_path(&id);
    let mut new = match amendment {
        Amendment::Replace(new) => {
            let mut new = *new;
            if let Some(other) = new.id.as_deref().filter(|i| *i != id.as_str()) {
                return Err(Error::bad(format!(
                    "the file says `id: {other}` but you are amending `{id}`; fix the id"
                )));
            }
            if new.withdrawn.is_some() {
                return Err(Error::bad(format!(
                    "an amendment cannot withdraw; run `practice withdraw {id} --reason …`"
                )));
            }
            // The submission record is the register's, not the file's.
            new.submitted = old.submitted.clone();
            new.reinstated = old.reinstated.clone();
            new
        }
        Amendment::Fields(fields) => {
            if fields.is_empty() && reply.is_none() {
                return Err(Error::Missing {
                    what: "what to amend".into(),
                    flag: "--file F or a field flag such as --evidence".into(),
                });
            }
            let mut new = old.clone();
            (*fields).apply(&mut new);
            new
        }
    };
    new.id = Some(id.to_string());
    settle(state, &mut new, &source.name, Some(&old.topic))?;
    let unchanged = &new == old;
    if unchanged && reply.is_none() {
        return Err(Error::bad(format!(
            "the amendment changes nothing in `{id}`; give the answers that change"
        )));
    }
    let answered = item.current_round();
    match (effect, reply) {
        (rules::Amendment::NextRound, None) => {
            return Err(Error::Missing {
                what: format!(
                    "your reply to the questions of round {answered} (`practice show {id}` lists them)"
                ),
                flag: "--reply TEXT or --reply-file F".into(),
            });
        }
        (rules::Amendment::SameRound, Some(_)) => {
            return Err(Error::bad(format!(
                "`{id}` was not returned with questions, so there is nothing to reply to; amend it without --reply"
            )));
        }
        _ => {}
    }
    let round = match effect {
        rules::Amendment::SameRound => item.current_round(),
        rules::Amendment::NextRound => super::next_round(&id, &item)?,
    };
    let subject = match effect {
        rules::Amendment::SameRound => format!("amend {id} (round {round})"),
        rules::Amendment::NextRound => format!("amend {id}: answers, opening round {round}"),
    };
    let mut change =
        Change::new(ActionKind::Amend, Some(id.as_str()), subject).trailer("Round", round);
    if !unchanged {
        change = change.write(path.clone(), model::to_yaml(&new));
    }
    if let Some(text) = reply {
        let reply = model::Reply {
            practice: id.to_string(),
            round: answered,
            by: actor.person.clone(),
            on: actor.when(),
            text: format!("{text}\n"),
        };
        change = change.write(
            crate::layout::RegisterPath::reply(id.as_str(), answered),
            model::to_yaml(&reply),
        );
    }
    if effect == rules::Amendment::NextRound {
        // git keeps no empty folders; the placeholder makes the new round the
        // highest round folder, which is what makes it current.
        change = change.write(
            crate::layout::RegisterPath::round_placeholder(id.as_str(), round),
            Vec::new(),
        );
    }
    if source.adopts(&path) {
        change = change.adopt(path);
    }
    Ok(change)
}

/// Withdraw an activity from the pipeline, with a reason on the record.
/// Undo a withdrawal (an editor, at the submitter's request): the activity
/// is back at the stage its files give, and its file records who
/// reinstated it, when and why.
pub fn reinstate(state: &State, actor: &Actor, id: &str, reason: &str) -> Result<Change> {
    let reason = require_reason(reason, "--reason")?;
    let (id, item) = load(state, id)?;
    rules::reinstate(
        &state.config,
        &actor.person,
        id.as_str(),
        item.stage(&state.config),
    )?;
    let mut new = item
        .activity
        .clone()
        .expect("a withdrawn activity has a submission");
    new.withdrawn = None;
    new.reinstated = Some(Reasoned {
        on: actor.when(),
        by: actor.person.clone(),
        reason: reason.clone(),
    });
    Ok(Change::new(
        ActionKind::Reinstate,
        Some(id.as_str()),
        format!("reinstate {id}"),
    )
    .trailer("Round", item.current_round())
    .body(Some(&reason))
    .write(activity_path(&id), model::to_yaml(&new)))
}

pub fn withdraw(state: &State, actor: &Actor, id: &str, reason: &str) -> Result<Change> {
    let reason = require_reason(reason, "--reason")?;
    let (id, item) = load(state, id)?;
    let Some(old) = &item.activity else {
        return Err(Error::bad(format!(
            "`{id}` was imported into the published set; an editor can `practice retract {id}` it"
        )));
    };
    rules::withdraw(
        &state.config,
        &actor.person,
        old.submitted.as_ref().map(|s| &s.by),
        id.as_str(),
        item.stage(&state.config),
    )?;
    let mut new = old.clone();
    new.withdrawn = Some(Reasoned {
        on: actor.when(),
        by: actor.person.clone(),
        reason: reason.clone(),
    });
    Ok(Change::new(
        ActionKind::Withdraw,
        Some(id.as_str()),
        format!("withdraw {id}"),
    )
    .trailer("Round", item.current_round())
    .body(Some(&reason))
    .write(activity_path(&id), model::to_yaml(&new)))
}
