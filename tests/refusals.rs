//! Every bad input is refused: one line on stderr that names what was wrong
//! and how to mend it, a non-zero exit, and nothing changed on disk or in git.
//!
//! Each test drives the built binary against a temporary register. Most use
//! `Reg::refused`, which checks the one-line rule and that HEAD, the status
//! and both diffs are unchanged; the message is then checked for the words
//! that tell the user what to do.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::*;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Run a prepared command and insist it is refused in one line, with `code`
/// as exit status when given, and that nothing changed in the register.
fn refused_cmd(reg: &Reg, mut cmd: Command, code: Option<i32>) -> String {
    let before = reg.snapshot();
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !out.status.success(),
        "should have been refused; stderr: {stderr}"
    );
    if let Some(code) = code {
        assert_eq!(out.status.code(), Some(code), "exit code; stderr: {stderr}");
    }
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line, not: {stderr}"
    );
    assert!(stderr.starts_with("practice: "), "{stderr}");
    assert_eq!(
        reg.snapshot(),
        before,
        "the refused command changed something"
    );
    stderr.trim_end().to_string()
}

/// `practice ARGS` as `who`, refused in one line with exit `code`.
fn refused_code(reg: &Reg, who: Who, args: &[&str], code: i32) -> String {
    refused_cmd(reg, reg.practice(who, args), Some(code))
}

/// A usage error from argument parsing: exit 2 and nothing changed (clap's
/// errors span several lines, so the one-line rule is not checked); stderr.
fn usage_error(reg: &Reg, who: Who, args: &[&str]) -> String {
    let before = reg.snapshot();
    let out = reg.practice(who, args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "practice {args:?}: {stderr}");
    assert_eq!(
        reg.snapshot(),
        before,
        "practice {args:?} changed something"
    );
    stderr
}

/// Insist `line` contains every one of `words`.
#[track_caller]
fn says(line: &str, words: &[&str]) {
    for word in words {
        assert!(line.contains(word), "expected {word:?} in: {line}");
    }
}

/// Whether `line` names `path` followed by `:LINE:COLUMN`.
fn has_location(line: &str, path: &str) -> bool {
    line.match_indices(path).any(|(at, _)| {
        let rest = &line[at + path.len()..];
        let mut parts = rest.splitn(3, ':');
        parts.next() == Some("")
            && parts
                .next()
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            && parts.next().is_some_and(|r| {
                let digits: String = r.chars().take_while(char::is_ascii_digit).collect();
                !digits.is_empty()
            })
    })
}

#[track_caller]
fn says_location(line: &str, path: &str) {
    assert!(
        has_location(line, path),
        "expected {path}:LINE:COLUMN in: {line}"
    );
}

/// A file outside the register holding `text`; its path as a string.
fn outside_file(reg: &Reg, name: &str, text: &str) -> String {
    reg.write_outside(name, text).to_str().unwrap().to_string()
}

/// The sample activity with one line replaced (`from` must be in it).
fn sample_with(from: &str, to: &str) -> String {
    assert!(
        SAMPLE_ACTIVITY.contains(from),
        "{from:?} is not in the sample"
    );
    SAMPLE_ACTIVITY.replacen(from, to, 1)
}

/// A second activity, so that a register holds more than the sample.
const OTHER_ID: &str = "safer-sleep-merseyside";

fn submit_other(reg: &Reg) -> String {
    let text = sample_with("title: Enhanced video response (EVR)", "title: Safer sleep").replacen(
        "[dorset police]",
        "[merseyside]",
        1,
    );
    let file = outside_file(reg, "other.yaml", &text);
    reg.ok(SUBMITTER, &["submit", "--file", &file, "--id", OTHER_ID])
        .trim()
        .to_string()
}

/// The sample, published as smarter practice.
fn published(reg: &Reg) -> String {
    let id = reg.written_up_sample();
    reg.ok(EDITOR, &["publish", &id]);
    id
}

/// Every file and folder below `dir`, for registers git cannot snapshot.
fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.push((path.clone(), Vec::new()));
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Run `cmd` outside git's reach; insist it fails in one line and leaves
/// `dir` exactly as it was; that line.
fn refused_outside_git(dir: &Path, mut cmd: Command) -> String {
    let before = listing(dir);
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !out.status.success(),
        "should have been refused; stderr: {stderr}"
    );
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line, not: {stderr}"
    );
    assert!(stderr.starts_with("practice: "), "{stderr}");
    let after = listing(dir);
    if after != before {
        let names = |l: &[(PathBuf, Vec<u8>)]| -> Vec<String> {
            l.iter()
                .map(|(p, _)| p.strip_prefix(dir).unwrap().display().to_string())
                .collect()
        };
        panic!(
            "the refused command changed the folder\nbefore: {:?}\nafter:  {:?}\nstderr: {stderr}",
            names(&before),
            names(&after)
        );
    }
    stderr.trim_end().to_string()
}

/// The flags of a complete submission by flags.
const FLAGS: [(&str, &str); 11] = [
    ("--title", "Safer sleep"),
    ("--organisation", "merseyside"),
    ("--topic", "Vulnerable people"),
    ("--focus", "Prevention"),
    ("--target-group", "Parents"),
    ("--scale", "Local"),
    ("--implementation", "piloted"),
    ("--summary", "Advice on safe sleep for babies."),
    ("--problem", "Babies died in unsafe sleep."),
    ("--aim", "Fewer deaths."),
    ("--activity", "Officers gave advice at visits."),
];

