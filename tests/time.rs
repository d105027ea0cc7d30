//! Time in the pipeline: a round is due `approval.review_days` after it
//! opened; the clock stops while the activity is returned and starts again
//! with the next round. "Now" is set with `PRACTICE_NOW`, as for a report.

mod common;

use common::*;

/// `who`'s inbox as JSON, as of `now`.
fn inbox_on(reg: &Reg, now: &str, who: Who, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["inbox", "--json"];
    args.extend(extra);
    reg.json_as_of(now, who, &args)
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
    reg.ok_at(
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
    reg.ok_at(
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
        .as_of("2026-12-21T09:00:00Z", reviewer("npcc"), &["inbox"])
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
    let out = reg.as_of("soon", EDITOR, &["inbox"]).output().unwrap();
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

/// `list --json ARGS` as of `now`.
fn list_on(reg: &Reg, now: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["list", "--json"];
    args.extend(extra);
    reg.json_as_of(now, STRANGER, &args)
        .as_array()
        .unwrap()
        .clone()
}

fn ids(list: &[serde_json::Value]) -> Vec<&str> {
    list.iter().map(|v| v["id"].as_str().unwrap()).collect()
}

#[test]
fn list_says_how_long_each_has_waited_for_whom_and_which_are_overdue() {
    let reg = Reg::with_roster_at("2026-10-01T09:00:00Z");
    let late = reg.submit_titled("Late one");
    reg.ok_at(
        "2026-10-20T09:00:00Z",
        reviewer("npcc"),
        &["review", &late, "--decision", "suitable"],
    );
    let fresh = reg.submit_titled_at("2026-11-01T09:00:00Z", "Fresh one");
    let now = "2026-11-10T12:00:00Z";
    let all = list_on(&reg, now, &[]);
    let of = |id: &str| all.iter().find(|v| v["id"] == id).unwrap().clone();
    let l = of(&late);
    assert_eq!(l["waiting_since"], "2026-10-01T09:00:00Z");
    assert_eq!(l["waiting_days"], 40);
    assert_eq!(l["due"], "2026-10-29");
    assert_eq!(l["overdue_days"], 12);
    assert_eq!(
        l["waiting_for"],
        serde_json::json!(["college-of-policing", "hmicfrs", "iopc"])
    );
    let f = of(&fresh);
    assert_eq!(f["due"], "2026-11-29");
    assert_eq!(f["overdue_days"], 0);

    assert_eq!(ids(&list_on(&reg, now, &["--overdue"])), [late.as_str()]);
    // npcc decided the late one: nothing of npcc's is overdue; iopc's is.
    assert!(list_on(&reg, now, &["--awaiting", "npcc", "--overdue"]).is_empty());
    assert_eq!(
        ids(&list_on(&reg, now, &["--awaiting", "iopc", "--overdue"])),
        [late.as_str()]
    );
    assert_eq!(
        ids(&list_on(
            &reg,
            "2026-12-31T00:00:00Z",
            &["--awaiting", "npcc", "--overdue"]
        )),
        [fresh.as_str()]
    );

    // Returned: it waits for its submitter since the question, and no
    // round is due.
    reg.ok_at(
        "2026-11-11T09:00:00Z",
        reviewer("iopc"),
        &[
            "review",
            &late,
            "--decision",
            "more-information",
            "--comment",
            "Costs?",
        ],
    );
    let l = list_on(&reg, "2026-11-20T12:00:00Z", &[])
        .into_iter()
        .find(|v| v["id"] == late.as_str())
        .unwrap();
    assert_eq!(l["stage"], "returned");
    assert_eq!(l["waiting_since"], "2026-11-11T09:00:00Z");
    assert_eq!(l["waiting_for"], serde_json::json!(["submitter"]));
    assert!(l["due"].is_null() && l["overdue_days"].is_null());
    assert!(
        list_on(&reg, "2026-12-31T00:00:00Z", &["--overdue"])
            .iter()
            .all(|v| v["id"] != late.as_str())
    );

    // The table says the same; show does too.
    let out = reg
        .as_of("2026-12-31T00:00:00Z", STRANGER, &["list", "--overdue"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2026-11-29 (32 days overdue)"), "{text}");
    assert!(
        text.contains("60 days: college-of-policing, npcc, hmicfrs, iopc"),
        "{text}"
    );
    let show = reg.json_as_of("2026-11-20T12:00:00Z", STRANGER, &["show", &late, "--json"]);
    assert_eq!(show["waiting_days"], 9);
    assert_eq!(show["waiting_for"], serde_json::json!(["submitter"]));
}

#[test]
fn the_clock_read_again_from_nothing_agrees_with_the_one_kept() {
    let reg = Reg::with_roster_at("2026-10-01T09:00:00Z");
    let id = reg.returned_sample();
    let list = |reg: &Reg| list_on(reg, "2026-11-01T00:00:00Z", &[]);
    let before = list(&reg);
    let cache = reg.path().join(".git/practice-clock.json");
    assert!(cache.exists(), "the clock is kept beside git's own files");
    // One more action: read from where the kept clock stopped.
    reg.ok_at(
        "2026-10-05T09:00:00Z",
        SUBMITTER,
        &["amend", &id, "--evidence", "More.", "--reply", "More."],
    );
    let kept = list(&reg);
    std::fs::remove_file(&cache).unwrap();
    assert_eq!(kept, list(&reg));
    assert_ne!(before, kept);
    assert_eq!(kept[0]["round"], 2);
    assert_eq!(kept[0]["waiting_since"], "2026-10-05T09:00:00Z");
    // Back to before the amend, as a reset or a sync would: the kept
    // clock, read past that commit, is not trusted for this history.
    reg.git(&["reset", "-q", "--hard", "HEAD~1"]);
    assert_eq!(list(&reg), before);
    // A damaged one is read as none.
    std::fs::write(&cache, b"{}").unwrap();
    assert_eq!(list(&reg), before);
}
