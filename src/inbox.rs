//! What awaits a person: for a reviewer, the activities awaiting their
//! partner's decision in the current round; for an editor, what is approved
//! but not written up, written up but not published, and what was returned;
//! for a submitter, their own activities and what each waits for. A person
//! may be all three.

use chrono::NaiveDate;
use serde::Serialize;

use crate::Result;
use crate::model::{Decision, Person, RegisterConfig, When};
use crate::pipeline::{Stage, clock};
use crate::register::{Item, Problem, State};

/// One activity in someone's inbox: what it waits for and since when
/// (see [`Item`] for the other shapes).
#[derive(Debug, Clone, Serialize)]
pub struct Waiting {
    pub id: String,
    pub title: String,
    pub stage: &'static str,
    pub round: u32,
    /// Since when it has waited.
    pub since: When,
    /// Whole days since then.
    pub age_days: i64,
    /// What it waits for, in words.
    pub waits_for: String,
    /// While partners have decisions to make and the register sets
    /// `approval.review_days`: the day the round is due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Whole days past `due`; 0 when not yet due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue_days: Option<i64>,
    /// In a round after the first, the fields the submitter changed since
    /// the round before (`practice diff` shows how).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
    /// Returned: what the partners asked, to answer with `practice amend`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
}

/// A partner's request for more information, and who asked it.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub partner: String,
    pub reviewer: Person,
    pub comment: Option<String>,
}

