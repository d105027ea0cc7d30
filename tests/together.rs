//! Working together: clones synced through a bare remote, many actions at
//! once on one clone, and actions killed part way.

mod common;

use std::process::{Child, Stdio};
use std::time::Duration;

use common::*;
use tempfile::TempDir;

/// A bare remote that a register built by the tool was pushed to, and
/// `n` clones of it.
fn team(n: usize) -> (TempDir, Vec<Reg>) {
    let origin = Reg::with_roster();
    origin.submit_sample();
    let remote = TempDir::new().unwrap();
    let bare = remote.path().join("register.git");
    origin.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    origin.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    origin.git(&["push", "-q", "-u", "origin", "HEAD"]);
    let clones = (0..n).map(|_| Reg::clone_of(&bare)).collect();
    (remote, clones)
}

fn remote_head(remote: &TempDir) -> String {
    let home = TempDir::new().unwrap();
    let out = isolated("git", home.path())
        .args([
            "--git-dir",
            remote.path().join("register.git").to_str().unwrap(),
            "rev-parse",
            "HEAD",
        ])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Sound, straight, clean: what every clone must be after syncing.
fn assert_whole(reg: &Reg) {
    assert_eq!(reg.audit().0, 0, "audit: {:?}", reg.audit().1);
    assert_eq!(
        reg.git(&["rev-list", "--merges", "--count", "HEAD"]).trim(),
        "0"
    );
    assert_eq!(reg.status(), "");
    reg.git(&["fsck", "--no-progress"]);
}

fn decisions(reg: &Reg) -> serde_json::Value {
    reg.show(SAMPLE_ID)["decisions"].clone()
}

#[test]
fn two_clones_decide_and_sync_in_either_order() {
    let (remote, clones) = team(2);
    let [a, b] = &clones[..] else { unreachable!() };
    a.ok(
        reviewer("npcc"),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
    b.ok(
        reviewer("iopc"),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
    b.ok(
        reviewer("hmicfrs"),
        &[
            "review",
            SAMPLE_ID,
            "--decision",
            "recuse",
            "--comment",
            "Conflict",
        ],
    );
    a.ok(EDITOR, &["sync"]);
    b.ok(EDITOR, &["sync"]);
    a.ok(EDITOR, &["sync", "origin"]);
    assert_eq!(a.head(), b.head());
    assert_eq!(a.head(), remote_head(&remote));
    let expected = serde_json::json!({"npcc": "suitable", "iopc": "suitable", "hmicfrs": "recuse"});
    assert_eq!(decisions(a), expected);
    assert_eq!(decisions(b), expected);
    // b's actions were replayed: their authors and trailers are kept.
    let log = b.git(&[
        "log",
        "-3",
        "--format=%an|%(trailers:key=Partner,valueonly,separator=)",
    ]);
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            "Kim Inspector|hmicfrs",
            "Ray Conduct|iopc",
            "Pat Chief|npcc"
        ]
    );
    assert_whole(a);
    assert_whole(b);

    // The other order: b first this time, then a.
    a.ok(
        reviewer("college-of-policing"),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
    b.ok(
        reviewer("iopc"),
        &[
            "review",
            SAMPLE_ID,
            "--decision",
            "more-information",
            "--comment",
            "Costs?",
        ],
    );
    b.ok(EDITOR, &["sync"]);
    a.ok(EDITOR, &["sync"]);
    b.ok(EDITOR, &["sync"]);
    assert_eq!(a.head(), b.head());
    assert_eq!(a.stage(SAMPLE_ID), "returned");
    assert_whole(a);
}

#[test]
fn three_clones_reach_the_same_register() {
    let (remote, clones) = team(3);
    for ((partner, who), reg) in REVIEWERS.iter().zip(clones.iter().cycle()).take(3) {
        reg.ok(*who, &["review", SAMPLE_ID, "--decision", "suitable"]);
        let _ = partner;
    }
    for reg in clones.iter().chain(clones.iter()) {
        reg.ok(EDITOR, &["sync"]);
    }
    let head = remote_head(&remote);
    for reg in &clones {
        assert_eq!(reg.head(), head);
        assert_eq!(decisions(reg).as_object().unwrap().len(), 3);
        assert_whole(reg);
    }
}

#[test]
fn a_publication_replayed_names_its_sign_offs_new_commits() {
    let (_remote, clones) = team(2);
    let [a, b] = &clones[..] else { unreachable!() };
    a.all_decide(SAMPLE_ID, "suitable");
    a.ok(EDITOR, &["write-up", SAMPLE_ID]);
    a.complete_report(SAMPLE_ID);
    a.ok(EDITOR, &["publish", SAMPLE_ID]);
    // Meanwhile b's roster change lands first, so all of a's are replayed.
    b.ok(
        EDITOR,
        &[
            "roster",
            "add",
            "--editor",
            "--name",
            "Ann Other",
            "--email",
            "ann@college.police.uk",
        ],
    );
    b.ok(EDITOR, &["sync"]);
    a.ok(EDITOR, &["sync"]);
    assert_whole(a);
    let published = a.read(&format!("published/{SAMPLE_ID}.yaml"));
    let sha = a.git(&[
        "log",
        "-1",
        "--format=%H",
        "--",
        &format!("reviews/{SAMPLE_ID}/round-1/npcc.yaml"),
    ]);
    assert!(published.contains(sha.trim()), "{published}");
}

#[test]
fn the_same_decision_made_differently_on_both_sides_stops_the_sync() {
    let (remote, clones) = team(2);
    let [a, b] = &clones[..] else { unreachable!() };
    let pat = reviewer("npcc");
    // An unrelated action of a's comes first; settling must keep it.
    a.ok(
        reviewer("iopc"),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
    a.ok(pat, &["review", SAMPLE_ID, "--decision", "suitable"]);
    b.ok(
        pat,
        &[
            "review",
            SAMPLE_ID,
            "--decision",
            "not-suitable",
            "--comment",
            "Untested",
        ],
    );
    b.ok(EDITOR, &["sync"]);
    let pushed = remote_head(&remote);
    let mine = a.head();
    let line = a.refused(EDITOR, &["sync"]);
    assert!(
        line.contains(&format!("npcc's decision on `{SAMPLE_ID}`")),
        "{line}"
    );
    assert!(
        line.contains("not-suitable") && line.contains("git rebase --onto"),
        "{line}"
    );
    assert!(line.contains("nothing was pushed"), "{line}");
    assert_eq!(remote_head(&remote), pushed, "the remote is unchanged");
    assert_eq!(a.head(), mine, "the local action stays on the branch");
    // Settled as the message says: drop ours alone, keeping the other.
    let command = line.split("drop yours alone with `").nth(1).unwrap();
    let command: Vec<&str> = command
        .split('`')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(command[..3], ["git", "rebase", "--onto"]);
    a.git(&command[1..]);
    a.ok(EDITOR, &["sync"]);
    assert_eq!(
        decisions(a),
        serde_json::json!({"npcc": "not-suitable", "iopc": "suitable"})
    );
    assert_whole(a);
}

#[test]
fn sync_follows_the_branch_the_local_one_tracks() {
    let (remote, clones) = team(1);
    let a = &clones[0];
    let default = a
        .git(&["rev-parse", "--abbrev-ref", "HEAD"])
        .trim()
        .to_string();
    a.git(&[
        "switch",
        "-q",
        "-c",
        "work",
        "--track",
        &format!("origin/{default}"),
    ]);
    a.ok(
        reviewer("npcc"),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
    a.ok(EDITOR, &["sync"]);
    assert_eq!(
        remote_head(&remote),
        a.head(),
        "the tracked branch received it"
    );
    let branches = a.git(&["ls-remote", "--heads", "origin"]);
    assert_eq!(
        branches.lines().count(),
        1,
        "no new branch on the remote: {branches}"
    );
}

#[test]
fn a_rule_that_no_longer_holds_stops_the_sync() {
    let (remote, clones) = team(2);
    let [a, b] = &clones[..] else { unreachable!() };
    // a's reviewer decides while b's editor removes them from the roster.
    a.ok(
        reviewer("npcc"),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
    b.ok(
        EDITOR,
        &["roster", "remove", "--email", reviewer("npcc").email],
    );
    b.ok(EDITOR, &["sync"]);
    let pushed = remote_head(&remote);
    let line = a.refused(EDITOR, &["sync"]);
    assert!(
        line.contains("no longer holds") && line.contains("npcc"),
        "{line}"
    );
    assert_eq!(remote_head(&remote), pushed);
}

#[test]
fn syncs_that_race_to_push_both_land() {
    let (remote, clones) = team(2);
    let [a, b] = &clones[..] else { unreachable!() };
    for round in 0..3 {
        a.submit_titled(&format!("Alpha {round}"));
        b.submit_titled(&format!("Beta {round}"));
        let both: Vec<_> = [a, b]
            .iter()
            .map(|r| {
                r.spawnable(EDITOR, &["sync"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in both {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    a.ok(EDITOR, &["sync"]);
    b.ok(EDITOR, &["sync"]);
    assert_eq!(a.head(), remote_head(&remote));
    assert_eq!(b.head(), a.head());
    let ids: serde_json::Value = serde_json::from_str(&a.ok(EDITOR, &["list", "--json"])).unwrap();
    assert_eq!(ids.as_array().unwrap().len(), 1 + 6);
    assert_whole(a);
    assert_whole(b);
}

#[test]
fn twelve_submissions_at_once_each_land_as_one_commit() {
    let reg = Reg::with_roster();
    let before = reg.commit_count();
    let children: Vec<Child> = (0..12)
        .map(|i| {
            let file = reg.sample_file(&format!("Scheme {i}"));
            reg.spawnable(SUBMITTER, &["submit", "--file", file.to_str().unwrap()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut landed = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            landed += 1;
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.lines().count(), 1, "a clear refusal: {err}");
        }
    }
    assert_eq!(
        reg.commit_count() - before,
        landed,
        "each success is exactly one commit"
    );
    assert_eq!(landed, 12, "one clone's actions wait their turn");
    assert_eq!(reg.status(), "");
    reg.git(&["fsck", "--no-progress"]);
    eprintln!("{landed} of 30 killed actions had landed");
    assert_eq!(reg.audit().0, 0);
}

/// A small, repeatable spread of delays, without a random number crate.
fn delays(n: usize) -> impl Iterator<Item = Duration> {
    // An action takes some tens of milliseconds: spread the kills over
    // start-up, reading, writing objects, moving the branch and checkout.
    (0..n).map(|i| Duration::from_micros(((i as u64 * 7919) % 60) * 2000))
}

#[test]
fn actions_killed_at_any_moment_leave_the_register_whole() {
    let reg = Reg::with_roster();
    let mut landed = 0;
    for (i, delay) in delays(30).enumerate() {
        let file = reg.sample_file(&format!("Killed {i}"));
        let head = reg.head();
        let mut child = reg
            .spawnable(SUBMITTER, &["submit", "--file", file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        // Before or after, never between: HEAD is the old commit or one new
        // action whose files are all there.
        let now = reg.head();
        if now != head {
            landed += 1;
            assert_eq!(reg.git(&["rev-parse", "HEAD~1"]).trim(), head);
            assert_eq!(reg.trailer("HEAD", "Action"), "submit");
        }
        reg.git(&["fsck", "--no-progress"]);
        // The next action works, finishing any interrupted checkout first.
        let next = reg.sample_file(&format!("Next {i}"));
        let out = reg
            .practice(SUBMITTER, &["submit", "--file", next.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        // No lock the killed action held, and no file it was writing, is in
        // the way or left behind.
        assert!(out.status.success(), "after kill {i} ({delay:?}): {err}");
        assert!(
            !err.contains("warning"),
            "after kill {i} ({delay:?}): {err}"
        );
        let left: Vec<String> = std::fs::read_dir(reg.path().join(".git"))
            .unwrap()
            .chain(std::fs::read_dir(reg.path().join(".git/refs/heads")).unwrap())
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            // (practice.lock is the tool's own, held with flock, which
            // ends with its holder.)
            .filter(|n| n.starts_with("practice-tmp") || n.ends_with(".lock"))
            .filter(|n| n != "practice.lock")
            .collect();
        assert!(left.is_empty(), "after kill {i} ({delay:?}): {left:?}");
        assert_eq!(reg.status(), "", "after kill {i} ({delay:?})");
    }
    eprintln!("{landed} of 30 killed actions had landed");
    assert_eq!(reg.audit().0, 0);
}

#[test]
fn sync_pushes_nothing_the_audit_would_find_even_as_a_fast_forward() {
    let (remote, clones) = team(1);
    let here = &clones[0];
    let before = remote_head(&remote);
    // A sign-off made by hand, by someone on no list: a fast-forward for
    // the remote, and a forgery for the audit.
    let (partner, _) = REVIEWERS[1];
    here.forge_sign_off(partner, STRANGER);
    let line = here.refused(EDITOR, &["sync"]);
    assert!(
        line.contains("would not pass the audit") && line.contains("nothing was pushed"),
        "{line}"
    );
    assert_eq!(remote_head(&remote), before, "the remote is as it was");
}

/// The ids of `git` processes whose working folder is `dir`.
fn gits_in(dir: &std::path::Path) -> Vec<String> {
    let dir = dir.canonicalize().unwrap();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
        .filter(|e| {
            let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
            comm.trim() == "git"
                && std::fs::read_link(e.path().join("cwd")).ok().as_ref() == Some(&dir)
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Wait up to ten seconds for `done`.
fn soon(done: impl Fn() -> bool) -> bool {
    (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        done()
    })
}

#[test]
fn a_killed_sync_leaves_no_git_running_on() {
    let (_remote, clones) = team(1);
    let reg = &clones[0];
    // A remote that never answers: git starts this "ssh" and waits on it.
    reg.git(&[
        "remote",
        "set-url",
        "origin",
        "ssh://hangs.invalid/register.git",
    ]);
    let mut sync = reg
        .spawnable(EDITOR, &["sync"])
        .env("GIT_SSH_COMMAND", "sleep 20 #")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        soon(|| !gits_in(reg.path()).is_empty()),
        "sync never fetched"
    );
    sync.kill().unwrap();
    sync.wait().unwrap();
    assert!(
        soon(|| gits_in(reg.path()).is_empty()),
        "git still running: {:?}",
        gits_in(reg.path())
    );
    // And the clone is as it was: the next action works.
    assert_eq!(reg.status(), "");
    reg.ok(
        reviewer("npcc"),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
}

/// The id of a process that has ended.
fn ended_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn what_a_killed_action_held_is_cleared_and_what_a_running_one_holds_is_not() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let git = reg.path().join(".git");
    let branch_lock = format!("{}.lock", reg.git(&["symbolic-ref", "HEAD"]).trim());
    let leave = |pid: u32| {
        // As a kill while the branch was being moved would leave them: the
        // journal, the branch's lock, the index's, a half-written file.
        std::fs::write(
            git.join("practice-pending"),
            format!("{}\npid {pid}\n", reg.head()),
        )
        .unwrap();
        std::fs::write(git.join(&branch_lock), "").unwrap();
        std::fs::write(git.join("index.lock"), "").unwrap();
        std::fs::write(git.join(format!("practice-tmp-{pid}-x1y2z3")), "half").unwrap();
    };
    // A process still running holds them: nothing is cleared, and the
    // refusal names the lock.
    let mut running = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    leave(running.id());
    let line = reg.refused(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    assert!(line.contains(".lock"), "{line}");
    assert!(git.join(&branch_lock).exists());
    assert!(
        git.join(format!("practice-tmp-{}-x1y2z3", running.id()))
            .exists()
    );
    running.kill().unwrap();
    running.wait().unwrap();
    for file in ["practice-pending", &branch_lock, "index.lock"] {
        std::fs::remove_file(git.join(file)).unwrap();
    }

    // Its writer gone, the next action clears them and lands.
    let pid = ended_pid();
    leave(pid);
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    for file in [
        "practice-pending".to_string(),
        branch_lock.clone(),
        "index.lock".to_string(),
        format!("practice-tmp-{pid}-x1y2z3"),
    ] {
        assert!(!git.join(&file).exists(), "{file} left behind");
    }
    assert_eq!(reg.trailer("HEAD", "Action"), "review");
    assert_eq!(reg.status(), "");
}

#[test]
fn an_interrupted_checkout_of_a_file_passed_back_with_file_is_finished() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let path = format!("submissions/{id}/activity.yaml");
    reg.write(
        &path,
        &reg.read(&path)
            .replace("region: South West", "region: Wessex"),
    );
    reg.ok(EDITOR, &["amend", &id, "--file", &path]);
    // As a kill between moving the branch and writing the index leaves it:
    // the journal, and the index still holding the file as it was.
    let old = reg.git(&["rev-parse", &format!("HEAD~1:{path}")]);
    let entry = format!("100644,{},{path}", old.trim());
    reg.git(&["update-index", "--cacheinfo", &entry]);
    assert_ne!(reg.status(), "");
    let journal = format!("{}\npid {}\n{path}\n", reg.head(), ended_pid());
    std::fs::write(reg.path().join(".git/practice-pending"), journal).unwrap();
    // The next action finishes the checkout first: the index holds the
    // file as HEAD does, and nothing is staged that nobody chose to stage.
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    assert_eq!(reg.status(), "");
    assert_eq!(reg.git(&["diff", "--cached", "--name-only"]), "");
    assert!(!reg.path().join(".git/practice-pending").exists());
}
