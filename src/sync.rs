//! Working together through a remote. `sync` fetches the remote's branch,
//! replays this clone's unpushed actions on top of it one by one, judging
//! each again by the rules against the new state, pushes, and then moves the
//! local branch and working tree. History stays a straight line of actions.
//!
//! Nothing is pushed until every replayed action has been judged sound, and
//! the local branch is moved only after the push: a sync that stops leaves
//! the local actions where they were and the remote untouched.

use std::collections::HashMap;
use std::path::Path;

use git2::{Oid, Repository, Tree};

use crate::action::{self, Base};
use crate::layout::RegisterPath;
use crate::model::SignOff;
use crate::register::Register;
use crate::signature::{Seal, Signer};
use crate::{Error, Result};

/// How many times a push that lost a race is fetched and tried again.
const PUSH_TRIES: usize = 4;

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    pub remote: String,
    pub branch: String,
    /// Commits from the remote that this clone did not have.
    pub fetched: usize,
    /// Local actions sent to the remote.
    pub sent: usize,
    /// Of those, how many were replayed on top of the remote's new ones.
    pub replayed: usize,
    /// Local actions the remote already had (same files, same contents).
    pub already_there: usize,
    pub pushed: bool,
    pub head: Oid,
    pub worktree_error: Option<String>,
    /// The paths the sync brought up to date, or tried to.
    pub paths: Vec<String>,
}

/// Sync the current branch with its counterpart on `remote` (default: the
/// branch's configured remote, else `origin`).
pub fn sync(register: &Register, remote: Option<&str>) -> Result<Synced> {
    let _lock = register.lock()?;
    let repo = register.repo();
    let first = Base::of(repo, register.root())?;
    let branch = first
        .branch
        .strip_prefix("refs/heads/")
        .unwrap_or(&first.branch)
        .to_string();
    let config = repo.config()?;
    let upstream_remote = config.get_string(&format!("branch.{branch}.remote")).ok();
    let remote_name = match remote {
        Some(r) => r.to_string(),
        None => upstream_remote.clone().unwrap_or_else(|| "origin".into()),
    };
    // The branch on the remote: the one this branch tracks there, else the
    // same name.
    let their_branch = match config.get_string(&format!("branch.{branch}.merge")) {
        Ok(merge) if upstream_remote.as_deref() == Some(remote_name.as_str()) => {
            merge.trim_start_matches("refs/heads/").to_string()
        }
        _ => branch.clone(),
    };
    repo.find_remote(&remote_name).map_err(|_| {
        Error::bad(format!(
            "no remote named `{remote_name}`; add one with `git remote add {remote_name} URL`"
        ))
    })?;
    let tracking = format!("refs/remotes/{remote_name}/{their_branch}");
    for attempt in 1..=PUSH_TRIES {
        let base = Base::of(repo, register.root())?;
        let local = base
            .head
            .ok_or_else(|| Error::NoCommits(register.root().into()))?;
        fetch(repo, &remote_name, &their_branch)?;
        let theirs = repo.refname_to_id(&tracking).ok();
        let fetched = match theirs {
            Some(t) => count(repo, t, Some(local))?,
            None => 0,
        };
        let (head, replayed, already_there) = match theirs {
            None => (local, 0, 0),
            Some(t) if t == local || repo.graph_descendant_of(local, t)? => (local, 0, 0),
            Some(t) if repo.graph_descendant_of(t, local)? => (t, 0, 0),
            Some(t) => replay(repo, local, t, &format!("{remote_name}/{their_branch}"))?,
        };
        let sent = count(repo, head, theirs)?;
        // Replayed actions were judged as they were made again; what goes
        // as it is (a fast-forward, a commit made by hand) is judged here:
        // nothing leaves this clone that the audit would find.
        if replayed == 0 {
            let name = format!("{remote_name}/{their_branch}");
            judge_outgoing(register, head, theirs, &name)?;
        }
        let changed = changed_paths(repo, local, head)?;
        for path in &changed {
            let status = repo.status_file(Path::new(path));
            if let Ok(s) = status
                && !(s.is_empty() || s == git2::Status::CURRENT || s == git2::Status::IGNORED)
            {
                return Err(Error::UncommittedChanges(path.clone()));
            }
        }
        let mut pushed = false;
        if Some(head) != theirs {
            match push(repo, &remote_name, &their_branch, &branch, head) {
                Ok(()) => pushed = true,
                Err(Error::PushRejected(_)) if attempt < PUSH_TRIES => continue,
                Err(e) => return Err(e),
            }
            repo.reference(&tracking, head, true, "practice sync: pushed")?;
            // Like `git push -u`: the first sync sets where this branch syncs.
            if upstream_remote.is_none() {
                let mut config = repo.config()?;
                config.set_str(&format!("branch.{branch}.remote"), &remote_name)?;
                config.set_str(
                    &format!("branch.{branch}.merge"),
                    &format!("refs/heads/{their_branch}"),
                )?;
            }
        }
        let worktree_error = if head != local {
            action::advance(
                repo,
                &base,
                head,
                &format!("practice sync with {remote_name}"),
                &changed,
            )?
        } else {
            None
        };
        return Ok(Synced {
            branch: format!("{branch} with {remote_name}/{their_branch}"),
            remote: remote_name,
            fetched,
            sent,
            replayed,
            already_there,
            pushed,
            head,
            worktree_error,
            paths: changed,
        });
    }
    unreachable!("the last try returns")
}