/// `submit` with every flag of [`FLAGS`] but `without`, and `extra`.
fn submit_flags(without: &[&str], extra: &[&str]) -> Vec<String> {
    let mut args = vec!["submit".to_string()];
    for (flag, value) in FLAGS {
        if !without.contains(&flag) {
            args.push(flag.to_string());
            args.push(value.to_string());
        }
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

// ---------------------------------------------------------------------------
// Files given to submit
// ---------------------------------------------------------------------------

#[test]
fn submit_file_with_a_yaml_syntax_error_names_the_path_line_and_column() {
    let reg = Reg::init();
    let text = sample_with(
        "organisations: [dorset police]",
        "organisations: [dorset police",
    );
    let file = outside_file(&reg, "broken.yaml", &text);
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says_location(&line, &file);
}

#[test]
fn submit_file_with_a_misspelt_field_names_the_field_line_and_column() {
    let reg = Reg::init();
    // `summary` is on line 11 of the sample.
    let text = sample_with("summary:", "summmary:");
    let file = outside_file(&reg, "typo.yaml", &text);
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says(&line, &["summmary", &format!("{file}:11:1")]);

    let text = sample_with("title:", "titel:");
    let file = outside_file(&reg, "titel.yaml", &text);
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says(&line, &["titel", &format!("{file}:1:1")]);
}

#[test]
fn submit_file_missing_a_required_field_names_it() {
    let reg = Reg::init();
    let text = sample_with("topic: Vulnerable people\n", "");
    let file = outside_file(&reg, "no-topic.yaml", &text);
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says(&line, &["`topic`", "missing"]);
    says_location(&line, &file);
}

#[test]
fn submit_file_that_is_empty_is_refused() {
    let reg = Reg::init();
    let file = outside_file(&reg, "empty.yaml", "");
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says(&line, &[&file, "title"]);
}

#[test]
fn submit_from_standard_input_with_an_error_names_standard_input() {
    let reg = Reg::init();
    let text = sample_with("summary:", "summmary:");
    let mut cmd = reg.practice(SUBMITTER, &["submit", "--file", "-"]);
    cmd.write_stdin(text);
    let line = refused_cmd(&reg, cmd, None);
    // `-:11:1:` tells nobody where to look.
    says(&line, &["standard input", "11:1", "summmary"]);
}

#[test]
fn submit_file_that_does_not_exist_names_it() {
    let reg = Reg::init();
    let missing = reg.outside("nowhere.yaml");
    let missing = missing.to_str().unwrap();
    let line = reg.refused(SUBMITTER, &["submit", "--file", missing]);
    says(&line, &[missing]);
}

#[test]
fn submit_file_with_a_wrong_vocabulary_word_lists_the_valid_words_and_the_line() {
    let reg = Reg::init();
    // (line to change, replacement, line number, words the message must list)
    let cases = [
        (
            "focus: Prevention",
            "focus: prevention",
            4,
            "Prevention | Diversion | Reoffending | Organisational | Investigation",
        ),
        (
            "scale: Local",
            "scale: Galactic",
            7,
            "Local | Regional | National",
        ),
        (
            "implementation: implemented",
            "implementation: finished",
            8,
            "planned | piloted | implemented | evaluated",
        ),
    ];
    for (i, (from, to, line_no, words)) in cases.into_iter().enumerate() {
        let file = outside_file(&reg, &format!("word-{i}.yaml"), &sample_with(from, to));
        let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
        let bad = to.split_once(": ").unwrap().1;
        says(&line, &[bad, words, &format!("{file}:{line_no}:")]);
    }
}

#[test]
fn submit_file_with_a_bad_date_names_the_field_and_line() {
    let reg = Reg::init();
    let file = outside_file(
        &reg,
        "date.yaml",
        &sample_with("started: 2022-04-01", "started: 2022-13-45"),
    );
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says(&line, &["started", &format!("{file}:9:")]);
}

#[test]
fn submit_file_with_a_bad_contact_email_names_the_file_given() {
    let reg = Reg::init();
    let text = sample_with(
        "contact: { name: Jo Bloggs, email: jo.bloggs@dorset.police.uk }",
        "contact: { name: Jo Bloggs, email: nope }",
    );
    let file = outside_file(&reg, "email.yaml", &text);
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    // The user must be told which file to mend: the one they gave, not the
    // register path the activity would have been written to.
    says(&line, &["\"nope\"", "contact.email", "email.yaml"]);
}

#[test]
fn submit_file_with_an_unknown_topic_lists_the_topics() {
    let reg = Reg::init();
    let file = outside_file(
        &reg,
        "topic.yaml",
        &sample_with("topic: Vulnerable people", "topic: Knitting"),
    );
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says(
        &line,
        &[
            "Knitting",
            "not a topic",
            "Vulnerable people",
            "Anti-social behaviour",
        ],
    );
}

#[test]
fn submit_file_that_is_already_withdrawn_is_refused() {
    let reg = Reg::init();
    let text = format!(
        "{SAMPLE_ACTIVITY}withdrawn: {{ on: 2026-11-24, by: {{ name: Jo Bloggs, email: jo.bloggs@dorset.police.uk }}, reason: x }}\n"
    );
    let file = outside_file(&reg, "withdrawn.yaml", &text);
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says(&line, &["withdrawn"]);
}

// ---------------------------------------------------------------------------
// Flags given to submit and friends
// ---------------------------------------------------------------------------

#[test]
fn submit_by_flags_without_title_names_the_flag_and_exits_2() {
    let reg = Reg::init();
    let args = submit_flags(&["--title"], &[]);
    let line = refused_code(&reg, SUBMITTER, &strs(&args), 2);
    says(&line, &["--title"]);
}

#[test]
fn submit_by_flags_without_any_one_required_flag_names_that_flag() {
    let reg = Reg::init();
    for flag in [
        "--title",
        "--organisation",
        "--topic",
        "--focus",
        "--scale",
        "--implementation",
        "--summary",
        "--problem",
        "--aim",
        "--activity",
    ] {
        let args = submit_flags(&[flag], &[]);
        let line = refused_code(&reg, SUBMITTER, &strs(&args), 2);
        says(&line, &[flag]);
    }
    // With every flag, the same submission is taken: the refusals above were
    // for the missing flag alone.
    let args = submit_flags(&[], &[]);
    reg.ok(SUBMITTER, &strs(&args));
}

#[test]
fn submit_by_flags_with_an_unknown_topic_lists_the_topics() {
    let reg = Reg::init();
    let mut args = submit_flags(&["--topic"], &[]);
    args.extend(["--topic".to_string(), "Knitting".to_string()]);
    let line = reg.refused(SUBMITTER, &strs(&args));
    says(&line, &["Knitting", "not a topic", "Vulnerable people"]);
}

#[test]
fn submit_by_flags_with_a_wrong_vocabulary_word_is_a_usage_error_listing_the_words() {
    let reg = Reg::init();
    let args = submit_flags(&["--focus"], &["--focus", "Sideways"]);
    let stderr = usage_error(&reg, SUBMITTER, &strs(&args));
    says(&stderr, &["Sideways", "Prevention | Diversion"]);
    let args = submit_flags(&["--scale"], &["--scale", "Galactic"]);
    let stderr = usage_error(&reg, SUBMITTER, &strs(&args));
    says(&stderr, &["Galactic", "Local | Regional | National"]);
    let args = submit_flags(&["--implementation"], &["--implementation", "finished"]);
    let stderr = usage_error(&reg, SUBMITTER, &strs(&args));
    says(&stderr, &["finished", "planned | piloted"]);
    let args = submit_flags(&[], &["--started", "2022-13-45"]);
    let stderr = usage_error(&reg, SUBMITTER, &strs(&args));
    says(&stderr, &["--started", "2022-13-45"]);
}

#[test]
fn submit_by_flags_with_a_bad_contact_email_is_refused() {
    let reg = Reg::init();
    let args = submit_flags(&[], &["--contact-email", "not-an-email"]);
    let line = reg.refused(SUBMITTER, &strs(&args));
    says(&line, &["not-an-email", "not an email address"]);
}

#[test]
fn review_with_an_unknown_decision_word_is_a_usage_error() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let stderr = usage_error(
        &reg,
        reviewer("npcc"),
        &["review", &id, "--decision", "maybe"],
    );
    says(
        &stderr,
        &[
            "maybe",
            "suitable | not-suitable | more-information | recuse",
        ],
    );
}

#[test]
fn review_without_a_decision_names_the_flag_and_exits_2() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = refused_code(&reg, reviewer("npcc"), &["review", &id], 2);
    says(&line, &["--decision", "suitable | not-suitable"]);
}

#[test]
fn review_for_an_unknown_partner_lists_the_partners() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = reg.refused(
        reviewer("npcc"),
        &[
            "review",
            &id,
            "--decision",
            "suitable",
            "--partner",
            "nobody",
        ],
    );
    says(
        &line,
        &[
            "nobody",
            "not a partner",
            "college-of-policing",
            "npcc",
            "hmicfrs",
            "iopc",
        ],
    );
}

#[test]
fn review_other_than_suitable_without_a_comment_names_the_flag_and_exits_2() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    for decision in ["not-suitable", "more-information", "recuse"] {
        let line = refused_code(
            &reg,
            reviewer("npcc"),
            &["review", &id, "--decision", decision],
            2,
        );
        says(&line, &["--comment", decision]);
        let line = refused_code(
            &reg,
            reviewer("npcc"),
            &["review", &id, "--decision", decision, "--comment", "   "],
            2,
        );
        says(&line, &["--comment"]);
    }
}

#[test]
fn review_with_a_comment_file_that_does_not_exist_names_it() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let missing = reg.outside("no-comment.txt");
    let missing = missing.to_str().unwrap();
    let line = reg.refused(
        reviewer("npcc"),
        &[
            "review",
            &id,
            "--decision",
            "not-suitable",
            "--comment-file",
            missing,
        ],
    );
    says(&line, &[missing]);
}

#[test]
fn bank_with_an_unknown_rating_is_a_usage_error() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let stderr = usage_error(&reg, EDITOR, &["bank", &id, "--rating", "great"]);
    says(&stderr, &["great", "promising"]);
}

#[test]
fn bank_with_the_smarter_practice_rating_is_refused_naming_the_bank_ratings() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = refused_code(
        &reg,
        EDITOR,
        &["bank", &id, "--rating", "smarter-practice"],
        // A rating the bank does not take is a usage error, like any
        // unknown word for a flag.
        2,
    );
    says(
        &line,
        &[
            "smarter-practice",
            "worked | promising | new-or-innovative | did-not-work",
        ],
    );
}

#[test]
fn bank_without_a_rating_names_the_flag_and_exits_2() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = refused_code(&reg, EDITOR, &["bank", &id], 2);
    says(&line, &["--rating", "promising"]);
}

#[test]
fn withdraw_and_retract_without_a_reason_name_the_flag_and_exit_2() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = refused_code(&reg, SUBMITTER, &["withdraw", &id], 2);
    says(&line, &["--reason"]);
    let line = refused_code(&reg, SUBMITTER, &["withdraw", &id, "--reason", "  "], 2);
    says(&line, &["--reason"]);
    let line = refused_code(&reg, EDITOR, &["retract", &id], 2);
    says(&line, &["--reason"]);
}

