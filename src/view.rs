//! What reading commands show: one summary per activity for `list`, the whole
//! record for `show`, in the shapes `--json` promises.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::Result;
use crate::clock::Clock;
use crate::digest::Digest;
use crate::layout::RegisterPath;
use crate::model::{
    Activity, Decision, PublishedEntry, RegisterConfig, Reply, Report, SignOff, When,
};
use crate::pipeline::Stage;
use crate::pipeline::clock::Waits;
use crate::pipeline::signing::Status;
use crate::register::{Item, State};

/// One activity at a glance: a row of `list`, and the object `list --json`
/// promises (see [`Item`](crate::register::Item) for the other shapes).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub stage: &'static str,
    pub round: u32,
    pub organisations: Vec<String>,
    pub topic: Option<String>,
    /// Partner id to decision, in the current round.
    pub decisions: BTreeMap<String, Decision>,
    /// Partners yet to decide in the current round, while it is open.
    pub awaiting: Vec<String>,
    pub submitted: Option<When>,
    /// Published before the register existed and imported, so never
    /// reviewed in it.
    pub imported: bool,
    /// Who it waits for: partners yet to decide, `submitter` or `editors`;
    /// nobody once it is closed.
    pub waiting_for: Vec<String>,
    /// Since when it has waited at its stage, as history marks it.
    pub waiting_since: Option<When>,
    /// Whole days since then.
    pub waiting_days: Option<i64>,
    /// While partners have decisions to make and the register sets
    /// `approval.review_days`: the day the round is due.
    pub due: Option<NaiveDate>,
    /// Whole days past `due`; 0 until then.
    pub overdue_days: Option<i64>,
}

impl Summary {
    /// `digest` at a glance, without the clock: nothing says since when
    /// it has waited.
    pub fn of(digest: &Digest, config: &RegisterConfig) -> Summary {
        Summary::waiting(digest, config, None)
    }

    /// `digest` at a glance on `today`, with how long it has waited by
    /// `clock`.
    pub fn timed(
        digest: &Digest,
        config: &RegisterConfig,
        clock: &Clock,
        today: NaiveDate,
    ) -> Summary {
        let waits = clock.waits(
            &digest.id,
            digest.stage(config),
            digest.round,
            config.approval.review_days,
            today,
        );
        Summary::waiting(digest, config, waits)
    }

    fn waiting(digest: &Digest, config: &RegisterConfig, waits: Option<Waits>) -> Summary {
        let stage = digest.stage(config);
        let awaiting = if stage.is_open_for_review() {
            digest.awaiting(config)
        } else {
            vec![]
        };
        Summary {
            id: digest.id.clone(),
            title: digest.title.clone(),
            stage: stage.as_str(),
            round: digest.round,
            organisations: digest.organisations.clone(),
            topic: digest.topic.clone(),
            decisions: digest.decisions.clone(),
            waiting_for: crate::pipeline::clock::waiting_for(stage, &awaiting),
            awaiting: awaiting.into_iter().map(str::to_string).collect(),
            submitted: digest.submitted,
            imported: digest.imported,
            waiting_since: waits.map(|w| w.since),
            waiting_days: waits.map(|w| w.days),
            due: waits.and_then(|w| w.due),
            overdue_days: waits.and_then(|w| w.overdue_days),
        }
    }
}

/// A count of days, in words: "1 day", "12 days".
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// One activity in full.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    #[serde(flatten)]
    pub summary: Summary,
    pub activity: Option<Activity>,
    pub rounds: Vec<Round>,
    pub report: Option<Report>,
    /// Sections the report still needs before publication.
    pub report_missing: Vec<&'static str>,
    pub published: Option<PublishedEntry>,
    /// In a round after the first, the fields the submitter changed since
    /// the round before (see [`Detail::find_changes`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed_since_last_round: Vec<String>,
    /// The files attached as evidence.
    pub evidence: Vec<crate::model::Evidence>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Round {
    pub round: u32,
    /// In the order they were made.
    pub sign_offs: Vec<SignedOff>,
    /// The submitter's answer to the round's questions.
    pub reply: Option<Reply>,
}

/// A sign-off, and what the signature of the commit that recorded it
/// proves (see [`Detail::check_signatures`]).
#[derive(Debug, Clone, Serialize)]
pub struct SignedOff {
    #[serde(flatten)]
    pub sign_off: SignOff,
    /// The commit that recorded the sign-off as it stands.
    pub commit: Option<String>,
    /// What its signature proves; `None` where it was not looked for (a
    /// register whose roster lists no key, where nothing could verify).
    pub signature: Option<Status>,
    pub fingerprint: Option<String>,
}

