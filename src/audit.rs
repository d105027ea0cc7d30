//! The audit: walk the whole history and judge every commit that changed the
//! register by the same rules the tool applies when acting, with the roster
//! as it stood in the commit's parent. What it finds is reported as facts;
//! a damaged commit or file is a finding, and the walk goes on.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use git2::{Commit, Oid, Repository, Sort, Tree};
use serde::Serialize;

use crate::action::ActionKind;
use crate::history::Trailers;
use crate::id::PracticeId;
use crate::listing::{Listing, Parsed, View};
use crate::model::{Kind, Person, RegisterConfig};
use crate::pipeline::{Stage, rules};
use crate::register::{CONFIG, Item, Register, State, read_config};
use crate::treediff::{self, Changed};
use crate::{Error, Result};

/// One thing the audit found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The commit at fault (HEAD for a damaged file in HEAD).
    pub commit: String,
    /// The register file at fault, where there is one.
    pub path: Option<String>,
    /// Which rule: a short name, stable for scripts.
    pub rule: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

/// What the audit looked at and what it found.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// Commits walked, and of those, the ones that changed the register.
    pub commits: usize,
    pub actions: usize,
    pub findings: Vec<Finding>,
}

/// Where the last sound audit ended, kept in `.git/practice-audit.json` so a
/// repeated audit judges only the commits added since. It records nothing
/// the objects do not: the commit it reached and, for each sign-off path,
/// the commit that last wrote it (what judging a publication needs). An
/// audit that finds anything does not move it; `full` ignores it.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Checkpoint {
    commit: String,
    commits: usize,
    actions: usize,
    signed_by: HashMap<String, String>,
}

const CHECKPOINT: &str = "practice-audit.json";

/// How many commits an audit must judge before it lists the register's files
/// (see [`crate::listing`]) rather than finding them in git's trees.
const LISTING_PAYS_AFTER: usize = 32;

fn load_checkpoint(repo: &Repository, head: Oid) -> Option<(Oid, Checkpoint)> {
    let text = std::fs::read(repo.path().join(CHECKPOINT)).ok()?;
    let checkpoint: Checkpoint = serde_json::from_slice(&text).ok()?;
    let at = Oid::from_str(&checkpoint.commit).ok()?;
    // Only a checkpoint on HEAD's own history counts: after a rewrite the
    // whole history is judged again.
    let on_history = at == head || repo.graph_descendant_of(head, at).ok()?;
    on_history.then_some((at, checkpoint))
}