#[test]
fn amend_with_nothing_to_amend_names_the_flags_and_exits_2() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = refused_code(&reg, SUBMITTER, &["amend", &id], 2);
    says(&line, &["--file"]);
}

#[test]
fn amend_that_changes_nothing_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = reg.refused(
        SUBMITTER,
        &["amend", &id, "--title", "Enhanced video response (EVR)"],
    );
    says(&line, &["changes nothing"]);
}

// ---------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------

#[test]
fn submit_with_a_bad_id_is_refused_before_it_becomes_a_path() {
    let reg = Reg::init();
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    let long = "a".repeat(81);
    for bad in [
        "Bad Id",
        "../escape",
        "a/b",
        long.as_str(),
        "/tmp/abs",
        "a-",
        "a--b",
        "a_b",
        ".",
    ] {
        let line = reg.refused(SUBMITTER, &["submit", "--file", &file, "--id", bad]);
        says(
            &line,
            &[
                &format!("`{bad}`"),
                "not an activity id",
                "lowercase",
                "80 characters",
            ],
        );
    }
    assert!(!reg.file("escape").exists());
    assert!(!reg.file("submissions/a").exists());
}

#[test]
fn submit_file_with_a_bad_id_inside_is_refused() {
    let reg = Reg::init();
    let file = outside_file(
        &reg,
        "escape.yaml",
        &format!("id: ../escape\n{SAMPLE_ACTIVITY}"),
    );
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says(&line, &["`../escape`", "not an activity id"]);
    assert!(!reg.file("escape").exists());
}

#[test]
fn submit_with_an_id_differing_from_the_files_is_refused() {
    let reg = Reg::init();
    let file = outside_file(&reg, "id.yaml", &format!("id: one-id\n{SAMPLE_ACTIVITY}"));
    let line = reg.refused(
        SUBMITTER,
        &["submit", "--file", &file, "--id", "another-id"],
    );
    says(&line, &["one-id", "another-id"]);
}

#[test]
fn commands_given_a_path_for_an_id_refuse_it() {
    let reg = Reg::with_roster();
    reg.submit_sample();
    let line = reg.refused(EDITOR, &["show", "../x"]);
    says(&line, &["`../x`", "not an activity id"]);
    let line = reg.refused(
        reviewer("npcc"),
        &["review", "../../etc", "--decision", "suitable"],
    );
    says(&line, &["`../../etc`", "not an activity id"]);
    let line = reg.refused(SUBMITTER, &["amend", "../register", "--evidence", "x"]);
    says(&line, &["`../register`", "not an activity id"]);
    let line = reg.refused(EDITOR, &["publish", "a/b"]);
    says(&line, &["`a/b`", "not an activity id"]);
    let line = reg.refused(EDITOR, &["bank", "..", "--rating", "worked"]);
    says(&line, &["`..`", "not an activity id"]);
    let line = reg.refused(SUBMITTER, &["withdraw", "/etc/passwd", "--reason", "x"]);
    says(&line, &["`/etc/passwd`", "not an activity id"]);
}

#[test]
fn submitting_the_same_activity_twice_is_refused_as_a_duplicate() {
    let reg = Reg::init();
    let id = reg.submit_sample();
    let file = reg.sample_file(SAMPLE_TITLE);
    let file = file.to_str().unwrap();
    let line = reg.refused(SUBMITTER, &["submit", "--file", file]);
    says(
        &line,
        &[&format!("`{id}`"), "already in the register", "--id"],
    );
    let other = submit_other(&reg);
    let line = reg.refused(SUBMITTER, &["submit", "--file", file, "--id", &other]);
    says(&line, &[&format!("`{other}`"), "already in the register"]);
}

#[test]
fn commands_given_an_unknown_activity_say_so() {
    let reg = Reg::with_roster();
    reg.submit_sample();
    let runs: [(Who, &[&str]); 8] = [
        (EDITOR, &["show", "no-such-thing"]),
        (
            reviewer("npcc"),
            &["review", "no-such-thing", "--decision", "suitable"],
        ),
        (SUBMITTER, &["amend", "no-such-thing", "--evidence", "x"]),
        (EDITOR, &["publish", "no-such-thing"]),
        (EDITOR, &["write-up", "no-such-thing"]),
        (EDITOR, &["bank", "no-such-thing", "--rating", "worked"]),
        (SUBMITTER, &["withdraw", "no-such-thing", "--reason", "x"]),
        (EDITOR, &["retract", "no-such-thing", "--reason", "x"]),
    ];
    for (who, args) in runs {
        let line = reg.refused(who, args);
        says(&line, &["`no-such-thing`", "practice list"]);
    }
}

// ---------------------------------------------------------------------------
// Actions not allowed at the current stage
// ---------------------------------------------------------------------------

#[test]
fn amend_while_in_review_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    let line = reg.refused(SUBMITTER, &["amend", &id, "--evidence", "An evaluation."]);
    says(&line, &["amend", &id, "in-review", "submitted or returned"]);
}

#[test]
fn amend_after_withdrawal_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(SUBMITTER, &["withdraw", &id, "--reason", "Replaced."]);
    let line = reg.refused(SUBMITTER, &["amend", &id, "--evidence", "An evaluation."]);
    says(&line, &["amend", "withdrawn"]);
}

#[test]
fn publish_while_submitted_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = reg.refused(EDITOR, &["publish", &id]);
    says(&line, &["publish", &id, "submitted", "approved"]);
}

#[test]
fn publish_while_approved_without_a_complete_report_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.approved_sample();
    let line = reg.refused(EDITOR, &["publish", &id]);
    says(
        &line,
        &["publish", "approved", "report", "practice write-up"],
    );
    reg.ok(EDITOR, &["write-up", &id]);
    let line = reg.refused(EDITOR, &["publish", &id]);
    says(
        &line,
        &[
            "publish",
            "approved",
            "report is not complete",
            "practice write-up",
        ],
    );
}

#[test]
fn write_up_while_submitted_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = reg.refused(EDITOR, &["write-up", &id]);
    says(&line, &["write up", &id, "submitted", "approved"]);
}

#[test]
fn write_up_a_second_draft_without_a_file_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.approved_sample();
    reg.ok(EDITOR, &["write-up", &id]);
    let line = reg.refused(EDITOR, &["write-up", &id]);
    says(&line, &["already has a draft", "--file"]);
}

#[test]
fn retract_while_not_published_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = reg.refused(EDITOR, &["retract", &id, "--reason", "Wrong."]);
    says(&line, &["retract", &id, "submitted", "published or banked"]);
    reg.all_decide(&id, "suitable");
    let line = reg.refused(EDITOR, &["retract", &id, "--reason", "Wrong."]);
    says(&line, &["retract", "approved", "published or banked"]);
}

#[test]
fn review_after_publication_is_refused() {
    let reg = Reg::with_roster();
    let id = published(&reg);
    let line = reg.refused(
        reviewer("npcc"),
        &[
            "review",
            &id,
            "--decision",
            "not-suitable",
            "--comment",
            "Second thoughts.",
        ],
    );
    says(&line, &["review", &id, "published"]);
    // Nor can it be banked or withdrawn once published.
    let line = reg.refused(EDITOR, &["bank", &id, "--rating", "worked"]);
    says(&line, &["bank", "published"]);
    let line = reg.refused(SUBMITTER, &["withdraw", &id, "--reason", "Late."]);
    says(&line, &["withdraw", "published", "retract"]);
}

#[test]
fn review_after_banking_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(EDITOR, &["bank", &id, "--rating", "promising"]);
    let line = reg.refused(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    says(&line, &["review", &id, "banked"]);
    let line = reg.refused(EDITOR, &["bank", &id, "--rating", "worked"]);
    says(&line, &["bank", "banked"]);
}

#[test]
fn review_after_withdrawal_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(
        SUBMITTER,
        &[
            "withdraw",
            &id,
            "--reason",
            "Replaced by a force-wide scheme.",
        ],
    );
    let line = reg.refused(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    says(&line, &["review", &id, "withdrawn"]);
}

#[test]
fn withdraw_twice_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(SUBMITTER, &["withdraw", &id, "--reason", "Replaced."]);
    let line = reg.refused(SUBMITTER, &["withdraw", &id, "--reason", "Again."]);
    says(&line, &["withdraw", &id, "withdrawn"]);
}

