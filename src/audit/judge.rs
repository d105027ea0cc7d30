//! Judging one commit against its first parent. A commit that changed the
//! register must say which action it records (its trailers), write only
//! what that action writes, and be an action its author could take with the
//! roster and rules of the parent commit. Each kind of action has its own
//! small function below; the rules themselves are in [`crate::pipeline`]
//! (`rules` for who and when, `effects` for what an action writes and
//! leaves), so the audit and the commands can never judge differently.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use chrono::{DateTime, FixedOffset};
use git2::{Commit, Oid, Repository, Tree};

use super::walk::Sides;
use super::{Finding, Init, rule_of};
use crate::action::ActionKind;
use crate::history::Trailers;
use crate::id::PracticeId;
use crate::layout::{CONFIG, RegisterPath};
use crate::model::{Kind, Person, RegisterConfig, git_instant};
use crate::pipeline::{Stage, dates, effects, rules, signing};
use crate::register::{Item, State, read_config};
use crate::signature::{RosterKey, Seal, submission_seal};
use crate::treediff::Changed;
use crate::{Error, Result};

/// What the audit keeps from one commit to the next while it judges.
pub(super) struct Judge<'r> {
    repo: &'r Repository,
    /// Parsed `register.yaml` by blob id: it changes rarely and is read at
    /// every commit. `None` for one that does not parse.
    configs: HashMap<Oid, Option<RegisterConfig>>,
    /// How both sides of a commit are read.
    pub(super) sides: Sides<'r>,
    /// For each sign-off path, the commit that last wrote it, so that a
    /// publication's `approval` can be checked without another walk.
    pub(super) signed_by: HashMap<String, Oid>,
    /// Of those, the ones a checkpoint gave and no commit of this walk has
    /// written since: a publication that names one checks it in git.
    pub(super) unchecked: std::collections::HashSet<String>,
    /// The `init` that started the register, once met.
    pub(super) init: Option<Init>,
    /// For each activity whose submission has been seen, the key that
    /// signed it, if one did: its submitter's key from then on.
    submitted_with: HashMap<String, Option<RosterKey>>,
    pub(super) findings: Vec<Finding>,
}

/// One commit under judgment: what it is, what it says, what it changed,
/// and what has been found against it so far.
pub(super) struct Seen<'a, 'r> {
    pub(super) commit: &'a Commit<'r>,
    sha: String,
    pub(super) tree: Tree<'r>,
    /// The first parent and its tree; `None` for a root commit.
    parent: Option<(Oid, Tree<'r>)>,
    /// When the first parent was authored.
    parent_authored: Option<DateTime<FixedOffset>>,
    pub(super) changes: Rc<[Changed]>,
    /// Each change's path, understood once: every check below reads it.
    parsed: Vec<RegisterPath>,
    trailers: Trailers,
    /// The commit's author: the person the action is by.
    actor: Person,
    committer: Person,
    /// What its `gpgsig` header holds.
    seal: Seal,
    found: Vec<Finding>,
}

impl<'a, 'r> Seen<'a, 'r> {
    fn new(
        repo: &Repository,
        commit: &'a Commit<'r>,
        changes: Rc<[Changed]>,
    ) -> Result<Seen<'a, 'r>> {
        let first = commit.parents().next();
        let parent_authored = first.as_ref().and_then(|p| git_instant(p.author().when()));
        let parent = match first {
            Some(p) => Some((p.id(), p.tree()?)),
            None => None,
        };
        let message = String::from_utf8_lossy(commit.message_bytes());
        let parsed = changes
            .iter()
            .map(|c| RegisterPath::parse(&c.path))
            .collect();
        Ok(Seen {
            commit,
            sha: commit.id().to_string(),
            tree: commit.tree()?,
            parent,
            parent_authored,
            changes,
            parsed,
            trailers: Trailers::parse(&message),
            actor: crate::history::author_of(commit).0,
            committer: Person::new(
                String::from_utf8_lossy(commit.committer().name_bytes()),
                String::from_utf8_lossy(commit.committer().email_bytes()),
            ),
            seal: Seal::of_commit(repo, commit),
            found: Vec::new(),
        })
    }

    fn find(&mut self, path: Option<&str>, rule: &'static str, message: impl Into<String>) {
        self.found.push(Finding {
            commit: self.sha.clone(),
            path: path.map(str::to_string),
            rule,
            message: message.into(),
        });
    }

    /// A refusal by the rules, as a finding.
    fn refused(&mut self, path: Option<&str>, e: &Error) {
        self.find(path, rule_of(e), e.to_string());
    }

    /// The changed paths, as written and as understood.
    fn files(&self) -> impl Iterator<Item = (&str, &RegisterPath)> {
        self.changes
            .iter()
            .map(|c| c.path.as_str())
            .zip(&self.parsed)
    }

