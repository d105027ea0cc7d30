//! Going through history, oldest first, handing each commit to the judge.
//!
//! Three things make a walk of 60,000 commits cost about what `git log
//! --name-status` does:
//! - a checkpoint in `.git/practice-audit.json`, so a repeated audit judges
//!   only the commits added since the last sound one;
//! - a second thread that reads what each commit changed, newest first
//!   within stretches of [`STRETCH`] commits (the order a pack's deltas
//!   favour), while this one judges oldest first;
//! - a [`Listing`] of the register's files, moved forward commit by commit,
//!   so both sides of a commit are read without decoding folders of
//!   thousands of entries ([`Sides`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, SyncSender};

use git2::{Commit, Oid, Repository, Sort, Tree};

use super::judge::{Judge, Seen};
use super::{Audit, Finding, Init};
use crate::listing::{Listing, Parsed, View};
use crate::model::RegisterConfig;
use crate::register::{Register, State};
use crate::treediff::{self, Changed};
use crate::{Error, Result};

/// Where the last sound audit ended, kept in `.git/practice-audit.json` so a
/// repeated audit judges only the commits added since. It records nothing
/// the objects do not: the commit it reached, the register's `init`, and,
/// for each sign-off path, the commit that last wrote it (what judging a
/// publication needs). None of it is trusted over git: the commit must be on
/// HEAD's history, the file must match its own check, the `init` must be a
/// first commit, and each sign-off's commit is checked against the objects
/// when a publication names it. It holds no counts, so none can be copied.
/// An audit that finds anything does not move it; `full` reads nothing from
/// it, and replaces it (or, finding anything, removes it).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Checkpoint {
    commit: String,
    #[serde(default)]
    init: Option<Init>,
    signed_by: std::collections::BTreeMap<String, String>,
    /// The id git would give the rest of the file as a blob: a damaged or
    /// half-written checkpoint does not match it.
    #[serde(default)]
    check: String,
}

const CHECKPOINT: &str = "practice-audit.json";

/// How many commits an audit must judge before it lists the register's files
/// (see [`crate::listing`]) rather than finding them in git's trees.
const LISTING_PAYS_AFTER: usize = 32;

/// How many commits the reading thread hands over at a time.
const STRETCH: usize = 512;

/// What the reading thread found for a stretch of commits, oldest first:
/// each commit's changes, or `None` for one it could not find.
type Stretch = Vec<Option<Result<Vec<Changed>>>>;

impl Checkpoint {
    /// The checkpoint, if there is one on HEAD's own history: after a
    /// rewrite the whole history is judged again.
    fn load(repo: &Repository, head: Oid) -> Option<(Oid, Checkpoint)> {
        let text = std::fs::read(repo.path().join(CHECKPOINT)).ok()?;
        let checkpoint: Checkpoint = serde_json::from_slice(&text).ok()?;
        if checkpoint.check != checkpoint.sum()? {
            return None;
        }
        let at = Oid::from_str(&checkpoint.commit).ok()?;
        let on_history = at == head || repo.graph_descendant_of(head, at).ok()?;
        // The init it names must be a first commit on the same history.
        let init_holds = checkpoint.init.as_ref().is_none_or(|init| {
            Oid::from_str(&init.commit)
                .ok()
                .and_then(|id| repo.find_commit(id).ok())
                .is_some_and(|c| c.parent_count() == 0)
        });
        (on_history && init_holds).then_some((at, checkpoint))
    }

    /// What `check` must be: the blob id of the rest of the file.
    fn sum(&self) -> Option<String> {
        let rest = serde_json::to_vec(&(&self.commit, &self.init, &self.signed_by)).ok()?;
        Some(
            Oid::hash_object(git2::ObjectType::Blob, &rest)
                .ok()?
                .to_string(),
        )
    }

