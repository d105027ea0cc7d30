//! Helpers for end-to-end tests: temporary registers made by the built
//! binary, people to act as, and plain `git` to check what was written.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

pub mod signer;
pub mod smtp;
pub mod sshd;

/// What no process a test starts may inherit from the shell that runs the
/// tests: a developer's register, identity, dates, editor and pager. Every
/// `GIT_*` variable that shell has set goes as well (see [`isolated`]), so
/// the names here of git's own are there to be read, not needed: which
/// repository (`GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE`, ...), which
/// configuration (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_SYSTEM`, `GIT_CONFIG_COUNT`
/// and its keys), tracing that would add lines to stderr, and programs git
/// would run. A test that wants one of them sets it on its own command.
pub const CLEARED: &[&str] = &[
    "PRACTICE_REGISTER",
    "PRACTICE_NOW",
    "EMAIL",
    "VISUAL",
    "EDITOR",
    "PAGER",
    "SSH_ASKPASS",
    "SSH_AUTH_SOCK",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_COMMITTER_DATE",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_CONFIG",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_PARAMETERS",
    "GIT_TEMPLATE_DIR",
    "GIT_DEFAULT_HASH",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "GIT_PAGER",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_ASKPASS",
    "GIT_TERMINAL_PROMPT",
    "GIT_TRACE",
];

/// What every process a test starts is given instead: a home of its own
/// (`HOME`, and `XDG_CONFIG_HOME` for git's second user config), no system
/// config, and no colour, whatever the terminal.
fn fixed(home: &Path) -> [(&'static str, &OsStr); 4] {
    [
        ("HOME", home.as_os_str()),
        ("XDG_CONFIG_HOME", home.as_os_str()),
        ("GIT_CONFIG_NOSYSTEM", OsStr::new("1")),
        ("NO_COLOR", OsStr::new("1")),
    ]
}

/// `program`, to be started by a test with an environment of its own: every
/// variable in [`CLEARED`] and every `GIT_*` one removed, then [`fixed`]'s
/// set with `home` as the home. Every process a test starts is made here
/// (or copies the environment of one that was), so a variable added to
/// either list reaches every test.
pub fn isolated(program: impl AsRef<OsStr>, home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    let inherited = std::env::vars_os()
        .map(|(name, _)| name)
        .filter(|name| name.to_string_lossy().starts_with("GIT_"));
    for name in inherited {
        cmd.env_remove(name);
    }
    for name in CLEARED {
        cmd.env_remove(name);
    }
    cmd.envs(fixed(home));
    cmd
}

/// Someone who acts on a register.
#[derive(Debug, Clone, Copy)]
pub struct Who {
    pub name: &'static str,
    pub email: &'static str,
}

pub const EDITOR: Who = Who {
    name: "Sam Editor",
    email: "sam.editor@college.police.uk",
};
pub const SUBMITTER: Who = Who {
    name: "Jo Bloggs",
    email: "jo.bloggs@dorset.police.uk",
};
pub const STRANGER: Who = Who {
    name: "Lee Other",
    email: "lee.other@kent.police.uk",
};
/// One reviewer for each partner, in the register's order.
pub const REVIEWERS: [(&str, Who); 4] = [
    (
        "college-of-policing",
        Who {
            name: "Alex Shaw",
            email: "alex.shaw@college.police.uk",
        },
    ),
    (
        "npcc",
        Who {
            name: "Pat Chief",
            email: "pat.chief@npcc.police.uk",
        },
    ),
    (
        "hmicfrs",
        Who {
            name: "Kim Inspector",
            email: "kim.inspector@hmicfrs.gov.uk",
        },
    ),
    (
        "iopc",
        Who {
            name: "Ray Conduct",
            email: "ray.conduct@policeconduct.gov.uk",
        },
    ),
];

pub fn reviewer(partner: &str) -> Who {
    REVIEWERS
        .iter()
        .find(|(p, _)| *p == partner)
        .expect("a partner")
        .1
}

/// A second reviewer for npcc, beside `reviewer("npcc")`.
pub const SECOND_NPCC: Who = Who {
    name: "Kim Second",
    email: "kim.second@npcc.police.uk",
};

/// A register in a temporary folder, with a home of its own so the machine's
/// git config never leaks in.
pub struct Reg {
    pub dir: TempDir,
    home: TempDir,
    /// The author date of every action and hand-made commit, for a register
    /// whose history is set in the past; else now.
    clock: Option<String>,
}

/// What must not change when an action is refused.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    head: String,
    status: String,
    diff: String,
    staged: String,
}