    /// Each change with its path understood, owned, for checks that then
    /// record findings.
    fn changed(&self) -> Vec<(Changed, RegisterPath)> {
        self.changes
            .iter()
            .cloned()
            .zip(self.parsed.iter().cloned())
            .collect()
    }

    /// Each changed path an action of `kind` about `id` may not write, as
    /// a finding.
    fn writes_only(&mut self, kind: ActionKind, id: Option<&str>) {
        // A deletion is judged by `may_delete`, apart.
        let decision = self.trailers.decision.clone();
        let wrong: Vec<String> = self
            .changes
            .iter()
            .zip(&self.parsed)
            .filter(|(c, p)| {
                let removed = c.new.is_none() && effects::may_delete(kind, decision.as_deref(), p);
                !removed && !effects::may_write(kind, id, p)
            })
            .map(|(c, _)| c.path.clone())
            .collect();
        for path in wrong {
            self.find(
                Some(&path),
                "trailers-match-files",
                effects::writes_only(kind, id),
            );
        }
    }

    /// The commit's dates, judged against each other and its parent's.
    fn dates(&mut self) {
        let author = git_instant(self.commit.author().when());
        let committer = git_instant(self.commit.committer().when());
        let (Some(author), Some(committer)) = (author, committer) else {
            return;
        };
        for problem in dates::judge(author, committer, self.parent_authored) {
            self.find(None, "dates", problem);
        }
    }

    /// The commit's signature, judged by the roster in `config`.
    fn signature(&mut self, config: &RegisterConfig) {
        for (rule, message) in signing::judge(config, &self.actor, &self.committer, &self.seal) {
            self.find(None, rule, message);
        }
    }
}

impl<'r> Judge<'r> {
    pub(super) fn new(repo: &'r Repository) -> Result<Self> {
        Ok(Judge {
            repo,
            configs: HashMap::new(),
            sides: Sides::new(repo)?,
            signed_by: HashMap::new(),
            unchecked: Default::default(),
            init: None,
            submitted_with: HashMap::new(),
            findings: Vec::new(),
        })
    }

    /// Judge one commit, which made `changes` to its first parent; whether
    /// it changed the register.
    pub(super) fn commit(&mut self, commit: &Commit<'r>, changes: Rc<[Changed]>) -> Result<bool> {
        let mut seen = Seen::new(self.repo, commit, changes)?;
        let changed = self.examine(&mut seen);
        self.findings.append(&mut seen.found);
        for (path, parsed) in seen.files() {
            if let RegisterPath::SignOff { .. } = parsed {
                self.signed_by.insert(path.to_string(), commit.id());
                self.unchecked.remove(path);
            }
        }
        let parent = seen.parent.as_ref().map(|p| p.0);
        self.sides.advance(commit.id(), parent, &seen.changes);
        Ok(changed)
    }

    /// What every commit that changes the register must be: one known
    /// action, about one activity, deleting nothing.
    fn examine(&mut self, seen: &mut Seen<'_, 'r>) -> bool {
        if seen.changes.is_empty() {
            if let Some(action) = seen.trailers.action.clone() {
                seen.find(
                    None,
                    "trailers-match-files",
                    format!("says it is a {action} action but changes no register file"),
                );
            }
            // Whatever a commit records, a signature that no longer fits it
            // says it was changed after it was signed.
            if let Some((rule, message)) = signing::tampered(&seen.seal) {
                seen.find(None, rule, message);
            }
            return false;
        }
        let Some(action) = seen.trailers.action.clone() else {
            let paths: Vec<&str> = seen.files().map(|(path, _)| path).collect();
            let message = format!(
                "changes register files ({}) but its message has no Action trailer, so it records no action",
                paths.join(", ")
            );
            let first = paths.first().map(|p| p.to_string());
            seen.find(first.as_deref(), "no-trailers", message);
            return true;
        };
        if !seen.trailers.ambiguous.is_empty() {
            let keys = seen.trailers.ambiguous.join(", ");
            seen.find(
                None,
                "trailers-ambiguous",
                format!(
                    "its message gives {keys} more than once or spelt another way, so readers can take it two ways; a commit the tool writes gives each once"
                ),
            );
        }
        let Some(kind) = ActionKind::from_word(&action) else {
            seen.find(
                None,
                "unknown-action",
                format!("`Action: {action}` is not an action of the register"),
            );
            return true;
        };
        let deleted: Vec<String> = seen
            .changes
            .iter()
            .zip(&seen.parsed)
            .filter(|(c, p)| {
                c.new.is_none() && !effects::may_delete(kind, seen.trailers.decision.as_deref(), p)
            })
            .map(|(c, _)| c.path.clone())
            .collect();
        for path in deleted {
            seen.find(
                Some(&path),
                "nothing-deleted",
                "deletes a register file; no action deletes a record",
            );
        }
        let ids: BTreeSet<&str> = seen.parsed.iter().filter_map(|p| p.activity_id()).collect();
        if ids.len() > 1 {
            let list = ids.iter().copied().collect::<Vec<_>>().join(", ");
            let message = format!(
                "touches {} activities ({list}); an action concerns one",
                ids.len()
            );
            seen.find(None, "one-activity", message);
        }
        seen.dates();
        self.action(seen, kind);
        true
    }

