//! The pipeline: an activity's stage, derived from its files and never
//! stored, and the rules that say who may act at which stage. Everything here
//! is a pure function of values, so the same code judges an action now and,
//! in an audit, an action years ago.

pub mod clock;
pub mod dates;
pub mod effects;
pub mod rules;
pub mod signing;

use std::collections::BTreeMap;

use crate::model::{Decision, Kind};

crate::model::vocabulary!(
    /// Where an activity stands: derived from its files, never stored.
    Stage, "stage" {
        Submitted => "submitted",
        InReview => "in-review",
        Returned => "returned",
        NotSuitable => "not-suitable",
        Undecided => "undecided",
        Approved => "approved",
        WrittenUp => "written-up",
        Published => "published",
        Banked => "banked",
        Withdrawn => "withdrawn",
        Retracted => "retracted",
    }
);

impl Stage {
    /// Once here, partners may no longer record decisions.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Stage::Published | Stage::Banked | Stage::Withdrawn | Stage::Retracted
        )
    }

    /// Partners still have decisions to make.
    pub fn is_open_for_review(self) -> bool {
        matches!(self, Stage::Submitted | Stage::InReview)
    }
}

/// What a review round has come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nobody has decided yet.
    NoDecisions,
    /// Some have decided; no outcome yet.
    Open,
    /// A partner asked for more information.
    Returned,
    /// Every partner decided and one found it not suitable.
    NotSuitable,
    /// Every partner decided, none against or asking, and enough found it
    /// suitable.
    Approved,
    /// Every partner decided, none against or asking, but too few found it
    /// suitable (recusals): the round cannot end by itself.
    Undecided,
}

/// Judge a round. `decisions` maps partner ids to their decision in the round;
/// decisions of ids not in `partners` do not count.
///
/// A `recuse` counts for neither side. A round where every partner decided but
/// too few found it suitable (say, two recusals of four with three needed) is
/// undecided: it cannot end by itself, so an editor reopens it (a new round)
/// or places the activity in the practice bank; a partner may still change
/// its decision.
pub fn outcome(
    partners: &[&str],
    decisions: &BTreeMap<String, Decision>,
    min_suitable: usize,
) -> Outcome {
    let decided: Vec<Decision> = partners
        .iter()
        .filter_map(|p| decisions.get(*p).copied())
        .collect();
    let count = |d: Decision| decided.iter().filter(|x| **x == d).count();
    if decided.is_empty() {
        Outcome::NoDecisions
    } else if count(Decision::MoreInformation) > 0 {
        // Asking for more information returns the activity at once: the
        // submitter answers and a new round begins, whatever else was decided.
        Outcome::Returned
    } else if decided.len() < partners.len() {
        Outcome::Open
    } else if count(Decision::NotSuitable) > 0 {
        Outcome::NotSuitable
    } else if count(Decision::Suitable) >= min_suitable {
        Outcome::Approved
    } else {
        Outcome::Undecided
    }
}

/// What the stage is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub outcome: Outcome,
    pub report_complete: bool,
    pub withdrawn: bool,
    /// The kind of `published/<id>.yaml`, and whether it was retracted.
    pub published: Option<(Kind, bool)>,
}

/// The stage under `config`'s partners and approval rule, for an activity
/// with these decisions in its current round, report, withdrawal and
/// publication.
pub fn stage_under(
    config: &crate::model::RegisterConfig,
    decisions: &BTreeMap<String, Decision>,
    report_complete: bool,
    withdrawn: bool,
    published: Option<(Kind, bool)>,
) -> Stage {
    stage(&Facts {
        outcome: outcome(
            &config.partner_ids(),
            decisions,
            config.approval.min_suitable,
        ),
        report_complete,
        withdrawn,
        published,
    })
}

/// The partners of `config` with no decision among `decisions`.
pub fn awaiting<'c>(
    config: &'c crate::model::RegisterConfig,
    decisions: &BTreeMap<String, Decision>,
) -> Vec<&'c str> {
    config
        .partner_ids()
        .into_iter()
        .filter(|p| !decisions.contains_key(*p))
        .collect()
}