impl Reg {
    /// An empty folder, not yet a register.
    pub fn empty() -> Reg {
        Reg {
            dir: TempDir::new().unwrap(),
            home: TempDir::new().unwrap(),
            clock: None,
        }
    }

    /// A register made by `practice init`, by the editor.
    pub fn init() -> Reg {
        let reg = Reg::empty();
        reg.ok(EDITOR, &["init"]);
        reg
    }

    /// A register whose roster has one reviewer for each partner.
    pub fn with_roster() -> Reg {
        Reg::init().and_roster()
    }

    /// The same, its every action authored at `at` unless a command says
    /// otherwise: for tests that date actions in the past, which may not be
    /// dated before the actions they follow.
    pub fn with_roster_at(at: &str) -> Reg {
        let mut reg = Reg::empty();
        reg.clock = Some(at.to_string());
        reg.ok(EDITOR, &["init"]);
        reg.and_roster()
    }

    fn and_roster(self) -> Reg {
        for (partner, who) in REVIEWERS {
            self.add_reviewer(partner, who);
        }
        self
    }

    /// The editor adds `who` as a reviewer for `partner`.
    pub fn add_reviewer(&self, partner: &str, who: Who) {
        self.ok(
            EDITOR,
            &[
                "roster",
                "add",
                "--partner",
                partner,
                "--name",
                who.name,
                "--email",
                who.email,
            ],
        );
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.file(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// `program`, isolated as [`isolated`] with this register's home.
    pub fn command(&self, program: impl AsRef<OsStr>) -> std::process::Command {
        isolated(program, self.home.path())
    }

    /// `git`, isolated, in the register's folder.
    fn git_command(&self) -> Command {
        let mut cmd = self.command("git");
        cmd.current_dir(self.path());
        Command::from_std(cmd)
    }

    /// `practice ARGS` run by `who`, in the register's folder.
    pub fn practice(&self, who: Who, args: &[&str]) -> Command {
        Command::from_std(self.spawnable(who, args))
    }

    /// The same, as a plain process to start and leave running.
    pub fn spawnable(&self, who: Who, args: &[&str]) -> std::process::Command {
        let mut cmd = self.command(assert_cmd::cargo::cargo_bin!("practice"));
        cmd.current_dir(self.path())
            .env("GIT_AUTHOR_NAME", who.name)
            .env("GIT_AUTHOR_EMAIL", who.email)
            .env("GIT_COMMITTER_NAME", who.name)
            .env("GIT_COMMITTER_EMAIL", who.email)
            .args(args);
        if let Some(at) = &self.clock {
            cmd.env("GIT_AUTHOR_DATE", at);
        }
        cmd
    }

    /// Run `practice ARGS` as `who` and insist it succeeds; its stdout.
    pub fn ok(&self, who: Who, args: &[&str]) -> String {
        let out = self.practice(who, args).output().unwrap();
        assert!(
            out.status.success(),
            "practice {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Run `practice ARGS` as `who`, taken at `when` (its author and
    /// committer date), and insist it succeeds; its stdout, trimmed.
    pub fn ok_at(&self, when: &str, who: Who, args: &[&str]) -> String {
        let out = self
            .practice(who, args)
            .env("GIT_AUTHOR_DATE", when)
            .env("GIT_COMMITTER_DATE", when)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "practice {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// `practice ARGS` as `who`, reading the register as of `now`
    /// (`PRACTICE_NOW`), with no author date of its own.
    pub fn as_of(&self, now: &str, who: Who, args: &[&str]) -> Command {
        let mut cmd = self.practice(who, args);
        cmd.env_remove("GIT_AUTHOR_DATE").env("PRACTICE_NOW", now);
        cmd
    }

    /// The same, insisting it succeeds: its stdout as JSON.
    pub fn json_as_of(&self, now: &str, who: Who, args: &[&str]) -> serde_json::Value {
        let out = self.as_of(now, who, args).output().unwrap();
        assert!(
            out.status.success(),
            "practice {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Run `practice ARGS` as `who`, insist it is refused in one line with a
    /// non-zero exit and nothing changed on disk or in git; that line.
    pub fn refused(&self, who: Who, args: &[&str]) -> String {
        let before = self.snapshot();
        let out = self.practice(who, args).output().unwrap();
        assert!(
            !out.status.success(),
            "practice {args:?} should have been refused"
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "one line, not: {stderr}"
        );
        assert!(stderr.starts_with("practice: "), "{stderr}");
        assert_eq!(
            self.snapshot(),
            before,
            "practice {args:?} changed something"
        );
        stderr.trim_end().to_string()
    }

    /// `git ARGS` in the register; its stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn git_output(&self, args: &[&str]) -> Output {
        self.git_output_as(EDITOR, args)
    }

    fn git_output_as(&self, who: Who, args: &[&str]) -> Output {
        let mut cmd = self.git_command();
        if let Some(at) = &self.clock {
            cmd.env("GIT_AUTHOR_DATE", at);
        }
        cmd.env("GIT_AUTHOR_NAME", who.name)
            .env("GIT_AUTHOR_EMAIL", who.email)
            .env("GIT_COMMITTER_NAME", who.name)
            .env("GIT_COMMITTER_EMAIL", who.email)
            .args(args)
            .output()
            .unwrap()
    }

    /// `git mktree` fed `listing` (lines of `git ls-tree`): the new tree's id.
    pub fn mktree(&self, listing: &str) -> String {
        let out = self
            .git_command()
            .arg("mktree")
            .write_stdin(listing.to_string())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// Commit everything in the working tree by hand, as `who`, with
    /// `message`: how someone bypassing the tool would change the register.
    pub fn commit_by_hand(&self, who: Who, message: &str) -> String {
        for args in [&["add", "-A"][..], &["commit", "-q", "-m", message][..]] {
            let out = self.git_output_as(who, args);
            assert!(
                out.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        self.head()
    }

    /// A clone of this register, made with plain git.
    pub fn clone_register(&self) -> Reg {
        Reg::clone_of(self.path())
    }

    /// A clone of the repository at `source` (a register or a bare remote).
    pub fn clone_of(source: &Path) -> Reg {
        let copy = Reg::empty();
        let out = copy
            .command("git")
            .args(["clone", "-q"])
            .arg(source)
            .arg(copy.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        copy
    }

    /// A `suitable` sign-off for `partner` on the sample activity, made
    /// and committed by hand by `who` as the tool would write it: the
    /// forgery a stranger on no list would try.
    pub fn forge_sign_off(&self, partner: &str, who: Who) -> String {
        self.write(
            &format!("reviews/{SAMPLE_ID}/round-1/{partner}.yaml"),
            &format!(
                "practice: {SAMPLE_ID}\nround: 1\npartner: {partner}\ndecision: suitable\nreviewer: {{ name: {}, email: {} }}\nsigned_at: {}\n",
                who.name,
                who.email,
                now()
            ),
        );
        self.commit_by_hand(
            who,
            &format!(
                "review {SAMPLE_ID}: {partner} suitable (round 1)\n\nPractice-Id: {SAMPLE_ID}\nAction: review\nPartner: {partner}\nDecision: suitable\nRound: 1\n"
            ),
        )
    }

    /// Insist the audit finds nothing.
    pub fn assert_sound(&self) {
        let (code, findings) = self.audit();
        assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
    }

    /// Insist the audit fails with a finding whose message says `says`.
    pub fn assert_found(&self, says: &str) {
        let (code, findings) = self.audit();
        let messages: Vec<&str> = findings
            .iter()
            .filter_map(|f| f["message"].as_str())
            .collect();
        assert_eq!(code, 1, "{says}: {messages:?}");
        assert!(
            messages.iter().any(|m| m.contains(says)),
            "{says}: {messages:?}"
        );
    }

    /// `practice audit --json` as the editor: its exit code and findings.
    pub fn audit(&self) -> (i32, Vec<serde_json::Value>) {
        let out = self
            .practice(EDITOR, &["audit", "--json"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "audit printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (
            out.status.code().unwrap(),
            json["findings"].as_array().unwrap().clone(),
        )
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    pub fn commit_count(&self) -> usize {
        self.git(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap()
    }

    /// `git status --porcelain`, untracked files included.
    pub fn status(&self) -> String {
        self.git(&["status", "--porcelain", "--untracked-files=all"])
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            head: self
                .git(&["rev-parse", "--verify", "-q", "HEAD"])
                .trim()
                .to_string(),
            status: self.status(),
            diff: self.git(&["diff"]),
            staged: self.git(&["diff", "--cached"]),
        }
    }

    /// The value of trailer `key` on commit `rev`, as plain git reads it.
    pub fn trailer(&self, rev: &str, key: &str) -> String {
        self.git(&[
            "log",
            "-1",
            &format!("--format=%(trailers:key={key},valueonly,separator=%x2C)"),
            rev,
        ])
        .trim()
        .to_string()
    }

    /// Files the commit `rev` changed.
    pub fn changed(&self, rev: &str) -> Vec<String> {
        self.git(&["show", "--name-only", "--format=", rev])
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// `practice show ID --json`.
    pub fn show(&self, id: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(EDITOR, &["show", id, "--json"])).unwrap()
    }

    pub fn stage(&self, id: &str) -> String {
        self.show(id)["stage"].as_str().unwrap().to_string()
    }

    /// Submit the sample activity as the submitter; its id.
    pub fn submit_sample(&self) -> String {
        self.submit_titled(SAMPLE_TITLE)
    }

    /// The sample activity under another title, as a file beside the
    /// register, ready for `submit --file`.
    pub fn sample_file(&self, title: &str) -> PathBuf {
        let name: String = title
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        self.write_outside(
            &format!("{name}.yaml"),
            &SAMPLE_ACTIVITY.replace(SAMPLE_TITLE, title),
        )
    }

    /// Submit the sample under another title as the submitter; its id.
    pub fn submit_titled(&self, title: &str) -> String {
        let file = self.sample_file(title);
        self.ok(SUBMITTER, &["submit", "--file", file.to_str().unwrap()])
            .trim()
            .to_string()
    }

    /// The same, submitted at `when`; its id.
    pub fn submit_titled_at(&self, when: &str, title: &str) -> String {
        let file = self.sample_file(title);
        self.ok_at(
            when,
            SUBMITTER,
            &["submit", "--file", file.to_str().unwrap()],
        )
    }

    /// A folder beside the register, for input files that are not part of it.
    pub fn outside(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    pub fn write_outside(&self, name: &str, text: &str) -> PathBuf {
        let path = self.outside(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Fill the sections a draft leaves empty, and pass the report back as
    /// the editor.
    pub fn complete_report(&self, id: &str) {
        let path = format!("submissions/{id}/report.yaml");
        let text = self
            .read(&path)
            .replace("learning: ''", "learning: Start with one shift pattern.")
            .replace("resources: ''", "resources: A video platform licence.")
            .replace("impact: ''", "impact: Victims reached in minutes.");
        self.write(&path, &text);
        self.ok(EDITOR, &["write-up", id, "--file", &path]);
    }

    /// The sample, submitted and found suitable by every partner.
    pub fn approved_sample(&self) -> String {
        let id = self.submit_sample();
        self.all_decide(&id, "suitable");
        id
    }

    /// The sample, found suitable by the College and returned by npcc
    /// asking "What did it cost?".
    pub fn returned_sample(&self) -> String {
        let id = self.submit_sample();
        self.ok(
            reviewer("college-of-policing"),
            &["review", &id, "--decision", "suitable"],
        );
        self.ok(
            reviewer("npcc"),
            &[
                "review",
                &id,
                "--decision",
                "more-information",
                "--comment",
                "What did it cost?",
            ],
        );
        assert_eq!(self.stage(&id), "returned");
        id
    }

    /// The sample, approved and written up.
    pub fn written_up_sample(&self) -> String {
        self.written_up_sample_titled(SAMPLE_TITLE)
    }

    /// The sample under another title, approved and written up.
    pub fn written_up_sample_titled(&self, title: &str) -> String {
        let id = self.submit_titled(title);
        self.all_decide(&id, "suitable");
        self.ok(EDITOR, &["write-up", &id]);
        self.complete_report(&id);
        id
    }

    /// Every partner records `decision` (with a comment) as its reviewer.
    pub fn all_decide(&self, id: &str, decision: &str) {
        for (partner, who) in REVIEWERS {
            self.ok(
                who,
                &[
                    "review",
                    id,
                    "--decision",
                    decision,
                    "--comment",
                    "Reviewed.",
                ],
            );
            let _ = partner;
        }
    }
}

/// An activity as a force writes it, without id or submitted.
pub const SAMPLE_ACTIVITY: &str = "\
title: Enhanced video response (EVR)
organisations: [dorset police]
topic: Vulnerable people
focus: Prevention
target_groups: [Victims]
region: South West
scale: Local
implementation: implemented
started: 2022-04-01
contact: { name: Jo Bloggs, email: jo.bloggs@dorset.police.uk }
summary: Video calls to victims of domestic abuse instead of a wait for a visit.
problem: |
  Victims waited hours for an officer to attend.
aim: |
  To reach victims sooner.
activity: |
  Officers answered by live video call.
";

pub const SAMPLE_TITLE: &str = "Enhanced video response (EVR)";

pub const SAMPLE_ID: &str = "enhanced-video-response-dorset-police";

/// Now, as a sign-off writes its `signed_at`: a hand-made sign-off records
/// the moment of its commit, as `practice review` does.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The first control character other than a line break in `text`: what
/// the tool must never write raw to a terminal.
pub fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|c| c.is_control() && *c != '\n')
}
