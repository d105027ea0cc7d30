//! The pipeline's clock: since when an activity has waited at its stage, for
//! whom, and when its round falls due. History marks a few moments of each
//! activity — when each round opened, when a round's last decision was
//! recorded, when it was written up, when it was reinstated — and the stage
//! says which of them it has waited since. The moments are read from commit
//! trailers by [`crate::clock`]; what they mean is decided here, so `list`,
//! `inbox`, `show` and `remind` all keep the same time.
//!
//! A round is due `approval.review_days` after it opened. Only a round
//! partners still have to decide has a due date: a returned activity waits
//! on its submitter, and its next round starts the clock again from the
//! amend that opened it. A reinstated activity had left the pipeline, so
//! its clock starts again from the reinstatement.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Stage;
use crate::action::ActionKind;
use crate::model::When;

/// The moments of one activity's history that its stage may have waited
/// since.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marks {
    /// Round to the action that opened it: the submit, the amend that
    /// answered the round before, or an editor's reopen.
    pub opened: BTreeMap<u32, Mark>,
    /// Round to its latest review: a decision recorded, or one cleared.
    pub decided: BTreeMap<u32, When>,
    /// Round to its first write-up.
    pub written: BTreeMap<u32, When>,
    /// The latest reinstatement after a withdrawal.
    pub reinstated: Option<When>,
    /// When the activity entered the published set (published, banked or
    /// imported) and when its entry was last written (a revision, a
    /// retraction), to the second: the feed's `published` and `updated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered: Option<When>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_written: Option<When>,
}

/// When an action was taken, and the commit that records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub at: When,
    pub commit: String,
}

impl Marks {
    /// Take in one action on the activity, `kind` in `round` at `at`:
    /// actions come oldest first, so the first opener of a round is the one
    /// that opened it (later amends in the same round carry its number
    /// too) and the latest review is the one the stage has waited since.
    pub fn record(&mut self, kind: ActionKind, round: Option<u32>, at: When, commit: String) {
        match (kind, round) {
            (ActionKind::Submit, _) => {
                self.opened
                    .entry(round.unwrap_or(1))
                    .or_insert(Mark { at, commit });
            }
            (ActionKind::Amend | ActionKind::Reopen, Some(n)) => {
                self.opened.entry(n).or_insert(Mark { at, commit });
            }
            (ActionKind::Review, Some(n)) => {
                self.decided.insert(n, at);
            }
            (ActionKind::WriteUp, Some(n)) => {
                self.written.entry(n).or_insert(at);
            }
            (ActionKind::Reinstate, _) => self.reinstated = Some(at),
            _ => {}
        }
        // Whatever writes an activity's published entry, by the rule of
        // what each action may write; only these put it in the set, so a
        // history whose publication carries no trailers does not date it
        // by a later revision.
        let entry = crate::layout::RegisterPath::Published(String::new());
        if super::effects::may_write(kind, Some(""), &entry) {
            if matches!(
                kind,
                ActionKind::Publish | ActionKind::Bank | ActionKind::Import
            ) {
                self.entered.get_or_insert(at);
            }
            self.entry_written = Some(at);
        }
    }

    /// Since when an activity at `stage` in `round` has waited: `None` at a
    /// closed stage, or when history marks no moment for it (a register
    /// whose early commits carry no trailers).
    pub fn since(&self, stage: Stage, round: u32) -> Option<When> {
        let mark = match stage {
            Stage::Submitted | Stage::InReview => self.opened.get(&round).map(|m| m.at),
            Stage::Returned | Stage::Approved | Stage::NotSuitable | Stage::Undecided => {
                self.decided.get(&round).copied()
            }
            Stage::WrittenUp => self.written.get(&round).copied(),
            Stage::Published | Stage::Banked | Stage::Withdrawn | Stage::Retracted => {
                return None;
            }
        }?;
        Some(match self.reinstated {
            Some(r) if r.instant() > mark.instant() => r,
            _ => mark,
        })
    }
}

/// Who an activity at `stage` waits for: the partners yet to decide
/// (`awaiting`), `submitter` or `editors`; nobody once it is closed.
pub fn waiting_for(stage: Stage, awaiting: &[&str]) -> Vec<String> {
    match stage {
        Stage::Submitted | Stage::InReview => awaiting.iter().map(|p| p.to_string()).collect(),
        Stage::Returned => vec!["submitter".into()],
        Stage::Approved | Stage::WrittenUp | Stage::NotSuitable | Stage::Undecided => {
            vec!["editors".into()]
        }
        Stage::Published | Stage::Banked | Stage::Withdrawn | Stage::Retracted => vec![],
    }
}

/// How long an activity has waited, and how its round stands against the
/// register's `approval.review_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Waits {
    pub since: When,
    /// Whole days since then.
    pub days: i64,
    /// The day the round is due: only while partners have decisions to
    /// make, and only when the register sets `review_days`.
    pub due: Option<NaiveDate>,
    /// Whole days past `due`; 0 until then.
    pub overdue_days: Option<i64>,
}

impl Waits {
    /// Whether the round is past its due day.
    pub fn is_overdue(&self) -> bool {
        is_overdue(self.overdue_days)
    }
}

/// Whether a round `overdue_days` past its due day (as [`Waits`] counts
/// them) is overdue: on the due day itself it is not yet.
pub fn is_overdue(overdue_days: Option<i64>) -> bool {
    overdue_by(overdue_days).is_some()
}

/// How many days a round `overdue_days` past its due day is overdue;
/// `None` when it is not (yet).
pub fn overdue_by(overdue_days: Option<i64>) -> Option<i64> {
    overdue_days.filter(|d| *d > 0)
}