/// Audit the register's history up to HEAD: all of it when `full`, else the
/// commits since the last sound audit. `progress` hears how many commits
/// have been judged so far.
pub fn audit(register: &Register, full: bool, progress: &mut dyn FnMut(usize)) -> Result<Audit> {
    let repo = register.repo();
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|_| Error::NoCommits(register.root().into()))?;
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    walk.push(head.id())?;
    let mut auditor = Auditor::new(repo)?;
    let mut audit = Audit {
        commits: 0,
        actions: 0,
        findings: Vec::new(),
    };
    if let Some((at, checkpoint)) = (!full).then(|| load_checkpoint(repo, head.id())).flatten() {
        walk.hide(at)?;
        audit.commits = checkpoint.commits;
        audit.actions = checkpoint.actions;
        auditor.signed_by = checkpoint
            .signed_by
            .into_iter()
            .filter_map(|(path, c)| Some((path, Oid::from_str(&c).ok()?)))
            .collect();
    }
    let walk: Vec<_> = walk.collect();
    // Listing the register's files costs about as much as judging a few
    // dozen commits through git's trees, and saves most of the cost of each
    // one after: worth it for a long walk, not for a repeat audit's few. A
    // long walk also reads what each commit changed on a second thread.
    let long = walk.len() > LISTING_PAYS_AFTER;
    if long {
        auditor.listing = Some(Rc::new(Listing::empty()));
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
        let mut stretch = Vec::new().into_iter();
        for oid in walk {
            // What the reader found for this commit, if it is still reading.
            let changes = stretch
                .next()
                .or_else(|| {
                    stretch = read.recv().ok()?.into_iter();
                    stretch.next()
                })
                .flatten();
            let commit = match oid.and_then(|o| repo.find_commit(o)) {
                Ok(c) => c,
                Err(e) => {
                    auditor.find(
                        "",
                        None,
                        "damaged-commit",
                        format!("cannot read a commit: {e}"),
                    );
                    continue;
                }
            };
            audit.commits += 1;
            if audit.commits.is_multiple_of(256) {
                progress(audit.commits);
            }
            let changes = match changes {
                Some(changes) => changes.map(Rc::from),
                None => auditor.changes(&commit),
            };
            match changes.and_then(|c| auditor.commit(&commit, c)) {
                Ok(true) => audit.actions += 1,
                Ok(false) => {}
                Err(e) => auditor.find(
                    &commit.id().to_string(),
                    None,
                    "damaged-commit",
                    format!("cannot be read: {e}"),
                ),
            }
        }
    });
    auditor.head(&head)?;
    if auditor.findings.is_empty() {
        let checkpoint = Checkpoint {
            commit: head.id().to_string(),
            commits: audit.commits,
            actions: audit.actions,
            signed_by: auditor
                .signed_by
                .iter()
                .map(|(p, c)| (p.clone(), c.to_string()))
                .collect(),
        };
        // A checkpoint that cannot be written only costs the next audit time.
        if let Ok(text) = serde_json::to_vec(&checkpoint) {
            let path = repo.path().join(CHECKPOINT);
            let _ = crate::action::write_atomically(repo.path(), &path, &text);
        }
    }
    audit.findings = auditor.findings;
    Ok(audit)
}

/// Judge the one commit `commit` against its first parent, as the audit
/// would: what `sync` asks of every action it replays.
pub fn judge(repo: &Repository, commit: Oid) -> Result<Vec<Finding>> {
    let mut auditor = Auditor::new(repo)?;
    let commit = repo.find_commit(commit)?;
    let changes = auditor.changes(&commit)?;
    auditor.commit(&commit, changes)?;
    Ok(auditor.findings)
}

struct Auditor<'r> {
    repo: &'r Repository,
    /// Parsed `register.yaml` by blob id: it changes rarely and is read at
    /// every commit. `None` for one that does not parse.
    configs: HashMap<Oid, Option<RegisterConfig>>,
    differ: treediff::Differ<'r>,
    /// The register's files as the last commit judged left them, when the
    /// audit has enough commits to judge to be worth listing them once.
    listing: Option<Rc<Listing>>,
    /// Files parsed at earlier commits, for reading them from the listing.
    parsed: Rc<RefCell<Parsed>>,
    /// For each sign-off path, the commit that last wrote it, so that a
    /// publication's `approval` can be checked without another walk.
    signed_by: HashMap<String, Oid>,
    findings: Vec<Finding>,
}

/// The register files `commit` changed, against its first parent.
fn changes_of(differ: &treediff::Differ<'_>, commit: &Commit<'_>) -> Result<Vec<Changed>> {
    let tree = commit.tree()?;
    let parent_tree = commit.parents().next().map(|p| p.tree()).transpose()?;
    differ.register_changes(parent_tree.as_ref(), &tree)
}

/// How many commits the reading thread hands over at a time.
const STRETCH: usize = 512;