/// Judge every commit on `tip` that `theirs` lacks, as the audit would, and
/// stop before pushing at the first that breaks a rule.
fn judge_outgoing(
    register: &Register,
    tip: Oid,
    theirs: Option<Oid>,
    theirs_name: &str,
) -> Result<()> {
    let repo = register.repo();
    let Some(theirs) = theirs else {
        // A first push sends the whole history: the audit judges it, from
        // its checkpoint when it has judged it before.
        let audit = crate::audit::audit(register, false, None, &mut |_| {})?;
        return match audit.findings.first() {
            Some(f) => Err(Error::bad(format!(
                "sync stopped before pushing: this register's history would not pass the audit on {theirs_name} ({} finding(s), the first: {}); nothing was pushed; run `practice audit`",
                audit.findings.len(),
                f.message
            ))),
            None => Ok(()),
        };
    };
    for oid in crate::audit::new_commits(repo, tip, Some(theirs))? {
        if let Some(finding) = crate::audit::judge(repo, oid)?.into_iter().next() {
            let commit = repo.find_commit(oid)?;
            return Err(Error::bad(format!(
                "sync stopped before pushing: your commit \"{}\" would not pass the audit on {theirs_name}: {}; nothing was pushed; to drop it alone and keep the rest, run `{}` and sync again",
                commit.summary().ok().flatten().unwrap_or(""),
                finding.message,
                drop_command(&oid)
            )));
        }
    }
    Ok(())
}

/// Commits reachable from `tip` but not from `not`.
fn count(repo: &Repository, tip: Oid, not: Option<Oid>) -> Result<usize> {
    Ok(crate::audit::new_commits(repo, tip, not)?.len())
}

/// Every path whose blob differs between two commits.
fn changed_paths(repo: &Repository, from: Oid, to: Oid) -> Result<Vec<String>> {
    if from == to {
        return Ok(vec![]);
    }
    let a = repo.find_commit(from)?.tree()?;
    let b = repo.find_commit(to)?.tree()?;
    Ok(changes(repo, &a, &b)?.into_iter().map(|(p, _)| p).collect())
}

/// The files that differ from `a` to `b`, each with its blob in `b`.
fn changes(repo: &Repository, a: &Tree<'_>, b: &Tree<'_>) -> Result<Vec<(String, Option<Oid>)>> {
    let diff = repo.diff_tree_to_tree(Some(a), Some(b), None)?;
    Ok(diff
        .deltas()
        .filter_map(|d| {
            let path = d.new_file().path().or_else(|| d.old_file().path())?;
            let id = d.new_file().id();
            Some((
                path.to_string_lossy().into_owned(),
                (!id.is_zero()).then_some(id),
            ))
        })
        .collect())
}

