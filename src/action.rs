//! The commit writer: every change to a register is one action, and every
//! action is exactly one commit.
//!
//! A [`Change`] says what an action writes and how its commit is described; it
//! does not say where it lands. [`commit`] lands it on a [`Base`], the branch
//! and HEAD the action read:
//!
//! 1. refuse if any path it writes holds uncommitted edits, so nobody's typing
//!    is overwritten;
//! 2. build the tree from the base commit's tree plus the change's files,
//!    never from the index, so nothing staged for other reasons is swept in;
//! 3. write the commit object (the one place a signature would be added);
//! 4. move the branch only if it still points at the base (compare and swap),
//!    so two actions at once never lose one another's commit;
//! 5. bring the working tree and index up to date for the written paths alone.
//!
//! Until step 4 nothing visible has changed; after it, the action has
//! happened. Because a change is separate from its base, the same change can
//! be landed again on a newer HEAD (a replay) without being rewritten.

use std::io::Write as _;
use std::path::Path;

use git2::{ErrorCode, FileMode, ObjectType, Oid, Repository, Status};

use crate::identity::Actor;
use crate::model::git_instant;
use crate::signature::Signer;
use crate::{Error, Result};

crate::model::vocabulary!(
    /// The kinds of action, as the `Action` trailer names them.
    ActionKind, "action" {
        Init => "init",
        Submit => "submit",
        Amend => "amend",
        Review => "review",
        WriteUp => "write-up",
        Publish => "publish",
        Bank => "bank",
        Withdraw => "withdraw",
        Retract => "retract",
        Roster => "roster",
        Import => "import",
        Reopen => "reopen",
        Rules => "rules",
        Reinstate => "reinstate",
        Revise => "revise",
        Attach => "attach",
        Detach => "detach",
    }
);

/// What one action writes, and the message of its commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ActionKind,
    pub subject: String,
    pub body: Option<String>,
    /// In order; `Practice-Id` (when there is one) and `Action` come first.
    pub trailers: Vec<(String, String)>,
    /// Paths in the register and their new contents.
    pub files: Vec<(String, Vec<u8>)>,
    /// Paths in the register the action removes (only a cleared
    /// decision's sign-off: see `pipeline::effects::may_delete`).
    pub removed: Vec<String>,
    /// Paths whose uncommitted edits this change carries (the user's own
    /// draft given with `--file`), which may therefore be replaced.
    pub adopted: Vec<String>,
}

impl Change {
    /// A change of `kind` about the activity `practice`, if any.
    pub fn new(kind: ActionKind, practice: Option<&str>, subject: impl Into<String>) -> Self {
        let mut trailers = Vec::new();
        if let Some(id) = practice {
            trailers.push(("Practice-Id".to_string(), id.to_string()));
        }
        trailers.push(("Action".to_string(), kind.as_str().to_string()));
        Change {
            kind,
            subject: one_line(&subject.into()),
            body: None,
            trailers,
            files: Vec::new(),
            removed: Vec::new(),
            adopted: Vec::new(),
        }
    }

    pub fn trailer(mut self, key: &str, value: impl ToString) -> Self {
        self.trailers
            .push((key.to_string(), one_line(&value.to_string())));
        self
    }

