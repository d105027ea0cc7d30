//! `State::introduced_by`, the commit that gave a file the content it has in
//! HEAD, pinned against `git log -1 -- PATH` and against a plain reading of
//! its definition, on a history with re-reviews, an amendment and merges.

mod common;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use git2::{Oid, Repository};
use practice::register::Register;

/// Tool commands with their own author and committer dates, a minute apart,
/// so the walk's order among branches is fixed; `signed` keeps an earlier
/// author date, which a sign-off records as its `signed_at`.
struct Clock {
    reg: Reg,
    now: Cell<i64>,
}

impl Clock {
    fn tick(&self) -> i64 {
        self.now.set(self.now.get() + 60);
        self.now.get()
    }

    /// `practice ARGS` as `who`, now; its stdout.
    fn act(&self, who: Who, args: &[&str]) -> String {
        let at = self.tick();
        self.signed(who, at, args)
    }

    /// The same, with `signed` for the author's date.
    fn signed(&self, who: Who, signed: i64, args: &[&str]) -> String {
        let committed = self.tick();
        let out = self
            .reg
            .practice(who, args)
            .env("GIT_AUTHOR_DATE", format!("@{signed} +0000"))
            .env("GIT_COMMITTER_DATE", format!("@{committed} +0000"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "practice {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Submit the sample under `title`; its id.
    fn submit(&self, title: &str) -> String {
        let file = self.reg.sample_file(title);
        let id = self.act(SUBMITTER, &["submit", "--file", file.to_str().unwrap()]);
        id.trim().to_string()
    }

    /// A review signed now; the commit it made.
    fn review(&self, id: &str, partner: &str, decision: &str) -> String {
        self.review_signed(id, partner, decision, self.tick())
    }

    fn review_signed(&self, id: &str, partner: &str, decision: &str, signed: i64) -> String {
        let mut args = vec!["review", id, "--decision", decision];
        if decision != "suitable" {
            args.extend(["--comment", "Reviewed."]);
        }
        self.signed(reviewer(partner), signed, &args);
        self.reg.head()
    }
}

/// The definition, read plainly (as `introduced_by` was first written): the
/// newest commit in the walk whose tree holds the path's blob in HEAD where
/// no parent's tree held it.
fn by_definition(repo: &Repository, path: &str) -> Option<Oid> {
    let at = |tree: &git2::Tree<'_>| tree.get_path(Path::new(path)).ok().map(|e| e.id());
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let blob = head
        .tree()
        .unwrap()
        .get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(git2::ObjectType::Blob))?
        .id();
    let mut walk = repo.revwalk().unwrap();
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
        .unwrap();
    walk.push(head.id()).unwrap();
    walk.map(|oid| repo.find_commit(oid.unwrap()).unwrap())
        .find(|c| {
            at(&c.tree().unwrap()) == Some(blob)
                && !c.parents().any(|p| at(&p.tree().unwrap()) == Some(blob))
        })
        .map(|c| c.id())
}

fn git_log(reg: &Reg, path: &str) -> String {
    reg.git(&["log", "-1", "--format=%H", "--", path])
        .trim()
        .to_string()
}

fn introduced(reg: &Reg, paths: &[String]) -> BTreeMap<String, String> {
    let register = Register::open(reg.path()).unwrap();
    let state = register.state().unwrap();
    state
        .introduced_by(paths)
        .unwrap()
        .into_iter()
        .map(|(p, c)| (p, c.to_string()))
        .collect()
}

#[test]
fn introduced_by_agrees_with_git_log_and_with_its_definition() {
    let clock = Clock {
        reg: Reg::with_roster(),
        now: Cell::new(1_800_000_000),
    };
    let reg = &clock.reg;
    let main = reg
        .git(&["symbolic-ref", "--short", "HEAD"])
        .trim()
        .to_string();

    // A sign-off rewritten, then rewritten back to the very same bytes.
    let id = &clock.submit(SAMPLE_TITLE);
    let npcc = format!("reviews/{id}/round-1/npcc.yaml");
    clock.review(id, "college-of-policing", "suitable");
    let signed = clock.tick();
    let once = clock.review_signed(id, "npcc", "suitable", signed);
    clock.review(id, "hmicfrs", "suitable");
    clock.review(id, "iopc", "suitable");
    let changed = clock.review(id, "npcc", "not-suitable");
    let back = clock.review_signed(id, "npcc", "suitable", signed);
    assert_eq!(
        reg.git(&["rev-parse", &format!("{once}:{npcc}")]),
        reg.git(&["rev-parse", &format!("HEAD:{npcc}")]),
        "the sign-off is back to its first bytes"
    );
    assert_ne!(once, back);
    assert_ne!(changed, back);
    clock.act(EDITOR, &["write-up", id]);
    let report = format!("submissions/{id}/report.yaml");
    let text = reg
        .read(&report)
        .replace("learning: ''", "learning: Start small.")
        .replace("resources: ''", "resources: A licence.")
        .replace("impact: ''", "impact: Minutes, not hours.");
    reg.write(&report, &text);
    clock.act(EDITOR, &["write-up", id, "--file", &report]);

    // Another returned, amended into a second round, and decided there on
    // two branches that are then merged.
    let other = &clock.submit("Second scheme");
    clock.review(other, "hmicfrs", "more-information");
    let amended = reg.sample_file("Second scheme");
    std::fs::write(
        &amended,
        std::fs::read_to_string(&amended).unwrap() + "evidence: Outcomes so far.\n",
    )
    .unwrap();
    clock.act(
        SUBMITTER,
        &[
            "amend",
            other,
            "--file",
            amended.to_str().unwrap(),
            "--reply",
            "Outcomes added.",
        ],
    );
    clock.review(other, "college-of-policing", "suitable");
    reg.git(&["checkout", "-q", "-b", "side"]);
    let on_side = clock.review(other, "iopc", "suitable");
    reg.git(&["checkout", "-q", &main]);
    clock.review(other, "hmicfrs", "suitable");
    reg.git(&["merge", "-q", "--no-ff", "-m", "merge side", "side"]);

    // The same sign-off, to the byte, made on two branches: both parents of
    // the merge hold it.
    let third = &clock.submit("Third scheme");
    let twice = format!("reviews/{third}/round-1/npcc.yaml");
    let signed = clock.tick();
    reg.git(&["checkout", "-q", "-b", "twin"]);
    reg.git(&["checkout", "-q", &main]);
    let on_main = clock.review_signed(third, "npcc", "suitable", signed);
    reg.git(&["checkout", "-q", "twin"]);
    let on_twin = clock.review_signed(third, "npcc", "suitable", signed);
    reg.git(&["checkout", "-q", &main]);
    reg.git(&["merge", "-q", "--no-ff", "-m", "merge twin", "twin"]);

    // Published: the approval names the commits introduced_by finds.
    clock.act(EDITOR, &["publish", id, "--yes"]);
    let published = reg.read(&format!("published/{id}.yaml"));
    assert!(
        published.contains(&format!("commit: {back}"))
            || published.contains(&format!("commit: '{back}'")),
        "{published}"
    );

    // A sign-off removed by hand is absent from HEAD, so from the answer.
    let gone = format!("reviews/{other}/round-1/hmicfrs.yaml");
    std::fs::remove_file(reg.file(&gone)).unwrap();
    let removal = reg.commit_by_hand(EDITOR, "remove a sign-off");

    let mut paths: Vec<String> = reg
        .git(&["ls-tree", "-r", "--name-only", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect();
    paths.push(gone.clone());
    paths.push("reviews/nothing-here/round-1/npcc.yaml".into());
    let all = introduced(reg, &paths);

    let repo = Repository::open(reg.path()).unwrap();
    for path in &paths {
        let alone = introduced(reg, std::slice::from_ref(path));
        assert_eq!(
            alone.get(path),
            all.get(path),
            "{path}: alone and among all"
        );
        assert_eq!(
            all.get(path).cloned(),
            by_definition(&repo, path).map(|c| c.to_string()),
            "{path}: by definition"
        );
        if *path != twice && *path != gone && !path.starts_with("reviews/nothing-here") {
            assert_eq!(all.get(path), Some(&git_log(reg, path)), "{path}: git log");
        }
    }
    // The rewritten sign-off was introduced by its rewriting back, as git
    // log says too: its first commit no longer made the content HEAD has.
    assert_eq!(all[&npcc], back);
    assert_eq!(all[&format!("reviews/{other}/round-2/iopc.yaml")], on_side);
    assert!(!all.contains_key(&gone));
    assert_eq!(git_log(reg, &gone), removal);
    // Both parents of the merge held the twin sign-off, so the merge did not
    // introduce it; of the two commits that did, the walk meets the newer
    // first. git log follows the first parent the merge is the same as and
    // names the older.
    assert_eq!(all[&twice], on_twin);
    assert_eq!(git_log(reg, &twice), on_main);
}