/// Replay the commits on `local` that `theirs` lacks on top of `theirs`;
/// the new head, and how many were replayed and found already there.
fn replay(
    repo: &Repository,
    local: Oid,
    theirs: Oid,
    theirs_name: &str,
) -> Result<(Oid, usize, usize)> {
    let signer = Signer::from_config(&crate::identity::git_config(Some(repo))?)?;
    let signer = signer.as_ref();
    let fork = repo.merge_base(local, theirs).map_err(|_| {
        Error::bad(format!(
            "this branch and {theirs_name} share no history: this register was started apart from the remote's; clone the remote afresh (`git clone URL`) and act there"
        ))
    })?;
    let fork_tree = repo.find_commit(fork)?.tree()?;
    let their_tree = repo.find_commit(theirs)?.tree()?;
    let mine = crate::audit::new_commits(repo, local, Some(theirs))?;
    let mut onto = theirs;
    // Old ids to new, so a publication naming a replayed sign-off's commit
    // names its new id.
    let mut renamed: HashMap<String, String> = HashMap::new();
    let (mut replayed, mut already) = (0, 0);
    for oid in mine {
        let commit = repo.find_commit(oid)?;
        if commit.parent_count() != 1 {
            return Err(Error::bad(format!(
                "sync replays a straight line of actions, and {} is a merge; rebase it by hand onto {theirs_name}",
                &commit.id().to_string()[..10]
            )));
        }
        let parent_tree = commit.parent(0)?.tree()?;
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, blob) in changes(repo, &parent_tree, &commit.tree()?)? {
            let at = |t: &Tree<'_>| t.get_path(Path::new(&path)).ok().map(|e| e.id());
            let (before, theirs_now) = (at(&fork_tree), at(&their_tree));
            if theirs_now != before && theirs_now != blob {
                return Err(conflict(
                    repo,
                    &path,
                    theirs_now,
                    blob,
                    theirs_name,
                    &commit.id(),
                ));
            }
            match blob {
                Some(id) => {
                    let id = rename_commits(repo, id, &renamed)?;
                    update.upsert(path.as_str(), id, git2::FileMode::Blob);
                }
                None => {
                    update.remove(path.as_str());
                }
            }
        }
        let onto_tree = repo.find_commit(onto)?.tree()?;
        let tree = repo.find_tree(update.create_updated(repo, &onto_tree)?)?;
        if tree.id() == onto_tree.id() {
            already += 1;
            renamed.insert(commit.id().to_string(), onto.to_string());
            continue;
        }
        let parent = repo.find_commit(onto)?;
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let signer = resigner(repo, &commit, signer)?;
        let new = action::write_commit(
            repo,
            &commit.author(),
            &commit.committer(),
            &message,
            &tree,
            &[&parent],
            signer,
        )?;
        if let Some(finding) = crate::audit::judge(repo, new)?.into_iter().next() {
            return Err(Error::bad(format!(
                "sync stopped before pushing: your action \"{}\" no longer holds on top of {theirs_name}: {}; nothing was pushed; to drop that action alone and keep your others, run `{}` and sync again",
                commit.summary().ok().flatten().unwrap_or(""),
                finding.message,
                drop_command(&commit.id())
            )));
        }
        renamed.insert(commit.id().to_string(), new.to_string());
        onto = new;
        replayed += 1;
    }
    Ok((onto, replayed, already))
}

/// Who signs the replay of `commit`: a signed action is signed again (its
/// parent changed, so its old signature no longer fits), by this clone's
/// signing key, which must be the key that signed it.
fn resigner<'s>(
    repo: &Repository,
    commit: &git2::Commit<'_>,
    signer: Option<&'s Signer>,
) -> Result<Option<&'s Signer>> {
    let key = match Seal::of_commit(repo, commit) {
        Seal::Unsigned => return Ok(None),
        Seal::Ssh { key, .. } => key,
        Seal::Unreadable(why) => {
            return Err(Error::bad(format!(
                "sync stopped before pushing: your action \"{}\" is signed, but {why}; nothing was pushed",
                commit.summary().ok().flatten().unwrap_or("")
            )));
        }
    };
    match signer {
        Some(s) if s.public.same_key(&key) => Ok(Some(s)),
        _ => Err(Error::bad(format!(
            "sync stopped before pushing: the action \"{}\" by {} was signed with {key}, and it must be signed again on top of the remote's, but this clone's git does not sign with that key; nothing was pushed; sync from the clone of whoever holds it, or set user.signingkey to it",
            commit.summary().ok().flatten().unwrap_or(""),
            crate::history::author_of(commit).0,
        ))),
    }
}

/// The blob `id` with any replayed commit's old id replaced by its new one.
fn rename_commits(repo: &Repository, id: Oid, renamed: &HashMap<String, String>) -> Result<Oid> {
    if renamed.is_empty() {
        return Ok(id);
    }
    let blob = repo.find_blob(id)?;
    let Ok(text) = std::str::from_utf8(blob.content()) else {
        return Ok(id);
    };
    let mut new = text.to_string();
    for (old, replacement) in renamed {
        new = new.replace(old.as_str(), replacement);
    }
    if new == text {
        Ok(id)
    } else {
        Ok(repo.blob(new.as_bytes())?)
    }
}

/// The command that removes one commit from the branch and keeps the rest.
fn drop_command(commit: &Oid) -> String {
    let short = &commit.to_string()[..10];
    format!("git rebase --onto {short}~1 {short}")
}

/// The refusal for a file changed on both sides by the local `commit`, in
/// the words of the register when it is a sign-off.
fn conflict(
    repo: &Repository,
    path: &str,
    theirs: Option<Oid>,
    ours: Option<Oid>,
    theirs_name: &str,
    commit: &Oid,
) -> Error {
    let decision = |id: Option<Oid>| -> String {
        id.and_then(|id| repo.find_blob(id).ok())
            .and_then(|b| crate::model::parse::<SignOff>(path, b.content()).ok())
            .map_or_else(
                || "a different version".into(),
                |s| format!("{} by {}", s.decision, s.reviewer),
            )
    };
    if let RegisterPath::SignOff { id, partner, .. } = RegisterPath::parse(path) {
        return Error::bad(format!(
            "sync stopped before pushing: {partner}'s decision on `{id}` was recorded on both sides ({theirs_name}: {}; here: {}); nothing was pushed; agree which stands, then drop yours alone with `{}` and sync, and if yours stands record it again with `practice review {id} --partner {partner}`",
            decision(theirs),
            decision(ours),
            drop_command(commit),
        ));
    }
    Error::bad(format!(
        "sync stopped before pushing: {path} was changed both here and on {theirs_name}; nothing was pushed; drop your change alone with `{}`, sync, and act again",
        drop_command(commit)
    ))
}

