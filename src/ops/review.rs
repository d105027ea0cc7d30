//! What partner reviewers do: record their organisation's decision.

use super::load;
use crate::action::{ActionKind, Change};
use crate::id::PracticeId;
use crate::identity::Actor;
use crate::model::{self, Decision, Partner, SignOff};
use crate::pipeline::rules;
use crate::register::State;
use crate::{Error, Result};

/// What a reviewer decides, and for whom.
#[derive(Debug, Clone, Copy)]
pub struct Decided<'a> {
    pub decision: Decision,
    /// May be left out when the acting person reviews for one partner only.
    pub partner: Option<&'a str>,
    pub comment: Option<&'a str>,
    /// Whether to replace a colleague's decision for the same partner in
    /// the same round (else that is refused, naming whose it is).
    pub replace: bool,
}

/// Record a partner's decision on `id` in the current round.
pub fn review(state: &State, actor: &Actor, id: &str, decided: &Decided<'_>) -> Result<Change> {
    let Decided {
        decision,
        partner,
        comment,
        replace,
    } = *decided;
    let (id, item) = load(state, id)?;
    let partner = which_partner(state, actor, partner, id.as_str())?;
    rules::review(
        &state.config,
        &actor.person,
        partner,
        id.as_str(),
        item.stage(&state.config),
    )?;
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if model::needs_comment(decision) && comment.is_none() {
        return Err(Error::Missing {
            what: format!("a comment saying why the decision is {decision}"),
            flag: "--comment TEXT or --comment-file F".into(),
        });
    }
    let round = item.current_round();
    if let Some(earlier) = item.rounds.get(&round).and_then(|r| r.get(&partner.id))
        && earlier.decision == decision
        && earlier.comment.as_deref().map(str::trim) == comment
    {
        return Err(Error::bad(format!(
            "{} already recorded {decision} on `{id}` in round {round}; nothing to change",
            partner.id
        )));
    }
    // A colleague's decision is replaced only knowingly, and the record
    // says so.
    let mut body = comment.map(str::to_string);
    if let Some(earlier) = item.rounds.get(&round).and_then(|r| r.get(&partner.id))
        && !earlier.reviewer.same_email(&actor.person.email)
    {
        if !replace {
            return Err(Error::ReplacesColleague {
                colleague: earlier.reviewer.to_string(),
                decision: earlier.decision.to_string(),
                partner: partner.id.clone(),
                round,
            });
        }
        let note = format!("Replaces {}'s {}.", earlier.reviewer, earlier.decision);
        body = Some(match body {
            Some(c) => format!("{c}\n\n{note}"),
            None => note,
        });
    }
    let sign_off = SignOff {
        practice: id.to_string(),
        round,
        partner: partner.id.clone(),
        decision,
        reviewer: actor.person.clone(),
        signed_at: actor.when(),
        comment: comment.map(|c| format!("{c}\n")),
    };
    Ok(review_change(&id, &partner.id, decision.as_str(), round)
        .body(body.as_deref())
        .write(
            crate::layout::RegisterPath::sign_off(id.as_str(), round, &partner.id),
            model::to_yaml(&sign_off),
        ))
}

/// Take back `partner`'s decision on `id` in the current round, with a
/// comment saying why: the sign-off is removed in one commit
/// (`Decision: cleared`), and git keeps it.
///
/// A colleague's decision is taken back only with `replace`, as it is
/// replaced only so.
pub fn clear(
    state: &State,
    actor: &Actor,
    id: &str,
    partner: Option<&str>,
    comment: Option<&str>,
    replace: bool,
) -> Result<Change> {
    let (id, item) = load(state, id)?;
    let partner = which_partner(state, actor, partner, id.as_str())?;
    let round = item.current_round();
    let Some(decided) = item.rounds.get(&round).and_then(|r| r.get(&partner.id)) else {
        return Err(Error::bad(format!(
            "{} has recorded no decision on `{id}` in round {round}; nothing to clear",
            partner.id
        )));
    };
    rules::clear(
        &state.config,
        &actor.person,
        partner,
        id.as_str(),
        item.stage(&state.config),
    )?;
    if !replace && !decided.reviewer.same_email(&actor.person.email) {
        return Err(Error::ReplacesColleague {
            colleague: decided.reviewer.to_string(),
            decision: decided.decision.to_string(),
            partner: partner.id.clone(),
            round,
        });
    }
    let Some(comment) = comment.map(str::trim).filter(|c| !c.is_empty()) else {
        return Err(Error::Missing {
            what: "a comment saying why the decision is taken back".into(),
            flag: "--comment TEXT or --comment-file F".into(),
        });
    };
    let cleared = crate::pipeline::effects::CLEARED;
    let body = format!(
        "{comment}\n\nTakes back {}'s {} by {}.",
        partner.id, decided.decision, decided.reviewer
    );
    Ok(review_change(&id, &partner.id, cleared, round)
        .body(Some(&body))
        .remove(crate::layout::RegisterPath::sign_off(
            id.as_str(),
            round,
            &partner.id,
        )))
}

/// A review's commit: its subject and trailers say the partner, the
/// decision (or `cleared`) and the round, as the audit reads them.
fn review_change(id: &PracticeId, partner: &str, decision: &str, round: u32) -> Change {
    Change::new(
        ActionKind::Review,
        Some(id.as_str()),
        format!("review {id}: {partner} {decision} (round {round})"),
    )
    .trailer("Partner", partner)
    .trailer("Decision", decision)
    .trailer("Round", round)
}

/// The partner named, or the only one the acting person reviews for.
fn which_partner<'c>(
    state: &'c State,
    actor: &Actor,
    named: Option<&str>,
    id: &str,
) -> Result<&'c Partner> {
    if let Some(named) = named {
        return state.config.require_partner(named);
    }
    let mine = state.config.partners_reviewed_by(&actor.person.email);
    match mine.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::NoAuthority {
            who: actor.person.to_string(),
            action: format!("review `{id}`"),
            who_may: "only a partner's listed reviewers may, and you are on no partner's list; `practice roster list` shows who is".into(),
        }),
        many => Err(Error::Missing {
            what: format!(
                "which partner you decide for (you review for {})",
                many.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
            flag: "--partner".into(),
        }),
    }
}

/// Reopen a round that cannot end: every partner decided, but too few found
/// the activity suitable. The next round opens with no decisions, and the
/// reason is on the record.
pub fn reopen(state: &State, actor: &Actor, id: &str, reason: &str) -> Result<Change> {
    let reason = super::require_reason(reason, "--reason")?;
    let (id, item) = load(state, id)?;
    rules::reopen(
        &state.config,
        &actor.person,
        id.as_str(),
        item.stage(&state.config),
    )?;
    let round = super::next_round(&id, &item)?;
    Ok(Change::new(
        ActionKind::Reopen,
        Some(id.as_str()),
        format!("reopen {id}: opening round {round}"),
    )
    .trailer("Round", round)
    .body(Some(&reason))
    // git keeps no empty folder: the placeholder makes the new round the
    // highest round folder, which is what makes it current.
    .write(
        crate::layout::RegisterPath::round_placeholder(id.as_str(), round),
        Vec::new(),
    ))
}
