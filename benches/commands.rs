//! `cargo bench`: each command of `practice` against the git command doing
//! the same reading or writing, on registers of 100, 1,000 and 10,000
//! activities (set PRACTICE_BENCH_SIZES=100,1000 to choose, and
//! PRACTICE_BENCH_COMMANDS=publish,inbox to time only some). Registers are
//! generated once into target/bench-registers/ (10,000 takes some minutes)
//! and reused. Prints, for each command, the median time of several runs and
//! its ratio to git's. The `signed` rows use a second register of each size
//! whose every commit is signed (PRACTICE_BENCH_COMMANDS=signed for those
//! alone): the audit against `git log --name-status` and against git
//! checking every signature, and one signed review against `git commit -S`.

#[path = "support/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PRACTICE: &str = env!("CARGO_BIN_EXE_practice");

/// A reviewer for npcc, who runs every command unless told otherwise.
const REVIEWER: (&str, &str) = ("Pat Chief", "pat.chief@npcc.police.uk");
const EDITOR: (&str, &str) = ("Sam Editor", "sam.editor@college.police.uk");

fn run(dir: &Path, program: &str, args: &[&str]) -> Duration {
    run_as(REVIEWER, dir, program, args)
}

fn run_as(who: (&str, &str), dir: &Path, program: &str, args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", who.0)
        .env("GIT_AUTHOR_EMAIL", who.1)
        .env("GIT_COMMITTER_NAME", who.0)
        .env("GIT_COMMITTER_EMAIL", who.1)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    let took = start.elapsed();
    assert!(
        status.success() || program == PRACTICE && args == ["audit"],
        "{program} {args:?} failed"
    );
    took
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn sh(dir: &Path, script: &str) -> Duration {
    run(dir, "sh", &["-c", script])
}

fn register(n: usize, signed: bool) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-registers");
    let dir = root.join(if signed {
        format!("{n}-signed")
    } else {
        n.to_string()
    });
    if !dir.join("register.yaml").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!(
            "generating a register of {n} activities in {} …",
            dir.display()
        );
        let g = generate::generate(&dir, n, signed).expect("generates");
        eprintln!("  {} sign-offs, {} commits", g.sign_offs, g.commits);
    }
    dir
}

/// The first audit of `dir`, without its checkpoint: the median of up to
/// three runs.
fn cold_audit(dir: &Path, reps: usize) -> Duration {
    let checkpoint = dir.join(".git/practice-audit.json");
    median(
        (0..reps.min(3))
            .map(|_| {
                let _ = std::fs::remove_file(&checkpoint);
                run(dir, PRACTICE, &["audit"])
            })
            .collect(),
    )
}

/// HEAD's commit id in `dir`.
fn head_of(dir: &Path) -> String {
    git_out(dir, &["rev-parse", "HEAD"])
}

/// One review of the activity `id`, awaiting its first decision, against
/// git add and git commit (`-S` when `signed`) of the same file: the median
/// of `reps` runs of each, every one undone after it.
fn review_against_git(dir: &Path, id: &str, reps: usize, signed: bool) -> (Duration, Duration) {
    let head = head_of(dir);
    let reset = |dir: &Path| sh(dir, &format!("git reset -q --hard {head}"));
    let ours = median(
        (0..reps)
            .map(|_| {
                let t = run(dir, PRACTICE, &["review", id, "--decision", "suitable"]);
                reset(dir);
                t
            })
            .collect(),
    );
    let path = format!("reviews/{id}/round-1/npcc.yaml");
    let sign = if signed { " -S" } else { "" };
    let git = median(
        (0..reps)
            .map(|_| {
                let t = sh(dir, &format!(
                    "mkdir -p reviews/{id}/round-1 && printf 'decision: suitable\\n' > {path} && git add {path} && git commit -q{sign} -m 'review {id}'"
                ));
                reset(dir);
                t
            })
            .collect(),
    );
    (ours, git)
}