    /// Record a sound audit that reached `head`. A checkpoint that cannot be
    /// written only costs the next audit time.
    fn save(repo: &Repository, head: Oid, audit: &Audit, signed_by: &HashMap<String, Oid>) {
        let mut checkpoint = Checkpoint {
            commit: head.to_string(),
            init: audit.init.clone(),
            signed_by: signed_by
                .iter()
                .map(|(p, c)| (p.clone(), c.to_string()))
                .collect(),
            check: String::new(),
        };
        checkpoint.check = checkpoint.sum().unwrap_or_default();
        if let Ok(text) = serde_json::to_vec(&checkpoint) {
            let path = repo.path().join(CHECKPOINT);
            let _ = crate::action::write_atomically(repo.path(), &path, &text);
        }
    }
}

/// See [`super::audit`].
pub(super) fn audit(
    register: &Register,
    full: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<Audit> {
    register.require_whole_history()?;
    let repo = register.repo();
    let no_commits = || Error::NoCommits(register.root().into());
    let target = repo
        .head()
        .ok()
        .and_then(|h| h.resolve().ok())
        .and_then(|h| h.target())
        .ok_or_else(no_commits)?;
    // A HEAD that names a commit git cannot read is a damaged history, never
    // an empty one.
    let head = match repo.find_commit(target) {
        Ok(head) => head,
        Err(e) => {
            return Ok(Audit {
                commits: 0,
                actions: 0,
                since: None,
                init: None,
                findings: vec![Finding {
                    commit: target.to_string(),
                    path: None,
                    rule: "damaged-commit",
                    message: format!(
                        "HEAD names a commit that cannot be read ({}); restore the branch from another clone",
                        e.message()
                    ),
                }],
            });
        }
    };
    let mut revwalk = repo.revwalk()?;
    revwalk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    revwalk.push(head.id())?;
    let mut judge = Judge::new(repo)?;
    let mut audit = Audit {
        commits: 0,
        actions: 0,
        since: None,
        init: None,
        findings: Vec::new(),
    };
    if let Some((at, checkpoint)) = (!full).then(|| Checkpoint::load(repo, head.id())).flatten() {
        revwalk.hide(at)?;
        audit.since = Some(at.to_string());
        judge.init = checkpoint.init;
        judge.unchecked = checkpoint.signed_by.keys().cloned().collect();
        judge.signed_by = checkpoint
            .signed_by
            .into_iter()
            .filter_map(|(path, c)| Some((path, Oid::from_str(&c).ok()?)))
            .collect();
    }
    walk_commits(repo, &mut judge, revwalk.collect(), &mut audit, progress);
    judge.head(&head, full)?;
    audit.init = judge.init.clone();
    if judge.findings.is_empty() {
        Checkpoint::save(repo, head.id(), &audit, &judge.signed_by);
    } else if full {
        // The whole history, judged again, disproves the checkpoint: no
        // later audit may start from it.
        let _ = std::fs::remove_file(repo.path().join(CHECKPOINT));
    }
    audit.findings = std::mem::take(&mut judge.findings);
    Ok(audit)
}

/// Judge `commits` (oldest first, each after its parent; the first one's
/// parent already judged, or none) in one walk, as the audit judges them:
/// what the guard asks of a push, which may be a whole history.
pub(super) fn judge_commits(repo: &Repository, commits: &[Oid]) -> Result<Vec<Finding>> {
    let mut judge = Judge::new(repo)?;
    let mut audit = Audit {
        commits: 0,
        actions: 0,
        since: None,
        init: None,
        findings: Vec::new(),
    };
    let walk = commits.iter().copied().map(Ok).collect();
    walk_commits(repo, &mut judge, walk, &mut audit, &mut |_| {});
    Ok(judge.findings)
}

/// Judge every commit of `walk`, oldest first, counting into `audit`.
fn walk_commits<'r>(
    repo: &'r Repository,
    judge: &mut Judge<'r>,
    walk: Vec<std::result::Result<Oid, git2::Error>>,
    audit: &mut Audit,
    progress: &mut dyn FnMut(usize),
) {
    // Listing the register's files costs about as much as judging a few
    // dozen commits through git's trees, and saves most of the cost of each
    // one after: worth it for a long walk, not for a repeat audit's few. A
    // long walk also reads what each commit changed on a second thread.
    let long = walk.len() > LISTING_PAYS_AFTER;
    if long {
        judge.sides.listing = Some(Rc::new(Listing::empty()));
    }
    let oids: Vec<Option<Oid>> = walk.iter().map(|o| o.as_ref().ok().copied()).collect();
    let (to_judge, read) = std::sync::mpsc::sync_channel(2);
    let git_dir = repo.path().to_path_buf();
    std::thread::scope(|scope| {
        if long {
            scope.spawn(|| read_changes(&git_dir, &oids, to_judge));
        } else {
            drop(to_judge);
        }
        let mut ahead = ReadAhead::new(read);
        for oid in walk {
            let changes = ahead.next();
            let commit = match oid.and_then(|o| repo.find_commit(o)) {
                Ok(c) => c,
                Err(e) => {
                    judge.findings.push(Finding {
                        commit: String::new(),
                        path: None,
                        rule: "damaged-commit",
                        message: format!("cannot read a commit: {e}"),
                    });
                    continue;
                }
            };
            audit.commits += 1;
            if audit.commits.is_multiple_of(256) {
                progress(audit.commits);
            }
            // What the reader could not read, the judge reads itself: its
            // own error, if any, is the one to report.
            let changes = match changes {
                Some(Ok(changes)) => Ok(Rc::from(changes)),
                _ => judge.sides.changes(&commit),
            };
            match changes.and_then(|c| judge.commit(&commit, c)) {
                Ok(true) => audit.actions += 1,
                Ok(false) => {}
                Err(e) => judge.findings.push(Finding {
                    commit: commit.id().to_string(),
                    path: None,
                    rule: "damaged-commit",
                    message: format!("cannot be read: {e}"),
                }),
            }
        }
    });
}