/// The stage the spec's table gives for these facts.
pub fn stage(facts: &Facts) -> Stage {
    match facts.published {
        Some((_, true)) => return Stage::Retracted,
        Some((Kind::SmarterPractice, false)) => return Stage::Published,
        Some((Kind::PracticeBank, false)) => return Stage::Banked,
        None => {}
    }
    if facts.withdrawn {
        return Stage::Withdrawn;
    }
    match facts.outcome {
        Outcome::NoDecisions => Stage::Submitted,
        Outcome::Open => Stage::InReview,
        Outcome::Returned => Stage::Returned,
        Outcome::NotSuitable => Stage::NotSuitable,
        Outcome::Approved if facts.report_complete => Stage::WrittenUp,
        Outcome::Approved => Stage::Approved,
        Outcome::Undecided => Stage::Undecided,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;

    const PARTNERS: [&str; 4] = ["college-of-policing", "npcc", "hmicfrs", "iopc"];

    fn round(decisions: &[(&str, Decision)]) -> BTreeMap<String, Decision> {
        decisions.iter().map(|(p, d)| (p.to_string(), *d)).collect()
    }

    fn judge(decisions: &[(&str, Decision)], min: usize) -> Outcome {
        outcome(&PARTNERS, &round(decisions), min)
    }

    fn all(ds: [Decision; 4]) -> Vec<(&'static str, Decision)> {
        PARTNERS.iter().copied().zip(ds).collect()
    }

    #[test]
    fn a_round_with_no_decisions_is_undecided() {
        assert_eq!(judge(&[], 3), Outcome::NoDecisions);
    }

    #[test]
    fn some_decisions_leave_the_round_open() {
        assert_eq!(judge(&[("npcc", Suitable)], 3), Outcome::Open);
        assert_eq!(judge(&[("npcc", NotSuitable)], 3), Outcome::Open);
    }

    #[test]
    fn more_information_returns_the_activity_at_once() {
        assert_eq!(judge(&[("iopc", MoreInformation)], 3), Outcome::Returned);
        assert_eq!(
            judge(&all([Suitable, NotSuitable, MoreInformation, Suitable]), 3),
            Outcome::Returned
        );
    }

    #[test]
    fn one_not_suitable_among_all_decided_is_not_suitable() {
        assert_eq!(
            judge(&all([Suitable, Suitable, Suitable, NotSuitable]), 3),
            Outcome::NotSuitable
        );
    }

    #[test]
    fn enough_suitable_approves_and_recusal_counts_for_neither_side() {
        assert_eq!(judge(&all([Suitable; 4]), 3), Outcome::Approved);
        assert_eq!(
            judge(&all([Suitable, Suitable, Suitable, Recuse]), 3),
            Outcome::Approved
        );
        assert_eq!(
            judge(&all([Suitable, Suitable, Recuse, Recuse]), 3),
            Outcome::Undecided
        );
        assert_eq!(
            judge(&all([Suitable, Suitable, Recuse, Recuse]), 2),
            Outcome::Approved
        );
        assert_eq!(judge(&all([Recuse; 4]), 1), Outcome::Undecided);
    }

    #[test]
    fn decisions_of_strangers_do_not_count() {
        let mut d = round(&all([Suitable, Suitable, Suitable, Suitable]));
        d.remove("iopc");
        d.insert("not-a-partner".into(), Suitable);
        assert_eq!(outcome(&PARTNERS, &d, 3), Outcome::Open);
    }

    fn facts(outcome: Outcome) -> Facts {
        Facts {
            outcome,
            report_complete: false,
            withdrawn: false,
            published: None,
        }
    }

    #[test]
    fn stages_follow_the_spec_table() {
        assert_eq!(stage(&facts(Outcome::NoDecisions)), Stage::Submitted);
        assert_eq!(stage(&facts(Outcome::Open)), Stage::InReview);
        assert_eq!(stage(&facts(Outcome::Returned)), Stage::Returned);
        assert_eq!(stage(&facts(Outcome::NotSuitable)), Stage::NotSuitable);
        assert_eq!(stage(&facts(Outcome::Approved)), Stage::Approved);
        assert_eq!(stage(&facts(Outcome::Undecided)), Stage::Undecided);
        let written = Facts {
            report_complete: true,
            ..facts(Outcome::Approved)
        };
        assert_eq!(stage(&written), Stage::WrittenUp);
        // A complete report does not make an unapproved activity written up.
        let early = Facts {
            report_complete: true,
            ..facts(Outcome::Open)
        };
        assert_eq!(stage(&early), Stage::InReview);
    }

    #[test]
    fn the_published_set_and_withdrawal_override_the_round() {
        let published = |kind, retracted| Facts {
            published: Some((kind, retracted)),
            ..facts(Outcome::Approved)
        };
        assert_eq!(
            stage(&published(Kind::SmarterPractice, false)),
            Stage::Published
        );
        assert_eq!(stage(&published(Kind::PracticeBank, false)), Stage::Banked);
        assert_eq!(
            stage(&published(Kind::PracticeBank, true)),
            Stage::Retracted
        );
        let withdrawn = Facts {
            withdrawn: true,
            ..facts(Outcome::Open)
        };
        assert_eq!(stage(&withdrawn), Stage::Withdrawn);
    }

    #[test]
    fn stage_words_parse() {
        for s in Stage::ALL {
            assert_eq!(s.as_str().parse::<Stage>().unwrap(), *s);
        }
        assert!("finished".parse::<Stage>().is_err());
    }
}