#[test]
fn the_same_decision_twice_is_refused_as_no_change() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    let line = reg.refused(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    says(&line, &["already recorded", "suitable"]);
}

// ---------------------------------------------------------------------------
// Authority
// ---------------------------------------------------------------------------

#[test]
fn a_stranger_may_not_review() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = reg.refused(STRANGER, &["review", &id, "--decision", "suitable"]);
    says(&line, &[STRANGER.email, "only", "reviewers"]);
    let line = reg.refused(
        STRANGER,
        &["review", &id, "--decision", "suitable", "--partner", "npcc"],
    );
    says(
        &line,
        &[
            STRANGER.email,
            "only npcc's listed reviewers",
            "practice roster add",
        ],
    );
}

#[test]
fn an_editor_who_is_no_reviewer_may_not_review() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = reg.refused(
        EDITOR,
        &["review", &id, "--decision", "suitable", "--partner", "iopc"],
    );
    says(&line, &[EDITOR.email, "only iopc's listed reviewers"]);
}

#[test]
fn a_reviewer_may_not_record_another_partners_decision() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let line = reg.refused(
        reviewer("npcc"),
        &["review", &id, "--decision", "suitable", "--partner", "iopc"],
    );
    says(
        &line,
        &[
            reviewer("npcc").email,
            "iopc",
            "only iopc's listed reviewers",
            "you review for npcc",
        ],
    );
}

#[test]
fn a_non_editor_may_not_change_the_roster() {
    let reg = Reg::with_roster();
    for who in [SUBMITTER, reviewer("npcc"), STRANGER] {
        let line = reg.refused(
            who,
            &[
                "roster",
                "add",
                "--partner",
                "npcc",
                "--name",
                "Lee Other",
                "--email",
                STRANGER.email,
            ],
        );
        says(
            &line,
            &[
                who.email,
                "only editors may",
                "the editors are",
                EDITOR.email,
            ],
        );
        let line = reg.refused(
            who,
            &[
                "roster", "add", "--editor", "--name", who.name, "--email", who.email,
            ],
        );
        says(&line, &["only editors may", "the editors are"]);
        let line = reg.refused(who, &["roster", "remove", "--email", EDITOR.email]);
        says(&line, &["only editors may", "the editors are"]);
    }
}

#[test]
fn a_non_editor_may_not_write_up() {
    let reg = Reg::with_roster();
    let id = reg.approved_sample();
    for who in [SUBMITTER, reviewer("npcc"), STRANGER] {
        let line = reg.refused(who, &["write-up", &id]);
        says(
            &line,
            &[
                who.email,
                "write up",
                "only editors may",
                "the editors are",
                EDITOR.email,
            ],
        );
    }
}

#[test]
fn a_non_editor_may_not_publish() {
    let reg = Reg::with_roster();
    let id = reg.written_up_sample();
    for who in [SUBMITTER, reviewer("npcc"), STRANGER] {
        let line = reg.refused(who, &["publish", &id]);
        says(
            &line,
            &[
                who.email,
                "publish",
                "only editors may",
                "the editors are",
                EDITOR.email,
            ],
        );
    }
}

#[test]
fn a_non_editor_may_not_bank() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    for who in [SUBMITTER, reviewer("npcc"), STRANGER] {
        let line = reg.refused(who, &["bank", &id, "--rating", "promising"]);
        says(
            &line,
            &[
                who.email,
                "bank",
                "only editors may",
                "the editors are",
                EDITOR.email,
            ],
        );
    }
}

#[test]
fn a_non_editor_may_not_retract() {
    let reg = Reg::with_roster();
    let id = published(&reg);
    for who in [SUBMITTER, reviewer("npcc"), STRANGER] {
        let line = reg.refused(who, &["retract", &id, "--reason", "Wrong."]);
        says(
            &line,
            &[
                who.email,
                "retract",
                "only editors may",
                "the editors are",
                EDITOR.email,
            ],
        );
    }
}

#[test]
fn a_stranger_may_not_amend_or_withdraw_someone_elses_submission() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let submitter = format!(
        "only {} <{}> or an editor may",
        SUBMITTER.name, SUBMITTER.email
    );
    for who in [STRANGER, reviewer("npcc")] {
        let line = reg.refused(who, &["amend", &id, "--evidence", "Mine now."]);
        says(&line, &[who.email, "amend", &submitter, "the editors are"]);
        let line = reg.refused(who, &["withdraw", &id, "--reason", "Not wanted."]);
        says(
            &line,
            &[who.email, "withdraw", &submitter, "the editors are"],
        );
    }
}

// ---------------------------------------------------------------------------
// Where the register is, and what state git is in
// ---------------------------------------------------------------------------

const MINIMAL_REGISTER: &str = "\
name: Smarter practice register
partners:
  - { id: college-of-policing, name: College of Policing, reviewers: [] }
  - { id: npcc, name: National Police Chiefs' Council, reviewers: [] }
  - { id: hmicfrs, name: HMICFRS, reviewers: [] }
  - { id: iopc, name: Independent Office for Police Conduct, reviewers: [] }
editors:
  - { name: Sam Editor, email: sam.editor@college.police.uk }
approval:
  min_suitable: 3
topics: [Vulnerable people]
";

#[test]
fn a_register_that_is_not_a_git_repository_is_refused() {
    let reg = Reg::empty();
    reg.write("register.yaml", MINIMAL_REGISTER);
    let line = refused_outside_git(reg.path(), reg.practice(EDITOR, &["list"]));
    says(&line, &["not", "git repository", "git init"]);
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    let line = refused_outside_git(
        reg.path(),
        reg.practice(SUBMITTER, &["submit", "--file", &file]),
    );
    says(&line, &["git init"]);
}

#[test]
fn a_git_repository_with_no_commits_is_refused_with_practice_init() {
    let reg = Reg::empty();
    reg.git(&["init", "-q"]);
    reg.write("register.yaml", MINIMAL_REGISTER);
    let status = reg.status();
    let staged = reg.git(&["diff", "--cached"]);
    for args in [&["list"][..], &["roster", "list"][..]] {
        let out = reg.practice(EDITOR, args).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!out.status.success(), "{stderr}");
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "one line, not: {stderr}"
        );
        assert!(stderr.starts_with("practice: "), "{stderr}");
        says(&stderr, &["no commits", "practice init"]);
    }
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    let out = reg
        .practice(SUBMITTER, &["submit", "--file", &file])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "{stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line, not: {stderr}"
    );
    says(&stderr, &["no commits", "practice init"]);
    // Still no commits, and nothing staged or written.
    assert!(
        !reg.git_output(&["rev-parse", "--verify", "-q", "HEAD"])
            .status
            .success()
    );
    assert_eq!(reg.status(), status);
    assert_eq!(reg.git(&["diff", "--cached"]), staged);
}

#[test]
fn no_register_at_all_says_run_practice_init_or_pass_c() {
    let reg = Reg::empty();
    let line = refused_outside_git(reg.path(), reg.practice(EDITOR, &["list"]));
    says(&line, &["no register", "practice init", "-C"]);
    let line = refused_outside_git(reg.path(), reg.practice(EDITOR, &["show", SAMPLE_ID]));
    says(&line, &["practice init", "-C"]);
}

#[test]
fn a_register_flag_naming_a_missing_folder_names_it() {
    let reg = Reg::empty();
    let nowhere = reg.path().join("nowhere");
    let nowhere = nowhere.to_str().unwrap();
    let line = refused_outside_git(reg.path(), reg.practice(EDITOR, &["-C", nowhere, "list"]));
    says(&line, &[nowhere]);
}

#[test]
fn init_in_a_register_is_refused() {
    let reg = Reg::init();
    let line = reg.refused(EDITOR, &["init"]);
    says(&line, &["already holds a register"]);
    let dir = reg.path().to_str().unwrap().to_string();
    let line = reg.refused(EDITOR, &["init", &dir]);
    says(&line, &["already holds a register"]);
}

#[test]
fn init_in_a_folder_inside_a_register_is_refused() {
    // A register nested in another's submissions/ would leave untracked files
    // in the outer register and shadow it for every command run below.
    let reg = Reg::init();
    let line = reg.refused(EDITOR, &["init", "submissions"]);
    says(&line, &["register"]);
    assert!(!reg.file("submissions/.git").exists());
}

