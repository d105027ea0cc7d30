//! The guard on a shared remote: a `pre-receive` hook that judges every
//! pushed commit of the register branch as `audit` would, with the same
//! functions, and refuses the push on any finding, a force-push, a merge or
//! a deletion, before anything lands.
//!
//! It keeps no state of its own: what the server already holds was judged
//! when it was pushed, so a push costs only its new commits.

use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use crate::model::GuardRules;
use crate::{Error, Result};

/// The first line a hook this module wrote carries after `#!/bin/sh`, so
/// that a reinstall replaces it and any other hook is left alone.
const MARK: &str = "# practice guard: judges every push as `practice audit` would";

/// What `install` did.
#[derive(Debug)]
pub struct Installed {
    pub hook: PathBuf,
    /// The `practice` the hook runs.
    pub binary: PathBuf,
    pub branch: String,
}

/// Install the guard into the bare repository `bare`: a `pre-receive` hook
/// that runs `binary guard pre-receive`, and git's own refusals of
/// non-fast-forwards and deletions. Refuses to replace a hook it did not
/// write. `branch`, when given, becomes the register branch (the server's
/// `HEAD`), else `HEAD` says which it is.
pub fn install(bare: &Path, binary: &Path, branch: Option<&str>) -> Result<Installed> {
    let repo = Repository::open_bare(bare).map_err(|_| {
        Error::bad(format!(
            "{} is not a bare git repository; the guard goes on the shared remote (`git init --bare` makes one)",
            bare.display()
        ))
    })?;
    let named = branch.map(|b| format!("refs/heads/{}", b.trim_start_matches("refs/heads/")));
    if let Some(name) = &named
        && !git2::Reference::is_valid_name(name)
    {
        return Err(Error::bad(format!(
            "--branch `{}` is not a branch name git allows",
            branch.unwrap_or_default()
        )));
    }
    let hooks = repo.path().join("hooks");
    let hook = hooks.join("pre-receive");
    if let Ok(existing) = std::fs::read_to_string(&hook)
        && !existing.contains(MARK)
    {
        return Err(Error::bad(format!(
            "{} is a hook practice did not write; move it away (or call it from elsewhere), then install the guard again",
            hook.display()
        )));
    }
    let quoted = binary.to_string_lossy().replace('\'', r"'\''");
    let script = format!("#!/bin/sh\n{MARK}\nexec '{quoted}' guard pre-receive\n");
    std::fs::create_dir_all(&hooks).map_err(|e| Error::io(&hooks, e))?;
    std::fs::write(&hook, script).map_err(|e| Error::io(&hook, e))?;
    {
        use std::os::unix::fs::PermissionsExt as _;
        let runnable = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(&hook, runnable).map_err(|e| Error::io(&hook, e))?;
    }
    if let Some(name) = &named {
        repo.set_head(name)?;
    }
    let mut config = repo.config()?;
    config.set_bool("receive.denyNonFastForwards", true)?;
    config.set_bool("receive.denyDeletes", true)?;
    Ok(Installed {
        hook,
        binary: binary.to_path_buf(),
        branch: register_branch(&repo)?,
    })
}

/// The branch the register lives on: the one the server's HEAD names.
fn register_branch(repo: &Repository) -> Result<String> {
    let head = repo.find_reference("HEAD")?;
    Ok(head
        .symbolic_target()
        .ok()
        .flatten()
        .unwrap_or("refs/heads/main")
        .to_string())
}

/// One `old new ref` line of what is pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub old: Option<Oid>,
    pub new: Option<Oid>,
    pub name: String,
}

/// The repository git runs a `pre-receive` hook in, from git's environment,
/// the pushed objects in quarantine (not a path: those objects are not in
/// the repository's own folder until the push is taken), read as the rest
/// of the tool reads repositories.
pub fn pushed_into() -> Result<Repository> {
    crate::register::read_objects_like_git();
    Ok(Repository::open_from_env()?)
}

/// The updates git gives a `pre-receive` hook on its standard input.
pub fn updates(input: &str) -> Result<Vec<Update>> {
    let side = |id: &str| -> Result<Option<Oid>> {
        let oid =
            Oid::from_str(id).map_err(|_| Error::bad(format!("`{id}` is not a commit id")))?;
        Ok((!oid.is_zero()).then_some(oid))
    };
    input
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(
            |line| match line.split_whitespace().collect::<Vec<_>>()[..] {
                [old, new, name] => Ok(Update {
                    old: side(old)?,
                    new: side(new)?,
                    name: name.to_string(),
                }),
                _ => Err(Error::bad(format!(
                    "`{line}` is not the `old new ref` line git gives a pre-receive hook"
                ))),
            },
        )
        .collect()
}

/// Why the push in `updates` is refused, one line each (git shows them to
/// the pusher as `remote:` lines; text from the pushed commits is as it
/// came, for the caller to show safely); empty when it may land. `repo` is the
/// server's repository as git's environment gives it, the pushed objects
/// in quarantine.
pub fn judge_push(repo: &Repository, updates: &[Update]) -> Result<Vec<String>> {
    let branch = register_branch(repo)?;
    let others = other_refs(repo, &branch);
    let mut refused = Vec::new();
    for update in updates {
        if update.name != branch {
            if !others.takes(&update.name) {
                refused.push(format!(
                    "{} is refused: this remote keeps the register on {branch} and takes nothing else that its register.yaml does not list under guard.other_refs (an editor adds one with `practice guard allow REF`)",
                    update.name
                ));
            } else if let Some(why) = other_ref_moves(repo, update)? {
                refused.push(why);
            }
            continue;
        }
        let Some(new) = update.new else {
            refused.push(format!(
                "deleting {branch} is refused: the register's history is kept for good"
            ));
            continue;
        };
        if let Some(old) = update.old
            && !fast_forward(repo, old, new)?
        {
            refused.push(format!(
                "a push that rewrites {branch} (not a fast-forward from {old}) is refused: the register's history is never rewritten; fetch and replay yours on top with `practice sync`"
            ));
            continue;
        }
        refused.extend(judge_new_commits(repo, new, update.old)?);
    }
    Ok(refused)
}