    pub fn body(mut self, body: Option<&str>) -> Self {
        self.body = body
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_string);
        self
    }

    pub fn write(mut self, path: impl Into<String>, content: Vec<u8>) -> Self {
        self.files.push((path.into(), content));
        self
    }

    pub fn remove(mut self, path: impl Into<String>) -> Self {
        self.removed.push(path.into());
        self
    }

    /// Every path the change writes or removes.
    pub fn paths(&self) -> Vec<String> {
        self.files
            .iter()
            .map(|(p, _)| p.clone())
            .chain(self.removed.iter().cloned())
            .collect()
    }

    pub fn adopt(mut self, path: impl Into<String>) -> Self {
        self.adopted.push(path.into());
        self
    }

    /// The `Practice-Id` trailer's value.
    pub fn practice_id(&self) -> Option<&str> {
        self.trailers
            .iter()
            .find(|(k, _)| k == "Practice-Id")
            .map(|(_, v)| v.as_str())
    }

    /// Subject, optional body, and trailers that `git interpret-trailers`
    /// and `git log --format=%(trailers)` read.
    pub fn message(&self) -> String {
        let mut message = format!("{}\n\n", self.subject);
        if let Some(body) = &self.body {
            // A body line shaped like a trailer would be read as one if it
            // ended the message; the trailer block always follows it, so the
            // body can never be the last paragraph. A line git takes for the
            // end of the message (a scissors line `# --- >8 ---`) or libgit2
            // for the start of a patch (`---`) would hide the trailers from
            // one reader or another: such lines are indented by a space, so
            // every reader reads the same trailers. The file keeps the text
            // as it was typed.
            for line in body.split_inclusive('\n') {
                if line.starts_with('#') || line.starts_with("---") {
                    message.push(' ');
                }
                message.push_str(line);
            }
            message.push_str("\n\n");
        }
        for (key, value) in &self.trailers {
            message.push_str(&format!("{key}: {value}\n"));
        }
        message
    }
}

/// Trailer values and subjects are single lines.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where an action lands: the branch HEAD names and the commit it pointed
/// to when the action read the register (`None` on a branch with no commits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    pub branch: String,
    pub head: Option<Oid>,
}

impl Base {
    /// HEAD's branch and commit in `repo` (whose top folder is `root`).
    pub fn of(repo: &Repository, root: &Path) -> Result<Base> {
        let head = repo.find_reference("HEAD")?;
        let Some(branch) = head.symbolic_target()? else {
            return Err(Error::DetachedHead(root.to_path_buf()));
        };
        let branch = branch.to_string();
        let head = match repo.find_reference(&branch) {
            Ok(r) => Some(r.peel_to_commit()?.id()),
            Err(e) if e.code() == ErrorCode::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        Ok(Base { branch, head })
    }
}

/// What an action left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landed {
    pub commit: Oid,
    pub subject: String,
    /// The activity the action was about, if any.
    pub practice: Option<String>,
    /// Set when the commit landed but the working tree could not be brought up
    /// to date (the register is sound; the checkout is behind).
    pub worktree_error: Option<String>,
    /// The paths the action wrote: all that such a checkout needs restored.
    pub paths: Vec<String>,
}

/// Land `change` on `base` as one commit by `actor`, signed by `signer`
/// when given. See the module docs for the steps and why each is there.
pub fn commit(
    repo: &Repository,
    base: &Base,
    change: &Change,
    actor: &Actor,
    signer: Option<&Signer>,
) -> Result<Landed> {
    refuse_uncommitted_edits(repo, change)?;
    let parent = base.head.map(|h| repo.find_commit(h)).transpose()?;
    refuse_dates(actor, parent.as_ref())?;

    let base_tree = match base.head {
        Some(head) => repo.find_commit(head)?.tree()?,
        None => repo.find_tree(repo.treebuilder(None)?.write()?)?,
    };
    let mut update = git2::build::TreeUpdateBuilder::new();
    for (path, content) in &change.files {
        update.upsert(path.as_str(), repo.blob(content)?, FileMode::Blob);
    }
    for path in &change.removed {
        update.remove(path.as_str());
    }
    let tree = repo.find_tree(update.create_updated(repo, &base_tree)?)?;
    if tree.id() == base_tree.id() {
        return Err(Error::bad(
            "this action would change nothing: the register already says so",
        ));
    }
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let commit = write_commit(
        repo,
        &actor.author_signature()?,
        &actor.committer_signature()?,
        &change.message(),
        &tree,
        &parents,
        signer,
    )?;
    let paths = change.paths();
    let reflog = format!("practice {}: {}", change.kind.as_str(), change.subject);
    let worktree_error = advance(repo, base, commit, &reflog, &paths)?;
    Ok(Landed {
        commit,
        subject: change.subject.clone(),
        practice: change.practice_id().map(str::to_string),
        worktree_error,
        paths,
    })
}

