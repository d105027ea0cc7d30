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
    /// Commits walked, and of those, the ones that changed the register.
    pub commits: usize,
    pub actions: usize,
    pub findings: Vec<Finding>,
}

/// Audit the register's history up to HEAD: all of it when `full`, else the
/// commits since the last sound audit. `progress` hears how many commits
/// have been judged so far.
pub fn audit(register: &Register, full: bool, progress: &mut dyn FnMut(usize)) -> Result<Audit> {
    walk::audit(register, full, progress)
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