/// What the reading thread has sent, taken one commit at a time.
struct ReadAhead {
    from: Receiver<Stretch>,
    stretch: std::vec::IntoIter<Option<Result<Vec<Changed>>>>,
}

impl ReadAhead {
    fn new(from: Receiver<Stretch>) -> ReadAhead {
        ReadAhead {
            from,
            stretch: Vec::new().into_iter(),
        }
    }

    /// What the reader found for the next commit, if it is still reading.
    fn next(&mut self) -> Option<Result<Vec<Changed>>> {
        self.stretch
            .next()
            .or_else(|| {
                self.stretch = self.from.recv().ok()?.into_iter();
                self.stretch.next()
            })
            .flatten()
    }
}

/// The register files `commit` changed, against its first parent.
fn changes_of(differ: &treediff::Differ<'_>, commit: &Commit<'_>) -> Result<Vec<Changed>> {
    let tree = commit.tree()?;
    let parent_tree = commit.parents().next().map(|p| p.tree()).transpose()?;
    differ.register_changes(parent_tree.as_ref(), &tree)
}

/// What each commit of `walk` (oldest first; `None` for one that could not
/// be found) changed, sent to the judge a stretch at a time, oldest stretch
/// first. Each stretch is read newest first: a pack stores old versions of a
/// folder as deltas of newer ones, so in that order (git log's) each folder
/// is rebuilt from the one just read. On a repository handle of its own,
/// for a thread of its own; if it cannot open one, the judge reads alone.
fn read_changes(git_dir: &std::path::Path, walk: &[Option<Oid>], to_judge: SyncSender<Stretch>) {
    // In a pre-receive hook the pushed objects sit in a quarantine folder
    // that git names in the hook's environment, not under the git folder.
    let opened = if std::env::var_os("GIT_QUARANTINE_PATH").is_some() {
        Repository::open_from_env()
    } else {
        Repository::open(git_dir)
    };
    let Ok(repo) = opened else {
        return;
    };
    let Ok(differ) = treediff::Differ::new(&repo) else {
        return;
    };
    for stretch in walk.chunks(STRETCH) {
        let mut read: Stretch = stretch
            .iter()
            .rev()
            .map(|oid| {
                oid.map(|oid| {
                    repo.find_commit(oid)
                        .map_err(Error::from)
                        .and_then(|c| changes_of(&differ, &c))
                })
            })
            .collect();
        read.reverse();
        if to_judge.send(read).is_err() {
            return;
        }
    }
}

