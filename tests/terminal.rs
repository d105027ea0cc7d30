//! `practice` at a terminal: prompts driven through a pseudo-terminal, a
//! stand-in `$EDITOR`, colour, confirmations, the inbox, completions, the
//! manual page and help.

mod common;

use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;

use common::*;
use predicates::prelude::*;
use rexpect::session::{PtySession, spawn_command};

const DOWN: &str = "\x1b[B";

/// `practice ARGS` as `who` in a pseudo-terminal, with `editor` as $EDITOR.
fn at_terminal(reg: &Reg, who: Who, args: &[&str], editor: Option<&PathBuf>) -> PtySession {
    let practice = reg.spawnable(who, args);
    // A pseudo-terminal starts with no size; give it a person's, as `stty`
    // would, and then run practice in it.
    let mut cmd = reg.command("sh");
    cmd.arg("-c")
        .arg(r#"stty cols 120 rows 60 && exec "$@""#)
        .arg("sh")
        .arg(practice.get_program())
        .args(practice.get_args())
        .current_dir(practice.get_current_dir().unwrap());
    for (key, value) in practice.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    cmd.env("TERM", "xterm");
    match editor {
        Some(e) => cmd.env("EDITOR", e),
        None => cmd.env_remove("EDITOR"),
    };
    spawn_command(cmd, Some(15_000)).unwrap()
}

/// A stand-in editor: a shell script run on the file to edit.
fn editor(reg: &Reg, name: &str, script: &str) -> PathBuf {
    let path = reg.write_outside(name, &format!("#!/bin/sh\n{script}\n"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A stand-in editor that keeps a copy of the template it was opened with
/// (the second path) and adds `line` to it.
fn keeping_editor(reg: &Reg, name: &str, line: &str) -> (PathBuf, PathBuf) {
    let seen = reg.outside(&format!("{name}-template.txt"));
    let script = format!(
        r#"cp "$1" '{}'; printf '%s\n' '{line}' >> "$1""#,
        seen.display()
    );
    (editor(reg, &format!("{name}.sh"), &script), seen)
}

/// Type `keys` once the prompt is waiting: a prompt switches the terminal to
/// raw mode only after drawing itself, and keys typed before then are lost.
fn type_keys(p: &mut PtySession, keys: &str) {
    std::thread::sleep(std::time::Duration::from_millis(250));
    p.send(keys).unwrap();
    p.flush().unwrap();
}

fn finish(mut p: PtySession) -> String {
    let out = p.exp_eof().unwrap();
    let status = p.process().wait().unwrap();
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
        "{status:?}: {out}"
    );
    out
}

#[test]
fn a_review_chosen_from_the_select_list_with_a_comment_from_the_editor() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let ed = editor(
        &reg,
        "comment.sh",
        r#"printf 'A conflict of interest.\n' >> "$1""#,
    );
    let mut p = at_terminal(&reg, reviewer("npcc"), &["review", &id], Some(&ed));
    p.exp_string("Choose the decision").unwrap();
    p.exp_string("recuse").unwrap();
    // suitable, not-suitable, more-information, recuse: the fourth.
    type_keys(&mut p, &format!("{}\r", DOWN.repeat(3)));
    p.exp_string("Opening your editor").unwrap();
    finish(p);
    let sign_off = reg.read(&format!("reviews/{id}/round-1/npcc.yaml"));
    assert!(sign_off.contains("decision: recuse"), "{sign_off}");
    assert!(sign_off.contains("A conflict of interest."), "{sign_off}");
    assert!(
        !sign_off.contains('#'),
        "guidance lines are dropped: {sign_off}"
    );
    assert_eq!(reg.trailer("HEAD", "Decision"), "recuse");
}

#[test]
fn a_submission_answered_prompt_by_prompt() {
    let reg = Reg::with_roster();
    let ed = editor(
        &reg,
        "answer.sh",
        r#"printf 'Written in the editor.\n' >> "$1""#,
    );
    let mut p = at_terminal(&reg, SUBMITTER, &["submit"], Some(&ed));
    p.exp_string("title").unwrap();
    type_keys(&mut p, "Safer Sleep\r");
    p.exp_string("(another organisation").unwrap();
    // The list redraws at each letter; type as a person would.
    for letter in ["m", "e", "r", "s", "e", "y", "s"] {
        type_keys(&mut p, letter);
    }
    p.exp_string("merseys|").unwrap();
    type_keys(&mut p, "\r");
    p.exp_string("Choose the topic").unwrap();
    p.exp_string("Youth justice").unwrap();
    type_keys(&mut p, "\r"); // the first topic
    p.exp_string("Choose the focus").unwrap();
    p.exp_string("Investigation").unwrap();
    type_keys(&mut p, &format!("{DOWN}\r")); // Diversion
    p.exp_string("Choose the scale").unwrap();
    p.exp_string("National").unwrap();
    type_keys(&mut p, "\r"); // Local
    p.exp_string("how far it has got").unwrap();
    p.exp_string("evaluated").unwrap();
    type_keys(&mut p, &format!("{DOWN}{DOWN}\r")); // implemented
    p.exp_string("summary").unwrap();
    type_keys(&mut p, "Safe sleeping advice for new parents.\r");
    let out = finish(p);
    assert!(out.contains("safer-sleep-merseyside-police"), "{out}");
    let shown = reg.show("safer-sleep-merseyside-police");
    assert_eq!(
        shown["organisations"],
        serde_json::json!(["Merseyside Police"])
    );
    assert_eq!(shown["topic"], "Anti-social behaviour");
    assert_eq!(shown["activity"]["focus"], "Diversion");
    assert_eq!(shown["activity"]["implementation"], "implemented");
    assert_eq!(shown["activity"]["problem"], "Written in the editor.");
    assert_eq!(reg.status(), "");
}

#[test]
fn the_report_opens_as_a_template_in_the_editor() {
    let reg = Reg::with_roster();
    let id = reg.approved_sample();
    let ed = editor(
        &reg,
        "report.sh",
        r#"grep -q '^problem: ' "$1" && grep -q 'learning' "$1" && sed -i "s/^learning: .*/learning: Start small./; s/^resources: .*/resources: One licence./; s/^impact: .*/impact: Faster contact./" "$1""#,
    );
    let p = at_terminal(&reg, EDITOR, &["write-up", &id], Some(&ed));
    finish(p);
    assert_eq!(reg.stage(&id), "written-up");
    let report = reg.read(&format!("submissions/{id}/report.yaml"));
    assert!(report.contains("learning: Start small."), "{report}");
    assert!(
        report.contains("Victims waited hours"),
        "the activity's answers fill the template: {report}"
    );
}

#[test]
fn what_was_typed_in_the_editor_is_kept_when_it_does_not_parse() {
    let reg = Reg::with_roster();
    let id = reg.approved_sample();
    let ed = editor(&reg, "broken.sh", r#"printf 'impakt: oops\n' >> "$1""#);
    let mut p = at_terminal(&reg, EDITOR, &["write-up", &id], Some(&ed));
    p.exp_string("kept in").unwrap();
    let rest = p.exp_eof().unwrap();
    let kept: Vec<_> = std::fs::read_dir(reg.path().join(".git/practice-unsaved"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(
        kept[0]
            .to_string_lossy()
            .ends_with(&format!("{id}-report.yaml"))
    );
    assert!(
        rest.contains(&*kept[0].file_name().unwrap().to_string_lossy()),
        "the message names it: {rest}"
    );
    assert!(
        std::fs::read_to_string(&kept[0])
            .unwrap()
            .contains("impakt: oops")
    );
    assert_eq!(reg.stage(&id), "approved");
    // A second failure keeps its own copy beside the first.
    let mut p = at_terminal(&reg, EDITOR, &["write-up", &id], Some(&ed));
    p.exp_string("kept in").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(
        std::fs::read_dir(reg.path().join(".git/practice-unsaved"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn publication_is_confirmed_at_a_terminal() {
    let reg = Reg::with_roster();
    let id = reg.written_up_sample();
    let head = reg.head();
    let mut p = at_terminal(&reg, EDITOR, &["publish", &id], None);
    p.exp_string("for every force to see?").unwrap();
    type_keys(&mut p, "n");
    p.exp_string("not confirmed").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(reg.head(), head, "declined: nothing changed");
    let mut p = at_terminal(&reg, EDITOR, &["publish", &id], None);
    p.exp_string("for every force to see?").unwrap();
    type_keys(&mut p, "y");
    finish(p);
    assert_eq!(reg.stage(&id), "published");
}

#[test]
fn a_change_of_the_rules_that_moves_activities_is_confirmed_at_a_terminal() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    for (partner, who) in REVIEWERS {
        let decision = if partner == "npcc" || partner == "iopc" {
            "recuse"
        } else {
            "suitable"
        };
        reg.ok(
            who,
            &["review", &id, "--decision", decision, "--comment", "Seen."],
        );
    }
    assert_eq!(reg.stage(&id), "undecided");
    let head = reg.head();
    let mut p = at_terminal(&reg, EDITOR, &["rules", "set", "min-suitable", "2"], None);
    p.exp_string(&format!("- {id}: undecided -> approved"))
        .unwrap();
    p.exp_string("This changes the stage of 1 activity")
        .unwrap();
    type_keys(&mut p, "n");
    p.exp_string("not confirmed").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(reg.head(), head, "declined: nothing changed");
    let mut p = at_terminal(&reg, EDITOR, &["rules", "set", "min-suitable", "2"], None);
    p.exp_string("This changes the stage of 1 activity")
        .unwrap();
    type_keys(&mut p, "y");
    finish(p);
    assert_eq!(reg.stage(&id), "approved");
}

#[test]
fn replacing_a_colleagues_decision_is_confirmed_at_a_terminal() {
    let reg = Reg::with_roster();
    let kim = SECOND_NPCC;
    reg.add_reviewer("npcc", kim);
    let id = reg.submit_sample();
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    let args = [
        "review",
        &id,
        "--decision",
        "recuse",
        "--comment",
        "A conflict.",
    ];
    let mut p = at_terminal(&reg, kim, &args, None);
    p.exp_string("Replace Pat Chief").unwrap();
    type_keys(&mut p, "y");
    finish(p);
    assert!(
        reg.git(&["log", "-1", "--format=%b"])
            .contains("Replaces Pat Chief")
    );
}

#[test]
fn a_reviewers_comment_opens_beside_what_changed_and_what_others_said() {
    let reg = Reg::with_roster();
    let id = reg.returned_sample();
    reg.ok(
        SUBMITTER,
        &[
            "amend",
            &id,
            "--evidence",
            "One licence.",
            "--reply",
            "One licence a year.",
        ],
    );
    reg.ok(
        reviewer("hmicfrs"),
        &[
            "review",
            &id,
            "--decision",
            "recuse",
            "--comment",
            "We inspected Dorset this year.",
        ],
    );
    let (ed, seen) = keeping_editor(&reg, "comment", "Cost is clear now.");
    let args = ["review", &id, "--decision", "not-suitable"];
    let p = at_terminal(&reg, reviewer("iopc"), &args, Some(&ed));
    finish(p);
    let template = std::fs::read_to_string(&seen).unwrap();
    for part in [
        "Video calls to victims of domestic abuse",
        "Changed since round 1: evidence",
        "One licence a year.",
        "hmicfrs (recuse, Kim Inspector):",
        "We inspected Dorset this year.",
    ] {
        assert!(template.contains(part), "{part}: {template}");
    }
    let kept = reg.read(&format!("reviews/{id}/round-2/iopc.yaml"));
    assert!(
        kept.contains("comment: |\n  Cost is clear now.\n")
            || kept.contains("comment: Cost is clear now."),
        "{kept}"
    );
    assert!(!kept.contains("Dorset this year"), "{kept}");
}

#[test]
fn a_reply_opens_with_the_questions_and_diff_is_coloured_at_a_terminal() {
    let reg = Reg::with_roster();
    let id = reg.returned_sample();
    let (ed, seen) = keeping_editor(&reg, "reply", "One licence a year.");
    let args = ["amend", &id, "--evidence", "It cost one licence."];
    finish(at_terminal(&reg, SUBMITTER, &args, Some(&ed)));
    let template = std::fs::read_to_string(&seen).unwrap();
    assert!(
        template.contains("npcc (more-information, Pat Chief)"),
        "{template}"
    );
    assert!(template.contains("What did it cost?"), "{template}");
    let reply = reg.read(&format!("reviews/{id}/round-1/reply.yaml"));
    assert!(reply.contains("One licence a year."), "{reply}");
    assert!(!reply.contains("What did it cost"), "{reply}");

    let mut cmd = reg.spawnable(EDITOR, &["diff", &id]);
    cmd.env("TERM", "xterm").env_remove("NO_COLOR");
    let out = finish(spawn_command(cmd, Some(15_000)).unwrap());
    assert!(
        out.contains("\x1b[32m"),
        "green for what was added: {out:?}"
    );
    assert!(out.contains("It cost one licence."), "{out}");
}

#[test]
fn no_input_at_a_terminal_refuses_naming_the_flag() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let mut p = at_terminal(&reg, reviewer("npcc"), &["--no-input", "review", &id], None);
    p.exp_string("missing the decision: pass --decision")
        .unwrap();
    p.exp_eof().unwrap();
    assert!(!reg.file(&format!("reviews/{id}")).exists());
}

#[test]
fn colour_at_a_terminal_and_never_with_no_color() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    let mut cmd = reg.spawnable(EDITOR, &["list"]);
    cmd.env("TERM", "xterm").env_remove("NO_COLOR");
    let coloured = finish(spawn_command(cmd, Some(15_000)).unwrap());
    assert!(
        coloured.contains("\u{1b}["),
        "colour on a terminal: {coloured:?}"
    );
    let mut cmd = reg.spawnable(EDITOR, &["list"]);
    cmd.env("TERM", "xterm").env("NO_COLOR", "1");
    let plain = finish(spawn_command(cmd, Some(15_000)).unwrap());
    assert!(
        plain.contains(&id) && !plain.contains("\u{1b}["),
        "{plain:?}"
    );
    // Piped, there is no colour either.
    let piped = reg.ok(EDITOR, &["list"]);
    assert!(!piped.contains("\u{1b}["));
}

#[test]
fn the_inbox_of_each_role() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let inbox = |who: Who| -> serde_json::Value {
        serde_json::from_str(&reg.ok(who, &["inbox", "--json"])).unwrap()
    };
    // A reviewer sees what awaits their partner.
    let npcc = inbox(reviewer("npcc"));
    assert_eq!(npcc["reviewer"][0]["partner"], "npcc");
    assert_eq!(npcc["reviewer"][0]["awaiting"][0]["id"], id.as_str());
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    assert_eq!(
        inbox(reviewer("npcc"))["reviewer"][0]["awaiting"],
        serde_json::json!([])
    );
    // The submitter sees what their activity waits for.
    let mine = inbox(SUBMITTER);
    assert_eq!(mine["submitter"][0]["id"], id.as_str());
    assert!(
        mine["submitter"][0]["waits_for"]
            .as_str()
            .unwrap()
            .contains("college-of-policing, hmicfrs, iopc")
    );
    assert!(mine["editor"].is_null());
    // Once returned, the editor sees it among the returned, and the
    // submitter is told to amend it.
    reg.ok(
        reviewer("iopc"),
        &[
            "review",
            &id,
            "--decision",
            "more-information",
            "--comment",
            "Costs?",
        ],
    );
    assert_eq!(inbox(EDITOR)["editor"]["returned"][0]["id"], id.as_str());
    assert!(
        inbox(SUBMITTER)["submitter"][0]["waits_for"]
            .as_str()
            .unwrap()
            .contains("practice amend")
    );
    reg.ok(
        SUBMITTER,
        &["amend", &id, "--evidence", "Cheap.", "--reply", "Cheap."],
    );
    reg.all_decide(&id, "suitable");
    assert_eq!(inbox(EDITOR)["editor"]["to_write_up"][0]["id"], id.as_str());
    reg.practice(EDITOR, &["inbox"]).assert().success().stdout(
        predicate::str::contains("Approved, to write up")
            .and(predicate::str::contains(id.as_str())),
    );
    reg.practice(STRANGER, &["inbox"])
        .assert()
        .success()
        .stderr(predicate::str::contains("nothing awaits"));
}

#[test]
fn completions_man_help_version_and_suggestions() {
    let reg = Reg::init();
    reg.practice(EDITOR, &["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("_practice"));
    reg.practice(EDITOR, &["completions", "zsh"])
        .assert()
        .success()
        .stdout(predicate::str::contains("#compdef practice"));
    reg.practice(EDITOR, &["completions", "fish"])
        .assert()
        .success()
        .stdout(predicate::str::contains("complete -c practice"));
    reg.practice(EDITOR, &["man"])
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH practice"));
    reg.practice(EDITOR, &["--version"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("practice "));
    for command in [
        "init",
        "submit",
        "amend",
        "review",
        "write-up",
        "publish",
        "bank",
        "withdraw",
        "retract",
        "list",
        "show",
        "history",
        "audit",
        "sync",
        "inbox",
        "completions",
        "man",
    ] {
        reg.practice(EDITOR, &[command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example: practice"));
    }
    reg.practice(EDITOR, &["reveiw"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("similar").and(predicate::str::contains("review")));
}
