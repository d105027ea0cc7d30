//! The guard on a shared remote, end to end: the same story against a
//! plain path remote (whose hooks git runs as a server's) and against a
//! real OpenSSH server on 127.0.0.1 whose one account runs `git-shell`.
//! Signed actions from several clones land; a forged sign-off pushed with
//! plain git, a force-push, a deletion and a push to another branch are
//! refused with the rule named, and the remote is left as it was.

mod common;

use std::path::PathBuf;

use common::signer::{Signer, signed_register};
use common::sshd::SshServer;
use common::*;
use tempfile::TempDir;

/// A bare register on a "server": a folder, or an SSH server's.
struct Served {
    ssh: Option<SshServer>,
    _folder: Option<TempDir>,
    bare: PathBuf,
}

impl Served {
    fn on_path() -> Served {
        let folder = TempDir::new().unwrap();
        let bare = folder.path().join("register.git");
        Served {
            ssh: None,
            _folder: Some(folder),
            bare,
        }
    }

    fn on_ssh() -> Option<Served> {
        let ssh = SshServer::start()?;
        let bare = ssh.repos().join("register.git");
        Some(Served {
            ssh: Some(ssh),
            _folder: None,
            bare,
        })
    }

    fn url(&self) -> String {
        match &self.ssh {
            Some(ssh) => ssh.url(&self.bare),
            None => self.bare.display().to_string(),
        }
    }

    /// Let `person` reach the server with their own key.
    fn admit(&self, person: &Signer) {
        if let Some(ssh) = &self.ssh {
            ssh.admit(&person.public("id"));
            person.reach_with(&ssh.ssh_command(&person.key("id")));
        }
    }

    /// Make the bare register, `HEAD` naming `branch`, and guard it with
    /// the server's own copy of the tool.
    fn guard(&self, branch: &str, admin: &Reg) {
        let bare = self.bare.to_str().unwrap();
        // Whatever git's default branch, --branch names the register's.
        git(&["init", "-q", "--bare", "--initial-branch", "trunk", bare]);
        let binary = assert_cmd::cargo::cargo_bin!("practice");
        let binary = match &self.ssh {
            Some(ssh) => ssh.install_binary(binary),
            None => binary.to_path_buf(),
        };
        let out = admin
            .command(&binary)
            .args(["guard", "install", "--branch", branch])
            .arg(&self.bare)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{said}");
        assert!(said.contains(&binary.display().to_string()), "{said}");
        assert!(
            said.contains(&format!("guarding refs/heads/{branch}")),
            "{said}"
        );
        if let Some(ssh) = &self.ssh {
            ssh.hand_over(&self.bare);
        }
    }

    /// `git ARGS` on the server's repository, as its administrator would.
    fn git(&self, args: &[&str]) -> String {
        let mut all = vec![
            "-c",
            "safe.directory=*",
            "--git-dir",
            self.bare.to_str().unwrap(),
        ];
        all.extend(args);
        git(&all)
    }

    fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// What sshd logged, to explain a failure.
    fn log(&self) -> String {
        self.ssh.as_ref().map(SshServer::log).unwrap_or_default()
    }
}