/// The id the generator gives its `i`th activity.
fn scheme_id(i: usize) -> String {
    let forces: Vec<&str> = practice::forces::all().collect();
    practice::id::PracticeId::derive(&format!("Scheme {i}"), forces[i % forces.len()])
        .unwrap()
        .to_string()
}

struct Row {
    what: &'static str,
    n: usize,
    ours: Duration,
    git: Duration,
    target: &'static str,
}

impl Row {
    fn line(&self) -> String {
        format!(
            "{:<15} {:>7} {:>9.1}ms {:>9.1}ms {:>6.2}x  {}",
            self.what,
            self.n,
            self.ours.as_secs_f64() * 1000.0,
            self.git.as_secs_f64() * 1000.0,
            self.ours.as_secs_f64() / self.git.as_secs_f64(),
            self.target
        )
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::var("PRACTICE_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1000, 10000]);
    // PRACTICE_BENCH_COMMANDS=publish,inbox times only those.
    let only: Option<Vec<String>> = std::env::var("PRACTICE_BENCH_COMMANDS")
        .ok()
        .map(|s| s.split(',').map(|c| c.trim().to_string()).collect());
    let wants = |command: &str| only.as_ref().is_none_or(|o| o.iter().any(|c| c == command));
    let mut rows = Vec::new();
    // Each row as it is measured, for long runs; all of them at the end.
    let mut push = |row: Row| {
        eprintln!("{}", row.line());
        rows.push(row);
    };
    let unsigned = [
        "list", "show", "history", "audit", "review", "publish", "inbox", "remind", "site",
    ];
    let unsigned = if unsigned.iter().any(|c| wants(c)) {
        sizes.clone()
    } else {
        Vec::new()
    };
    for n in unsigned {
        let dir = register(n, false);
        let head = head_of(&dir);
        let reps = if n >= 10000 { 3 } else { 7 };
        let time = |program: &str, args: &[&str]| {
            median((0..reps).map(|_| run(&dir, program, args)).collect())
        };

        let show_id = "scheme-0-avon-and-somerset-constabulary";
        if wants("list") {
            push(Row {
                what: "list",
                n,
                ours: time(PRACTICE, &["list"]),
                git: time("git", &["ls-tree", "-r", "HEAD"]),
                target: "< 0.3 s",
            });
        }
        // The first list after a clone has no clock cache: it reads every
        // commit's trailers once, as git log printing them does.
        let trailers = [
            "log",
            "--format=%H %aI %(trailers:key=Action,valueonly,separator=) %(trailers:key=Practice-Id,valueonly,separator=) %(trailers:key=Round,valueonly,separator=)",
        ];
        if wants("list") {
            let clock = dir.join(".git/practice-clock.json");
            let ours = median(
                (0..reps)
                    .map(|_| {
                        let _ = std::fs::remove_file(&clock);
                        run(&dir, PRACTICE, &["list"])
                    })
                    .collect(),
            );
            push(Row {
                what: "list (no clock)",
                n,
                ours,
                git: time("git", &trailers),
                target: "(none set)",
            });
        }
        if wants("show") {
            push(Row {
                what: "show",
                n,
                ours: time(PRACTICE, &["show", show_id]),
                git: time(
                    "git",
                    &[
                        "cat-file",
                        "-p",
                        &format!("HEAD:submissions/{show_id}/activity.yaml"),
                    ],
                ),
                target: "< 50 ms",
            });
        }
        if wants("history") {
            push(Row {
                what: "history",
                n,
                ours: time(PRACTICE, &["history"]),
                git: time(
                    "git",
                    &[
                        "log",
                        "--format=%H %aI %an %ae %(trailers:key=Action,valueonly,separator=) %(trailers:key=Practice-Id,valueonly,separator=) %(trailers:key=Partner,valueonly,separator=) %(trailers:key=Decision,valueonly,separator=) %(trailers:key=Round,valueonly,separator=)",
                    ],
                ),
                target: "<= 1.5x git",
            });
        }
        if wants("audit") {
            let cold = cold_audit(&dir, reps);
            let name_status = time("git", &["log", "--name-status", "--format=%H"]);
            push(Row {
                what: "audit",
                n,
                ours: cold,
                git: name_status,
                target: "<= 2x git",
            });
            run(&dir, PRACTICE, &["audit"]);
            push(Row {
                what: "audit again",
                n,
                ours: time(PRACTICE, &["audit"]),
                git: name_status,
                target: "pays for new commits only",
            });
        }
        let reset = |dir: &Path| sh(dir, &format!("git reset -q --hard {head}"));
        // One review of an activity awaiting its first decision, against
        // git add and git commit of the same file; undone after each run.
        let open: Vec<usize> = (0..n).filter(|i| i % 100 == 99).collect();
        if let Some(&i) = open.first().filter(|_| wants("review")) {
            let (ours, git) = review_against_git(&dir, &scheme_id(i), reps, false);
            push(Row {
                what: "review",
                n,
                ours,
                git,
                target: "<= git add + commit",
            });
        }
        // Publishing the oldest activity left written up (see the
        // generator) names the commits of its sign-offs, which lie near the
        // start of history: against git log finding the newest commit that
        // changed them, which walks as far. Undone after each run.
        if n > 2 && wants("publish") {
            let id = scheme_id(2);
            let ours = median(
                (0..reps)
                    .map(|_| {
                        let t = run_as(EDITOR, &dir, PRACTICE, &["publish", &id, "--yes"]);
                        reset(&dir);
                        t
                    })
                    .collect(),
            );
            let mut args = vec![
                "log".to_string(),
                "-1".into(),
                "--format=%H".into(),
                "--".into(),
            ];
            for partner in ["college-of-policing", "npcc", "hmicfrs", "iopc"] {
                args.push(format!("reviews/{id}/round-1/{partner}.yaml"));
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            push(Row {
                what: "publish",
                n,
                ours,
                git: time("git", &args),
                target: "<= 1.5x git log -1",
            });
        }
        // An inbox reads every activity in HEAD and dates each second round
        // from the commit that opened it, in one walk of history: against
        // git reading every file of HEAD, then listing in one walk the
        // review files each commit changed, from which the openings can be
        // read. (git log given the hundred placeholders' paths instead
        // matches each against every entry of reviews/ at every commit, and
        // takes minutes.)
        let read_all = "git ls-tree -r --format='%(objectname)' HEAD | git cat-file --batch >/dev/null \
             && git log --format=%H --name-only -- reviews >/dev/null";
        let git = if wants("inbox") {
            median((0..reps).map(|_| sh(&dir, read_all)).collect())
        } else {
            Duration::ZERO
        };
        let inboxes = [("inbox (npcc)", REVIEWER), ("inbox (editor)", EDITOR)];
        for (what, who) in inboxes.into_iter().filter(|_| wants("inbox")) {
            push(Row {
                what,
                n,
                ours: median(
                    (0..reps)
                        .map(|_| run_as(who, &dir, PRACTICE, &["inbox"]))
                        .collect(),
                ),
                git,
                target: "(none set)",
            });
        }
        // The website reads every published entry and its sign-offs and
        // writes a page each: against git reading every published file.
        if wants("site") {
            let out = dir.join("../site-bench-out");
            let out = out.to_str().expect("a UTF-8 path");
            push(Row {
                what: "site",
                n,
                ours: time(PRACTICE, &["site", "--out", out]),
                git: median(
                    (0..reps)
                        .map(|_| {
                            sh(
                                &dir,
                                "git ls-tree -r --format='%(objectname)' HEAD published | git cat-file --batch >/dev/null",
                            )
                        })
                        .collect(),
                ),
                target: "< 3 s",
            });
        }
        // Reminders read every activity and the clock, as the editor's
        // inbox does, and print the mbox: against the same reading by git.
        if wants("remind") {
            push(Row {
                what: "remind",
                n,
                ours: median(
                    (0..reps)
                        .map(|_| run_as(EDITOR, &dir, PRACTICE, &["remind"]))
                        .collect(),
                ),
                git: median((0..reps).map(|_| sh(&dir, read_all)).collect()),
                target: "(none set)",
            });
        }
    }
    for &n in sizes.iter().filter(|_| wants("guard")) {
        guard_rows(n, &mut push);
    }
    for n in sizes.into_iter().filter(|_| wants("signed")) {
        signed_rows(n, &mut push);
    }
    println!(
        "{:<15} {:>7} {:>11} {:>11} {:>7}  target",
        "command", "N", "practice", "git", "ratio"
    );
    for r in rows {
        println!("{}", r.line());
    }
}

/// The guard's judging of a push of one action to a signed register,
/// against git's own check of the same push (`rev-list --objects NEW --not
/// OLD`, what receive-pack runs to see the pushed objects are whole): for
/// the newest review, and for the newest publish, which also walks back to
/// the commits of its sign-offs.
fn guard_rows(n: usize, push: &mut impl FnMut(Row)) {
    let dir = register(n, true);
    let reps = if n >= 10000 { 3 } else { 7 };
    let branch = git_out(&dir, &["symbolic-ref", "HEAD"]);
    for action in ["review", "publish"] {
        let grep = format!("--grep=^Action: {action}$");
        let new = git_out(&dir, &["log", "-1", "--format=%H", &grep]);
        let old = git_out(&dir, &["rev-parse", &format!("{new}~1")]);
        let input = format!("{old} {new} {branch}\n");
        let judge = format!("printf '%s' '{input}' | GIT_DIR=.git {PRACTICE} guard pre-receive");
        let check = format!("git rev-list --objects {new} --not {old} >/dev/null");
        push(Row {
            what: if action == "review" {
                "guard review"
            } else {
                "guard publish"
            },
            n,
            ours: median((0..reps).map(|_| sh(&dir, &judge)).collect()),
            git: median((0..reps).map(|_| sh(&dir, &check)).collect()),
            target: "well under 1 s",
        });
    }
}

fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The rows of a register whose every commit is signed.
fn signed_rows(n: usize, push: &mut impl FnMut(Row)) {
    let dir = register(n, true);
    let reps = if n >= 10000 { 3 } else { 7 };
    let time = |program: &str, args: &[&str]| {
        median((0..reps).map(|_| run(&dir, program, args)).collect())
    };
    let cold = cold_audit(&dir, reps);
    push(Row {
        what: "audit signed",
        n,
        ours: cold,
        git: time("git", &["log", "--name-status", "--format=%H"]),
        target: "<= 2x git",
    });
    // git checks each signature by running ssh-keygen against the roster's
    // keys, exported as git reads them.
    let signers = dir.join(".git/allowed-signers");
    run(
        &dir,
        PRACTICE,
        &[
            "roster",
            "allowed-signers",
            "--out",
            signers.to_str().unwrap(),
        ],
    );
    let allowed = format!("gpg.ssh.allowedSignersFile={}", signers.display());
    // Once: at 10,000 it runs ssh-keygen 57,000 times.
    let git = run(&dir, "git", &["-c", &allowed, "log", "--format=%G?"]);
    push(Row {
        what: "audit signed",
        n,
        ours: cold,
        git,
        target: ">= 20x faster than git %G?",
    });
    // One signed review, against git add and git commit -S of one file,
    // both signing through ssh-keygen with the reviewer's key file, of the
    // first activity the generator leaves awaiting decisions.
    if n < 100 {
        return;
    }
    let key = dir.join(".git").join(generate::KEYS).join(REVIEWER.1);
    run(&dir, "git", &["config", "gpg.format", "ssh"]);
    run(
        &dir,
        "git",
        &["config", "user.signingkey", key.to_str().unwrap()],
    );
    let (ours, git) = review_against_git(&dir, &scheme_id(99), reps, true);
    push(Row {
        what: "review signed",
        n,
        ours,
        git,
        target: "<= git add + commit -S",
    });
}