/// How an activity at `stage`, waiting since `since`, stands on `today`.
pub fn waits(stage: Stage, since: When, review_days: Option<u32>, today: NaiveDate) -> Waits {
    let due = review_days
        .filter(|_| stage.is_open_for_review())
        .and_then(|days| {
            since
                .date()
                .checked_add_days(chrono::Days::new(days.into()))
        });
    Waits {
        since,
        days: (today - since.date()).num_days().max(0),
        due,
        overdue_days: due.map(|d| (today - d).num_days().max(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> When {
        When::parse(d).unwrap()
    }

    fn date(d: &str) -> NaiveDate {
        day(d).date()
    }

    /// A history: submitted on the 1st, returned on the 5th, answered on
    /// the 10th, approved on the 12th, written up on the 14th and 15th.
    fn history() -> Marks {
        let mut m = Marks::default();
        m.record(ActionKind::Submit, Some(1), day("2026-10-01"), "a".into());
        m.record(ActionKind::Amend, Some(1), day("2026-10-02"), "b".into());
        m.record(ActionKind::Review, Some(1), day("2026-10-05"), "c".into());
        m.record(ActionKind::Amend, Some(2), day("2026-10-10"), "d".into());
        m.record(ActionKind::Amend, Some(2), day("2026-10-11"), "e".into());
        m.record(ActionKind::Review, Some(2), day("2026-10-12"), "f".into());
        m.record(ActionKind::WriteUp, Some(2), day("2026-10-14"), "g".into());
        m.record(ActionKind::WriteUp, Some(2), day("2026-10-15"), "h".into());
        m
    }

    #[test]
    fn the_entry_is_dated_from_its_publication_and_its_last_change() {
        let mut m = history();
        assert_eq!((m.entered, m.entry_written), (None, None));
        // A revision whose publication history does not mark enters nothing.
        let mut untold = Marks::default();
        untold.record(ActionKind::Revise, None, day("2026-10-21"), "x".into());
        assert_eq!(untold.entered, None);
        assert_eq!(untold.entry_written, Some(day("2026-10-21")));
        m.record(ActionKind::Publish, None, day("2026-10-20"), "i".into());
        m.record(ActionKind::Revise, None, day("2026-10-22"), "j".into());
        m.record(ActionKind::Attach, None, day("2026-10-23"), "k".into());
        assert_eq!(m.entered, Some(day("2026-10-20")));
        assert_eq!(m.entry_written, Some(day("2026-10-22")));
        m.record(ActionKind::Retract, None, day("2026-10-25"), "l".into());
        assert_eq!(m.entry_written, Some(day("2026-10-25")));
    }

    #[test]
    fn a_round_waits_since_it_opened_and_a_same_round_amend_opens_nothing() {
        let m = history();
        assert_eq!(m.since(Stage::InReview, 1), Some(day("2026-10-01")));
        assert_eq!(m.opened[&1].commit, "a");
        assert_eq!(m.since(Stage::Submitted, 2), Some(day("2026-10-10")));
        assert_eq!(m.opened[&2].commit, "d");
    }

    #[test]
    fn later_stages_wait_since_the_last_decision_or_the_first_write_up() {
        let m = history();
        assert_eq!(m.since(Stage::Returned, 1), Some(day("2026-10-05")));
        assert_eq!(m.since(Stage::Approved, 2), Some(day("2026-10-12")));
        assert_eq!(m.since(Stage::WrittenUp, 2), Some(day("2026-10-14")));
        assert_eq!(m.since(Stage::Published, 2), None);
        assert_eq!(m.since(Stage::InReview, 3), None);
    }

    #[test]
    fn a_reinstatement_starts_the_clock_again() {
        let mut m = history();
        m.record(
            ActionKind::Reinstate,
            Some(2),
            day("2026-11-01"),
            "i".into(),
        );
        assert_eq!(m.since(Stage::WrittenUp, 2), Some(day("2026-11-01")));
        // One before the mark counts for nothing.
        let mut early = Marks::default();
        early.record(
            ActionKind::Reinstate,
            Some(1),
            day("2026-09-01"),
            "x".into(),
        );
        early.record(ActionKind::Submit, Some(1), day("2026-09-02"), "y".into());
        assert_eq!(early.since(Stage::InReview, 1), Some(day("2026-09-02")));
    }

    #[test]
    fn only_a_round_partners_must_decide_falls_due() {
        let since = day("2026-10-01");
        let w = waits(Stage::InReview, since, Some(28), date("2026-11-05"));
        assert_eq!(w.due, Some(date("2026-10-29")));
        assert_eq!(w.overdue_days, Some(7));
        assert_eq!(w.days, 35);
        assert!(w.is_overdue());
        let on_the_day = waits(Stage::Submitted, since, Some(28), date("2026-10-29"));
        assert_eq!(on_the_day.overdue_days, Some(0));
        assert!(!on_the_day.is_overdue());
        let returned = waits(Stage::Returned, since, Some(28), date("2026-11-05"));
        assert_eq!((returned.due, returned.overdue_days), (None, None));
        let unset = waits(Stage::InReview, since, None, date("2026-11-05"));
        assert_eq!(unset.due, None);
        // A clock that runs ahead of today waits no negative days.
        assert_eq!(
            waits(Stage::InReview, since, None, date("2026-09-01")).days,
            0
        );
    }

    #[test]
    fn each_stage_waits_for_someone_until_it_closes() {
        assert_eq!(
            waiting_for(Stage::InReview, &["npcc", "iopc"]),
            ["npcc", "iopc"]
        );
        assert_eq!(waiting_for(Stage::Returned, &[]), ["submitter"]);
        assert_eq!(waiting_for(Stage::WrittenUp, &[]), ["editors"]);
        assert!(waiting_for(Stage::Banked, &[]).is_empty());
    }
}
