//! What `list` needs of each activity, kept in a cache so a large register
//! lists in a fraction of the time it takes to parse every file.
//!
//! An activity's digest is keyed by the ids of its three places in git — the
//! `submissions/<id>` folder, the `reviews/<id>` folder and the
//! `published/<id>.yaml` file — so any change to any of its files changes
//! the key, and the digest is made again from the objects. The cache lives
//! in `.git/practice-digests.json`; a missing or damaged cache is rebuilt,
//! and it is never trusted over the objects. Stages are derived from a
//! digest and the register's rules at the time of reading, so a change to
//! `register.yaml` needs no new digests.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::Result;
use crate::model::{Decision, Kind, RegisterConfig, When};
use crate::pipeline::{self, Stage};
use crate::register::{Item, Problem, State};

/// One activity, as far as listing it goes: small enough to cache for ten
/// thousand activities, and enough to work out the stage under whatever
/// rules the register has now (see [`Item`] for the other shapes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub id: String,
    pub title: String,
    pub organisations: Vec<String>,
    pub topic: Option<String>,
    pub round: u32,
    /// Partner id to decision, in the current round.
    pub decisions: BTreeMap<String, Decision>,
    pub report_complete: bool,
    pub withdrawn: bool,
    pub published: Option<(Kind, bool)>,
    pub submitted: Option<When>,
    /// Published before the register existed, and imported: never reviewed
    /// in the register.
    #[serde(default)]
    pub imported: bool,
}

impl Digest {
    pub fn of(item: &Item) -> Digest {
        Digest {
            id: item.id.clone(),
            title: item.title().to_string(),
            organisations: item.organisations().to_vec(),
            topic: item.topic().map(str::to_string),
            round: item.current_round(),
            decisions: item.decisions(),
            report_complete: item
                .report
                .as_ref()
                .is_some_and(|r| r.missing_sections().is_empty()),
            withdrawn: item
                .activity
                .as_ref()
                .is_some_and(|a| a.withdrawn.is_some()),
            published: item
                .published
                .as_ref()
                .map(|p| (p.kind, p.retracted.is_some())),
            submitted: item
                .activity
                .as_ref()
                .and_then(|a| a.submitted.as_ref())
                .map(|s| s.on),
            imported: item
                .published
                .as_ref()
                .is_some_and(|p| p.imported.is_some()),
        }
    }

    pub fn stage(&self, config: &RegisterConfig) -> Stage {
        pipeline::stage_under(
            config,
            &self.decisions,
            self.report_complete,
            self.withdrawn,
            self.published,
        )
    }

    /// Partners that have not decided in the current round.
    pub fn awaiting<'c>(&self, config: &'c RegisterConfig) -> Vec<&'c str> {
        pipeline::awaiting(config, &self.decisions)
    }
}

const CACHE: &str = "practice-digests.json";

/// The shape of a digest; a cache of another shape is read as empty and
/// made again, never taken for this one.
const VERSION: u32 = 4;

/// Why an activity has no digest: its problem, path and all, so a cached
/// problem reads as the one found afresh.
#[derive(Serialize, Deserialize)]
struct Unread {
    path: Option<String>,
    message: String,
}

/// An activity's entry: the ids of its places, and its digest (or the
/// problem that kept it from having one).
type Entry = ([String; 3], std::result::Result<Digest, Unread>);

/// The cache (see [`crate::cache`] for its file): activity id to its entry.
#[derive(Default, Serialize, Deserialize)]
struct Cache {
    #[serde(default)]
    version: u32,
    /// Activity id to its entry.
    entries: HashMap<String, Entry>,
}

impl Cache {
    /// Whether the entry for `id` was made from the places `key`: the same
    /// objects, and a digest of that activity and no other.
    fn holds(&self, id: &str, key: &[String; 3]) -> bool {
        match self.entries.get(id) {
            Some((k, Ok(digest))) => k == key && digest.id == id,
            Some((k, Err(_))) => k == key,
            None => false,
        }
    }
}

/// Every activity's digest, and the problems of those that have none: from
/// the cache where an activity's files are unchanged, else from the objects.
pub fn digests(state: &State) -> Result<(Vec<Digest>, Vec<Problem>)> {
    let mut cache = crate::cache::load::<Cache>(state.repo(), CACHE)
        .filter(|c| c.version == VERSION)
        .unwrap_or(Cache {
            version: VERSION,
            ..Cache::default()
        });
    let (places, mut problems) = state.survey()?;
    let keys: BTreeMap<String, [String; 3]> = places
        .into_iter()
        .map(|(id, p)| (id, p.map(|o| o.map(|o| o.to_string()).unwrap_or_default())))
        .collect();
    let mut changed = cache.entries.len() != keys.len();
    for (id, key) in &keys {
        if cache.holds(id, key) {
            continue;
        }
        changed = true;
        let found = state
            .load_item(id)
            .map(|item| Digest::of(&item))
            .map_err(|e| Unread {
                path: e.path().map(str::to_string),
                message: e.to_string(),
            });
        cache.entries.insert(id.clone(), (key.clone(), found));
    }
    if changed {
        cache.entries.retain(|id, _| keys.contains_key(id));
        crate::cache::store(state.repo(), CACHE, &cache);
    }
    // Moved out of the cache, not copied: ten thousand digests add up.
    let mut digests = Vec::with_capacity(keys.len());
    for id in keys.keys() {
        // Every id was given an entry above.
        match cache.entries.remove(id).map(|(_, found)| found) {
            Some(Ok(d)) => digests.push(d),
            Some(Err(Unread { path, message })) => problems.push(Problem { path, message }),
            None => {}
        }
    }
    Ok((digests, problems))
}
