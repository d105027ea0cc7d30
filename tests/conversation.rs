//! The review as a conversation: a returned round answered with a reply,
//! written beside the round's sign-offs by the amendment that opens the
//! next round, and shown as a thread.

mod common;

use common::*;

fn sound(reg: &Reg) {
    let (code, findings) = reg.audit();
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

/// The sample, returned by npcc with a question.
fn returned(reg: &Reg) -> String {
    let id = reg.submit_sample();
    reg.ok(
        reviewer("college-of-policing"),
        &["review", &id, "--decision", "suitable"],
    );
    reg.ok(
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
    assert_eq!(reg.stage(&id), "returned");
    id
}

#[test]
fn a_returned_round_is_answered_with_a_reply_and_shown_as_a_thread() {
    let reg = Reg::with_roster();
    let id = returned(&reg);
    // No amendment of a returned activity without a reply.
    let line = reg.refused(SUBMITTER, &["amend", &id, "--evidence", "One licence."]);
    assert!(line.contains("--reply"), "{line}");
    assert!(line.contains("round 1"), "{line}");

    reg.ok(
        SUBMITTER,
        &[
            "amend",
            &id,
            "--evidence",
            "One licence a year.",
            "--reply",
            "One licence a year; the evidence says so now.",
        ],
    );
    let reply_path = format!("reviews/{id}/round-1/reply.yaml");
    // One commit: the answers, the reply, and round 2 opened.
    let mut changed = reg.changed("HEAD");
    changed.sort();
    assert_eq!(
        changed,
        [
            reply_path.clone(),
            format!("reviews/{id}/round-2/.gitkeep"),
            format!("submissions/{id}/activity.yaml"),
        ]
    );
    assert_eq!(reg.trailer("HEAD", "Round"), "2");
    let reply = reg.read(&reply_path);
    assert!(reply.contains("round: 1"), "{reply}");
    assert!(reply.contains(SUBMITTER.email), "{reply}");
    assert!(reply.contains("the evidence says so now"), "{reply}");

    // The thread: round 1's decisions in the order made, the reply, round 2.
    let shown = reg.ok(EDITOR, &["show", &id]);
    let order = [
        "round 1",
        "college-of-policing",
        "What did it cost?",
        "reply by Jo Bloggs",
        "the evidence says so now",
        "round 2",
    ];
    let mut at = 0;
    for part in order {
        let found = shown[at..]
            .find(part)
            .unwrap_or_else(|| panic!("{part} after {at} in {shown}"));
        at += found + part.len();
    }
    let json = reg.show(&id);
    assert_eq!(
        json["rounds"][0]["reply"]["text"],
        "One licence a year; the evidence says so now.\n"
    );
    assert_eq!(json["rounds"][0]["sign_offs"][1]["partner"], "npcc");
    sound(&reg);

    // A reply where no question was asked: refused.
    let line = reg.refused(
        SUBMITTER,
        &["amend", &id, "--evidence", "More.", "--reply", "x"],
    );
    assert!(line.contains("nothing to reply to"), "{line}");
}

#[test]
fn a_reply_made_by_hand_is_judged() {
    let reg = Reg::with_roster();
    let id = returned(&reg);
    reg.ok(
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
    let start = reg.head();
    let path = format!("reviews/{id}/round-1/reply.yaml");
    // Rewritten afterwards, in an amendment of round 2: found.
    let text = reg.read(&path).replace("One licence.", "Two licences.");
    reg.write(&path, &text);
    reg.commit_by_hand(
        SUBMITTER,
        &format!("amend {id} (round 2)\n\nPractice-Id: {id}\nAction: amend\nRound: 2\n"),
    );
    let (code, findings) = reg.audit();
    assert_eq!(code, 1);
    let messages: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("rewrites a reply")),
        "{messages:?}"
    );
    reg.git(&["reset", "-q", "--hard", &start]);
    sound(&reg);
}

#[test]
fn diff_shows_what_changed_since_a_round_began_after_two_amendments() {
    let reg = Reg::with_roster();
    let id = returned(&reg);
    reg.ok(
        SUBMITTER,
        &[
            "amend",
            &id,
            "--evidence",
            "It cost one licence.\nA year's trial.",
            "--reply",
            "Costs added.",
        ],
    );
    // Amended again within round 2.
    reg.ok(
        SUBMITTER,
        &[
            "amend",
            &id,
            "--summary",
            "Video calls to victims, within the hour.",
        ],
    );
    assert_eq!(reg.show(&id)["round"], 2);

    // Since round 1 began (the default in round 2): both amendments.
    let text = reg.ok(EDITOR, &["diff", &id]);
    assert!(text.contains("changed since round 1 began"), "{text}");
    assert!(text.contains("summary: Video calls to victims of domestic abuse instead of a wait for a visit. -> Video calls to victims, within the hour."), "{text}");
    assert!(text.contains("evidence:"), "{text}");
    assert!(text.contains("+It cost one licence."), "{text}");
    assert!(text.contains("+A year's trial."), "{text}");
    assert!(
        !text.contains("\x1b["),
        "no colour without a terminal: {text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["diff", &id, "--json"])).unwrap();
    assert_eq!(json["since_round"], 1);
    let fields: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["summary", "evidence"]);
    assert_eq!(json["fields"][1]["before"], serde_json::Value::Null);
    // The first commit plain git lists for the activity is the one it names.
    let first = reg.git(&[
        "log",
        "--format=%H",
        "--reverse",
        "--",
        &format!("submissions/{id}/activity.yaml"),
    ]);
    assert_eq!(json["since_commit"], first.lines().next().unwrap());

    // Since round 2 began: the second amendment only.
    let json: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["diff", &id, "--round", "2", "--json"])).unwrap();
    let fields: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["summary"]);
    let line = reg.refused(EDITOR, &["diff", &id, "--round", "3"]);
    assert!(line.contains("round 2"), "{line}");

    // show and the reviewer's inbox name what changed since the round before.
    assert_eq!(
        reg.show(&id)["changed_since_last_round"],
        serde_json::json!(["summary", "evidence"])
    );
    let shown = reg.ok(EDITOR, &["show", &id]);
    assert!(shown.contains("summary, evidence since round 1"), "{shown}");
    let inbox = reg.ok(reviewer("iopc"), &["inbox"]);
    assert!(inbox.contains("changed: summary, evidence"), "{inbox}");
}
