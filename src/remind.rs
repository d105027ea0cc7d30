//! Reminders: for everyone on the roster and everyone who submitted, what
//! awaits them now, as one plain-text email each. What awaits a person is
//! their inbox ([`crate::inbox`]) narrowed to what asks them to act: a
//! partner's open decisions, an editor's write-ups, publications and
//! undecided rounds, a submitter's returned activities with the questions
//! asked. Activities found not suitable wait on no one, so they are not
//! nagged about. Nothing is written to the register; delivery is
//! [`crate::mail`]'s.

use chrono::{DateTime, FixedOffset};

use crate::Result;
use crate::inbox::{Queues, Waiting};
use crate::model::{Person, RegisterConfig};
use crate::pipeline::Stage;
use crate::pipeline::clock::{is_overdue, overdue_by};
use crate::register::{Problem, State};
use crate::view::days;

/// What one person is reminded of.
#[derive(Debug, Clone)]
pub struct Reminder {
    pub to: Person,
    /// Each heading with its activities, overdue first, then oldest.
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub heading: String,
    pub items: Vec<Waiting>,
    /// The command that acts on each, with `{id}` for the activity.
    pub act: String,
}

impl Reminder {
    pub fn count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    fn items(&self) -> impl Iterator<Item = &Waiting> {
        self.sections.iter().flat_map(|s| &s.items)
    }

    /// How many are past their due day, and the most days any is.
    pub fn overdue(&self) -> (usize, i64) {
        let late: Vec<i64> = self
            .items()
            .filter_map(|w| overdue_by(w.overdue_days))
            .collect();
        (late.len(), late.iter().copied().max().unwrap_or(0))
    }

    /// The subject: how many, and how overdue.
    pub fn subject(&self, register: &str) -> String {
        let n = self.count();
        let what = format!("{} you", activities_await(n));
        match self.overdue() {
            (0, _) => format!("[{register}] {what}"),
            (late, most) => format!(
                "[{register}] {what}, {late} overdue (the most by {})",
                days(most)
            ),
        }
    }

    /// The plain-text body.
    pub fn body(&self, register: &str) -> String {
        let mut text = format!(
            "Dear {},\n\nThese activities on {register} await you.\n",
            self.to.name
        );
        for section in &self.sections {
            text.push_str(&format!(
                "\n{} ({}):\n",
                section.heading,
                section.items.len()
            ));
            for w in &section.items {
                text.push_str(&format!("\n  {}\n    {}\n", w.id, w.title));
                let mut state = format!("round {}, waiting {}", w.round, days(w.age_days));
                if let Some(due) = w.due {
                    state.push_str(&format!("; due {due}"));
                    if let Some(late) = overdue_by(w.overdue_days) {
                        state.push_str(&format!(", {} overdue", days(late)));
                    }
                }
                text.push_str(&format!("    {state}\n"));
                for q in &w.questions {
                    let asked = q.comment.as_deref().unwrap_or("(no question given)");
                    text.push_str(&format!(
                        "    {} ({}) asks: {}\n",
                        q.partner,
                        q.reviewer.name,
                        one_line(asked)
                    ));
                }
                text.push_str(&format!("    {}\n", section.act.replace("{id}", &w.id)));
            }
        }
        text.push_str(
            "\n-- \nSent by `practice remind`. `practice inbox` shows what awaits you \
             at any time.\n",
        );
        text
    }
}

/// "1 activity awaits", "3 activities await".
pub fn activities_await(n: usize) -> String {
    if n == 1 {
        "1 activity awaits".into()
    } else {
        format!("{n} activities await")
    }
}

/// A comment on one line, as a reminder quotes it.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Partners with open decisions and nobody on the roster to remind: each
/// with how many of its decisions wait.
pub fn unreached(state: &State, queues: &Queues) -> Vec<(String, usize)> {
    state
        .config
        .partners
        .iter()
        .filter(|p| !p.retired && p.reviewers.is_empty())
        .filter_map(|p| {
            let waiting = queues.awaiting(&p.id);
            (waiting > 0).then(|| (p.id.clone(), waiting))
        })
        .collect()
}

/// The reminders due on `state` as of `queues`' day: one per person with
/// something waiting, none for anyone else. With `since`, only what began
/// waiting at or after it, and everything overdue.
pub fn reminders(
    state: &State,
    queues: &Queues,
    since: Option<DateTime<FixedOffset>>,
) -> Result<(Vec<Reminder>, Vec<Problem>)> {
    let config = &state.config;
    let mut reminders = Vec::new();
    for person in everyone(config, queues) {
        let inbox = queues.inbox(&person, None)?;
        let mut sections = Vec::new();
        for q in &inbox.reviewer {
            sections.push(Section {
                heading: format!("Awaiting {}'s decision", q.partner),
                items: q.awaiting.clone(),
                act: format!(
                    "practice review {{id}} --partner {} --decision D",
                    q.partner
                ),
            });
        }
        if let Some(e) = &inbox.editor {
            sections.push(Section {
                heading: "Approved, to write up".into(),
                items: e.to_write_up.clone(),
                act: "practice write-up {id}".into(),
            });
            sections.push(Section {
                heading: "Written up, to publish".into(),
                items: e.to_publish.clone(),
                act: "practice publish {id}".into(),
            });
            sections.push(Section {
                heading: "Undecided: too few found it suitable to end the round".into(),
                items: e.undecided.clone(),
                act: "practice reopen {id} --reason TEXT, or practice bank {id} --rating R".into(),
            });
        }
        sections.push(Section {
            heading: "Returned to you with questions".into(),
            items: inbox
                .submitter
                .iter()
                .filter(|w| w.stage == Stage::Returned.as_str())
                .cloned()
                .collect(),
            act: "practice amend {id} --reply-file ANSWERS".into(),
        });
        for s in &mut sections {
            s.items.retain(|w| {
                is_overdue(w.overdue_days) || since.is_none_or(|t| w.since.instant() >= t.to_utc())
            });
            // Overdue first, the most overdue foremost; then the oldest.
            s.items.sort_by_key(|w| {
                (
                    std::cmp::Reverse(w.overdue_days.unwrap_or(0)),
                    w.since.instant(),
                    w.id.clone(),
                )
            });
        }
        sections.retain(|s| !s.items.is_empty());
        if !sections.is_empty() {
            reminders.push(Reminder {
                to: person,
                sections,
            });
        }
    }
    Ok((reminders, queues.problems.clone()))
}

/// The roster's editors and reviewers, then every submitter, once each.
fn everyone(config: &RegisterConfig, queues: &Queues) -> Vec<Person> {
    let mut people: Vec<Person> = Vec::new();
    let roster = config.editors.iter().chain(
        config
            .partners
            .iter()
            .filter(|p| !p.retired)
            .flat_map(|p| &p.reviewers),
    );
    for person in roster.map(|r| r.person()).chain(queues.submitters()) {
        if !people.iter().any(|p| p.same_email(&person.email)) {
            people.push(person);
        }
    }
    people
}