#[test]
fn init_where_register_yaml_exists_uncommitted_is_refused() {
    let reg = Reg::empty();
    reg.write("register.yaml", MINIMAL_REGISTER);
    let line = refused_outside_git(reg.path(), reg.practice(EDITOR, &["init"]));
    says(&line, &["register.yaml that git does not track"]);
}

#[test]
fn a_missing_identity_is_refused_with_the_git_config_to_set() {
    let reg = Reg::init();
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    let mut cmd = reg.practice(SUBMITTER, &["submit", "--file", &file]);
    for var in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ] {
        cmd.env_remove(var);
    }
    let line = refused_cmd(&reg, cmd, None);
    says(&line, &["git config user.name", "git config user.email"]);
}

#[test]
fn a_missing_identity_refuses_init_without_leaving_a_repository_behind() {
    let reg = Reg::empty();
    for args in [&["init"][..], &["init", "sub"][..]] {
        let mut cmd = reg.practice(EDITOR, args);
        for var in [
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
        ] {
            cmd.env_remove(var);
        }
        let line = refused_outside_git(reg.path(), cmd);
        says(&line, &["git config user.name"]);
    }
}

#[test]
fn a_bad_git_date_refuses_init_without_leaving_a_repository_behind() {
    let reg = Reg::empty();
    for args in [&["init"][..], &["init", "sub"][..]] {
        let mut cmd = reg.practice(EDITOR, args);
        cmd.env("GIT_AUTHOR_DATE", "soon");
        let line = refused_outside_git(reg.path(), cmd);
        says(&line, &["GIT_AUTHOR_DATE", "soon"]);
    }
}

#[test]
fn an_identity_whose_email_is_not_an_email_is_refused() {
    let reg = Reg::init();
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    let mut cmd = reg.practice(SUBMITTER, &["submit", "--file", &file]);
    cmd.env("GIT_AUTHOR_EMAIL", "Jo Bloggs");
    let line = refused_cmd(&reg, cmd, None);
    says(&line, &["\"Jo Bloggs\"", "email"]);
}

#[test]
fn a_bad_git_date_names_the_variable() {
    let reg = Reg::init();
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    for var in ["GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"] {
        let mut cmd = reg.practice(SUBMITTER, &["submit", "--file", &file]);
        cmd.env(var, "next tuesday");
        let line = refused_cmd(&reg, cmd, None);
        says(&line, &[var, "next tuesday", "not a date"]);
    }
}

#[test]
fn a_detached_head_refuses_actions_saying_check_out_a_branch() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.git(&["checkout", "-q", "--detach"]);
    let line = reg.refused(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    says(&line, &["detached", "check out a branch"]);
    let file = reg.sample_file(SAMPLE_TITLE);
    let line = reg.refused(
        SUBMITTER,
        &[
            "submit",
            "--file",
            file.to_str().unwrap(),
            "--id",
            "another",
        ],
    );
    says(&line, &["detached", "check out a branch"]);
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "add",
            "--editor",
            "--name",
            "Lee Other",
            "--email",
            STRANGER.email,
        ],
    );
    says(&line, &["check out a branch"]);
}

// ---------------------------------------------------------------------------
// Uncommitted work on the paths an action would write
// ---------------------------------------------------------------------------

#[test]
fn amend_over_an_uncommitted_hand_edit_is_refused_and_the_edit_kept() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let path = format!("submissions/{id}/activity.yaml");
    let edited = format!("{}# a note being typed\n", reg.read(&path));
    reg.write(&path, &edited);
    let line = reg.refused(SUBMITTER, &["amend", &id, "--evidence", "An evaluation."]);
    says(&line, &[&path, "uncommitted", "git stash"]);
    assert_eq!(reg.read(&path), edited);
}

#[test]
fn amend_over_a_staged_hand_edit_is_refused_and_the_edit_kept() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let path = format!("submissions/{id}/activity.yaml");
    let edited = format!("{}# a note being typed\n", reg.read(&path));
    reg.write(&path, &edited);
    reg.git(&["add", &path]);
    let line = reg.refused(SUBMITTER, &["amend", &id, "--evidence", "An evaluation."]);
    says(&line, &[&path, "uncommitted"]);
    assert_eq!(reg.read(&path), edited);
}

#[test]
fn withdraw_over_an_uncommitted_hand_edit_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let path = format!("submissions/{id}/activity.yaml");
    let edited = reg
        .read(&path)
        .replace("To reach victims sooner.", "To reach victims faster.");
    reg.write(&path, &edited);
    let line = reg.refused(SUBMITTER, &["withdraw", &id, "--reason", "Replaced."]);
    says(&line, &[&path, "uncommitted"]);
    assert_eq!(reg.read(&path), edited);
}

#[test]
fn review_over_an_uncommitted_edit_of_the_sign_off_is_refused() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    let path = format!("reviews/{id}/round-1/npcc.yaml");
    let edited = format!("{}# draft note\n", reg.read(&path));
    reg.write(&path, &edited);
    let line = reg.refused(
        reviewer("npcc"),
        &[
            "review",
            &id,
            "--decision",
            "not-suitable",
            "--comment",
            "Changed my mind.",
        ],
    );
    says(&line, &[&path, "uncommitted"]);
    assert_eq!(reg.read(&path), edited);
}

#[test]
fn submit_over_an_untracked_file_at_its_path_is_refused_and_the_file_kept() {
    let reg = Reg::init();
    let path = format!("submissions/{SAMPLE_ID}/activity.yaml");
    reg.write(&path, "title: my own notes\n");
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    let line = reg.refused(SUBMITTER, &["submit", "--file", &file]);
    says(&line, &[&path, "uncommitted"]);
    assert_eq!(reg.read(&path), "title: my own notes\n");
}

#[test]
fn roster_change_over_an_uncommitted_edit_of_register_yaml_is_refused() {
    let reg = Reg::init();
    let edited = format!("{}# a note\n", reg.read("register.yaml"));
    reg.write("register.yaml", &edited);
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "add",
            "--partner",
            "npcc",
            "--name",
            "Pat Chief",
            "--email",
            "pat.chief@npcc.police.uk",
        ],
    );
    says(&line, &["register.yaml", "uncommitted"]);
    assert_eq!(reg.read("register.yaml"), edited);
}

// ---------------------------------------------------------------------------
// Malformed files committed in the register
// ---------------------------------------------------------------------------

/// Commit `text` at `path` with plain git, as someone editing by hand would.
fn commit_by_hand(reg: &Reg, path: &str, text: &str) {
    reg.write(path, text);
    reg.git(&["add", path]);
    reg.git(&["commit", "-q", "-m", &format!("hand edit of {path}")]);
}

#[test]
fn a_malformed_sign_off_is_reported_and_everything_else_still_listed() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let other = submit_other(&reg);
    let path = format!("reviews/{id}/round-1/npcc.yaml");
    // `decison` on line 4, column 1.
    commit_by_hand(
        &reg,
        &path,
        &format!(
            "practice: {id}\nround: 1\npartner: npcc\ndecison: suitable\n\
             reviewer: {{ name: Pat Chief, email: pat.chief@npcc.police.uk }}\n\
             signed_at: 2026-11-25T09:12:00Z\n"
        ),
    );

    // list: exit 0, the sound activity listed, a warning naming path:line:column.
    let out = reg.practice(EDITOR, &["list"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "list failed: {stderr}");
    assert!(stdout.contains(&other), "{stdout}");
    says(&stderr, &[&format!("{path}:4:1"), "decison"]);

    let out = reg.practice(EDITOR, &["list", "--json"]).output().unwrap();
    assert!(out.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&other.as_str()), "{ids:?}");

    // show and review of the damaged activity are refused, naming the file.
    let line = reg.refused(EDITOR, &["show", &id]);
    says(&line, &[&format!("{path}:4:1")]);
    let line = reg.refused(
        reviewer("hmicfrs"),
        &["review", &id, "--decision", "suitable"],
    );
    says(&line, &[&format!("{path}:4:1")]);
    let line = reg.refused(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    says(&line, &[&path]);
    // The sound activity is still open for review.
    reg.ok(
        reviewer("hmicfrs"),
        &["review", &other, "--decision", "suitable"],
    );
}