/// How the judge sees both sides of a commit: through git's trees, or,
/// in a long walk, through a listing of the register's files kept at the
/// last commit judged, with the files parsed so far.
pub(super) struct Sides<'r> {
    repo: &'r Repository,
    differ: treediff::Differ<'r>,
    /// The register's files as the last commit judged left them, when the
    /// audit has enough commits to judge to be worth listing them once.
    pub(super) listing: Option<Rc<Listing>>,
    /// Files parsed at earlier commits, for reading them from the listing.
    parsed: Rc<RefCell<Parsed>>,
}

impl<'r> Sides<'r> {
    pub(super) fn new(repo: &'r Repository) -> Result<Sides<'r>> {
        Ok(Sides {
            repo,
            differ: treediff::Differ::new(repo)?,
            listing: None,
            parsed: Rc::default(),
        })
    }

    /// The register files `commit` changed, against its first parent.
    pub(super) fn changes(&self, commit: &Commit<'r>) -> Result<Rc<[Changed]>> {
        Ok(changes_of(&self.differ, commit)?.into())
    }

    /// The register before and after the commit `seen`, whose parent's
    /// `register.yaml` says `before` and whose own says `after`.
    pub(super) fn states(
        &mut self,
        seen: &Seen<'_, 'r>,
        parent: (Oid, &Tree<'r>),
        configs: [RegisterConfig; 2],
    ) -> (State<'r>, State<'r>) {
        let (parent_id, parent_tree) = parent;
        let [before, after] = configs;
        let commit = seen.commit.id();
        match self.listing_at(parent_id, parent_tree) {
            Some(listing) => (
                State::listed(
                    self.repo,
                    parent_id,
                    parent_tree.clone(),
                    before,
                    View::of(listing.clone(), self.parsed.clone()),
                ),
                State::listed(
                    self.repo,
                    commit,
                    seen.tree.clone(),
                    after,
                    View::after(listing, seen.changes.clone(), self.parsed.clone()),
                ),
            ),
            None => (
                State::new(self.repo, parent_id, parent_tree.clone(), before),
                State::new(self.repo, commit, seen.tree.clone(), after),
            ),
        }
    }

    /// The listing of the commit `at`, whose tree is `tree`, if this audit
    /// keeps one: moved on from the last commit judged, or listed afresh
    /// when the walk has jumped (to another branch of a merge, say).
    fn listing_at(&mut self, at: Oid, tree: &Tree<'r>) -> Option<Rc<Listing>> {
        let listing = self.listing.as_mut()?;
        if listing.at() != Some(at) {
            match Listing::of(&self.differ, at, tree) {
                Ok(fresh) => *listing = Rc::new(fresh),
                // A damaged tree stays in every later commit: judge the
                // rest of the walk through git's trees rather than fail to
                // list the register again at each one.
                Err(_) => {
                    self.listing = None;
                    return None;
                }
            }
        }
        Some(listing.clone())
    }

    /// Move the listing on to `commit`, which made `changes` to `parent`,
    /// if the listing is at `parent`.
    pub(super) fn advance(&mut self, commit: Oid, parent: Option<Oid>, changes: &[Changed]) {
        if let Some(listing) = self.listing.as_mut()
            && listing.at() == parent
        {
            // Every state read through the listing is gone by now, so it is
            // moved on in place; a copy at each commit would cost as much as
            // the walk itself.
            debug_assert_eq!(
                Rc::strong_count(listing),
                1,
                "the listing is still shared, so moving it on would copy it"
            );
            Rc::make_mut(listing).advance(commit, changes);
        }
    }
}