    /// Judge a commit that says it is a `kind` action.
    fn action(&mut self, seen: &mut Seen<'_, 'r>, kind: ActionKind) {
        let parent = seen.parent.clone();
        let before = parent.as_ref().and_then(|(_, t)| self.config(t));
        let after = match self.config(&seen.tree) {
            Some(Ok(c)) => c,
            Some(Err(e)) => return seen.find(Some(CONFIG), "invalid-file", e.to_string()),
            None => return seen.find(Some(CONFIG), "invalid-file", "removes register.yaml"),
        };
        if kind == ActionKind::Init {
            // The register an init writes is the roster that signs it: the
            // chain of authority starts with this signature.
            seen.signature(&after);
            if before.is_none() && self.init.is_none() {
                let signer = match &seen.seal {
                    Seal::Ssh {
                        key,
                        verified: true,
                    } => Some(key.fingerprint()),
                    _ => None,
                };
                self.init = Some(Init {
                    commit: seen.sha.clone(),
                    signer,
                });
            }
            return init(seen, before.is_some());
        }
        let before = match before {
            Some(Ok(c)) => c,
            Some(Err(_)) => {
                return seen.find(
                    Some(CONFIG),
                    "rules",
                    "cannot be judged: register.yaml was damaged before it",
                );
            }
            None => {
                return seen.find(
                    None,
                    "init",
                    "changes the register before it was initialised (no register.yaml in its parent)",
                );
            }
        };
        seen.signature(&before);
        let (parent_id, parent_tree) = parent.expect("a parent with a register.yaml");
        let (prior, now) = self
            .sides
            .states(seen, (parent_id, &parent_tree), [before, after]);
        if kind == ActionKind::Roster {
            return roster(seen, &prior, &now);
        }
        if kind == ActionKind::Rules {
            return rules_change(seen, &prior, &now);
        }
        let memory = Memory {
            signed_by: &self.signed_by,
            unchecked: &self.unchecked,
            submitted_with: &mut self.submitted_with,
        };
        about_activity(seen, kind, [prior, now], memory);
    }

    /// The validated `register.yaml` of `tree`, read once per blob.
    fn config(&mut self, tree: &Tree<'_>) -> Option<Result<RegisterConfig>> {
        let id = tree.get_name(CONFIG)?.id();
        if let Some(cached) = self.configs.get(&id) {
            return cached.clone().map(Ok);
        }
        let parsed = read_config(self.repo, tree).transpose()?;
        self.configs.insert(id, parsed.as_ref().ok().cloned());
        Some(parsed)
    }

    /// Every file in HEAD must parse and validate.
    pub(super) fn head(&mut self, head: &Commit<'r>, full: bool) -> Result<()> {
        let tree = head.tree()?;
        let invalid = |path: Option<String>, message: String| Finding {
            commit: head.id().to_string(),
            path,
            rule: "invalid-file",
            message,
        };
        let config = match self.config(&tree) {
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                self.findings
                    .push(invalid(Some(CONFIG.into()), e.to_string()));
                return Ok(());
            }
            None => {
                let message = "HEAD has no register.yaml".to_string();
                self.findings.push(invalid(Some(CONFIG.into()), message));
                return Ok(());
            }
        };
        let state = State::new(self.repo, head.id(), tree, config);
        // The cache of digests knows which activities read cleanly at which
        // object ids, so a repeated audit does not parse every file again;
        // a full audit reads every file itself.
        let problems = if full {
            state.items()?.1
        } else {
            crate::digest::digests(&state)?.1
        };
        for p in problems {
            self.findings.push(invalid(p.path, p.message));
        }
        Ok(())
    }
}

/// An `init` starts a register where there was none, with only
/// `register.yaml` and the empty folders.
fn init(seen: &mut Seen<'_, '_>, had_register: bool) {
    if had_register {
        seen.find(
            Some(CONFIG),
            "init",
            "initialises a register that already exists",
        );
    }
    seen.writes_only(ActionKind::Init, None);
}

/// A roster change is an editor's, writes only `register.yaml`, and
/// changes who is on the roster, not the register's rules.
fn roster(seen: &mut Seen<'_, '_>, prior: &State<'_>, now: &State<'_>) {
    if let Err(e) = rules::require_editor(&prior.config, &seen.actor, "change the roster") {
        seen.refused(Some(CONFIG), &e);
    }
    seen.writes_only(ActionKind::Roster, None);
    if !effects::roster_keeps_rules(&prior.config, &now.config) {
        seen.find(
            Some(CONFIG),
            "trailers-match-files",
            "says it changes the roster but also changes the register's partners, approval rule, topics or name",
        );
    }
}