#[test]
fn a_malformed_activity_file_is_reported_and_everything_else_still_listed() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let other = submit_other(&reg);
    let path = format!("submissions/{id}/activity.yaml");
    let broken = reg.read(&path).replacen(
        "organisations:\n- Dorset Police",
        "organisations: [Dorset Police",
        1,
    );
    assert_ne!(broken, reg.read(&path), "the broken file must differ");
    commit_by_hand(&reg, &path, &broken);

    let out = reg.practice(EDITOR, &["list"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "list failed: {stderr}");
    assert!(stdout.contains(&other), "{stdout}");
    assert!(
        !stdout.contains(&id),
        "the damaged activity is not listed as sound: {stdout}"
    );
    says_location(&stderr, &path);

    let line = reg.refused(EDITOR, &["show", &id]);
    says_location(&line, &path);
    let line = reg.refused(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    says_location(&line, &path);
    let line = reg.refused(SUBMITTER, &["amend", &id, "--evidence", "x"]);
    says_location(&line, &path);
    let line = reg.refused(EDITOR, &["bank", &id, "--rating", "worked"]);
    says_location(&line, &path);
}

#[test]
fn an_activity_file_with_an_unknown_field_committed_is_reported_with_its_location() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let other = submit_other(&reg);
    let path = format!("submissions/{id}/activity.yaml");
    let text = reg.read(&path);
    assert!(text.starts_with("id: "), "{text}");
    // Line 2 becomes the misspelt field.
    let broken = text.replacen("\ntitle:", "\ntitel:", 1);
    commit_by_hand(&reg, &path, &broken);

    let out = reg.practice(EDITOR, &["list"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "list failed: {stderr}");
    assert!(String::from_utf8(out.stdout).unwrap().contains(&other));
    says(&stderr, &[&format!("{path}:2:1"), "titel"]);
    let line = reg.refused(EDITOR, &["show", &id]);
    says(&line, &[&format!("{path}:2:1"), "titel"]);
}

#[test]
fn a_malformed_register_yaml_is_refused_with_its_location() {
    let reg = Reg::with_roster();
    let text = reg.read("register.yaml");
    assert!(text.starts_with("name: "), "{text}");
    commit_by_hand(&reg, "register.yaml", &text.replacen("name: ", "nmae: ", 1));
    let line = reg.refused(EDITOR, &["list"]);
    says(&line, &["register.yaml:1:1", "nmae"]);
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "add",
            "--editor",
            "--name",
            "Lee Other",
            "--email",
            STRANGER.email,
        ],
    );
    says(&line, &["register.yaml:1:1"]);
}

// ---------------------------------------------------------------------------
// Roster
// ---------------------------------------------------------------------------

#[test]
fn removing_the_last_editor_is_refused() {
    let reg = Reg::with_roster();
    let line = reg.refused(EDITOR, &["roster", "remove", "--email", EDITOR.email]);
    says(&line, &[EDITOR.email, "last editor", "add another editor"]);
    let line = reg.refused(
        EDITOR,
        &["roster", "remove", "--email", EDITOR.email, "--editor"],
    );
    says(&line, &["last editor"]);
}

#[test]
fn adding_someone_already_on_the_roster_is_refused() {
    let reg = Reg::with_roster();
    let pat = reviewer("npcc");
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "add",
            "--partner",
            "npcc",
            "--name",
            pat.name,
            "--email",
            pat.email,
        ],
    );
    says(&line, &[pat.email, "already", "npcc reviewer"]);
    // Emails are compared without regard to case.
    let upper = pat.email.to_uppercase();
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "add",
            "--partner",
            "npcc",
            "--name",
            pat.name,
            "--email",
            &upper,
        ],
    );
    says(&line, &["already"]);
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "add",
            "--editor",
            "--name",
            EDITOR.name,
            "--email",
            EDITOR.email,
        ],
    );
    says(&line, &[EDITOR.email, "already", "editor"]);
}

#[test]
fn adding_someone_with_a_bad_email_is_refused() {
    let reg = Reg::with_roster();
    for bad in [
        "not-an-email",
        "two@at@signs.uk",
        "spaced out@x.uk",
        "@x.uk",
    ] {
        let line = reg.refused(
            EDITOR,
            &[
                "roster",
                "add",
                "--partner",
                "npcc",
                "--name",
                "Pat Two",
                "--email",
                bad,
            ],
        );
        says(&line, &[bad, "not an email address"]);
    }
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "add",
            "--partner",
            "npcc",
            "--name",
            "  ",
            "--email",
            "p@x.uk",
        ],
    );
    says(&line, &["name"]);
}

#[test]
fn adding_a_reviewer_to_an_unknown_partner_lists_the_partners() {
    let reg = Reg::with_roster();
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "add",
            "--partner",
            "nobody",
            "--name",
            "Pat Two",
            "--email",
            "pat.two@x.uk",
        ],
    );
    says(&line, &["nobody", "not a partner", "npcc", "iopc"]);
}

#[test]
fn removing_someone_not_on_the_roster_is_refused() {
    let reg = Reg::with_roster();
    let line = reg.refused(EDITOR, &["roster", "remove", "--email", STRANGER.email]);
    says(
        &line,
        &[STRANGER.email, "not on the roster", "practice roster list"],
    );
    let pat = reviewer("npcc");
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "remove",
            "--email",
            pat.email,
            "--partner",
            "iopc",
        ],
    );
    says(&line, &[pat.email, "not on the roster"]);
}

#[test]
fn list_awaiting_an_unknown_partner_lists_the_partners() {
    let reg = Reg::with_roster();
    reg.submit_sample();
    let line = reg.refused(EDITOR, &["list", "--awaiting", "nobody"]);
    says(&line, &["nobody", "not a partner", "npcc"]);
}

#[test]
fn an_identity_a_commit_header_cannot_carry_is_refused_naming_where_it_came_from() {
    let reg = Reg::init();
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    for (var, value) in [
        ("GIT_AUTHOR_NAME", "Jo\nBloggs"),
        ("GIT_AUTHOR_NAME", "Jo <jo@x.uk> Bloggs"),
        ("GIT_AUTHOR_EMAIL", "jo>@dorset.police.uk"),
        ("GIT_AUTHOR_EMAIL", "jo\r@dorset.police.uk"),
        ("GIT_COMMITTER_NAME", "Build\u{1b}[2J Bot"),
        ("GIT_COMMITTER_EMAIL", "bot<@college.police.uk"),
    ] {
        let mut cmd = reg.practice(SUBMITTER, &["submit", "--file", &file]);
        cmd.env(var, value);
        let line = refused_cmd(&reg, cmd, None);
        says(&line, &[var, "which no"]);
    }
    // From git's config as well as the environment.
    reg.git(&["config", "user.name", "Jo\tBloggs\u{7}"]);
    let mut cmd = reg.practice(SUBMITTER, &["submit", "--file", &file]);
    cmd.env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_COMMITTER_NAME");
    let line = refused_cmd(&reg, cmd, None);
    says(&line, &["git config user.name", "U+0009"]);
    // Nothing half-written was left for git to trip on.
    let fsck = reg.git_output(&["fsck", "--strict"]);
    assert!(
        fsck.status.success(),
        "{}",
        String::from_utf8_lossy(&fsck.stderr)
    );
}

#[test]
fn the_roster_refuses_a_name_or_email_no_commit_could_carry() {
    let reg = Reg::with_roster();
    for (name, email) in [
        ("Pat Two", "odd>@npcc.police.uk"),
        ("Pat Two", "pat<two@npcc.police.uk"),
        ("Pat\nTwo", "pat.two@npcc.police.uk"),
        ("Pat <Two>", "pat.two@npcc.police.uk"),
    ] {
        let line = reg.refused(
            EDITOR,
            &[
                "roster",
                "add",
                "--partner",
                "npcc",
                "--name",
                name,
                "--email",
                email,
            ],
        );
        says(&line, &["which no"]);
    }
}