/// What the partners asked in the current round of a returned `item`.
fn questions(item: &Item) -> Vec<Question> {
    item.rounds
        .get(&item.current_round())
        .map(|r| {
            r.values()
                .filter(|s| s.decision == Decision::MoreInformation)
                .map(|s| Question {
                    partner: s.partner.clone(),
                    reviewer: s.reviewer.clone(),
                    comment: s.comment.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerQueue {
    pub partner: String,
    pub awaiting: Vec<Waiting>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EditorQueue {
    /// Found not suitable: candidates for the practice bank.
    pub not_suitable: Vec<Waiting>,
    pub to_write_up: Vec<Waiting>,
    pub to_publish: Vec<Waiting>,
    pub returned: Vec<Waiting>,
    /// Rounds that cannot end: every partner decided, too few found the
    /// activity suitable.
    pub undecided: Vec<Waiting>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Inbox {
    /// One queue per partner the person reviews for.
    pub reviewer: Vec<PartnerQueue>,
    /// Present when the person is an editor.
    pub editor: Option<EditorQueue>,
    /// The person's own submissions.
    pub submitter: Vec<Waiting>,
}

impl Inbox {
    pub fn is_empty(&self) -> bool {
        self.reviewer.iter().all(|q| q.awaiting.is_empty())
            && self.editor.as_ref().is_none_or(|e| {
                e.not_suitable.is_empty()
                    && e.to_write_up.is_empty()
                    && e.to_publish.is_empty()
                    && e.returned.is_empty()
                    && e.undecided.is_empty()
            })
            && self.submitter.is_empty()
    }
}

/// The inbox of `person` on `today`, oldest first in every list; with
/// `partner`, an editor sees that partner's queue as its reviewers do.
pub fn inbox(
    state: &State,
    person: &Person,
    today: NaiveDate,
    partner: Option<&str>,
) -> Result<(Inbox, Vec<Problem>)> {
    let queues = Queues::new(state, today)?;
    let inbox = queues.inbox(person, partner)?;
    Ok((inbox, queues.problems))
}

/// Every activity with its stage and what history marks of it, read once
/// for as many people's inboxes as are asked for.
pub struct Queues<'s, 'r> {
    state: &'s State<'r>,
    items: Vec<(Item, Stage)>,
    clock: crate::clock::Clock,
    today: NaiveDate,
    /// Files that could not be read: every other activity is still seen.
    pub problems: Vec<Problem>,
}

impl<'s, 'r> Queues<'s, 'r> {
    pub fn new(state: &'s State<'r>, today: NaiveDate) -> Result<Queues<'s, 'r>> {
        let (items, problems) = state.items()?;
        // Each activity's stage, worked out once.
        let items = items
            .into_iter()
            .map(|i| {
                let stage = i.stage(&state.config);
                (i, stage)
            })
            .collect();
        Ok(Queues {
            state,
            items,
            clock: crate::clock::Clock::read(state)?,
            today,
            problems,
        })
    }

    /// Everyone who submitted an activity, once each, by email.
    pub fn submitters(&self) -> Vec<Person> {
        let mut seen: Vec<Person> = Vec::new();
        for (item, _) in &self.items {
            if let Some(by) = item.activity.as_ref().and_then(|a| a.submitted.as_ref())
                && !seen.iter().any(|p| p.same_email(&by.by.email))
            {
                seen.push(by.by.clone());
            }
        }
        seen
    }

    /// How many activities open for review await `partner`'s decision.
    pub fn awaiting(&self, partner: &str) -> usize {
        let config = &self.state.config;
        self.items
            .iter()
            .filter(|(i, stage)| awaits(i, *stage, partner, config))
            .count()
    }

    fn waiting(&self, item: &Item, stage: Stage, waits_for: String) -> Waiting {
        let config = &self.state.config;
        let round = item.current_round();
        let marks = self.clock.marks(&item.id);
        // History's marks, and where it has none (commits without
        // trailers) what the files say.
        let since = marks
            .and_then(|m| m.since(stage, round))
            .unwrap_or_else(|| since(item, stage));
        let waits = clock::waits(stage, since, config.approval.review_days, self.today);
        let opened = marks
            .and_then(|m| m.opened.get(&round))
            .filter(|_| round > 1 && stage.is_open_for_review())
            .and_then(|m| git2::Oid::from_str(&m.commit).ok());
        let changed = match (opened, &item.activity) {
            (Some(commit), Some(now)) => {
                crate::rounds::changed_since_last_round(self.state, &item.id, commit, now)
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        Waiting {
            id: item.id.clone(),
            title: item.title().to_string(),
            stage: stage.as_str(),
            round,
            since,
            age_days: waits.days,
            waits_for,
            changed,
            due: waits.due,
            overdue_days: waits.overdue_days,
            questions: if stage == Stage::Returned {
                questions(item)
            } else {
                Vec::new()
            },
        }
    }

    /// What awaits `person`; with `partner`, an editor sees that partner's
    /// queue as its reviewers do.
    pub fn inbox(&self, person: &Person, partner: Option<&str>) -> Result<Inbox> {
        let config = &self.state.config;
        let items = self.items.as_slice();
        let waiting =
            |item: &Item, stage: Stage, waits_for: String| self.waiting(item, stage, waits_for);
        let mut inbox = Inbox::default();
        let queues: Vec<&crate::model::Partner> = match partner {
            Some(id) => {
                crate::pipeline::rules::require_editor(
                    config,
                    person,
                    &format!("see {id}'s queue"),
                )?;
                vec![config.require_partner(id)?]
            }
            None => config.partners_reviewed_by(&person.email),
        };
        for partner in queues {
            let mut awaiting: Vec<Waiting> = items
                .iter()
                .filter(|(i, stage)| awaits(i, *stage, &partner.id, config))
                .map(|(i, stage)| waiting(i, *stage, format!("{}'s decision", partner.id)))
                .collect();
            oldest_first(&mut awaiting);
            inbox.reviewer.push(PartnerQueue {
                partner: partner.id.clone(),
                awaiting,
            });
        }
        if config.is_editor(&person.email) {
            let mut queue = EditorQueue::default();
            for (item, stage) in items {
                match stage {
                    Stage::NotSuitable => queue.not_suitable.push(waiting(
                        item,
                        *stage,
                        "an editor: the practice bank, or nothing (`practice bank`)".into(),
                    )),
                    Stage::Approved => queue.to_write_up.push(waiting(
                        item,
                        *stage,
                        "a write-up: `practice write-up`".into(),
                    )),
                    Stage::WrittenUp => queue.to_publish.push(waiting(
                        item,
                        *stage,
                        "publication: `practice publish`".into(),
                    )),
                    Stage::Returned => {
                        queue
                            .returned
                            .push(waiting(item, *stage, "the submitter's answers".into()))
                    }
                    Stage::Undecided => queue.undecided.push(waiting(
                        item,
                        *stage,
                        "an editor: `practice reopen` or `practice bank`".into(),
                    )),
                    _ => {}
                }
            }
            for list in [
                &mut queue.not_suitable,
                &mut queue.to_write_up,
                &mut queue.to_publish,
                &mut queue.returned,
                &mut queue.undecided,
            ] {
                oldest_first(list);
            }
            inbox.editor = Some(queue);
        }
        for (item, stage) in items {
            let mine = item
                .activity
                .as_ref()
                .and_then(|a| a.submitted.as_ref())
                .is_some_and(|s| s.by.same_email(&person.email));
            if mine {
                let w = waiting(item, *stage, waits_for(item, *stage, config));
                inbox.submitter.push(w);
            }
        }
        oldest_first(&mut inbox.submitter);
        Ok(inbox)
    }
}

fn oldest_first(list: &mut [Waiting]) {
    list.sort_by_key(|w| (w.since.timestamp(), w.id.clone()));
}

/// Whether `item`, at `stage`, awaits `partner`'s decision.
fn awaits(item: &Item, stage: Stage, partner: &str, config: &RegisterConfig) -> bool {
    stage.is_open_for_review() && item.awaiting(config).contains(&partner)
}

/// What a submitter's activity waits for, in words.
fn waits_for(item: &Item, stage: Stage, config: &RegisterConfig) -> String {
    match stage {
        Stage::Submitted | Stage::InReview => {
            format!("decisions from {}", item.awaiting(config).join(", "))
        }
        Stage::Returned => {
            let asking: Vec<String> = questions(item).into_iter().map(|q| q.partner).collect();
            format!(
                "your answers to {}: `practice amend {}`",
                asking.join(", "),
                item.id
            )
        }
        Stage::Approved => "an editor's write-up".into(),
        Stage::WrittenUp => "publication by an editor".into(),
        Stage::NotSuitable => "nothing more: found not suitable".into(),
        Stage::Undecided => "an editor: too few partners found it suitable to end the round".into(),
        Stage::Published => "nothing more: published".into(),
        Stage::Banked => "nothing more: in the practice bank".into(),
        Stage::Withdrawn => "nothing more: withdrawn".into(),
        Stage::Retracted => "nothing more: retracted".into(),
    }
}

/// Since when an item has waited at its stage, from what the files say:
/// for a register whose history does not say.
fn since(item: &Item, stage: Stage) -> When {
    let submitted = item
        .activity
        .as_ref()
        .and_then(|a| a.submitted.as_ref())
        .map(|s| s.on)
        .or_else(|| item.published.as_ref().map(|p| p.published.on))
        .unwrap_or(When::Date(NaiveDate::MIN));
    let latest_sign_off = item.rounds.get(&item.current_round()).and_then(|r| {
        r.values()
            .map(|s| s.signed_at)
            .max_by_key(|w| w.timestamp())
    });
    match stage {
        Stage::Submitted | Stage::InReview => submitted,
        Stage::Returned
        | Stage::Approved
        | Stage::WrittenUp
        | Stage::NotSuitable
        | Stage::Undecided => latest_sign_off.unwrap_or(submitted),
        _ => item
            .published
            .as_ref()
            .map_or(submitted, |p| p.published.on),
    }
}