impl Detail {
    pub fn of(item: &Item, config: &RegisterConfig) -> Detail {
        Detail {
            summary: Summary::of(&Digest::of(item), config),
            activity: item.activity.clone(),
            rounds: item
                .rounds
                .iter()
                .map(|(n, r)| {
                    let mut sign_offs: Vec<SignedOff> = r
                        .values()
                        .map(|s| SignedOff {
                            sign_off: s.clone(),
                            commit: None,
                            signature: None,
                            fingerprint: None,
                        })
                        .collect();
                    sign_offs.sort_by_key(|s| s.sign_off.signed_at.instant());
                    Round {
                        round: *n,
                        sign_offs,
                        reply: item.replies.get(n).cloned(),
                    }
                })
                .collect(),
            report: item.report.clone(),
            report_missing: item
                .report
                .as_ref()
                .map(|r| r.missing_sections())
                .unwrap_or_default(),
            published: item.published.clone(),
            changed_since_last_round: Vec::new(),
            evidence: item.evidence.clone(),
        }
    }

    /// Name the fields the submitter changed since the round before the
    /// current one ended: found from the commit that opened the current
    /// round (one walk back to it).
    pub fn find_changes(&mut self, state: &State, item: &Item) -> Result<()> {
        let round = item.current_round();
        let Some(now) = &item.activity else {
            return Ok(());
        };
        if round < 2 {
            return Ok(());
        }
        if let Some(opened) = crate::rounds::opened_by(state, &item.id, round)? {
            self.changed_since_last_round =
                crate::rounds::changed_since_last_round(state, &item.id, opened, now)?;
        }
        Ok(())
    }
}

impl Detail {
    /// Find the commit that recorded each sign-off, and what its signature
    /// proves by the roster before it. Only where signing is in use (the
    /// roster lists a key, or signatures are required): finding the commit
    /// walks history, which for an old activity of a large register costs
    /// seconds, and without a roster key no signature could be verified.
    pub fn check_signatures(&mut self, state: &State) -> Result<()> {
        let in_use =
            state.config.requires_signatures() || state.config.everyone().any(|e| e.key.is_some());
        if !in_use {
            return Ok(());
        }
        let path =
            |s: &SignOff| RegisterPath::sign_off(&self.summary.id, s.round, &s.partner).to_string();
        let paths: Vec<String> = self
            .rounds
            .iter()
            .flat_map(|r| r.sign_offs.iter().map(|s| path(&s.sign_off)))
            .collect();
        let commits = state.introduced_by(&paths)?;
        let mut rosters = crate::history::Rosters::default();
        for round in &mut self.rounds {
            for s in &mut round.sign_offs {
                let Some(commit) = commits.get(&path(&s.sign_off)) else {
                    continue;
                };
                let commit = state.repo().find_commit(*commit)?;
                let (status, fingerprint) = rosters.signature(state.repo(), &commit)?;
                (s.signature, s.fingerprint) = (Some(status), fingerprint);
                s.commit = Some(commit.id().to_string());
            }
        }
        Ok(())
    }
}

/// What `list` narrows to. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub stage: Option<Stage>,
    pub topic: Option<String>,
    pub organisation: Option<String>,
    /// A partner id: activities open for review that it has not decided.
    pub awaiting: Option<String>,
    /// Only rounds past their due day.
    pub overdue: bool,
}

impl Filter {
    pub fn matches(&self, item: &Summary) -> bool {
        if self.stage.is_some_and(|s| s.as_str() != item.stage) {
            return false;
        }
        if let Some(topic) = &self.topic
            && !item
                .topic
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(topic.trim()))
        {
            return false;
        }
        if let Some(org) = &self.organisation {
            let wanted = crate::forces::normalise(org);
            if !item
                .organisations
                .iter()
                .any(|o| o.eq_ignore_ascii_case(&wanted))
            {
                return false;
            }
        }
        // Only an activity open for review awaits anyone's decision.
        if let Some(partner) = &self.awaiting
            && !item.awaiting.iter().any(|p| p == partner)
        {
            return false;
        }
        !self.overdue || crate::pipeline::clock::is_overdue(item.overdue_days)
    }
}
