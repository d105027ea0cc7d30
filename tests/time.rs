//! Time in the pipeline: a round is due `approval.review_days` after it
//! opened; the clock stops while the activity is returned and starts again
//! with the next round. "Now" is set with `PRACTICE_NOW`, as for a report.

mod common;

use common::*;

/// `practice ARGS` by `who`, authored at `at`.
fn at(reg: &Reg, at: &str, who: Who, args: &[&str]) {
    reg.practice(who, args)
        .env("GIT_AUTHOR_DATE", at)
        .env("GIT_COMMITTER_DATE", at)
        .assert()
        .success();
}

/// `who`'s inbox as JSON, as of `now`.
fn inbox_on(reg: &Reg, now: &str, who: Who, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["inbox", "--json"];
    args.extend(extra);
    let out = reg
        .practice(who, &args)
        .env_remove("GIT_AUTHOR_DATE")
        .env("PRACTICE_NOW", now)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn rounds_fall_due_and_the_clock_stops_while_returned() {
    let reg = Reg::with_roster_at("2026-10-01T09:00:00Z");
    let id = reg.submit_sample();
    let npcc =
        |now: &str| inbox_on(&reg, now, reviewer("npcc"), &[])["reviewer"][0]["awaiting"].clone();

    // Due 28 days after submission; a week later, 7 days overdue.
    let waiting = npcc("2026-11-05T12:00:00Z");
    assert_eq!(waiting[0]["id"], id.as_str());
    assert_eq!(waiting[0]["due"], "2026-10-29");
    assert_eq!(waiting[0]["overdue_days"], 7);
    assert_eq!(waiting[0]["age_days"], 35);
    let early = npcc("2026-10-10T12:00:00Z");
    assert_eq!(early[0]["overdue_days"], 0);

    // Returned: the clock stops; nobody's queue counts it overdue.
    at(
        &reg,
        "2026-11-06T10:00:00Z",
        reviewer("npcc"),
        &[
            "review",
            &id,
            "--decision",
            "more-information",
            "--comment",
            "Costs?",
        ],
    );
    assert_eq!(npcc("2026-11-19T12:00:00Z").as_array().unwrap().len(), 0);
    let iopc = inbox_on(&reg, "2026-11-19T12:00:00Z", reviewer("iopc"), &[]);
    assert_eq!(iopc["reviewer"][0]["awaiting"].as_array().unwrap().len(), 0);

    // Answered on the 20th: round 2 is due 28 days on, whatever came before.
    at(
        &reg,
        "2026-11-20T10:00:00Z",
        SUBMITTER,
        &[
            "amend",
            &id,
            "--evidence",
            "One licence.",
            "--reply",
            "One licence.",
        ],
    );
    let waiting = npcc("2026-11-25T12:00:00Z");
    assert_eq!(waiting[0]["round"], 2);
    assert_eq!(waiting[0]["due"], "2026-12-18");
    assert_eq!(waiting[0]["overdue_days"], 0);
    assert_eq!(waiting[0]["age_days"], 5);

    // The text says when it is due and how late.
    let out = reg
        .practice(reviewer("npcc"), &["inbox"])
        .env_remove("GIT_AUTHOR_DATE")
        .env("PRACTICE_NOW", "2026-12-21T09:00:00Z")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2026-12-18 (3 days overdue)"), "{text}");

    // An editor sees a partner's queue; a reviewer does not see another's.
    let seen = inbox_on(&reg, "2026-12-21T09:00:00Z", EDITOR, &["--partner", "iopc"]);
    assert_eq!(seen["reviewer"][0]["partner"], "iopc");
    assert_eq!(seen["reviewer"][0]["awaiting"][0]["overdue_days"], 3);
    let line = reg.refused(reviewer("npcc"), &["inbox", "--partner", "iopc"]);
    assert!(line.contains("editor"), "{line}");
    let line = reg.refused(EDITOR, &["inbox", "--partner", "nobody"]);
    assert!(line.contains("not a partner"), "{line}");

    // A bad "now" is refused, naming the variable.
    let out = reg
        .practice(EDITOR, &["inbox"])
        .env_remove("GIT_AUTHOR_DATE")
        .env("PRACTICE_NOW", "soon")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PRACTICE_NOW"));
}

#[test]
fn the_editors_inbox_lists_what_was_found_not_suitable() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.all_decide(&id, "not-suitable");
    let inbox: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["inbox", "--json"])).unwrap();
    assert_eq!(inbox["editor"]["not_suitable"][0]["id"], id.as_str());
    let text = reg.ok(EDITOR, &["inbox"]);
    assert!(text.contains("Not suitable: bank, or leave"), "{text}");
}