/// Refuse an action whose dates the audit would find against it: they come
/// from `GIT_AUTHOR_DATE` and `GIT_COMMITTER_DATE` when those are set.
fn refuse_dates(actor: &Actor, parent: Option<&git2::Commit<'_>>) -> Result<()> {
    let parent = parent.and_then(|p| git_instant(p.author().when()));
    match crate::pipeline::dates::judge(actor.at, actor.committed_at, parent).first() {
        Some(problem) => Err(Error::bad(format!(
            "this action would be misdated: {problem}; unset GIT_AUTHOR_DATE and GIT_COMMITTER_DATE, or set them to now"
        ))),
        None => Ok(()),
    }
}

/// Write a commit object. Every commit `practice` makes, an action's or a
/// replayed one, is written here: the one place a signature is added. A
/// signed commit is what `git commit -S` writes: the SSH signature over the
/// commit object, in a `gpgsig` header after the committer.
pub(crate) fn write_commit(
    repo: &Repository,
    author: &git2::Signature<'_>,
    committer: &git2::Signature<'_>,
    message: &str,
    tree: &git2::Tree<'_>,
    parents: &[&git2::Commit<'_>],
    signer: Option<&Signer>,
) -> Result<Oid> {
    let buffer = repo.commit_create_buffer(author, committer, message, tree, parents)?;
    let Some(signer) = signer else {
        return Ok(repo.odb()?.write(ObjectType::Commit, &buffer)?);
    };
    let armour = signer.sign(&buffer)?;
    let content = std::str::from_utf8(&buffer).map_err(|_| {
        Error::bad("a commit to sign must be UTF-8 text; check the names in your git identity")
    })?;
    // libgit2 folds the header's lines itself, and ends it with a newline
    // of its own.
    Ok(repo.commit_signed(content, armour.trim_end(), Some("gpgsig"))?)
}

/// The journal of an action between moving its branch and updating the
/// working tree: if the process dies in between, the next action finishes
/// the update (see [`recover`]).
const JOURNAL: &str = "practice-pending";

/// How the journal names the process that wrote it, on its second line (a
/// register path never starts so).
const PID: &str = "pid ";

/// How this tool's temporary files in `.git` begin; the writer's process id
/// follows, so that one left by a killed process can be told from one a
/// running action is writing.
const TEMPORARY: &str = "practice-tmp-";

/// Whether the process `pid` is running.
fn running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 checks that the process exists and sends nothing.
    let answer = unsafe { libc::kill(pid, 0) };
    answer == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Remove what a killed action left in `.git`: its temporary files, and
/// the locks its journal shows it held — the branch's and the index's, when
/// made within a minute of `dead_journal`, the time of a journal whose
/// writer is no longer running. A lock anyone else may hold is left for its
/// owner, and reported by name if it is in the way.
fn clear_leftovers(repo: &Repository, dead_journal: Option<std::time::SystemTime>) {
    let git_dir = repo.path();
    if let Ok(entries) = std::fs::read_dir(git_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMPORARY)) else {
                continue;
            };
            let pid = rest.split('-').next().and_then(|p| p.parse().ok());
            if pid.is_some_and(|pid| !running(pid)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let Some(made) = dead_journal else {
        return;
    };
    let branch = Base::of(repo, git_dir).ok().map(|base| base.branch);
    let locks = branch
        .map(|b| git_dir.join(format!("{b}.lock")))
        .into_iter()
        .chain([git_dir.join("index.lock")]);
    for lock in locks {
        let then = std::fs::metadata(&lock).and_then(|m| m.modified());
        let ours = then.is_ok_and(|t| {
            t.duration_since(made)
                .is_ok_and(|d| d <= std::time::Duration::from_secs(60))
        });
        if ours {
            let _ = std::fs::remove_file(&lock);
        }
    }
}

/// Move `base.branch` from `base.head` to `commit` (compare and swap), then
/// bring `paths` in the working tree and index up to what `commit` holds.
/// Returns a description of a working-tree update that failed after the
/// branch moved: the action happened; the checkout is behind.
pub(crate) fn advance(
    repo: &Repository,
    base: &Base,
    commit: Oid,
    reflog: &str,
    paths: &[String],
) -> Result<Option<String>> {
    // Every file the checkout needs is written out first, beside the
    // repository, so that a full disk is found before the branch moves.
    let prepared = Checkout::prepare(repo, commit, paths).map_err(nothing_changed)?;
    let journal = repo.path().join(JOURNAL);
    let mut text = format!("{commit}\n{PID}{}\n", std::process::id());
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    write_atomically(repo.path(), &journal, text.as_bytes()).map_err(nothing_changed)?;
    let moved = match base.head {
        Some(head) => repo.reference_matching(&base.branch, commit, true, head, reflog),
        None => repo.reference(&base.branch, commit, false, reflog),
    };
    if let Err(e) = moved {
        let _ = std::fs::remove_file(&journal);
        return Err(match e.code() {
            ErrorCode::Modified | ErrorCode::Exists => Error::BranchMoved,
            ErrorCode::Locked => Error::Locked(lock_file(repo, &format!("{}.lock", base.branch))),
            _ => e.into(),
        });
    }
    let outcome = prepared.finish(repo);
    if outcome.is_ok() {
        let _ = std::fs::remove_file(&journal);
    }
    Ok(outcome.err().map(|e| e.to_string()))
}

/// Finish the working-tree update of an action that was interrupted after
/// its commit landed. Paths that HEAD has changed again since are left alone.
pub(crate) fn recover(repo: &Repository) -> Result<()> {
    let journal = repo.path().join(JOURNAL);
    let Ok(text) = std::fs::read_to_string(&journal) else {
        clear_leftovers(repo, None);
        return Ok(());
    };
    let writer: Option<u32> = text
        .lines()
        .find_map(|l| l.strip_prefix(PID))
        .and_then(|p| p.trim().parse().ok());
    if writer.is_some_and(|pid| pid != std::process::id() && running(pid)) {
        // Another action is between moving its branch and updating the
        // working tree: its journal is its own to finish.
        return Ok(());
    }
    // The locks are cleared only for a writer known to be gone (a journal
    // from before journals named their writer is still finished).
    let made = std::fs::metadata(&journal).and_then(|m| m.modified()).ok();
    clear_leftovers(
        repo,
        made.filter(|_| writer.is_some_and(|pid| !running(pid))),
    );
    let mut lines = text.lines().filter(|l| !l.starts_with(PID));
    let landed = lines.next().and_then(|l| Oid::from_str(l).ok());
    let head = repo.head().ok().and_then(|h| h.target());
    if let (Some(landed), Some(head)) = (landed, head)
        && (landed == head || repo.graph_descendant_of(head, landed).unwrap_or(false))
    {
        let commit = repo.find_commit(landed)?;
        let then = commit.tree()?;
        let before = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
        let now = repo.find_commit(head)?.tree()?;
        let blob = |t: &git2::Tree<'_>, p: &str| t.get_path(Path::new(p)).ok().map(|e| e.id());
        let index = repo.index()?;
        let workdir = repo.workdir().map(Path::to_path_buf);
        // Finish only paths HEAD still holds as the action wrote them, and
        // whose checkout holds what was there before or what the action had
        // already written: anything else is someone's later work, left alone.
        let untouched = |p: &str| -> bool {
            let old = before.as_ref().and_then(|t| blob(t, p));
            let new = blob(&then, p);
            let staged = index.get_path(Path::new(p), 0).map(|e| e.id);
            let on_disk = workdir.as_ref().and_then(|w| {
                std::fs::read(w.join(p))
                    .ok()
                    .and_then(|bytes| Oid::hash_object(ObjectType::Blob, &bytes).ok())
            });
            (staged == old || staged == new) && (on_disk == old || on_disk == new)
        };
        let unchanged: Vec<String> = lines
            .filter(|p| !p.is_empty() && blob(&then, p) == blob(&now, p) && untouched(p))
            .map(str::to_string)
            .collect();
        update_worktree(repo, head, &unchanged)?;
    }
    let _ = std::fs::remove_file(&journal);
    Ok(())
}

/// The path of a git lock file, for a message that says which file to remove.
fn lock_file(repo: &Repository, name: &str) -> std::path::PathBuf {
    repo.path().join(name)
}

/// Refuse, before anything is written, what would stop the working tree
/// being brought up to date after the branch moves, or lose someone's work:
/// a path the change writes that differs in the index or working tree from
/// HEAD (unless the change carries that very edit), a file git ignores
/// there (someone's, not the register's), a symbolic link on the way to it
/// (the action would write wherever it points), or an index that a running
/// git holds locked.
fn refuse_uncommitted_edits(repo: &Repository, change: &Change) -> Result<()> {
    let Some(workdir) = repo.workdir() else {
        return Ok(());
    };
    let lock = repo.path().join("index.lock");
    if lock.exists() {
        return Err(Error::Locked(lock));
    }
    for path in &change.paths() {
        let mut at = workdir.to_path_buf();
        for part in Path::new(path).iter() {
            at.push(part);
            if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Error::bad(format!(
                    "{} is a symbolic link in the working tree, and the action would write through it; remove it (`rm {}`), or restore it with `git checkout HEAD -- {path}`",
                    at.strip_prefix(workdir).unwrap_or(&at).display(),
                    at.strip_prefix(workdir).unwrap_or(&at).display(),
                )));
            }
        }
        if change.adopted.contains(path) {
            continue;
        }
        match repo.status_file(Path::new(path)) {
            Ok(status) if status.is_empty() || status == Status::CURRENT => {}
            Ok(status) if status == Status::IGNORED => {
                return Err(Error::bad(format!(
                    "{path} is a file git ignores (a .gitignore says so), where the action would write; move it away so it is not replaced, then run the command again"
                )));
            }
            Ok(_) => return Err(Error::UncommittedChanges(path.clone())),
            Err(e) if e.code() == ErrorCode::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Write `paths` as `commit` holds them into the working tree (removing
/// those it lacks) and stage exactly them, leaving every other entry of the
/// index as the user left it.
fn update_worktree(repo: &Repository, commit: Oid, paths: &[String]) -> Result<()> {
    Checkout::prepare(repo, commit, paths)?.finish(repo)
}

/// A working-tree update made ready: each file's new content written in
/// full to a temporary file in `.git`, so that what is left to do once the
/// branch has moved — renames, removals, and the index — needs next to no
/// space.
struct Checkout {
    /// Each path, its file in the working tree, and its new content ready
    /// to move into place (`None` where the commit has no such file).
    ready: Vec<(String, std::path::PathBuf, Option<tempfile::NamedTempFile>)>,
}

impl Checkout {
    fn prepare(repo: &Repository, commit: Oid, paths: &[String]) -> Result<Checkout> {
        let Some(workdir) = repo.workdir() else {
            return Ok(Checkout { ready: Vec::new() });
        };
        let tree = repo.find_commit(commit)?.tree()?;
        let mut ready = Vec::new();
        for path in paths {
            let file = workdir.join(path);
            let content = match tree.get_path(Path::new(path)) {
                Ok(entry) => {
                    let blob = repo.find_blob(entry.id())?;
                    Some(temporary(repo.path(), &file, blob.content())?)
                }
                Err(_) => None,
            };
            ready.push((path.clone(), file, content));
        }
        // The index is written again in full: the room for it is looked for
        // now (without writing megabytes to find it).
        let index = repo.path().join("index");
        let needed = std::fs::metadata(&index).map_or(0, |m| m.len()) + 64 * 1024;
        if free_space(repo.path()).is_some_and(|free| free < needed) {
            return Err(Error::io(
                index,
                std::io::Error::from(std::io::ErrorKind::StorageFull),
            ));
        }
        Ok(Checkout { ready })
    }

    fn finish(self, repo: &Repository) -> Result<()> {
        if repo.workdir().is_none() {
            return Ok(());
        }
        let mut index = repo.index()?;
        // Another process may have written the index since it was read: read
        // it again if so (libgit2 compares the file's stamp; an unchanged
        // index of thousands of entries is not decoded twice).
        index.read(false)?;
        for (path, file, content) in self.ready {
            match content {
                Some(content) => {
                    let dir = file.parent().expect("register paths have a folder");
                    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                    content
                        .persist(&file)
                        .map_err(|e| Error::io(&file, e.error))?;
                    index.add_path(Path::new(&path))?;
                }
                None => {
                    match std::fs::remove_file(&file) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(Error::io(file, e)),
                    }
                    let _ = index.remove_path(Path::new(&path));
                }
            }
        }
        index.write().map_err(|e| match e.code() {
            ErrorCode::Locked => Error::Locked(lock_file(repo, "index.lock")),
            _ => e.into(),
        })
    }
}

/// The bytes free to this user on the file system that holds `dir`, where
/// the system says.
fn free_space(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt as _;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: a NUL-terminated path and room for the answer.
    if unsafe { libc::statvfs(path.as_ptr(), stat.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: statvfs succeeded, so it filled the answer in.
    let stat = unsafe { stat.assume_init() };
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// A failure before the branch moved, said so: whatever it was (a full disk
/// most likely), the action did not happen.
fn nothing_changed(e: Error) -> Error {
    match e {
        Error::Io { path, source } => Error::bad(format!(
            "cannot write {} ({source}); nothing was changed: free some space or mend the folder's permissions, then run the command again",
            path.display()
        )),
        other => other,
    }
}

/// Write through a temporary file and a rename, so a reader (or a crash) sees
/// the old file or the new one, never half of one.
/// The temporary file is made in `scratch` (the `.git` folder), so a process
/// killed mid-write leaves no stray file in the register's working tree.
pub(crate) fn write_atomically(scratch: &Path, path: &Path, content: &[u8]) -> Result<()> {
    let dir = path.parent().expect("register paths have a folder");
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let file = temporary(scratch, path, content)?;
    file.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// `content` written in full to a temporary file in `scratch`, to become
/// `path`; named for this process (see [`clear_leftovers`]).
fn temporary(scratch: &Path, path: &Path, content: &[u8]) -> Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{TEMPORARY}{}-", std::process::id());
    builder.prefix(&prefix);
    // A register file is as readable as one git would check out, not private
    // like a temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut file = builder
        .tempfile_in(scratch)
        .map_err(|e| Error::io(scratch, e))?;
    file.write_all(content).map_err(|e| Error::io(path, e))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_subject_body_and_trailers() {
        let change = Change::new(
            ActionKind::Review,
            Some("evr-dorset-police"),
            "review evr-dorset-police: npcc suitable (round 1)",
        )
        .trailer("Partner", "npcc")
        .trailer("Decision", "suitable")
        .trailer("Round", 1)
        .body(Some("  Well evidenced.\n"));
        assert_eq!(
            change.message(),
            "review evr-dorset-police: npcc suitable (round 1)\n\nWell evidenced.\n\n\
             Practice-Id: evr-dorset-police\nAction: review\nPartner: npcc\nDecision: suitable\nRound: 1\n"
        );
        let trailers = git2::message_trailers_strs(&change.message()).unwrap();
        let keys: Vec<_> = trailers.iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            ["Practice-Id", "Action", "Partner", "Decision", "Round"]
        );
    }

    #[test]
    fn subjects_and_trailer_values_stay_on_one_line() {
        let change =
            Change::new(ActionKind::Submit, None, "submit x:\nTitle").trailer("Partner", "a\nb");
        assert_eq!(change.subject, "submit x: Title");
        assert_eq!(change.trailers[1].1, "a b");
    }
}