/// Why an update of a ref the register lets in is refused: git's
/// `receive.denyDeletes` and `denyNonFastForwards` hold for branches alone,
/// so the guard keeps them for every other ref itself; a tag, once pushed,
/// never moves.
fn other_ref_moves(repo: &Repository, update: &Update) -> Result<Option<String>> {
    let name = &update.name;
    let (Some(old), Some(new)) = (update.old, update.new) else {
        return Ok(update
            .new
            .is_none()
            .then(|| format!("deleting {name} is refused: what this remote takes, it keeps")));
    };
    if old == new {
        return Ok(None);
    }
    if name.starts_with("refs/tags/") {
        return Ok(Some(format!(
            "moving the tag {name} is refused: a tag, once pushed, names one commit for good"
        )));
    }
    Ok((!fast_forward(repo, old, new)?)
        .then(|| format!("a push that rewrites {name} (not a fast-forward from {old}) is refused")))
}

/// Whether moving a ref from `old` to `new` keeps what it held: the same
/// commit, or one that descends from it. Anything but two commits is not.
fn fast_forward(repo: &Repository, old: Oid, new: Oid) -> Result<bool> {
    if old == new {
        return Ok(true);
    }
    match (repo.find_commit(old), repo.find_commit(new)) {
        (Ok(_), Ok(_)) => Ok(repo.graph_descendant_of(new, old)?),
        _ => Ok(false),
    }
}

/// What else the register, as the server holds it before this push, lets
/// the guard take: never what the push itself says, so nobody opens the
/// door in the push that walks through it.
fn other_refs(repo: &Repository, branch: &str) -> GuardRules {
    let config = || -> Option<GuardRules> {
        let tip = repo.refname_to_id(branch).ok()?;
        let tree = repo.find_commit(tip).ok()?.tree().ok()?;
        let config = crate::register::read_config(repo, &tree).ok()??;
        config.guard
    };
    config().unwrap_or_default()
}

/// A GitHub Actions workflow that runs `practice audit` on every push and
/// pull request, building `practice` from the git URL `from` at `rev`: for
/// a host whose server runs no hooks, where the audit can only tell after
/// a push what the guard would have refused before it.
pub fn ci_workflow(from: &str, rev: &str) -> Result<String> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~:/@+%=".contains(c))
    };
    if !plain(from) || from.starts_with('-') {
        return Err(Error::bad(format!(
            "--from `{from}` is not a plain git URL (letters, digits and -._~:/@+%= only); give the https URL of practice's source"
        )));
    }
    if !plain(rev) || rev.starts_with('-') {
        return Err(Error::bad(format!(
            "--rev `{rev}` is not a tag, branch or commit name; give one such as v1.0.0"
        )));
    }
    Ok(CI_WORKFLOW.replace("{from}", from).replace("{rev}", rev))
}

/// The workflow [`ci_workflow`] fills in.
const CI_WORKFLOW: &str = include_str!("guard/ci-workflow.yml");

/// Each finding against a commit between `old` (what the server holds) and
/// `new`, oldest first, as a line naming the commit, its author and the rule.
fn judge_new_commits(repo: &Repository, new: Oid, old: Option<Oid>) -> Result<Vec<String>> {
    let commits = crate::audit::new_commits(repo, new, old)?;
    // One walk, as the audit's: a first push is a whole history.
    let mut by_commit: std::collections::HashMap<String, Vec<crate::audit::Finding>> =
        std::collections::HashMap::new();
    for finding in crate::audit::judge_commits(repo, &commits)? {
        by_commit
            .entry(finding.commit.clone())
            .or_default()
            .push(finding);
    }
    let mut refused = Vec::new();
    for oid in commits {
        let commit = repo.find_commit(oid)?;
        let sha = oid.to_string();
        let subject = commit
            .summary()
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_string();
        let author = crate::history::author_of(&commit).0;
        let about = format!("{} \"{subject}\" by {author}", &sha[..10]);
        if commit.parent_count() > 1 {
            refused.push(format!(
                "{about} is a merge; the register takes a straight line of actions (`practice sync` replays yours on top)"
            ));
        }
        for finding in by_commit.remove(&sha).unwrap_or_default() {
            let path = finding.path.map(|p| format!(" {p}:")).unwrap_or_default();
            refused.push(format!(
                "{about}:{path} {} ({})",
                finding.message, finding.rule
            ));
        }
    }
    // What names no commit of the push (a commit that could not be read).
    for finding in by_commit.into_values().flatten() {
        refused.push(format!("{} ({})", finding.message, finding.rule));
    }
    Ok(refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_read_as_git_writes_them() {
        let zero = "0".repeat(40);
        let one = "1".repeat(40);
        let input = format!("{zero} {one} refs/heads/main\n{one} {zero} refs/tags/v1\n");
        let read = updates(&input).unwrap();
        assert_eq!(read[0].old, None);
        assert_eq!(read[0].new, Some(Oid::from_str(&one).unwrap()));
        assert_eq!(read[1].new, None);
        assert_eq!(read[1].name, "refs/tags/v1");
        assert!(updates("not a line").is_err());
        assert!(updates(&format!("{zero} zzz refs/heads/main")).is_err());
    }
}
