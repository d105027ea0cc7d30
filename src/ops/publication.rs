//! What editors do with approved and other activity: write it up in the set
//! format, publish it as smarter practice, place it in the practice bank,
//! correct a published entry, retract it.

use super::{Source, load, report_path, require_reason};
use crate::action::{ActionKind, Change};
use crate::id::PracticeId;
use crate::identity::Actor;
use crate::layout::RegisterPath;
use crate::model::{
    self, Approval, ApprovalSignOff, Kind, PublishedEntry, Rating, Reasoned, Report,
};
use crate::pipeline::{effects, rules};
use crate::register::{Item, State};
use crate::{Error, Result};

/// Write up an approved activity. Without a report, the draft starts from the
/// activity's own answers; with one (`--file`), it replaces the draft.
pub fn write_up(
    state: &State,
    actor: &Actor,
    id: &str,
    report: Option<Report>,
    source: &Source,
) -> Result<Change> {
    let (id, item) = load(state, id)?;
    rules::write_up(
        &state.config,
        &actor.person,
        id.as_str(),
        item.stage(&state.config),
    )?;
    let path = report_path(&id);
    let report = match (report, &item.report) {
        (Some(mut report), _) => {
            let kept = item.activity.as_ref().map(|a| a.topic.as_str());
            settle(state, &mut report, &source.name, kept)?;
            report
        }
        (None, Some(_)) => {
            return Err(Error::bad(format!(
                "`{id}` already has a draft; edit {path} and run `practice write-up {id} --file {path}`"
            )));
        }
        (None, None) => {
            let activity = item
                .activity
                .as_ref()
                .expect("an approved item has an activity");
            Report::draft_from(activity)
        }
    };
    if item.report.as_ref() == Some(&report) {
        return Err(Error::bad(format!(
            "the report of `{id}` already says this; nothing to change"
        )));
    }
    let missing = report.missing_sections();
    let subject = if missing.is_empty() {
        format!("write-up {id}: report complete")
    } else {
        format!(
            "write-up {id}: draft, still to write: {}",
            missing.join(", ")
        )
    };
    let mut change = Change::new(ActionKind::WriteUp, Some(id.as_str()), subject)
        .trailer("Round", item.current_round())
        .write(path.clone(), model::to_yaml(&report));
    if source.adopts(&path) {
        change = change.adopt(path);
    }
    Ok(change)
}

/// `kept` is the activity's own topic, which its report may keep though
/// it was retired since.
fn settle(state: &State, report: &mut Report, path: &str, kept: Option<&str>) -> Result<()> {
    model::require_text(path, "title", &report.title)?;
    model::require_text(path, "summary", &report.summary)?;
    report.organisations = crate::forces::normalise_all(&report.organisations);
    if let Some(topic) = &report.topic {
        report.topic = Some(state.config.topic_keeping(topic, kept)?);
    }
    Ok(())
}

/// Publish an approved, written-up activity as smarter practice, naming the
/// sign-offs of the round that approved it and the commits that made them.
pub fn publish(state: &State, actor: &Actor, id: &str) -> Result<Change> {
    let (id, item) = load(state, id)?;
    rules::publish(
        &state.config,
        &actor.person,
        id.as_str(),
        item.stage(&state.config),
    )?;
    let report = item.report.clone().expect("a written-up item has a report");
    let round = item.current_round();
    let mut entry = report.into_entry(
        Kind::SmarterPractice,
        Rating::SmarterPractice,
        actor.dated_stamp(),
    );
    entry.approval = Some(approval(state, &item, round)?);
    Ok(Change::new(
        ActionKind::Publish,
        Some(id.as_str()),
        format!("publish {id}"),
    )
    .trailer("Round", round)
    .write(RegisterPath::published(id.as_str()), model::to_yaml(&entry)))
}

fn approval(state: &State, item: &Item, round: u32) -> Result<Approval> {
    let sign_offs = item.rounds.get(&round).cloned().unwrap_or_default();
    let paths: Vec<String> = sign_offs
        .keys()
        .map(|partner| RegisterPath::sign_off(&item.id, round, partner).to_string())
        .collect();
    let commits = state.introduced_by(&paths)?;
    // Every sign-off of the round, a since-retired partner's too: the
    // approval is the record of the round as it stood.
    let sign_offs = state
        .config
        .partners
        .iter()
        .filter_map(|partner| sign_offs.get(&partner.id))
        .map(|s| ApprovalSignOff {
            partner: s.partner.clone(),
            decision: s.decision,
            reviewer: s.reviewer.clone(),
            commit: commits
                .get(&RegisterPath::sign_off(&item.id, round, &s.partner).to_string())
                .map(|c| c.to_string())
                .unwrap_or_default(),
        })
        .collect();
    Ok(Approval { round, sign_offs })
}