/// `git ARGS` in the repository; its stderr when it fails.
///
/// The network is git's own business: fetching and pushing through the `git`
/// command uses whatever the person's git uses (SSH config and agent,
/// credential helpers, proxies, any transport), and keeps TLS and SSH
/// libraries out of every other command's start-up.
fn git(repo: &Repository, args: &[&str]) -> std::result::Result<String, String> {
    let dir = repo.workdir().unwrap_or_else(|| repo.path());
    let mut command = std::process::Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0");
    ends_with_this_process(&mut command);
    let out = command
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        Err(format!("{stderr}{stdout}"))
    }
}

/// Have `command` stopped (SIGTERM, so git removes its lock files) when
/// this process dies, so a killed `sync` leaves no fetch or push running on.
#[cfg(target_os = "linux")]
fn ends_with_this_process(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt as _;
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    // SAFETY: between fork and exec the closure makes only
    // async-signal-safe calls, and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Died before the request was made: end now.
            if libc::getppid() != parent {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn ends_with_this_process(_: &mut std::process::Command) {}

fn fetch(repo: &Repository, remote: &str, branch: &str) -> Result<()> {
    let refspec = format!("+refs/heads/{branch}:refs/remotes/{remote}/{branch}");
    match git(repo, &["fetch", "--quiet", "--no-tags", remote, &refspec]) {
        Ok(_) => Ok(()),
        // An empty remote, or one without the branch yet: nothing to fetch.
        Err(e) if e.contains("couldn't find remote ref") => {
            let _ = repo
                .find_reference(&format!("refs/remotes/{remote}/{branch}"))
                .and_then(|mut r| r.delete());
            Ok(())
        }
        Err(e) => Err(Error::bad(format!(
            "cannot fetch from `{remote}`: {}",
            flat(&e)
        ))),
    }
}

/// Push `head` to `branch` on `remote`, from the local branch `ours`.
fn push(repo: &Repository, remote: &str, branch: &str, ours: &str, head: Oid) -> Result<()> {
    let refspec = format!("{head}:refs/heads/{branch}");
    match git(repo, &["push", "--quiet", "--porcelain", remote, &refspec]) {
        Ok(_) => Ok(()),
        // Someone pushed first: refused as not a fast-forward, or caught
        // mid-update of the remote's branch. (Read in git's own lines, not
        // the remote's, which may quote a pushed commit's subject.)
        Err(e)
            if [
                "[rejected]",
                "non-fast-forward",
                "fetch first",
                "cannot lock ref",
                "failed to update ref",
                // Two first pushes at once, and a newer git's word for a
                // ref that moved under the push.
                "reference already exists",
                "incorrect old value provided",
            ]
            .iter()
            .any(|sign| gits_own(&e).contains(sign)) =>
        {
            Err(Error::PushRejected("the remote moved on".into()))
        }
        // Else the remote's own hook (a guard) declined it: say what it said.
        Err(e) if e.contains("[remote rejected]") => Err(Error::RemoteRefused {
            remote: remote.to_string(),
            branch: ours.to_string(),
            said: remote_said(&e),
        }),
        Err(e) => Err(Error::bad(format!(
            "cannot push to `{remote}`: {}",
            flat(&e)
        ))),
    }
}

/// What git itself said, without the lines the remote sent (`remote: …`).
fn gits_own(said: &str) -> String {
    said.lines()
        .filter(|l| !l.trim_start().starts_with("remote:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The findings a guard sent back as `remote: practice guard: …` lines,
/// on one line; else git's own reason for the refusal.
fn remote_said(stderr: &str) -> String {
    const SHOWN: usize = 3;
    let findings: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("remote:"))
        .filter_map(|l| l.trim().strip_prefix("practice guard:"))
        .map(str::trim)
        .collect();
    if findings.is_empty() {
        let reason = stderr
            .lines()
            .find(|l| l.contains("[remote rejected]"))
            .unwrap_or(stderr);
        return flat(reason);
    }
    let mut said = format!(
        "its guard found: {}",
        findings[..findings.len().min(SHOWN)].join("; ")
    );
    if findings.len() > SHOWN {
        said.push_str(&format!(" (and {} more)", findings.len() - SHOWN));
    }
    said
}

/// `text` with its runs of white space, line breaks among them, made one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
