//! What reading commands show: one summary per activity for `list`, the whole
//! record for `show`, in the shapes `--json` promises.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Result;
use crate::digest::Digest;
use crate::layout::RegisterPath;
use crate::model::{
    Activity, Decision, PublishedEntry, RegisterConfig, Reply, Report, SignOff, When,
};
use crate::pipeline::Stage;
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
}

impl Summary {
    pub fn of(digest: &Digest, config: &RegisterConfig) -> Summary {
        let stage = digest.stage(config);
        Summary {
            id: digest.id.clone(),
            title: digest.title.clone(),
            stage: stage.as_str(),
            round: digest.round,
            organisations: digest.organisations.clone(),
            topic: digest.topic.clone(),
            decisions: digest.decisions.clone(),
            awaiting: if stage.is_open_for_review() {
                digest
                    .awaiting(config)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            } else {
                vec![]
            },
            submitted: digest.submitted,
            imported: digest.imported,
        }
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
}

impl Filter {
    pub fn matches(&self, item: &Digest, config: &RegisterConfig) -> bool {
        let stage = item.stage(config);
        if self.stage.is_some_and(|s| s != stage) {
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
        if let Some(partner) = &self.awaiting
            && !(stage.is_open_for_review() && item.awaiting(config).contains(&partner.as_str()))
        {
            return false;
        }
        true
    }
}