/// Place an activity in the practice bank with a rating, from its report when
/// there is one, else from its own answers.
pub fn bank(state: &State, actor: &Actor, id: &str, rating: Rating) -> Result<Change> {
    if rating == Rating::SmarterPractice {
        return Err(Error::bad(format!(
            "the rating smarter-practice is for reviewed entries; bank with one of {}",
            Rating::bank_words()
        )));
    }
    let (id, item) = load(state, id)?;
    rules::bank(
        &state.config,
        &actor.person,
        id.as_str(),
        item.stage(&state.config),
    )?;
    let report = match (&item.report, &item.activity) {
        (Some(report), _) => report.clone(),
        (None, Some(activity)) => Report::draft_from(activity),
        (None, None) => unreachable!("an item still in the pipeline has an activity"),
    };
    let entry = report.into_entry(Kind::PracticeBank, rating, actor.dated_stamp());
    Ok(Change::new(
        ActionKind::Bank,
        Some(id.as_str()),
        format!("bank {id}: {rating}"),
    )
    .trailer("Rating", rating)
    .write(RegisterPath::published(id.as_str()), model::to_yaml(&entry)))
}

/// Correct a published or banked entry in place (editors): `entry` is the
/// entry as it should read, with the same kind, rating, approval or
/// import, and publication; the file records the revision, and git keeps
/// the version before it.
pub fn revise(
    state: &State,
    actor: &Actor,
    id: &str,
    mut entry: PublishedEntry,
    reason: &str,
    source: &Source,
) -> Result<Change> {
    let reason = require_reason(reason, "--reason")?;
    let (id, item) = load(state, id)?;
    rules::revise(
        &state.config,
        &actor.person,
        id.as_str(),
        item.stage(&state.config),
    )?;
    let old = item
        .published
        .clone()
        .expect("a published item has an entry");
    // What a revision keeps (the audit's rule), and what this one keeps
    // besides: the rating, which `bank --reason` changes, and the record
    // of revisions, which the tool extends.
    let changed = effects::revision_changes(&old, &entry)
        .or((entry.rating != old.rating).then_some("rating"))
        .or((entry.revisions != old.revisions).then_some("revisions"));
    if let Some(field) = changed {
        let mend = if field == "published" && old.imported.is_some() {
            "; an imported entry's `published.on` may only move earlier, to the day its source gives".to_string()
        } else if field == "rating" && old.kind == Kind::PracticeBank {
            format!(
                "; a bank entry is rated again with `practice bank {id} --rating R --reason TEXT`"
            )
        } else {
            String::new()
        };
        return Err(Error::bad(format!(
            "{} changes `{field}`, which a revision keeps as published/{id}.yaml has it{mend}",
            source.name
        )));
    }
    model::require_text(&source.name, "title", &entry.title)?;
    // An import may leave out what its source did not record; a revision
    // of it need not make that up.
    if old.imported.is_none() {
        model::require_text(&source.name, "summary", &entry.summary)?;
    }
    entry.organisations = crate::forces::normalise_all(&entry.organisations);
    if let Some(topic) = &entry.topic {
        entry.topic = Some(state.config.topic_keeping(topic, old.topic.as_deref())?);
    }
    if entry == old {
        return Err(Error::bad(format!(
            "{} reads as published/{id}.yaml does; nothing to revise",
            source.name
        )));
    }
    let subject = format!("revise {id}");
    revised(actor, &id, entry, &reason, subject, source)
}

/// Rate a banked entry again, recorded as a revision.
pub fn rerate(
    state: &State,
    actor: &Actor,
    id: &str,
    rating: Rating,
    reason: &str,
) -> Result<Change> {
    let reason = require_reason(reason, "--reason")?;
    let (id, item) = load(state, id)?;
    let stage = item.stage(&state.config);
    rules::revise(&state.config, &actor.person, id.as_str(), stage)?;
    let mut entry = item.published.clone().expect("a banked item has an entry");
    if entry.kind != Kind::PracticeBank || rating == Rating::SmarterPractice {
        return Err(Error::bad(format!(
            "`{id}` is smarter practice, whose rating a review gave; only a practice bank entry is rated again"
        )));
    }
    if entry.rating == rating {
        return Err(Error::bad(format!(
            "`{id}` is rated {rating} already; nothing to change"
        )));
    }
    entry.rating = rating;
    let subject = format!("revise {id}: rating {rating}");
    Ok(revised(actor, &id, entry, &reason, subject, &Source::flags())?.trailer("Rating", rating))
}