/// A change of the rules is an editor's, writes only `register.yaml`,
/// changes exactly the rule its `Rule` trailer names, and leaves the
/// roster as it was.
fn rules_change(seen: &mut Seen<'_, '_>, prior: &State<'_>, now: &State<'_>) {
    if let Err(e) = rules::require_editor(&prior.config, &seen.actor, "change the register's rules")
    {
        seen.refused(Some(CONFIG), &e);
    }
    seen.writes_only(ActionKind::Rules, None);
    if !effects::rules_keep_roster(&prior.config, &now.config) {
        seen.find(
            Some(CONFIG),
            "trailers-match-files",
            "says it changes the register's rules but also changes who is on the roster, a key or the signature policy",
        );
    }
    let changed = effects::rules_changed(&prior.config, &now.config);
    if changed.contains(&"partners")
        && let Some(message) = effects::partners_change(&prior.config, &now.config)
    {
        seen.find(Some(CONFIG), "rules", message);
    }
    // A change of the rules moves only rounds still open.
    if effects::stages_may_differ(&prior.config, &now.config)
        && let Ok((items, _)) = prior.items()
    {
        let moved = effects::restaged(&items, &prior.config, &now.config);
        if let Some(r) = moved.iter().find(|r| r.undoes_an_outcome()) {
            let message = format!(
                "moves `{}` from {} to {}, undoing what its round came to; a change of the rules applies to rounds still open",
                r.id, r.from, r.to
            );
            seen.find(Some(CONFIG), "rules", message);
        }
    }
    let named = seen.trailers.rule.clone();
    if changed.len() != 1 || named.as_deref() != Some(changed[0]) {
        let changed = if changed.is_empty() {
            "nothing".to_string()
        } else {
            changed.join(", ")
        };
        let named = named.unwrap_or_else(|| "no rule".into());
        seen.find(
            Some(CONFIG),
            "trailers-match-files",
            format!("its Rule trailer names {named} but it changes {changed}"),
        );
    }
}

/// What the walk has learnt from earlier commits that judging this one needs.
struct Memory<'j> {
    signed_by: &'j HashMap<String, Oid>,
    unchecked: &'j std::collections::HashSet<String>,
    submitted_with: &'j mut HashMap<String, Option<RosterKey>>,
}

/// An action about one activity, under judgment: the commit, and the
/// register and the activity on both sides of it.
struct Acting<'s, 'a, 'r> {
    seen: &'s mut Seen<'a, 'r>,
    kind: ActionKind,
    id: PracticeId,
    prior: State<'r>,
    now: State<'r>,
    /// The activity before the commit, with its stage, if it existed.
    before: Option<(Item, Stage)>,
    after: Item,
    memory: Memory<'s>,
}

/// Judge an action about the activity its `Practice-Id` trailer names.
fn about_activity<'r>(
    seen: &mut Seen<'_, 'r>,
    kind: ActionKind,
    [prior, now]: [State<'r>; 2],
    memory: Memory<'_>,
) {
    let Some(id) = seen.trailers.practice.clone() else {
        let message = format!("a {} action needs a Practice-Id trailer", kind.as_str());
        return seen.find(None, "trailers-match-files", message);
    };
    let Ok(id) = PracticeId::parse(&id) else {
        let message = format!("Practice-Id `{id}` is not an activity id");
        return seen.find(None, "trailers-match-files", message);
    };
    let t = &seen.trailers;
    let said = match (&t.partner, &t.decision, &t.round) {
        (Some(p), Some(d), Some(r)) if kind == ActionKind::Review => Some([p.as_str(), d, r]),
        _ => None,
    };
    let subject = seen
        .commit
        .summary()
        .ok()
        .flatten()
        .unwrap_or_default()
        .to_string();
    if !effects::subject_agrees(kind, Some(id.as_str()), said, &subject) {
        let message = format!("its subject {subject:?} names another action than its trailers say");
        seen.find(None, "trailers-match-files", message);
    }
    seen.writes_only(kind, Some(id.as_str()));
    let before = if prior.exists(&id) {
        match prior.load_item(id.as_str()) {
            Ok(item) => {
                let stage = item.stage(&prior.config);
                Some((item, stage))
            }
            Err(e) => {
                let message =
                    format!("cannot be judged: the record of `{id}` was damaged before it ({e})");
                return seen.find(e.path(), "rules", message);
            }
        }
    } else {
        None
    };
    let after = match now.item(&id) {
        Ok(item) => item,
        Err(e) => return seen.find(e.path(), "invalid-file", e.to_string()),
    };
    let mut cx = Acting {
        seen,
        kind,
        id,
        prior,
        now,
        before,
        after,
        memory,
    };
    let verdict = match kind {
        ActionKind::Submit => submit(&mut cx),
        ActionKind::Import => import(&mut cx),
        ActionKind::Amend => amend(&mut cx),
        ActionKind::Withdraw => withdraw(&mut cx),
        ActionKind::Review => review(&mut cx),
        ActionKind::WriteUp => write_up(&cx),
        ActionKind::Publish => publish(&mut cx),
        ActionKind::Bank => bank(&cx),
        ActionKind::Retract => retract(&cx),
        ActionKind::Reopen => reopen(&mut cx),
        ActionKind::Reinstate => reinstate(&cx),
        ActionKind::Revise => revise(&cx),
        ActionKind::Attach | ActionKind::Detach => evidence(&mut cx),
        ActionKind::Init | ActionKind::Roster | ActionKind::Rules => {
            unreachable!("judged before")
        }
    };
    if let Err(e) = verdict {
        cx.seen.refused(None, &e);
    }
    cx.effects();
}