/// `git ARGS` in an empty folder of its own, every path given in `args`.
fn git(args: &[&str]) -> String {
    let home = TempDir::new().unwrap();
    let out = isolated("git", home.path())
        .current_dir(home.path())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `git ARGS` by `person` in `reg`: whether it was taken, and what git said.
fn as_person(person: &Signer, reg: &Reg, args: &[&str]) -> (bool, String) {
    let out = person.git(reg.path(), args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `person`'s clone of the served register.
fn clone_by(served: &Served, person: &Signer) -> Reg {
    let reg = Reg::empty();
    let out = person.git(reg.path(), &["clone", "-q", &served.url(), "."]);
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        served.log()
    );
    reg
}

/// The whole story, on `served`.
fn guarded_story(served: &Served) {
    let editor = Signer::new(EDITOR, "ed25519");
    let npcc = Signer::new(reviewer("npcc"), "ed25519");
    let hmicfrs = Signer::new(reviewer("hmicfrs"), "ecdsa");
    let submitter = Signer::new(SUBMITTER, "ed25519");
    submitter.stop_signing();
    for person in [&editor, &npcc, &hmicfrs, &submitter] {
        served.admit(person);
    }
    let local = signed_register(&editor, &[("npcc", &npcc), ("hmicfrs", &hmicfrs)]);
    let branch = local.git(&["symbolic-ref", "--short", "HEAD"]);
    served.guard(branch.trim(), &local);

    // The first push: the whole history, judged and taken.
    local.git(&["remote", "add", "origin", &served.url()]);
    let (taken, said) = as_person(&editor, &local, &["push", "-q", "-u", "origin", "HEAD"]);
    assert!(taken, "{said}\n{}", served.log());
    assert_eq!(served.head(), local.head());

    // A submission from one clone, two signed reviews from two others;
    // the second reviewer's sync replays theirs on top of the first's.
    let force = clone_by(served, &submitter);
    let sample = force.sample_file(SAMPLE_TITLE);
    submitter.ok(
        force.path(),
        &["submit", "--file", sample.to_str().unwrap()],
    );
    submitter.ok(force.path(), &["sync"]);
    let at_npcc = clone_by(served, &npcc);
    let at_hmicfrs = clone_by(served, &hmicfrs);
    for (person, reg, partner) in [
        (&npcc, &at_npcc, "npcc"),
        (&hmicfrs, &at_hmicfrs, "hmicfrs"),
    ] {
        person.ok(
            reg.path(),
            &[
                "review",
                SAMPLE_ID,
                "--decision",
                "suitable",
                "--partner",
                partner,
            ],
        );
    }
    npcc.ok(at_npcc.path(), &["sync"]);
    hmicfrs.ok(at_hmicfrs.path(), &["sync"]);
    assert_eq!(served.head(), at_hmicfrs.head());
    // Plain git on the server verifies both reviews' signatures.
    let signers = local.outside("allowed_signers");
    editor.ok(
        local.path(),
        &[
            "roster",
            "allowed-signers",
            "--out",
            signers.to_str().unwrap(),
        ],
    );
    let allowed = format!("gpg.ssh.allowedSignersFile={}", signers.display());
    let verdicts = served.git(&["-c", &allowed, "log", "-2", "--format=%G? %ae"]);
    assert_eq!(
        verdicts,
        format!("G {}\nG {}\n", hmicfrs.who.email, npcc.who.email)
    );
    let landed = served.head();

    // A sign-off forged by hand in iopc's name, pushed with plain git:
    // refused, the rule named, the server unchanged.
    npcc.ok(at_npcc.path(), &["sync"]);
    at_npcc.forge_sign_off("iopc", STRANGER);
    let (taken, said) = as_person(&npcc, &at_npcc, &["push", "origin", "HEAD"]);
    assert!(!taken, "{said}");
    assert!(said.contains("remote: practice guard:"), "{said}");
    assert!(said.contains("(authority)"), "{said}");
    assert!(said.contains(STRANGER.email), "{said}");
    assert_eq!(served.head(), landed);

    // A force-push that rewrites history: refused.
    at_npcc.git(&["reset", "-q", "--hard", &format!("{landed}~1")]);
    at_npcc.write("NOTES.md", "A note beside the register.\n");
    at_npcc.commit_by_hand(EDITOR, "a note beside the register");
    let (taken, said) = as_person(&npcc, &at_npcc, &["push", "-f", "origin", "HEAD"]);
    assert!(!taken, "{said}");
    assert!(
        said.contains("practice guard: a push that rewrites"),
        "{said}"
    );
    assert_eq!(served.head(), landed);

    // A deletion of the register branch, and a push to another branch:
    // refused.
    let deletion = format!(":refs/heads/{}", branch.trim());
    let (taken, said) = as_person(&npcc, &at_npcc, &["push", "origin", &deletion]);
    assert!(!taken, "{said}");
    assert!(
        said.contains("practice guard: deleting refs/heads/"),
        "{said}"
    );
    let elsewhere = format!("{landed}:refs/heads/elsewhere");
    let (taken, said) = as_person(&npcc, &at_npcc, &["push", "origin", &elsewhere]);
    assert!(!taken, "{said}");
    assert!(said.contains("refs/heads/elsewhere is refused"), "{said}");
    assert_eq!(served.head(), landed);

    // `sync` from a branch the guard does not take: the guard's word,
    // plainly, on one line, and the action kept where it was made.
    at_hmicfrs.git(&["switch", "-q", "-c", "drafts"]);
    hmicfrs.ok(
        at_hmicfrs.path(),
        &[
            "review",
            SAMPLE_ID,
            "--decision",
            "more-information",
            "--comment",
            "Which forces?",
        ],
    );
    let kept = at_hmicfrs.head();
    let line = hmicfrs.refused(&at_hmicfrs, &["sync"]);
    assert!(
        line.contains("`origin` refused the push: its guard found: refs/heads/drafts is refused"),
        "{line}"
    );
    assert!(line.contains("your actions stay on drafts"), "{line}");
    assert_eq!(at_hmicfrs.head(), kept);
    assert_eq!(served.head(), landed);

    // What the server holds passes git's strictest check and the audit.
    served.git(&["fsck", "--strict", "--no-progress"]);
    let check = clone_by(served, &editor);
    let (code, findings) = check.audit();
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

#[test]
fn a_guarded_path_remote_takes_sound_actions_and_refuses_the_rest() {
    guarded_story(&Served::on_path());
}

#[test]
fn a_guarded_ssh_server_takes_sound_actions_and_refuses_the_rest() {
    let Some(served) = Served::on_ssh() else {
        return;
    };
    guarded_story(&served);

    // A stranger's key opens nothing: neither a clone nor a push.
    let stranger = Signer::new(STRANGER, "ed25519");
    let ssh = served.ssh.as_ref().unwrap();
    stranger.reach_with(&ssh.ssh_command(&stranger.key("id")));
    let before = served.head();
    let empty = TempDir::new().unwrap();
    let out = stranger.git(empty.path(), &["clone", "-q", &served.url(), "."]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("Permission denied (publickey)"), "{said}");
    assert_eq!(served.head(), before);
    // An admitted key runs git and nothing else: no shell, no command.
    let officer = Signer::new(SUBMITTER, "ed25519");
    served.admit(&officer);
    let mut ssh_args: Vec<String> = ssh
        .ssh_command(&officer.key("id"))
        .split(' ')
        .skip(1)
        .map(str::to_string)
        .collect();
    ssh_args.extend([
        "-p".into(),
        ssh.port.to_string(),
        format!("{}@127.0.0.1", ssh.account),
        "id".into(),
    ]);
    let out = isolated("ssh", officer.home.path())
        .args(&ssh_args)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
    assert!(said.contains("unrecognized command"), "{said}");
}

/// `git push ARGS` from `reg` with its own git: whether it was taken, and
/// what git said.
fn push(reg: &Reg, args: &[&str]) -> (bool, String) {
    let mut all = vec!["push", "origin"];
    all.extend(args);
    let out = reg.git_output(&all);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn other_refs_are_taken_only_once_an_editor_lists_them() {
    let served = Served::on_path();
    let reg = Reg::with_roster();
    reg.submit_sample();
    let branch = reg.git(&["symbolic-ref", "--short", "HEAD"]);
    served.guard(branch.trim(), &reg);
    reg.git(&["remote", "add", "origin", &served.url()]);
    reg.git(&["push", "-q", "-u", "origin", "HEAD"]);
    reg.git(&["tag", "v1"]);
    let (taken, said) = push(&reg, &["refs/tags/v1"]);
    assert!(!taken, "{said}");
    assert!(said.contains("refs/tags/v1 is refused"), "{said}");
    assert!(said.contains("practice guard allow"), "{said}");

    // What may not be listed, and who may not list it: one line each,
    // nothing changed.
    for bad in ["tags/*", "refs/*/x*", "refs/heads/a..b", "refs/tags/*/*"] {
        let line = reg.refused(EDITOR, &["guard", "allow", bad]);
        assert!(line.contains(bad), "{line}");
    }
    let line = reg.refused(reviewer("npcc"), &["guard", "allow", "refs/tags/*"]);
    assert!(line.contains("editor"), "{line}");
    let line = reg.refused(EDITOR, &["guard", "disallow", "refs/tags/*"]);
    assert!(line.contains("nothing to change"), "{line}");

    // An editor lists tags: one `Action: rules` commit, taken by the guard.
    reg.ok(EDITOR, &["guard", "allow", "refs/tags/*"]);
    assert_eq!(reg.trailer("HEAD", "Action"), "rules");
    assert_eq!(reg.trailer("HEAD", "Rule"), "guard");
    assert_eq!(reg.trailer("HEAD", "Ref"), "refs/tags/*");
    assert_eq!(reg.changed("HEAD"), ["register.yaml"]);
    assert!(
        reg.read("register.yaml")
            .contains("other_refs:\n  - refs/tags/*")
    );
    let line = reg.refused(EDITOR, &["guard", "allow", "refs/tags/*"]);
    assert!(line.contains("already"), "{line}");
    reg.ok(EDITOR, &["sync"]);
    assert_eq!(served.head(), reg.head());
    let (taken, said) = push(&reg, &["refs/tags/v1"]);
    assert!(taken, "{said}");
    assert_eq!(
        served.git(&["rev-parse", "v1^{commit}"]),
        reg.git(&["rev-parse", "v1^{commit}"])
    );
    // Branches are still refused.
    let (taken, said) = push(&reg, &["HEAD:refs/heads/elsewhere"]);
    assert!(!taken, "{said}");
    assert!(said.contains("refs/heads/elsewhere is refused"), "{said}");
    // A tag taken is kept: neither moved nor deleted.
    let tagged = reg.git(&["rev-parse", "v1^{commit}"]);
    reg.git(&["tag", "-f", "v1", "HEAD"]);
    let (taken, said) = push(&reg, &["-f", "refs/tags/v1"]);
    assert!(!taken, "{said}");
    assert!(
        said.contains("moving the tag refs/tags/v1 is refused"),
        "{said}"
    );
    let (taken, said) = push(&reg, &[":refs/tags/v1"]);
    assert!(!taken, "{said}");
    assert!(said.contains("deleting refs/tags/v1 is refused"), "{said}");
    assert_eq!(served.git(&["rev-parse", "v1^{commit}"]), tagged);
    assert_eq!(reg.audit().0, 0);

    // The same change made by hand by a reviewer: the audit finds it,
    // and so does the guard.
    let landed = served.head();
    let text = reg
        .read("register.yaml")
        .replace("  - refs/tags/*", "  - refs/tags/*\n  - refs/heads/*");
    reg.write("register.yaml", &text);
    reg.commit_by_hand(
        reviewer("npcc"),
        "rules: the guard takes pushes to refs/heads/*\n\nAction: rules\nRule: guard\n",
    );
    let (code, findings) = reg.audit();
    assert_eq!(code, 1);
    assert!(
        findings.iter().any(|f| f["rule"] == "authority"),
        "{findings:?}"
    );
    let (taken, said) = push(&reg, &["HEAD"]);
    assert!(!taken, "{said}");
    assert!(said.contains("(authority)"), "{said}");
    assert_eq!(served.head(), landed);
    // By an editor, but as a roster change: the rules are not the roster's.
    reg.git(&["reset", "-q", "--hard", &landed]);
    reg.write("register.yaml", &text);
    reg.commit_by_hand(EDITOR, "roster: add refs/heads/*\n\nAction: roster\n");
    let (_, findings) = reg.audit();
    assert!(
        findings.iter().any(|f| f["rule"] == "trailers-match-files"),
        "{findings:?}"
    );
    // By an editor, naming another rule than the one it changes.
    reg.git(&["reset", "-q", "--hard", &landed]);
    reg.write("register.yaml", &text);
    reg.commit_by_hand(EDITOR, "rules: topics\n\nAction: rules\nRule: topics\n");
    let (_, findings) = reg.audit();
    let found = findings
        .iter()
        .find(|f| f["rule"] == "trailers-match-files")
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert!(
        found["message"]
            .as_str()
            .unwrap()
            .contains("names topics but it changes guard"),
        "{found}"
    );
    reg.git(&["reset", "-q", "--hard", &landed]);

    // Taken off the list again: tags are refused once more.
    reg.ok(EDITOR, &["guard", "disallow", "refs/tags/*"]);
    assert!(!reg.read("register.yaml").contains("guard:"));
    reg.ok(EDITOR, &["sync"]);
    reg.git(&["tag", "v2"]);
    let (taken, said) = push(&reg, &["refs/tags/v2"]);
    assert!(!taken, "{said}");
    assert!(said.contains("refs/tags/v2 is refused"), "{said}");
    assert_eq!(reg.audit().0, 0);
}

#[test]
fn the_workflow_for_a_host_without_hooks_audits_every_push() {
    let reg = Reg::init();
    let text = reg.ok(
        EDITOR,
        &[
            "guard",
            "ci-workflow",
            "--from",
            "https://example.org/practice.git",
            "--rev",
            "v1.2.0",
        ],
    );
    let workflow: serde_json::Value = yaml_of(&text);
    let steps = workflow["jobs"]["audit"]["steps"].as_array().unwrap();
    assert_eq!(steps[0]["with"]["fetch-depth"], 0);
    assert!(
        steps[0]["with"]["ref"]
            .as_str()
            .unwrap()
            .contains("pull_request.head.sha")
    );
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert_eq!(
        runs,
        [
            "cargo install --locked --git https://example.org/practice.git --rev v1.2.0 practice",
            "practice audit"
        ]
    );
    assert!(workflow["on"].get("push").is_some(), "{workflow}");
    // A URL that would smuggle a shell command in: refused.
    let line = reg.refused(
        EDITOR,
        &[
            "guard",
            "ci-workflow",
            "--from",
            "https://x.org/p.git; curl evil",
        ],
    );
    assert!(line.contains("--from"), "{line}");
}

/// YAML read into JSON values, for asserting on a document's shape.
fn yaml_of(text: &str) -> serde_json::Value {
    yaml_serde::from_str(text).unwrap()
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