/// What each commit of `walk` (oldest first; `None` for one that could not
/// be found) changed, sent to the judge a stretch at a time, oldest stretch
/// first. Each stretch is read newest first: a pack stores old versions of a
/// folder as deltas of newer ones, so in that order (git log's) each folder
/// is rebuilt from the one just read. On a repository handle of its own,
/// for a thread of its own; if it cannot open one, the judge reads alone.
fn read_changes(
    git_dir: &std::path::Path,
    walk: &[Option<Oid>],
    to_judge: std::sync::mpsc::SyncSender<Vec<Option<Result<Vec<Changed>>>>>,
) {
    let Ok(repo) = Repository::open(git_dir) else {
        return;
    };
    let Ok(differ) = treediff::Differ::new(&repo) else {
        return;
    };
    for stretch in walk.chunks(STRETCH) {
        let mut read: Vec<_> = stretch
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

/// The activity a register path belongs to.
fn activity_of(path: &str) -> Option<&str> {
    let mut parts = path.split('/');
    match (parts.next(), parts.next()) {
        (Some("submissions" | "reviews"), Some(id)) if id != ".gitkeep" => Some(id),
        (Some("published"), Some(file)) => file.strip_suffix(".yaml"),
        _ => None,
    }
}

/// The name of the rule a refusal broke.
fn rule_of(e: &Error) -> &'static str {
    match e {
        Error::NoAuthority { .. } => "authority",
        Error::WrongStage { .. } => "stage",
        Error::Malformed { .. } | Error::Invalid { .. } => "invalid-file",
        _ => "rules",
    }
}

impl<'r> Auditor<'r> {
    fn new(repo: &'r Repository) -> Result<Self> {
        Ok(Auditor {
            repo,
            configs: HashMap::new(),
            differ: treediff::Differ::new(repo)?,
            listing: None,
            parsed: Rc::default(),
            signed_by: HashMap::new(),
            findings: Vec::new(),
        })
    }

    fn find(&mut self, commit: &str, path: Option<&str>, rule: &'static str, message: String) {
        self.findings.push(Finding {
            commit: commit.to_string(),
            path: path.map(str::to_string),
            rule,
            message,
        });
    }

    fn config(&mut self, tree: &Tree<'_>) -> Option<Result<RegisterConfig>> {
        let id = tree.get_name(CONFIG)?.id();
        if let Some(cached) = self.configs.get(&id) {
            return cached.clone().map(Ok);
        }
        let parsed = read_config(self.repo, tree).transpose()?;
        self.configs.insert(id, parsed.as_ref().ok().cloned());
        Some(parsed)
    }

    /// The register files `commit` changed, against its first parent.
    fn changes(&self, commit: &Commit<'r>) -> Result<Rc<[Changed]>> {
        Ok(changes_of(&self.differ, commit)?.into())
    }

    /// Judge one commit, which made `changes`; whether it changed the
    /// register.
    fn commit(&mut self, commit: &Commit<'r>, changes: Rc<[Changed]>) -> Result<bool> {
        let tree = commit.tree()?;
        let parent = commit.parents().next();
        let parent_tree = parent.as_ref().map(|p| p.tree()).transpose()?;
        let changed = self.examine(commit, &tree, parent_tree.as_ref(), &changes);
        if let Some(listing) = self.listing.as_mut()
            && listing.at() == parent.map(|p| p.id())
        {
            Rc::make_mut(listing).advance(commit.id(), &changes);
        }
        changed
    }

    /// Judge one commit, which made `changes` to its parent.
    fn examine(
        &mut self,
        commit: &Commit<'r>,
        tree: &Tree<'r>,
        parent_tree: Option<&Tree<'r>>,
        changes: &Rc<[Changed]>,
    ) -> Result<bool> {
        let sha = commit.id().to_string();
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let trailers = Trailers::parse(&message);
        if changes.is_empty() {
            if let Some(action) = &trailers.action {
                self.find(
                    &sha,
                    None,
                    "trailers-match-files",
                    format!("says it is a {action} action but changes no register file"),
                );
            }
            return Ok(false);
        }
        let (actor, _) = crate::history::author_of(commit);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        let Some(action) = trailers.action.as_deref() else {
            self.find(
                &sha,
                paths.first().copied(),
                "no-trailers",
                format!(
                    "changes register files ({}) but its message has no Action trailer, so it records no action",
                    paths.join(", ")
                ),
            );
            self.remember_sign_offs(changes, commit.id());
            return Ok(true);
        };
        let Some(kind) = ActionKind::parse(action) else {
            self.find(
                &sha,
                None,
                "unknown-action",
                format!("`Action: {action}` is not an action of the register"),
            );
            self.remember_sign_offs(changes, commit.id());
            return Ok(true);
        };
        for c in changes.iter().filter(|c| c.new.is_none()) {
            self.find(
                &sha,
                Some(&c.path),
                "nothing-deleted",
                "deletes a register file; no action deletes a record".into(),
            );
        }
        let ids: BTreeSet<&str> = paths.iter().filter_map(|p| activity_of(p)).collect();
        if ids.len() > 1 {
            self.find(
                &sha,
                None,
                "one-activity",
                format!(
                    "touches {} activities ({}); an action concerns one",
                    ids.len(),
                    ids.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        self.judge(commit, kind, &trailers, &actor, changes, parent_tree, tree);
        self.remember_sign_offs(changes, commit.id());
        Ok(true)
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

    fn remember_sign_offs(&mut self, changes: &[Changed], commit: Oid) {
        for c in changes {
            if c.path.starts_with("reviews/") {
                self.signed_by.insert(c.path.clone(), commit);
            }
        }
    }

    /// Judge a commit that says it is a `kind` action.
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &mut self,
        commit: &Commit<'r>,
        kind: ActionKind,
        trailers: &Trailers,
        actor: &Person,
        changes: &Rc<[Changed]>,
        parent_tree: Option<&Tree<'r>>,
        tree: &Tree<'r>,
    ) {
        let sha = commit.id().to_string();
        let before = parent_tree.and_then(|t| self.config(t));
        let after = match self.config(tree) {
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                self.find(&sha, Some(CONFIG), "invalid-file", e.to_string());
                return;
            }
            None => {
                self.find(
                    &sha,
                    Some(CONFIG),
                    "invalid-file",
                    "removes register.yaml".into(),
                );
                return;
            }
        };
        if kind == ActionKind::Init {
            if before.is_some() {
                self.find(
                    &sha,
                    Some(CONFIG),
                    "init",
                    "initialises a register that already exists".into(),
                );
            }
            for c in changes.iter() {
                if c.path != CONFIG
                    && !matches!(
                        c.path.as_str(),
                        "submissions/.gitkeep" | "reviews/.gitkeep" | "published/.gitkeep"
                    )
                {
                    self.find(
                        &sha,
                        Some(&c.path),
                        "trailers-match-files",
                        "an init writes only register.yaml and the empty folders".into(),
                    );
                }
            }
            return;
        }
        let before = match before {
            Some(Ok(c)) => c,
            Some(Err(_)) => {
                self.find(
                    &sha,
                    Some(CONFIG),
                    "rules",
                    "cannot be judged: register.yaml was damaged before it".into(),
                );
                return;
            }
            None => {
                self.find(&sha, None, "init", "changes the register before it was initialised (no register.yaml in its parent)".into());
                return;
            }
        };
        let parent_tree = parent_tree.expect("a parent with a register.yaml").clone();
        let parent_id = commit.parent_id(0).expect("a parent");
        let (prior, now) = match self.listing_at(parent_id, &parent_tree) {
            Some(listing) => (
                State::listed(
                    self.repo,
                    parent_id,
                    parent_tree,
                    before,
                    View::of(listing.clone(), self.parsed.clone()),
                ),
                State::listed(
                    self.repo,
                    commit.id(),
                    tree.clone(),
                    after,
                    View::after(listing, changes.clone(), self.parsed.clone()),
                ),
            ),
            None => (
                State::new(self.repo, parent_id, parent_tree, before),
                State::new(self.repo, commit.id(), tree.clone(), after),
            ),
        };

        if kind == ActionKind::Roster {
            if let Err(e) = rules::require_editor(&prior.config, actor, "change the roster") {
                self.find(&sha, Some(CONFIG), rule_of(&e), e.to_string());
            }
            for c in changes.iter().filter(|c| c.path != CONFIG) {
                self.find(
                    &sha,
                    Some(&c.path),
                    "trailers-match-files",
                    "a roster change writes only register.yaml".into(),
                );
            }
            // A roster change changes who, not the rules.
            let without_people = |c: &RegisterConfig| {
                let mut c = c.clone();
                c.editors.clear();
                c.partners.iter_mut().for_each(|p| p.reviewers.clear());
                c
            };
            if without_people(&prior.config) != without_people(&now.config) {
                self.find(
                    &sha,
                    Some(CONFIG),
                    "trailers-match-files",
                    "says it changes the roster but also changes the register's partners, approval rule, topics or name".into(),
                );
            }
            return;
        }
        // Every other action is about the activity its trailer names.
        let Some(id) = trailers.practice.as_deref() else {
            self.find(
                &sha,
                None,
                "trailers-match-files",
                format!("a {} action needs a Practice-Id trailer", kind.as_str()),
            );
            return;
        };
        let Ok(id) = PracticeId::parse(id) else {
            self.find(
                &sha,
                None,
                "trailers-match-files",
                format!("Practice-Id `{id}` is not an activity id"),
            );
            return;
        };
        for c in changes.iter() {
            if !writes(kind, &id, &c.path) {
                self.find(
                    &sha,
                    Some(&c.path),
                    "trailers-match-files",
                    format!(
                        "changes a file that a {} of `{id}` does not write",
                        kind.as_str()
                    ),
                );
            }
        }
        let item_before = if prior.exists(&id) {
            match prior.load_item(id.as_str()) {
                Ok(item) => Some(item),
                Err(e) => {
                    self.find(
                        &sha,
                        e.path(),
                        "rules",
                        format!(
                            "cannot be judged: the record of `{id}` was damaged before it ({e})"
                        ),
                    );
                    return;
                }
            }
        } else {
            None
        };
        let item_after = match now.item(&id) {
            Ok(item) => item,
            Err(e) => {
                self.find(&sha, e.path(), "invalid-file", e.to_string());
                return;
            }
        };
        let stage_before = item_before.as_ref().map(|i| i.stage(&prior.config));
        let submitter = item_before
            .as_ref()
            .and_then(|i| i.activity.as_ref())
            .and_then(|a| a.submitted.as_ref())
            .map(|s| s.by.clone());
        let verdict = match (kind, &item_before, stage_before) {
            (ActionKind::Submit | ActionKind::Import, Some(_), _) => {
                Err(Error::DuplicateId(id.to_string()))
            }
            (ActionKind::Submit, None, _) => {
                let by = item_after
                    .activity
                    .as_ref()
                    .and_then(|a| a.submitted.as_ref())
                    .map(|s| &s.by);
                if by.is_some_and(|b| !b.same_email(&actor.email)) {
                    self.find(&sha, None, "author", format!("the activity says it was submitted by {} but the commit's author is {actor}", by.expect("checked")));
                }
                Ok(())
            }
            (ActionKind::Import, None, _) => {
                rules::require_editor(&prior.config, actor, &format!("import `{id}`")).and_then(
                    |()| match &item_after.published {
                        Some(p) if p.imported.is_some() => Ok(()),
                        _ => Err(Error::bad(
                            "an import must write a published entry with an `imported` block",
                        )),
                    },
                )
            }
            (_, None, _) | (_, _, None) => Err(Error::UnknownActivity(id.to_string())),
            (ActionKind::Amend, Some(_), Some(stage)) => {
                rules::amend(&prior.config, actor, submitter.as_ref(), id.as_str(), stage)
                    .map(|_| ())
            }
            (ActionKind::Withdraw, Some(_), Some(stage)) => {
                rules::withdraw(&prior.config, actor, submitter.as_ref(), id.as_str(), stage)
            }
            (ActionKind::Review, Some(before), Some(stage)) => {
                self.review(
                    &sha,
                    &prior,
                    &item_after,
                    before,
                    stage,
                    trailers,
                    actor,
                    changes,
                );
                Ok(())
            }
            (ActionKind::WriteUp, Some(_), Some(stage)) => {
                rules::write_up(&prior.config, actor, id.as_str(), stage)
            }
            (ActionKind::Publish, Some(before), Some(stage)) => {
                self.approval(&sha, &prior, before, &item_after);
                rules::publish(&prior.config, actor, id.as_str(), stage)
            }
            (ActionKind::Bank, Some(_), Some(stage)) => {
                rules::bank(&prior.config, actor, id.as_str(), stage)
            }
            (ActionKind::Retract, Some(_), Some(stage)) => {
                rules::retract(&prior.config, actor, id.as_str(), stage)
            }
            (ActionKind::Init | ActionKind::Roster, _, _) => unreachable!("judged above"),
        };
        if let Err(e) = verdict {
            self.find(&sha, None, rule_of(&e), e.to_string());
        }
        if let Some(message) = altered_record(kind, item_before.as_ref(), &item_after) {
            self.find(&sha, None, "record-kept", message);
        }
        // What the commit left must be the stage its action leads to.
        let stage_after = item_after.stage(&now.config);
        let expected: &[Stage] = match kind {
            ActionKind::Publish => &[Stage::Published],
            ActionKind::Bank => &[Stage::Banked],
            ActionKind::Withdraw => &[Stage::Withdrawn],
            ActionKind::Retract => &[Stage::Retracted],
            ActionKind::Import => &[Stage::Published, Stage::Banked],
            _ => &[],
        };
        if !expected.is_empty() && !expected.contains(&stage_after) {
            self.find(
                &sha,
                None,
                "stage",
                format!(
                    "a {} should leave `{id}` {} but it is {stage_after}",
                    kind.as_str(),
                    expected[0]
                ),
            );
        }
    }

    /// A sign-off must be made by a reviewer of its partner, as the commit's
    /// author, in the current round, and say what its trailers say.
    #[allow(clippy::too_many_arguments)]
    fn review(
        &mut self,
        sha: &str,
        prior: &State<'_>,
        after: &Item,
        before: &Item,
        stage: Stage,
        trailers: &Trailers,
        actor: &Person,
        changes: &[Changed],
    ) {
        for c in changes
            .iter()
            .filter(|c| c.new.is_some() && !c.path.ends_with("/.gitkeep"))
        {
            let Some((round, partner)) = sign_off_of(&c.path) else {
                continue;
            };
            let Some(sign_off) = after.rounds.get(&round).and_then(|r| r.get(partner)) else {
                continue;
            };
            let path = Some(c.path.as_str());
            match prior.config.partner(partner) {
                Some(p) => {
                    if let Err(e) = rules::review(&prior.config, actor, p, &after.id, stage) {
                        self.find(sha, path, rule_of(&e), e.to_string());
                    }
                }
                None => self.find(
                    sha,
                    path,
                    "authority",
                    format!("`{partner}` was not a partner of the register"),
                ),
            }
            if !sign_off.reviewer.same_email(&actor.email) {
                self.find(
                    sha,
                    path,
                    "reviewer-is-author",
                    format!(
                        "the sign-off names {} as reviewer but the commit's author is {actor}",
                        sign_off.reviewer
                    ),
                );
            }
            if round != before.current_round() {
                self.find(
                    sha,
                    path,
                    "round",
                    format!(
                        "signs round {round} while the current round was {}",
                        before.current_round()
                    ),
                );
            }
            let said = [
                ("Partner", trailers.partner.as_deref(), partner.to_string()),
                (
                    "Decision",
                    trailers.decision.as_deref(),
                    sign_off.decision.to_string(),
                ),
                ("Round", trailers.round.as_deref(), round.to_string()),
            ];
            for (key, trailer, file) in said {
                if trailer != Some(file.as_str()) {
                    self.find(
                        sha,
                        path,
                        "trailers-match-files",
                        format!(
                            "the {key} trailer says {} but the file says {file}",
                            trailer.unwrap_or("nothing")
                        ),
                    );
                }
            }
        }
    }

    /// A publication's `approval` must name the round that approved it, its
    /// sign-offs as they stood, and the commits that made them.
    fn approval(&mut self, sha: &str, prior: &State<'_>, before: &Item, after: &Item) {
        let path = crate::register::published_path(&after.id);
        let Some(entry) = &after.published else {
            return;
        };
        if entry.kind != Kind::SmarterPractice {
            return;
        }
        let Some(approval) = &entry.approval else {
            self.find(
                sha,
                Some(&path),
                "approval",
                "a smarter practice entry must name its approving round and sign-offs".into(),
            );
            return;
        };
        if approval.round != before.current_round() {
            self.find(
                sha,
                Some(&path),
                "approval",
                format!(
                    "names round {} but the approving round was {}",
                    approval.round,
                    before.current_round()
                ),
            );
        }
        let round = before
            .rounds
            .get(&before.current_round())
            .cloned()
            .unwrap_or_default();
        if approval.sign_offs.len() != round.len() {
            self.find(
                sha,
                Some(&path),
                "approval",
                format!(
                    "names {} sign-offs but the round had {}",
                    approval.sign_offs.len(),
                    round.len()
                ),
            );
        }
        for s in &approval.sign_offs {
            let real = round.get(&s.partner);
            let file = crate::model::SignOff::path(&after.id, approval.round, &s.partner);
            // Walking oldest first, the audit knows who last wrote each
            // sign-off; judging one commit alone, ask the history.
            let commit = match self.signed_by.get(&file) {
                Some(c) => Some(c.to_string()),
                None => prior
                    .introduced_by(std::slice::from_ref(&file))
                    .ok()
                    .and_then(|m| m.get(&file).map(|c| c.to_string())),
            };
            let agrees = real.is_some_and(|r| r.decision == s.decision && r.reviewer == s.reviewer)
                && commit.as_deref() == Some(s.commit.as_str());
            if !agrees {
                self.find(
                    sha,
                    Some(&path),
                    "approval",
                    format!("its sign-off for {} ({} by {}, commit {}) is not the one the register holds", s.partner, s.decision, s.reviewer, s.commit),
                );
            }
        }
    }

    /// Every file in HEAD must parse and validate.
    fn head(&mut self, head: &Commit<'r>) -> Result<()> {
        let sha = head.id().to_string();
        let tree = head.tree()?;
        let config = match self.config(&tree) {
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                self.find(&sha, Some(CONFIG), "invalid-file", e.to_string());
                return Ok(());
            }
            None => {
                self.find(
                    &sha,
                    Some(CONFIG),
                    "invalid-file",
                    "HEAD has no register.yaml".into(),
                );
                return Ok(());
            }
        };
        let state = State::new(self.repo, head.id(), tree, config);
        // The cache of digests knows which activities read cleanly at which
        // object ids, so a repeated audit does not parse every file again.
        let (_, problems) = crate::digest::digests(&state)?;
        for p in problems {
            self.find(&sha, p.path.as_deref(), "invalid-file", p.message);
        }
        Ok(())
    }
}

/// What an action changed that it must leave as it was: an amendment keeps
/// who submitted and when; a withdrawal only adds its `withdrawn` block; a
/// retraction only adds its `retracted` block.
fn altered_record(kind: ActionKind, before: Option<&Item>, after: &Item) -> Option<String> {
    let before = before?;
    match kind {
        ActionKind::Amend => {
            let (b, a) = (before.activity.as_ref()?, after.activity.as_ref()?);
            (b.submitted != a.submitted)
                .then(|| "an amendment changed who submitted the activity, or when".to_string())
        }
        ActionKind::Withdraw => {
            let (b, a) = (before.activity.as_ref()?, after.activity.as_ref()?);
            let mut kept = a.clone();
            kept.withdrawn = None;
            (&kept != b).then(|| "a withdrawal changed the activity's answers as well".to_string())
        }
        ActionKind::Retract => {
            let (b, a) = (before.published.as_ref()?, after.published.as_ref()?);
            let mut kept = a.clone();
            kept.retracted = None;
            (&kept != b).then(|| "a retraction changed the published entry as well".to_string())
        }
        _ => None,
    }
}

/// Which files an action of `kind` on `id` may write.
fn writes(kind: ActionKind, id: &PracticeId, path: &str) -> bool {
    let activity = crate::register::activity_path(id.as_str());
    match kind {
        ActionKind::Submit | ActionKind::Withdraw => path == activity,
        ActionKind::Amend => {
            path == activity
                || (path.starts_with(&format!("reviews/{id}/round-"))
                    && path.ends_with("/.gitkeep"))
        }
        ActionKind::Review => sign_off_of(path).is_some() && activity_of(path) == Some(id.as_str()),
        ActionKind::WriteUp => path == crate::register::report_path(id.as_str()),
        ActionKind::Publish | ActionKind::Bank | ActionKind::Retract | ActionKind::Import => {
            path == crate::register::published_path(id.as_str())
        }
        ActionKind::Init | ActionKind::Roster => false,
    }
}

/// The round and partner of a sign-off path `reviews/<id>/round-<n>/<partner>.yaml`.
fn sign_off_of(path: &str) -> Option<(u32, &str)> {
    let mut parts = path.split('/');
    let (Some("reviews"), Some(_), Some(round), Some(file), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let round = round.strip_prefix("round-")?.parse().ok()?;
    Some((round, file.strip_suffix(".yaml")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_belong_to_activities() {
        assert_eq!(activity_of("submissions/a-b/activity.yaml"), Some("a-b"));
        assert_eq!(activity_of("reviews/a-b/round-1/npcc.yaml"), Some("a-b"));
        assert_eq!(activity_of("published/a-b.yaml"), Some("a-b"));
        assert_eq!(activity_of("register.yaml"), None);
        assert_eq!(activity_of("reviews/.gitkeep"), None);
        assert_eq!(
            sign_off_of("reviews/a/round-2/npcc.yaml"),
            Some((2, "npcc"))
        );
        assert_eq!(sign_off_of("reviews/a/round-2/.gitkeep"), None);
        assert_eq!(sign_off_of("reviews/a/npcc.yaml"), None);
    }

    #[test]
    fn each_action_writes_only_its_own_files() {
        let id = PracticeId::parse("a").unwrap();
        assert!(writes(
            ActionKind::Review,
            &id,
            "reviews/a/round-1/npcc.yaml"
        ));
        assert!(!writes(
            ActionKind::Review,
            &id,
            "reviews/b/round-1/npcc.yaml"
        ));
        assert!(!writes(
            ActionKind::Review,
            &id,
            "submissions/a/activity.yaml"
        ));
        assert!(writes(ActionKind::Amend, &id, "reviews/a/round-2/.gitkeep"));
        assert!(!writes(
            ActionKind::Amend,
            &id,
            "reviews/a/round-2/npcc.yaml"
        ));
        assert!(writes(ActionKind::Publish, &id, "published/a.yaml"));
        assert!(!writes(ActionKind::Submit, &id, "register.yaml"));
    }
}