impl Acting<'_, '_, '_> {
    /// The activity as it was, for an action that needs one to exist.
    fn existing(&self) -> Result<(&Item, Stage)> {
        match &self.before {
            Some((item, stage)) => Ok((item, *stage)),
            None => Err(Error::UnknownActivity(self.id.to_string())),
        }
    }

    /// For an action that makes the activity: refused if it existed.
    fn new_activity(&self) -> Result<()> {
        match &self.before {
            Some(_) => Err(Error::DuplicateId(self.id.to_string())),
            None => Ok(()),
        }
    }

    /// Who submitted the activity, as it said before the commit.
    fn submitter(&self) -> Option<&Person> {
        let (item, _) = self.before.as_ref()?;
        Some(&item.activity.as_ref()?.submitted.as_ref()?.by)
    }

    fn config(&self) -> &RegisterConfig {
        &self.prior.config
    }

    /// A submitter who signed their submission signs their amendments and
    /// withdrawal with the same key.
    fn as_submitter(&mut self) -> Result<()> {
        let by_submitter = self
            .submitter()
            .is_some_and(|s| s.same_email(&self.seen.actor.email));
        if !by_submitter {
            return Ok(());
        }
        let id = self.id.to_string();
        let key = match self.memory.submitted_with.get(&id) {
            Some(key) => key.clone(),
            // Submitted before this walk began: ask the history.
            None => {
                let key = match submission_seal(self.prior.repo(), self.prior.head, &id)? {
                    Some(Seal::Ssh {
                        key,
                        verified: true,
                    }) => Some(key),
                    _ => None,
                };
                self.memory.submitted_with.insert(id, key.clone());
                key
            }
        };
        if let Some((rule, message)) =
            key.and_then(|k| signing::judge_submitter(&k, &self.seen.seal))
        {
            self.seen.find(None, rule, message);
        }
        Ok(())
    }

    /// What the action left: the records it must keep, and the stage it
    /// must lead to.
    fn effects(&mut self) {
        let kept = match &self.before {
            Some((before, _)) => effects::altered(self.kind, before, &self.after),
            None => effects::made_clean(self.kind, &self.after),
        };
        if let Some(message) = kept {
            self.seen.find(None, "record-kept", message);
        }
        let stage = self.after.stage(&self.now.config);
        let expected = effects::leaves(self.kind);
        if !expected.is_empty() && !expected.contains(&stage) {
            let message = format!(
                "a {} should leave `{}` {} but it is {stage}",
                self.kind.as_str(),
                self.id,
                expected[0]
            );
            self.seen.find(None, "stage", message);
        }
    }
}

/// Whether `commit` wrote `path`: holds it, and not as its parent held it.
fn wrote(repo: &Repository, commit: Oid, path: &str) -> bool {
    let at = |tree: git2::Tree<'_>| {
        tree.get_path(std::path::Path::new(path))
            .ok()
            .map(|e| e.id())
    };
    let Ok(commit) = repo.find_commit(commit) else {
        return false;
    };
    let now = commit.tree().ok().and_then(at);
    let before = commit
        .parent(0)
        .ok()
        .and_then(|p| p.tree().ok())
        .and_then(at);
    now.is_some() && now != before
}

/// Anyone may submit, as themselves.
fn submit(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    cx.new_activity()?;
    let key = match &cx.seen.seal {
        Seal::Ssh {
            key,
            verified: true,
        } => Some(key.clone()),
        _ => None,
    };
    cx.memory.submitted_with.insert(cx.id.to_string(), key);
    let by = cx
        .after
        .activity
        .as_ref()
        .and_then(|a| a.submitted.as_ref());
    if let Some(by) = by.map(|s| &s.by)
        && !by.same_email(&cx.seen.actor.email)
    {
        let message = format!(
            "the activity says it was submitted by {by} but the commit's author is {}",
            cx.seen.actor
        );
        cx.seen.find(None, "author", message);
    }
    Ok(())
}