/// The commit of a revision of `entry`, its `revisions` one longer.
fn revised(
    actor: &Actor,
    id: &PracticeId,
    mut entry: PublishedEntry,
    reason: &str,
    subject: String,
    source: &Source,
) -> Result<Change> {
    entry.revisions.push(Reasoned {
        on: actor.today(),
        by: actor.person.clone(),
        reason: reason.to_string(),
    });
    let path = RegisterPath::published(id.as_str()).to_string();
    let mut change = Change::new(ActionKind::Revise, Some(id.as_str()), subject)
        .body(Some(reason))
        .write(path.clone(), model::to_yaml(&entry));
    if source.adopts(&path) {
        change = change.adopt(path);
    }
    Ok(change)
}

/// Retract a published or banked entry. Nothing is deleted: the entry stays
/// with a `retracted` block saying when, by whom and why.
pub fn retract(state: &State, actor: &Actor, id: &str, reason: &str) -> Result<Change> {
    let reason = require_reason(reason, "--reason")?;
    let (id, item) = load(state, id)?;
    rules::retract(
        &state.config,
        &actor.person,
        id.as_str(),
        item.stage(&state.config),
    )?;
    let mut entry: PublishedEntry = item
        .published
        .clone()
        .expect("a published item has an entry");
    entry.retracted = Some(Reasoned {
        on: actor.today(),
        by: actor.person.clone(),
        reason: reason.clone(),
    });
    Ok(retraction(&id, entry, &reason))
}

fn retraction(id: &PracticeId, entry: PublishedEntry, reason: &str) -> Change {
    Change::new(
        ActionKind::Retract,
        Some(id.as_str()),
        format!("retract {id}"),
    )
    .body(Some(reason))
    .write(RegisterPath::published(id.as_str()), model::to_yaml(&entry))
}

/// Bring into the published set an entry published before the register
/// existed. Its `imported` block (when, by whom, from where) stands in for
/// the approval it never had here; its sections may be empty.
pub fn import(
    state: &State,
    actor: &Actor,
    mut entry: PublishedEntry,
    id: Option<&str>,
    source: &Source,
) -> Result<Change> {
    rules::require_editor(
        &state.config,
        &actor.person,
        "import into the published set",
    )?;
    model::require_text(&source.name, "title", &entry.title)?;
    entry.organisations = crate::forces::normalise_all(&entry.organisations);
    if let Some(topic) = &entry.topic {
        entry.topic = Some(state.config.topic(topic)?.to_string());
    }
    if entry.approval.is_some() || entry.retracted.is_some() || !entry.revisions.is_empty() {
        return Err(Error::bad(format!(
            "{}: an imported entry has no `approval`, `retracted` or `revisions`; remove them",
            source.name
        )));
    }
    if entry.kind == Kind::SmarterPractice && entry.rating != Rating::SmarterPractice
        || entry.kind == Kind::PracticeBank && entry.rating == Rating::SmarterPractice
    {
        return Err(Error::bad(format!(
            "{}: a {} entry cannot be rated {}; smarter practice is rated smarter-practice, the practice bank one of {}",
            source.name,
            entry.kind,
            entry.rating,
            Rating::bank_words()
        )));
    }
    let Some(imported) = entry.imported.as_mut() else {
        return Err(Error::bad(format!(
            "{}: say where the entry comes from in an `imported` block with a `source`",
            source.name
        )));
    };
    model::require_text(&source.name, "imported.source", &imported.source)?;
    if entry.published.on.date() > actor.at.date_naive() {
        return Err(Error::bad(format!(
            "{}: `published.on` is {}, after today; an entry imported was published before it was imported",
            source.name, entry.published.on
        )));
    }
    // The record of the import is the register's: this person, now.
    imported.on = Some(actor.today());
    imported.by = Some(actor.person.clone());
    entry.published.by = actor.person.clone();
    let id = match id {
        Some(id) => PracticeId::parse(id)?,
        None => PracticeId::derive(
            &entry.title,
            entry.organisations.first().map_or("", String::as_str),
        )?,
    };
    if state.exists(&id) {
        return Err(Error::DuplicateId(id.to_string()));
    }
    Ok(Change::new(
        ActionKind::Import,
        Some(id.as_str()),
        format!("import {id}: {}", entry.title),
    )
    .write(RegisterPath::published(id.as_str()), model::to_yaml(&entry)))
}
