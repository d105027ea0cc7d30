//! The guard on a shared remote, end to end on a plain path remote (whose
//! hooks git runs as a server's): pushes the audit would pass land; a
//! forged sign-off, a force-push, a deletion and a push to another branch
//! are refused with the rule named, and the remote is left as it was.

mod common;

use common::*;
use tempfile::TempDir;

/// A bare remote holding a register built by the tool, guarded, and a
/// clone of it.
fn guarded() -> (TempDir, Reg) {
    let origin = Reg::with_roster();
    origin.submit_sample();
    let remote = TempDir::new().unwrap();
    let bare = remote.path().join("register.git");
    origin.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    let branch = origin.git(&["symbolic-ref", "--short", "HEAD"]);
    let head = format!("refs/heads/{}", branch.trim());
    let out = std::process::Command::new("git")
        .args([
            "--git-dir",
            bare.to_str().unwrap(),
            "symbolic-ref",
            "HEAD",
            &head,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = origin.ok(EDITOR, &["guard", "install", bare.to_str().unwrap()]);
    assert_eq!(said, "");
    origin.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    // The first push: the whole history, judged and taken.
    origin.git(&["push", "-q", "-u", "origin", "HEAD"]);
    let clone = Reg::clone_of(&bare);
    (remote, clone)
}

fn remote_head(remote: &TempDir) -> String {
    let out = std::process::Command::new("git")
        .arg("--git-dir")
        .arg(remote.path().join("register.git"))
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// `git push ARGS` from `reg`: whether it was taken, and what git said.
fn push(reg: &Reg, args: &[&str]) -> (bool, String) {
    let mut all = vec!["push"];
    all.extend(args);
    let out = reg.git_output(&all);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_guard_takes_sound_actions_and_refuses_what_the_audit_would_find() {
    let (remote, reg) = guarded();
    let hook = remote.path().join("register.git/hooks/pre-receive");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.contains("guard pre-receive"), "{script}");

    // A sound action, synced, lands.
    reg.ok(
        reviewer("npcc"),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
    reg.ok(reviewer("npcc"), &["sync"]);
    assert_eq!(remote_head(&remote), reg.head());
    let landed = reg.head();

    // A sign-off made by hand in a reviewer's name by someone on no list:
    // refused, the rule named, the remote unchanged.
    let (partner, _) = REVIEWERS[2];
    reg.forge_sign_off(partner, STRANGER);
    let (taken, said) = push(&reg, &["origin", "HEAD"]);
    assert!(!taken, "{said}");
    assert!(said.contains("remote: practice guard:"), "{said}");
    assert!(said.contains("(authority)"), "{said}");
    assert!(said.contains(STRANGER.email), "{said}");
    assert_eq!(remote_head(&remote), landed);

    // sync shows the refusal and keeps the local action.
    let line = reg.refused(reviewer("npcc"), &["sync"]);
    assert!(line.contains("sync"), "{line}");
    assert_eq!(reg.trailer("HEAD", "Action"), "review");

    // A force-push that rewrites history: refused.
    reg.git(&["reset", "-q", "--hard", &format!("{landed}~1")]);
    reg.write("NOTES.md", "A note beside the register.\n");
    reg.commit_by_hand(EDITOR, "a note beside the register");
    let (taken, said) = push(&reg, &["-f", "origin", "HEAD"]);
    assert!(!taken, "{said}");
    assert_eq!(remote_head(&remote), landed);

    // A deletion, and a push to another branch: refused.
    let (taken, said) = push(&reg, &["origin", &format!(":{}", branch_of(&remote))]);
    assert!(!taken, "{said}");
    let (taken, said) = push(&reg, &["origin", &format!("{landed}:refs/heads/elsewhere")]);
    assert!(!taken, "{said}");
    assert!(said.contains("refs/heads/elsewhere is refused"), "{said}");
    assert_eq!(remote_head(&remote), landed);
}

fn branch_of(remote: &TempDir) -> String {
    let out = std::process::Command::new("git")
        .arg("--git-dir")
        .arg(remote.path().join("register.git"))
        .args(["symbolic-ref", "HEAD"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_guard_replaces_only_a_hook_it_wrote() {
    let reg = Reg::init();
    let remote = TempDir::new().unwrap();
    let bare = remote.path().join("register.git");
    reg.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    let hook = bare.join("hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
    let line = reg.refused(EDITOR, &["guard", "install", bare.to_str().unwrap()]);
    assert!(line.contains("did not write"), "{line}");
    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    std::fs::remove_file(&hook).unwrap();
    reg.ok(EDITOR, &["guard", "install", bare.to_str().unwrap()]);
    // Installed twice, its own hook is replaced.
    reg.ok(EDITOR, &["guard", "install", bare.to_str().unwrap()]);
    let config = |key: &str| {
        let out = std::process::Command::new("git")
            .args(["--git-dir", bare.to_str().unwrap(), "config", key])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert_eq!(config("receive.denyNonFastForwards"), "true");
    assert_eq!(config("receive.denyDeletes"), "true");
    // A folder that is no bare repository is refused.
    let line = reg.refused(EDITOR, &["guard", "install", reg.path().to_str().unwrap()]);
    assert!(line.contains("not a bare git repository"), "{line}");
}
