//! The audit: walk the whole history and judge every commit that changed the
//! register by the same rules the tool applies when acting, with the roster
//! as it stood in the commit's parent. What it finds is reported as facts;
//! a damaged commit or file is a finding, and the walk goes on.
//!
//! Two modules: `walk` goes through history (the checkpoint of the last
//! sound audit, the thread that reads ahead, the listing of the register's
//! files) and `judge` judges one commit against its parent, one small
//! function per kind of action, with the rules of [`crate::pipeline`].
//! [`judge`](fn@judge) below is the one door to that judgment for everything
//! else that must judge a commit as the audit would (`sync` today).

mod judge;
mod walk;

use git2::{Oid, Repository};
use serde::Serialize;

use crate::register::Register;
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
    /// Commits judged, and of those, the ones that changed the register:
    /// the whole history, or, when `since` names the last sound audit, the
    /// commits added after it.
    pub commits: usize,
    pub actions: usize,
    /// The commit the last sound audit of this clone reached, when this one
    /// judged only what came after it.
    pub since: Option<String>,
    /// Where the chain of authority starts: the register's `init`.
    pub init: Option<Init>,
    pub findings: Vec<Finding>,
}

/// The commit that started the register, and the key that signed it: what
/// an auditor pins (`audit --root`) so that a history made afresh, however
/// sound in itself, is not taken for the register's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Init {
    pub commit: String,
    /// The SHA256 fingerprint of the key that signed it, if it is signed
    /// and the signature holds.
    pub signer: Option<String>,
}

/// Audit the register's history up to HEAD: all of it when `full`, else the
/// commits since the last sound audit. `progress` hears how many commits
/// have been judged so far.
/// When `root` is given, a register whose `init` is not that commit is a
/// finding.
pub fn audit(
    register: &Register,
    full: bool,
    root: Option<Oid>,
    progress: &mut dyn FnMut(usize),
) -> Result<Audit> {
    let mut audit = walk::audit(register, full, progress)?;
    if let Some(root) = root {
        let started = audit.init.as_ref().map(|i| i.commit.clone());
        if started.as_deref() != Some(root.to_string().as_str()) {
            let head = register.repo().head()?.peel_to_commit()?.id();
            audit.findings.push(Finding {
                commit: head.to_string(),
                path: None,
                rule: "root",
                message: match started {
                    Some(init) => format!(
                        "the register was started by init commit {init}, not by the pinned {root}: this is another history"
                    ),
                    None => format!("no init commit starts this history, so it is not the one pinned at {root}"),
                },
            });
        }
    }
    Ok(audit)
}

/// The commits `tip` holds that `known` does not, oldest first: what a push
/// would add to a remote at `known`, for `judge` one by one (`sync` before
/// it pushes, the guard as a push arrives).
pub fn new_commits(repo: &Repository, tip: Oid, known: Option<Oid>) -> Result<Vec<Oid>> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push(tip)?;
    if let Some(known) = known {
        walk.hide(known)?;
    }
    Ok(walk.collect::<std::result::Result<_, _>>()?)
}

/// Judge `commits`, as [`new_commits`] lists them, in one walk as the audit
/// does: each finding names its commit.
pub fn judge_commits(repo: &Repository, commits: &[Oid]) -> Result<Vec<Finding>> {
    walk::judge_commits(repo, commits)
}

/// Judge the one commit `commit` against its first parent, exactly as the
/// audit judges it in a walk: what `sync` asks of every action it replays.
pub fn judge(repo: &Repository, commit: Oid) -> Result<Vec<Finding>> {
    let mut judge = judge::Judge::new(repo)?;
    let commit = repo.find_commit(commit)?;
    let changes = judge.sides.changes(&commit)?;
    judge.commit(&commit, changes)?;
    Ok(judge.findings)
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
