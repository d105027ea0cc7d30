//! The review as a conversation: a returned round answered with a reply,
//! written beside the round's sign-offs by the amendment that opens the
//! next round, and shown as a thread.

mod common;

use common::*;

#[test]
fn a_returned_round_is_answered_with_a_reply_and_shown_as_a_thread() {
    let reg = Reg::with_roster();
    let id = reg.returned_sample();
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
    reg.assert_sound();

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
    let id = reg.returned_sample();
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
    reg.assert_found("rewrites a reply");
    reg.git(&["reset", "-q", "--hard", &start]);
    reg.assert_sound();
}

#[test]
fn diff_shows_what_changed_since_a_round_began_after_two_amendments() {
    let reg = Reg::with_roster();
    let id = reg.returned_sample();
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

/// A small file that reads as a PDF by its content.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

#[test]
fn evidence_is_attached_shown_published_and_refused_when_unsafe() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let pdf = reg.outside("Evaluation report.pdf");
    std::fs::write(&pdf, PDF).unwrap();

    // Unsafe or unwanted: one line each, nothing changed.
    let line = reg.refused(SUBMITTER, &["attach", &id, pdf.to_str().unwrap()]);
    assert!(line.contains("not a safe file name"), "{line}");
    for bad in ["../evil.pdf", ".hidden.pdf", "a/b.pdf", "noextension"] {
        let line = reg.refused(
            SUBMITTER,
            &["attach", &id, pdf.to_str().unwrap(), "--name", bad],
        );
        assert!(line.contains("not a safe file name"), "{bad}: {line}");
    }
    let program = reg.outside("tool.pdf");
    std::fs::write(
        &program,
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    )
    .unwrap();
    let line = reg.refused(SUBMITTER, &["attach", &id, program.to_str().unwrap()]);
    assert!(line.contains("not a PDF, an image"), "{line}");
    let big = reg.outside("big.txt");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(20 * 1024 * 1024 + 1).unwrap();
    let line = reg.refused(SUBMITTER, &["attach", &id, big.to_str().unwrap()]);
    assert!(line.contains("up to 20 MiB"), "{line}");
    let line = reg.refused(
        SUBMITTER,
        &[
            "attach",
            &id,
            pdf.to_str().unwrap(),
            "--name",
            "e.pdf",
            "--public",
        ],
    );
    assert!(line.contains("editor"), "{line}");
    let line = reg.refused(
        STRANGER,
        &["attach", &id, pdf.to_str().unwrap(), "--name", "e.pdf"],
    );
    assert!(line.contains("or an editor may"), "{line}");

    // Attached by the submitter, and by an editor as public.
    reg.ok(
        SUBMITTER,
        &[
            "attach",
            &id,
            pdf.to_str().unwrap(),
            "--name",
            "evaluation.pdf",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "attach");
    let mut changed = reg.changed("HEAD");
    changed.sort();
    assert_eq!(
        changed,
        [
            format!("submissions/{id}/evidence.yaml"),
            format!("submissions/{id}/evidence/evaluation.pdf"),
        ]
    );
    let stored = reg.git(&[
        "cat-file",
        "-s",
        &format!("HEAD:submissions/{id}/evidence/evaluation.pdf"),
    ]);
    assert_eq!(stored.trim(), PDF.len().to_string());
    let line = reg.refused(
        SUBMITTER,
        &[
            "attach",
            &id,
            pdf.to_str().unwrap(),
            "--name",
            "evaluation.pdf",
        ],
    );
    assert!(line.contains("already"), "{line}");
    let csv = reg.write_outside("costs.csv", "item,cost\nlicence,100\n");
    reg.ok(EDITOR, &["attach", &id, csv.to_str().unwrap(), "--public"]);
    let shown = reg.ok(EDITOR, &["show", &id]);
    assert!(
        shown.contains("evaluation.pdf") && shown.contains("application/pdf"),
        "{shown}"
    );
    assert!(
        shown.contains("costs.csv") && shown.contains("text/csv"),
        "{shown}"
    );
    let json = reg.show(&id);
    assert_eq!(json["evidence"][0]["bytes"], PDF.len());
    assert_eq!(json["evidence"][1]["public"], true);
    reg.assert_sound();

    // Detached before publication; git keeps it.
    let stray = reg.write_outside("notes.txt", "A note.\n");
    reg.ok(SUBMITTER, &["attach", &id, stray.to_str().unwrap()]);
    reg.ok(SUBMITTER, &["detach", &id, "notes.txt"]);
    assert_eq!(reg.trailer("HEAD", "Action"), "detach");
    assert!(
        !reg.file(&format!("submissions/{id}/evidence/notes.txt"))
            .exists()
    );
    let line = reg.refused(SUBMITTER, &["detach", &id, "notes.txt"]);
    assert!(line.contains("no file named notes.txt"), "{line}");

    // Published: the public file is linked and copied; the other never leaves.
    reg.all_decide(&id, "suitable");
    reg.ok(EDITOR, &["write-up", &id]);
    reg.complete_report(&id);
    reg.ok(EDITOR, &["publish", &id]);
    let line = reg.refused(
        EDITOR,
        &["attach", &id, csv.to_str().unwrap(), "--name", "late.csv"],
    );
    assert!(line.contains("before publication"), "{line}");
    let out = reg.outside("site");
    reg.ok(EDITOR, &["site", "--out", out.to_str().unwrap()]);
    let page = std::fs::read_to_string(out.join(format!("practice/{id}.html"))).unwrap();
    let html = scraper::Html::parse_document(&page);
    let links: Vec<String> = html
        .select(
            &scraper::Selector::parse(
                "#evidence-files ~ ul a, section[aria-labelledby=evidence-files] a",
            )
            .unwrap(),
        )
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(links, [format!("{id}/costs.csv")], "{page}");
    assert_eq!(
        std::fs::read_to_string(out.join(format!("practice/{id}/costs.csv"))).unwrap(),
        "item,cost\nlicence,100\n"
    );
    assert!(!out.join(format!("practice/{id}/evaluation.pdf")).exists());
    reg.assert_sound();
}

#[test]
fn evidence_added_by_hand_is_judged() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    // A file dropped into the folder without a line in the list.
    reg.write(
        &format!("submissions/{id}/evidence/secret.pdf"),
        "%PDF-1.4\n",
    );
    reg.commit_by_hand(
        SUBMITTER,
        &format!("attach {id}: secret.pdf\n\nPractice-Id: {id}\nAction: attach\n"),
    );
    let (code, findings) = reg.audit();
    assert_eq!(code, 1, "{findings:?}");
    reg.git(&["reset", "-q", "--hard", "HEAD~1"]);
    // Listed as a PDF, but a program by its content.
    reg.write(
        &format!("submissions/{id}/evidence/tool.pdf"),
        "\x7fELF\x02\x01\x01",
    );
    reg.write(
        &format!("submissions/{id}/evidence.yaml"),
        &format!(
            "- name: tool.pdf\n  type: application/pdf\n  bytes: 7\n  added: {{ on: {}, by: {{ name: Jo Bloggs, email: jo.bloggs@dorset.police.uk }} }}\n",
            &now()[..10]
        ),
    );
    reg.commit_by_hand(
        SUBMITTER,
        &format!("attach {id}: tool.pdf\n\nPractice-Id: {id}\nAction: attach\n"),
    );
    reg.assert_found("which its content is not");
    // Evidence written by another action: found.
    reg.git(&["reset", "-q", "--hard", "HEAD~1"]);
    reg.write(&format!("submissions/{id}/evidence/x.txt"), "x\n");
    reg.commit_by_hand(
        SUBMITTER,
        &format!("amend {id} (round 1)\n\nPractice-Id: {id}\nAction: amend\nRound: 1\n"),
    );
    let (code, _) = reg.audit();
    assert_eq!(code, 1);
}
