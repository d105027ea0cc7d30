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

use git2::ObjectType;
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::model::{Decision, Kind, RegisterConfig, When};
use crate::pipeline::{self, Stage};
use crate::register::{Item, Problem, State};

/// One activity, as far as listing it goes.
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

#[derive(Default, Serialize, Deserialize)]
struct Cache {
    /// Activity id to the ids of its places, and its digest (or the
    /// problem that kept it from having one).
    entries: HashMap<String, ([String; 3], std::result::Result<Digest, String>)>,
}

/// The ids of each activity's three places, from the three folders.
fn keys(state: &State) -> Result<BTreeMap<String, [String; 3]>> {
    let mut keys: BTreeMap<String, [String; 3]> = BTreeMap::new();
    for (slot, folder) in crate::register::FOLDERS.iter().enumerate() {
        let Some(tree) = state.folder(folder) else {
            continue;
        };
        for entry in tree.iter() {
            let name = String::from_utf8_lossy(entry.name_bytes());
            let id = match (slot, entry.kind()) {
                (2, Some(ObjectType::Blob)) => name.strip_suffix(".yaml").map(str::to_string),
                (0 | 1, Some(ObjectType::Tree)) => Some(name.into_owned()),
                _ => None,
            };
            if let Some(id) = id.filter(|i| crate::id::is_slug(i)) {
                keys.entry(id).or_default()[slot] = entry.id().to_string();
            }
        }
    }
    Ok(keys)
}

/// Every activity's digest, and the problems of those that have none: from
/// the cache where an activity's files are unchanged, else from the objects.
pub fn digests(state: &State) -> Result<(Vec<Digest>, Vec<Problem>)> {
    let path = state.repo().path().join(CACHE);
    let mut cache: Cache = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let keys = keys(state)?;
    // Out-of-place files (a stray folder, reviews without an activity) are
    // found by the full reading; ask it for those problems only.
    let mut problems = state.stray_problems()?;
    let mut digests = Vec::with_capacity(keys.len());
    let mut changed = cache.entries.len() != keys.len();
    for (id, key) in &keys {
        // Sign-offs alone make no activity: the stray check reports them.
        if key[0].is_empty() && key[2].is_empty() {
            continue;
        }
        let fresh = match cache.entries.get(id) {
            Some((k, found)) if k == key => found.clone(),
            _ => {
                changed = true;
                let found = state
                    .load_item(id)
                    .map(|item| Digest::of(&item))
                    .map_err(|e| e.to_string());
                cache
                    .entries
                    .insert(id.clone(), (key.clone(), found.clone()));
                found
            }
        };
        match fresh {
            Ok(d) => digests.push(d),
            Err(message) => problems.push(Problem {
                path: None,
                message,
            }),
        }
    }
    if changed {
        cache.entries.retain(|id, _| keys.contains_key(id));
        // A cache that cannot be written only costs the next reading time.
        if let Ok(bytes) = serde_json::to_vec(&cache) {
            let _ = crate::action::write_atomically(state.repo().path(), &path, &bytes);
        }
    }
    Ok((digests, problems))
}