/// Editors import entries published before the register existed.
fn import(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    cx.new_activity()?;
    rules::require_editor(cx.config(), &cx.seen.actor, &format!("import `{}`", cx.id))?;
    let Some(entry) = cx.after.published.as_ref().filter(|p| p.imported.is_some()) else {
        return Err(Error::bad(
            "an import must write a published entry with an `imported` block",
        ));
    };
    // An entry published before the register existed was published by the
    // day it was imported, not after.
    let imported_on = crate::history::author_of(cx.seen.commit).1.date();
    if entry.published.on.date() > imported_on {
        let message = format!(
            "the imported entry says it was published on {}, after the day it was imported ({imported_on})",
            entry.published.on
        );
        cx.seen.find(None, "import-date", message);
    }
    Ok(())
}

fn amend(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    replies(cx)?;
    let (_, stage) = cx.existing()?;
    cx.as_submitter()?;
    let (actor, submitter) = (&cx.seen.actor, cx.submitter());
    rules::amend(cx.config(), actor, submitter, cx.id.as_str(), stage).map(|_| ())
}

/// A reply an amendment writes answers the round it closes: the round
/// current before it, which the amendment follows with the next; it is the
/// author's, and written once.
fn replies(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    let (before, _) = cx.existing()?;
    let (was, now) = (before.current_round(), cx.after.current_round());
    let had: Vec<u32> = before.replies.keys().copied().collect();
    for (c, parsed) in cx.seen.changed() {
        let RegisterPath::Reply { round, .. } = parsed else {
            continue;
        };
        let path = Some(c.path.as_str());
        if had.contains(&round) {
            cx.seen
                .find(path, "reply", "rewrites a reply; a reply is written once");
        }
        if round != was || now != was + 1 {
            let message = format!(
                "replies to round {round}, but an amendment replies to the round it closes (round {was}) as it opens the next"
            );
            cx.seen.find(path, "reply", message);
        }
        if let Some(reply) = cx.after.replies.get(&round)
            && !reply.by.same_email(&cx.seen.actor.email)
        {
            let message = format!(
                "the reply names {} but the commit's author is {}",
                reply.by, cx.seen.actor
            );
            cx.seen.find(path, "reply", message);
        }
    }
    Ok(())
}

fn withdraw(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    let (_, stage) = cx.existing()?;
    cx.as_submitter()?;
    let (actor, submitter) = (&cx.seen.actor, cx.submitter());
    rules::withdraw(cx.config(), actor, submitter, cx.id.as_str(), stage)
}

fn write_up(cx: &Acting<'_, '_, '_>) -> Result<()> {
    let (_, stage) = cx.existing()?;
    rules::write_up(cx.config(), &cx.seen.actor, cx.id.as_str(), stage)
}

fn bank(cx: &Acting<'_, '_, '_>) -> Result<()> {
    let (_, stage) = cx.existing()?;
    rules::bank(cx.config(), &cx.seen.actor, cx.id.as_str(), stage)
}

/// Editors reopen an undecided round; the round it opens is the next one.
fn reopen(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    let (before, stage) = cx.existing()?;
    let (was, now) = (before.current_round(), cx.after.current_round());
    if now != was + 1 {
        let message = format!("opens round {now} while the next round was {}", was + 1);
        cx.seen.find(None, "round", message);
    }
    rules::reopen(cx.config(), &cx.seen.actor, cx.id.as_str(), stage)
}

