//! The moments each activity's history marks (see
//! [`pipeline::clock`](crate::pipeline::clock) for what they mean), read from
//! the trailers of its commits: a commit's message says which action it
//! records, on which activity and in which round, so no tree is compared.
//!
//! One walk of history finds them; they are kept in `.git/practice-clock.json`
//! with the commit they were read up to, and the next run reads only the
//! commits added since. A history that no longer holds that commit (a sync
//! replayed local actions, someone reset the branch) is read again whole.

use std::collections::HashMap;

use chrono::NaiveDate;
use git2::{Oid, Sort};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::action::ActionKind;
use crate::history::Trailers;
use crate::pipeline::Stage;
use crate::pipeline::clock::{self, Marks, Waits};
use crate::register::State;

const CACHE: &str = "practice-clock.json";

/// The shape of the cache; one of another shape is read as absent.
const VERSION: u32 = 2;

/// Every activity's marks, as of one commit.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Clock {
    #[serde(default)]
    version: u32,
    /// The commit the marks were read up to.
    at: Option<String>,
    marks: HashMap<String, Marks>,
}

impl Clock {
    /// The marks of `state`'s history, from the cache as far as it goes.
    pub fn read(state: &State) -> Result<Clock> {
        let repo = state.repo();
        let head = state.head;
        let cached = crate::cache::load::<Clock>(repo, CACHE)
            .filter(|c| c.version == VERSION)
            .and_then(|c| {
                let at = c.at.as_deref().and_then(|a| Oid::from_str(a).ok())?;
                let holds = at == head || repo.graph_descendant_of(head, at).unwrap_or(false);
                holds.then_some((c, at))
            });
        let (mut clock, from) = match cached {
            Some((clock, at)) if at == head => return Ok(clock),
            Some((clock, at)) => (clock, Some(at)),
            None => (
                Clock {
                    version: VERSION,
                    ..Clock::default()
                },
                None,
            ),
        };
        let mut walk = repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(head)?;
        if let Some(from) = from {
            walk.hide(from)?;
        }
        for oid in walk {
            let commit = repo.find_commit(oid?)?;
            clock.take_in(&commit);
        }
        clock.at = Some(head.to_string());
        crate::cache::store(repo, CACHE, &clock);
        Ok(clock)
    }

    /// The marks of activity `id`; `None` when no commit names it.
    pub fn marks(&self, id: &str) -> Option<&Marks> {
        self.marks.get(id)
    }

    /// How activity `id`, at `stage` in `round`, stands on `today`;
    /// `None` at a closed stage or when history marks nothing for it.
    pub fn waits(
        &self,
        id: &str,
        stage: Stage,
        round: u32,
        review_days: Option<u32>,
        today: NaiveDate,
    ) -> Option<Waits> {
        let since = self.marks(id)?.since(stage, round)?;
        Some(clock::waits(stage, since, review_days, today))
    }

    /// Record what `commit` says it did, if it says.
    fn take_in(&mut self, commit: &git2::Commit<'_>) {
        let message = String::from_utf8_lossy(commit.message_bytes());
        let trailers = Trailers::parse(&message);
        let (Some(id), Some(kind)) = (
            trailers.practice,
            trailers.action.as_deref().and_then(ActionKind::from_word),
        ) else {
            return;
        };
        let round = trailers.round.and_then(|r| r.parse().ok());
        let (_, at) = crate::history::author_of(commit);
        self.marks
            .entry(id)
            .or_default()
            .record(kind, round, at, commit.id().to_string());
    }
}