#[test]
fn text_from_the_register_never_commands_a_terminal_or_a_spreadsheet() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let (_, pat) = REVIEWERS[1];
    reg.ok(
        pat,
        &[
            "review",
            &id,
            "--decision",
            "not-suitable",
            "--comment",
            "=HYPERLINK(\"http://x\")\u{1b}[31m",
        ],
    );
    // A title and a comment holding an escape that would clear the screen,
    // a carriage return and a line break, committed as any clone could.
    let path = format!("submissions/{id}/activity.yaml");
    let text = reg.read(&path).replace(
        "title: Enhanced video response (EVR)",
        "title: \"EVR\\e[2J\\rpwned\\nfake-row  submitted  1\"",
    );
    reg.write(&path, &text);
    reg.commit_by_hand(
        SUBMITTER,
        &format!("amend {id}\n\nPractice-Id: {id}\nAction: amend\nRound: 1\n"),
    );
    for args in [
        &["list"][..],
        &["show", &id],
        &["history"],
        &["inbox"],
        &["history", "--csv"],
    ] {
        let out = reg.practice(EDITOR, args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(raw_control(&stdout), None, "{args:?}: {stdout}");
        assert_eq!(raw_control(&stderr), None, "{args:?}: {stderr}");
    }
    // A title is one line: the file is refused, and the warning shows
    // what it holds without obeying it.
    let out = reg.practice(EDITOR, &["list"]).output().unwrap();
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.contains("`title` holds the control character U+001B"),
        "{warning}"
    );
    // A comment may hold anything; it is shown, not obeyed, and adds no row.
    let history = reg.ok(EDITOR, &["history", &id]);
    assert!(history.contains("\\u{1b}[31m"), "{history}");
    assert_eq!(
        history.lines().count(),
        4,
        "header and three actions: {history}"
    );
    let csv = reg.ok(EDITOR, &["history", "--csv"]);
    assert!(csv.contains("\"'=HYPERLINK"), "{csv}");
}

#[test]
fn an_unknown_word_for_any_flag_is_a_usage_error_listing_the_words() {
    let reg = Reg::with_roster();
    reg.submit_sample();
    for (args, words) in [
        (
            &["history", "--partner", "npc"][..],
            "college-of-policing | npcc",
        ),
        (
            &["history", "--decision", "maybe"][..],
            "suitable | not-suitable",
        ),
        (&["history", "--action", "approve"][..], "init | submit"),
        (&["history", "--since", "last tuesday"][..], "2026-11-25"),
        (
            &["list", "--awaiting", "npc"][..],
            "college-of-policing | npcc",
        ),
        (&["list", "--stage", "finished"][..], "submitted"),
        (&["list", "--topic", "Knives"][..], "Vulnerable people"),
        (
            &[
                "review",
                SAMPLE_ID,
                "--decision",
                "suitable",
                "--partner",
                "npc",
            ][..],
            "npcc",
        ),
    ] {
        let line = refused_code(&reg, EDITOR, args, 2);
        says(&line, &[words]);
    }
}

#[test]
fn hostile_files_are_refused_quickly_and_plainly() {
    let reg = Reg::init();
    let submit = |name: &str, text: &[u8]| -> String {
        let path = reg.outside(name);
        std::fs::write(&path, text).unwrap();
        reg.refused(SUBMITTER, &["submit", "--file", path.to_str().unwrap()])
    };
    // 100,000 nested brackets: refused at once, with a place.
    let line = submit(
        "deep.yaml",
        format!("title: {}", "[".repeat(100_000)).as_bytes(),
    );
    says(&line, &["deep.yaml:1:", "more than 32 deep"]);
    // More than a register file may hold; /dev/zero is not read to its end.
    let line = submit("big.yaml", &vec![b'#'; (1 << 20) + 10]);
    says(&line, &["1 MiB"]);
    if std::path::Path::new("/dev/zero").exists() {
        let line = reg.refused(SUBMITTER, &["submit", "--file", "/dev/zero"]);
        says(&line, &["1 MiB"]);
        let args = [
            "review",
            "x",
            "--decision",
            "recuse",
            "--comment-file",
            "/dev/zero",
        ];
        says(&reg.refused(SUBMITTER, &args), &["1 MiB"]);
    }
    // Not UTF-8: the line and column of the first bad byte.
    let text = SAMPLE_ACTIVITY.replace("Victims waited", "Victims\u{0}waited");
    let bytes = text.replace('\u{0}', "\u{1}").into_bytes();
    let mut bad = bytes.clone();
    let at = bad.iter().position(|b| *b == 1).unwrap();
    bad[at] = 0xff;
    let line = submit("latin1.yaml", &bad);
    says(&line, &["latin1.yaml:13:10:", "not UTF-8"]);
    // A byte-order mark is fine.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(SAMPLE_ACTIVITY.as_bytes());
    let path = reg.outside("bom.yaml");
    std::fs::write(&path, bom).unwrap();
    reg.ok(
        SUBMITTER,
        &[
            "submit",
            "--file",
            path.to_str().unwrap(),
            "--id",
            "with-a-bom",
        ],
    );
    // A duplicate key names its own line, not 1:1.
    let line = submit(
        "dup.yaml",
        format!("{SAMPLE_ACTIVITY}title: Again\n").as_bytes(),
    );
    says(&line, &["dup.yaml:18:1:", "duplicate field `title`"]);
    // `~` for a text, a tag, a year out of range.
    let line = submit(
        "nulltitle.yaml",
        SAMPLE_ACTIVITY
            .replace("title: Enhanced video response (EVR)", "title: ~")
            .as_bytes(),
    );
    says(&line, &["`title` is empty (`~` or `null`)"]);
    let line = submit(
        "tag.yaml",
        SAMPLE_ACTIVITY
            .replace(
                "title: Enhanced video response (EVR)",
                "title: !!binary aGVsbG8=",
            )
            .as_bytes(),
    );
    says(&line, &["tag.yaml:1:8:", "`!!binary` is a YAML tag"]);
    let line = submit(
        "year.yaml",
        SAMPLE_ACTIVITY
            .replace("started: 2022-04-01", "started: 0202-04-01")
            .as_bytes(),
    );
    says(&line, &["`started`", "1900"]);
    // A title is one line.
    let line = submit(
        "lines.yaml",
        SAMPLE_ACTIVITY
            .replace(
                "title: Enhanced video response (EVR)",
                "title: \"EVR\\rfake\"",
            )
            .as_bytes(),
    );
    says(&line, &["`title` holds the control character U+000D"]);
}

#[test]
fn actions_wait_for_what_git_is_in_the_middle_of_and_whole_history_is_needed_to_judge() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let (_, pat) = REVIEWERS[1];
    // Mid-merge: git's own MERGE_HEAD says so.
    std::fs::write(reg.file(".git/MERGE_HEAD"), format!("{}\n", reg.head())).unwrap();
    let line = reg.refused(pat, &["review", &id, "--decision", "suitable"]);
    says(&line, &["a merge is in progress", "git merge --abort"]);
    std::fs::remove_file(reg.file(".git/MERGE_HEAD")).unwrap();
    // An orphan branch beside the register's.
    let branch = reg.git(&["symbolic-ref", "--short", "HEAD"]);
    reg.git(&["switch", "-q", "--orphan", "scratch"]);
    let out = reg
        .practice(pat, &["review", &id, "--decision", "suitable"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    says(
        &String::from_utf8_lossy(&out.stderr),
        &["orphan branch", "git switch"],
    );
    reg.git(&["switch", "-q", branch.trim()]);
    // A bare repository is a remote, not a place to act.
    let bare = reg.outside("bare.git");
    reg.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    let line = refused_outside_git(
        reg.path(),
        reg.practice(EDITOR, &["-C", bare.to_str().unwrap(), "list"]),
    );
    says(&line, &["bare repository", "git clone"]);
    // A shallow clone cannot be audited, nor its history read.
    let shallow = Reg::empty();
    let url = format!("file://{}", reg.path().display());
    let out = shallow
        .command("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(shallow.path().join("copy"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy = shallow.path().join("copy");
    for args in [&["audit"][..], &["history"][..]] {
        let mut cmd = shallow.practice(EDITOR, args);
        cmd.current_dir(&copy);
        let out = cmd.output().unwrap();
        assert!(!out.status.success());
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("git fetch --unshallow"), "{args:?}: {said}");
    }
}

#[test]
fn nothing_in_the_working_tree_is_written_through_or_over() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let (partner, pat) = REVIEWERS[1];
    let round = format!("reviews/{id}/round-1");
    // An untracked symbolic link where the sign-off goes, or above it.
    let target = reg.outside("elsewhere");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::create_dir_all(reg.file(&format!("reviews/{id}"))).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&target, reg.file(&round)).unwrap();
        let line = reg.refused(pat, &["review", &id, "--decision", "suitable"]);
        says(&line, &["symbolic link", &round]);
        assert_eq!(
            std::fs::read_dir(&target).unwrap().count(),
            0,
            "nothing written through it"
        );
        std::fs::remove_file(reg.file(&round)).unwrap();
    }
    // A file git ignores at the action's path is someone's: not replaced.
    reg.write(".gitignore", &format!("{partner}.yaml\n"));
    reg.git(&["add", ".gitignore"]);
    reg.git(&["commit", "-qm", "ignore"]);
    reg.write(&format!("{round}/{partner}.yaml"), "my own notes\n");
    let line = reg.refused(pat, &["review", &id, "--decision", "suitable"]);
    says(&line, &["git ignores", "move it away"]);
    assert_eq!(
        reg.read(&format!("{round}/{partner}.yaml")),
        "my own notes\n"
    );
    std::fs::remove_file(reg.file(&format!("{round}/{partner}.yaml"))).unwrap();
    // An index a running git holds: refused before the branch moves.
    std::fs::write(reg.file(".git/index.lock"), "").unwrap();
    let line = reg.refused(pat, &["review", &id, "--decision", "suitable"]);
    says(&line, &["index.lock"]);
    std::fs::remove_file(reg.file(".git/index.lock")).unwrap();
    reg.ok(pat, &["review", &id, "--decision", "suitable"]);
}