/// An attachment adds one evidence file and lists it as its content is, by
/// its author; a detachment removes one file and its line; both by the
/// submitter or an editor while the activity is open, and only an editor
/// makes a file public.
fn evidence(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    let (before, stage) = cx.existing()?;
    let was = before.evidence.clone();
    let now = cx.after.evidence.clone();
    let mut written = Vec::new();
    let mut removed = Vec::new();
    for (c, parsed) in cx.seen.changed() {
        if let RegisterPath::Evidence { name, .. } = parsed {
            match c.new {
                Some(blob) => written.push((c.path, name, blob, c.old.is_some())),
                None => removed.push(name),
            }
        }
    }
    let list = RegisterPath::evidence_list(cx.id.as_str()).to_string();
    let mut public = false;
    if cx.kind == ActionKind::Attach {
        let [(path, name, blob, replaced)] = written.as_slice() else {
            let message = format!("attaches {} files; an attachment adds one", written.len());
            cx.seen.find(None, "evidence", message);
            return Ok(());
        };
        if *replaced || was.iter().any(|e| &e.name == name) {
            cx.seen.find(
                Some(path),
                "evidence",
                "replaces an attached file; detach it first",
            );
        }
        let added = now
            .last()
            .filter(|e| &e.name == name && now[..now.len() - 1] == was[..]);
        match added {
            None => cx.seen.find(
                Some(&list),
                "evidence",
                format!(
                    "does not list {name} as the one file it adds, after the files listed before"
                ),
            ),
            Some(entry) => {
                public = entry.public;
                if !entry.added.by.same_email(&cx.seen.actor.email) {
                    let message = format!(
                        "lists {name} as added by {} but the commit's author is {}",
                        entry.added.by, cx.seen.actor
                    );
                    cx.seen.find(Some(&list), "evidence", message);
                }
                // Measured before it is read, as `attach` measures it.
                if entry.bytes > crate::model::MAX_EVIDENCE_BYTES {
                    cx.seen.find(
                        Some(path),
                        "evidence",
                        "is larger than the 20 MiB the register takes",
                    );
                } else {
                    let content = cx.prior.repo().find_blob(*blob)?;
                    if let Err(e) = crate::model::check_evidence(&list, entry, content.content()) {
                        cx.seen.find(Some(path), "evidence", e.to_string());
                    }
                }
            }
        }
    } else {
        let [name] = removed.as_slice() else {
            let message = format!("detaches {} files; a detachment removes one", removed.len());
            cx.seen.find(None, "evidence", message);
            return Ok(());
        };
        let kept: Vec<_> = was.iter().filter(|e| &e.name != name).cloned().collect();
        if !written.is_empty() || now != kept || kept.len() == was.len() {
            let message = format!("does not remove exactly {name} and its line from the list");
            cx.seen.find(Some(&list), "evidence", message);
        }
    }
    let submitter = cx.submitter().cloned();
    rules::attach(
        cx.config(),
        &cx.seen.actor,
        submitter.as_ref(),
        cx.id.as_str(),
        stage,
        public,
    )
}

fn revise(cx: &Acting<'_, '_, '_>) -> Result<()> {
    let (_, stage) = cx.existing()?;
    rules::revise(cx.config(), &cx.seen.actor, cx.id.as_str(), stage)
}

fn reinstate(cx: &Acting<'_, '_, '_>) -> Result<()> {
    let (_, stage) = cx.existing()?;
    rules::reinstate(cx.config(), &cx.seen.actor, cx.id.as_str(), stage)
}

fn retract(cx: &Acting<'_, '_, '_>) -> Result<()> {
    let (_, stage) = cx.existing()?;
    rules::retract(cx.config(), &cx.seen.actor, cx.id.as_str(), stage)
}

/// Each sign-off the commit writes must be by a reviewer of its partner, as
/// the commit's author, in the current round, and say what the trailers say.
fn review(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    if cx.seen.trailers.decision.as_deref() == Some(effects::CLEARED) {
        return clear(cx);
    }
    let (_, stage) = cx.existing()?;
    let current = cx.existing()?.0.current_round();
    for c in cx.seen.changes.clone().iter().filter(|c| c.new.is_some()) {
        let RegisterPath::SignOff { round, partner, .. } = RegisterPath::parse(&c.path) else {
            continue;
        };
        let Some(sign_off) = cx.after.rounds.get(&round).and_then(|r| r.get(&partner)) else {
            continue;
        };
        let sign_off = sign_off.clone();
        let path = Some(c.path.as_str());
        let actor = cx.seen.actor.clone();
        match cx.prior.config.partner(&partner) {
            Some(p) => {
                if let Err(e) = rules::review(&cx.prior.config, &actor, p, &cx.after.id, stage) {
                    cx.seen.refused(path, &e);
                }
            }
            None => cx.seen.find(
                path,
                "authority",
                format!("`{partner}` was not a partner of the register"),
            ),
        }
        if !sign_off.reviewer.same_email(&actor.email) {
            let message = format!(
                "the sign-off names {} as reviewer but the commit's author is {actor}",
                sign_off.reviewer
            );
            cx.seen.find(path, "reviewer-is-author", message);
        }
        if let Some(authored) = git_instant(cx.seen.commit.author().when())
            && !dates::signed_at_agrees(&sign_off.signed_at, authored)
        {
            let message = format!(
                "the sign-off says it was signed at {} but its commit is dated {}: a sign-off records the moment of its commit",
                sign_off.signed_at,
                authored.to_rfc3339()
            );
            cx.seen.find(path, "dates", message);
        }
        if round != current {
            let message = format!("signs round {round} while the current round was {current}");
            cx.seen.find(path, "round", message);
        }
        let trailers = &cx.seen.trailers;
        let said = [
            ("Partner", trailers.partner.clone(), partner.clone()),
            (
                "Decision",
                trailers.decision.clone(),
                sign_off.decision.to_string(),
            ),
            ("Round", trailers.round.clone(), round.to_string()),
        ];
        for (key, trailer, file) in said {
            if trailer.as_deref() != Some(file.as_str()) {
                let message = format!(
                    "the {key} trailer says {} but the file says {file}",
                    trailer.as_deref().unwrap_or("nothing")
                );
                cx.seen.find(path, "trailers-match-files", message);
            }
        }
    }
    Ok(())
}

/// A review that takes its partner's decision back removes exactly that
/// partner's sign-off of the current round, writes none, and is made by a
/// reviewer of that partner while the round has no outcome.
fn clear(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    let (before, stage) = cx.existing()?;
    let current = before.current_round();
    let mut removed = Vec::new();
    for (c, parsed) in cx.seen.changed() {
        match (parsed, &c.new) {
            (RegisterPath::SignOff { round, partner, .. }, None) => removed.push((round, partner)),
            (RegisterPath::SignOff { .. }, Some(_)) => cx.seen.find(
                Some(&c.path),
                "trailers-match-files",
                "says it clears a decision but writes a sign-off",
            ),
            _ => {}
        }
    }
    let [(round, partner)] = removed.as_slice() else {
        let message = format!(
            "says it clears a decision but removes {} sign-offs; it removes one",
            removed.len()
        );
        cx.seen.find(None, "trailers-match-files", message);
        return Ok(());
    };
    let trailers = &cx.seen.trailers;
    if trailers.partner.as_deref() != Some(partner.as_str())
        || trailers.round.as_deref() != Some(round.to_string().as_str())
    {
        let message = format!(
            "its trailers name {} in round {} but it removes {partner}'s sign-off of round {round}",
            trailers.partner.as_deref().unwrap_or("no partner"),
            trailers.round.as_deref().unwrap_or("none")
        );
        cx.seen.find(None, "trailers-match-files", message);
    }
    if *round != current {
        let message =
            format!("clears a decision of round {round} while the current round was {current}");
        cx.seen.find(None, "round", message);
    }
    match cx.prior.config.partner(partner) {
        Some(p) => rules::clear(&cx.prior.config, &cx.seen.actor, p, cx.id.as_str(), stage),
        None => Err(Error::bad(format!(
            "`{partner}` was not a partner of the register"
        ))),
    }
}

/// Editors publish; the entry's `approval` must be the round that approved
/// it, checked before the rules so that both are reported.
fn publish(cx: &mut Acting<'_, '_, '_>) -> Result<()> {
    let (_, stage) = cx.existing()?;
    approval(cx);
    rules::publish(cx.config(), &cx.seen.actor, cx.id.as_str(), stage)
}

/// A publication's `approval` must name the round that approved it, its
/// sign-offs as they stood, and the commits that made them.
fn approval(cx: &mut Acting<'_, '_, '_>) {
    let path = RegisterPath::published(&cx.after.id).to_string();
    let Some(entry) = &cx.after.published else {
        return;
    };
    if entry.kind != Kind::SmarterPractice {
        return;
    }
    let Some(approval) = entry.approval.clone() else {
        return cx.seen.find(
            Some(&path),
            "approval",
            "a smarter practice entry must name its approving round and sign-offs",
        );
    };
    let Some((before, _)) = &cx.before else {
        return;
    };
    let current = before.current_round();
    if approval.round != current {
        let message = format!(
            "names round {} but the approving round was {current}",
            approval.round
        );
        cx.seen.find(Some(&path), "approval", message);
    }
    let round = before.rounds.get(&current).cloned().unwrap_or_default();
    if approval.sign_offs.len() != round.len() {
        let message = format!(
            "names {} sign-offs but the round had {}",
            approval.sign_offs.len(),
            round.len()
        );
        cx.seen.find(Some(&path), "approval", message);
    }
    let file = |partner: &str| RegisterPath::sign_off(&cx.after.id, approval.round, partner);
    // Walking oldest first, the audit knows who last wrote each sign-off;
    // judging one commit alone, or from a checkpoint whose word does not
    // hold, ask the history, in one walk for all of them.
    let known = |file: &String| {
        cx.memory
            .signed_by
            .get(file)
            .copied()
            .filter(|c| !cx.memory.unchecked.contains(file) || wrote(cx.prior.repo(), *c, file))
    };
    let files: Vec<String> = approval
        .sign_offs
        .iter()
        .map(|s| file(&s.partner).to_string())
        .collect();
    let unknown: Vec<String> = files
        .iter()
        .filter(|f| known(f).is_none())
        .cloned()
        .collect();
    let walked = if unknown.is_empty() {
        Default::default()
    } else {
        cx.prior.introduced_by(&unknown).unwrap_or_default()
    };
    for (s, file) in approval.sign_offs.iter().zip(&files) {
        let real = round.get(&s.partner);
        let commit = known(file)
            .or_else(|| walked.get(file).copied())
            .map(|c| c.to_string());
        let agrees = real.is_some_and(|r| r.decision == s.decision && r.reviewer == s.reviewer)
            && commit.as_deref() == Some(s.commit.as_str());
        if !agrees {
            let message = format!(
                "its sign-off for {} ({} by {}, commit {}) is not the one the register holds",
                s.partner, s.decision, s.reviewer, s.commit
            );
            cx.seen.find(Some(&path), "approval", message);
        }
    }
}