#[test]
fn git_config_is_read_as_git_reads_it_in_the_same_environment() {
    let reg = Reg::init();
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    let elsewhere = reg.write_outside(
        "elsewhere.gitconfig",
        "[user]\n\tname = Jo Bloggs\n\temail = jo.bloggs@dorset.police.uk\n",
    );
    let unset = |cmd: &mut assert_cmd::Command| {
        for var in [
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
        ] {
            cmd.env_remove(var);
        }
    };
    // GIT_CONFIG_SYSTEM names the system's file; GIT_CONFIG_NOSYSTEM keeps
    // it out, as it keeps it out of git.
    let mut cmd = reg.practice(SUBMITTER, &["submit", "--file", &file]);
    unset(&mut cmd);
    cmd.env("GIT_CONFIG_SYSTEM", &elsewhere)
        .env("GIT_CONFIG_NOSYSTEM", "1");
    let line = refused_cmd(&reg, cmd, None);
    says(&line, &["git config user.name"]);
    let mut cmd = reg.practice(SUBMITTER, &["submit", "--file", &file]);
    unset(&mut cmd);
    cmd.env("GIT_CONFIG_GLOBAL", &elsewhere);
    cmd.assert().success();
    assert_eq!(
        reg.git(&["log", "-1", "--format=%an <%ae>"]).trim(),
        "Jo Bloggs <jo.bloggs@dorset.police.uk>"
    );
    // And plain git, told the same, agrees.
    let out = reg
        .command("git")
        .current_dir(reg.path())
        .env("GIT_CONFIG_GLOBAL", &elsewhere)
        .args(["config", "user.email"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "jo.bloggs@dorset.police.uk"
    );

    // GIT_CONFIG_COUNT settings come over every file, as `git -c` does,
    // quotes, backslashes and all; git reads the same name from them.
    let name = r#"Jo "JB" Back\slash"#;
    let counted = [
        ("GIT_CONFIG_COUNT", "2"),
        ("GIT_CONFIG_KEY_0", "user.name"),
        ("GIT_CONFIG_VALUE_0", name),
        ("GIT_CONFIG_KEY_1", "user.email"),
        ("GIT_CONFIG_VALUE_1", "jo.bloggs@dorset.police.uk"),
    ];
    let amend = ["amend", SAMPLE_ID, "--evidence", "Counted."];
    let mut cmd = reg.practice(SUBMITTER, &amend);
    unset(&mut cmd);
    cmd.env("GIT_CONFIG_GLOBAL", &elsewhere).envs(counted);
    cmd.assert().success();
    assert_eq!(reg.git(&["log", "-1", "--format=%an"]).trim(), name);
    let out = reg
        .command("git")
        .current_dir(reg.path())
        .envs(counted)
        .args(["config", "user.name"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), name);
    // A count git would refuse is refused, naming what to mend.
    for (count, names) in [("two", "GIT_CONFIG_COUNT"), ("3", "GIT_CONFIG_KEY_2")] {
        let mut cmd = reg.practice(SUBMITTER, &amend);
        unset(&mut cmd);
        cmd.envs(counted).env("GIT_CONFIG_COUNT", count);
        let line = refused_cmd(&reg, cmd, None);
        says(&line, &[names]);
    }

    // `git -c` passes its settings to the commands it runs quoted in
    // GIT_CONFIG_PARAMETERS: what git writes there, practice reads.
    let quoted = "Jo 'JB' Bloggs!";
    let out = reg
        .command("git")
        .current_dir(reg.path())
        .args(["-c", &format!("user.name={quoted}")])
        .args(["-c", "user.email=jo.bloggs@dorset.police.uk"])
        .args([
            "-c",
            "alias.params=!printenv GIT_CONFIG_PARAMETERS",
            "params",
        ])
        .output()
        .unwrap();
    let parameters = String::from_utf8(out.stdout).unwrap();
    assert!(parameters.contains(r"'\''"), "{parameters}");
    let again = ["amend", SAMPLE_ID, "--evidence", "From git -c."];
    let mut cmd = reg.practice(SUBMITTER, &again);
    unset(&mut cmd);
    cmd.env("GIT_CONFIG_PARAMETERS", parameters.trim_end());
    cmd.assert().success();
    assert_eq!(reg.git(&["log", "-1", "--format=%an"]).trim(), quoted);
    let mut cmd = reg.practice(SUBMITTER, &again);
    unset(&mut cmd);
    cmd.env("GIT_CONFIG_PARAMETERS", "user.name=unquoted");
    let line = refused_cmd(&reg, cmd, None);
    says(&line, &["GIT_CONFIG_PARAMETERS"]);
}

#[test]
fn a_write_that_fails_for_want_of_space_is_found_before_the_branch_moves() {
    use std::os::unix::process::CommandExt as _;
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    // A comment of 600 KB compresses to next to nothing in git's objects,
    // but its sign-off file does not fit under a limit of 256 KB on the
    // size of a file written (`ulimit -f`), standing in for a full disk.
    let comment = "Reviewed with care. ".repeat(30_000);
    let file = reg.write_outside("long.txt", &comment);
    let args = [
        "review",
        id.as_str(),
        "--decision",
        "more-information",
        "--comment-file",
        file.to_str().unwrap(),
    ];
    let before = reg.snapshot();
    let mut cmd = reg.spawnable(reviewer("npcc"), &args);
    // SAFETY: setrlimit is async-signal-safe and allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 256 * 1024,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line = String::from_utf8(out.stderr).unwrap();
    assert_eq!(line.trim_end().lines().count(), 1, "{line}");
    says(&line, &["nothing was changed", "free some space"]);
    assert_eq!(
        reg.snapshot(),
        before,
        "the branch moved, or the tree changed"
    );
    let left: Vec<_> = std::fs::read_dir(reg.path().join(".git"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("practice-tmp") || n == "practice-pending")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // With room to write, the same review lands.
    reg.ok(reviewer("npcc"), &args);
    assert!(reg.read(&format!("reviews/{id}/round-1/npcc.yaml")).len() > 600_000);
}

#[test]
fn an_identity_is_recorded_as_git_writes_it_into_the_commit() {
    let reg = Reg::with_roster();
    // git drops quotes, backslashes and the like from the ends of a name
    // and an email: the files say what the commit says.
    let file = outside_file(&reg, "evr.yaml", SAMPLE_ACTIVITY);
    reg.practice(SUBMITTER, &["submit", "--file", &file])
        .env("GIT_AUTHOR_NAME", "'Jo Bloggs\\\"")
        .env("GIT_AUTHOR_EMAIL", "\\jo.bloggs@dorset.police.uk;")
        .assert()
        .success();
    assert_eq!(
        reg.git(&["log", "-1", "--format=%an <%ae>"]).trim(),
        "Jo Bloggs <jo.bloggs@dorset.police.uk>"
    );
    let activity = reg.read(&format!("submissions/{SAMPLE_ID}/activity.yaml"));
    assert!(
        activity.contains("email: jo.bloggs@dorset.police.uk"),
        "{activity}"
    );
    assert_eq!(reg.audit(), (0, vec![]));
    // A roster email no commit could carry as written is refused.
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "add",
            "--partner",
            "npcc",
            "--name",
            "Odd One",
            "--email",
            "\\odd@npcc.police.uk",
        ],
    );
    says(&line, &["git drops", "\"odd@npcc.police.uk\""]);
}
