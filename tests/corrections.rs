//! Corrections a register needs over the years, each one action the audit
//! judges: a decision taken back while its round is open, a colleague's
//! decision replaced knowingly; and the same made by hand, caught.

mod common;

use common::*;

const KIM: Who = SECOND_NPCC;

#[test]
fn a_decision_is_taken_back_while_its_round_is_open() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let sign_off = format!("reviews/{id}/round-1/npcc.yaml");
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    assert_eq!(reg.stage(&id), "in-review");

    // Without a reason, for a partner that has not decided, by another
    // partner's reviewer: one line each, nothing changed.
    let line = reg.refused(reviewer("npcc"), &["review", &id, "--clear"]);
    assert!(line.contains("--comment"), "{line}");
    let line = reg.refused(
        reviewer("iopc"),
        &["review", &id, "--clear", "--comment", "x"],
    );
    assert!(line.contains("no decision"), "{line}");
    let line = reg.refused(
        reviewer("iopc"),
        &[
            "review",
            &id,
            "--clear",
            "--partner",
            "npcc",
            "--comment",
            "x",
        ],
    );
    assert!(line.contains("only npcc's listed reviewers"), "{line}");
    let line = reg.refused(
        reviewer("npcc"),
        &[
            "review",
            &id,
            "--clear",
            "--decision",
            "suitable",
            "--comment",
            "x",
        ],
    );
    assert!(line.contains("--decision"), "{line}");

    reg.ok(
        reviewer("npcc"),
        &[
            "review",
            &id,
            "--clear",
            "--comment",
            "Recorded on the wrong activity.",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "review");
    assert_eq!(reg.trailer("HEAD", "Decision"), "cleared");
    assert_eq!(reg.trailer("HEAD", "Partner"), "npcc");
    assert_eq!(reg.trailer("HEAD", "Round"), "1");
    // One deletion, the sign-off, as plain git shows it; git keeps it.
    let changed = reg.git(&["show", "--name-status", "--format=", "HEAD"]);
    assert_eq!(changed.trim(), format!("D\t{sign_off}"));
    assert!(!reg.file(&sign_off).exists());
    assert!(
        reg.git(&["show", &format!("HEAD~1:{sign_off}")])
            .contains("decision: suitable")
    );
    let body = reg.git(&["log", "-1", "--format=%b"]);
    assert!(body.contains("Recorded on the wrong activity."), "{body}");
    assert!(
        body.contains("Takes back npcc's suitable by Pat Chief"),
        "{body}"
    );
    assert_eq!(reg.stage(&id), "submitted");
    assert_eq!(reg.status(), "");
    let history = reg.ok(EDITOR, &["history", &id, "--json"]);
    assert!(history.contains("\"cleared\""), "{history}");
    let cleared = reg.ok(EDITOR, &["history", "--decision", "cleared", "--json"]);
    let cleared: serde_json::Value = serde_json::from_str(&cleared).unwrap();
    assert_eq!(cleared.as_array().unwrap().len(), 1, "{cleared}");
    reg.assert_sound();

    // Once the round has come to something, a decision is changed, not
    // taken back.
    reg.all_decide(&id, "suitable");
    assert_eq!(reg.stage(&id), "approved");
    let line = reg.refused(
        reviewer("npcc"),
        &["review", &id, "--clear", "--comment", "x"],
    );
    assert!(line.contains("record another decision instead"), "{line}");
}

#[test]
fn a_decision_taken_back_by_hand_is_judged_as_the_tool_would() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    reg.ok(reviewer("iopc"), &["review", &id, "--decision", "suitable"]);
    let start = reg.head();
    let rm = |paths: &[&str]| {
        for p in paths {
            reg.git(&["rm", "-q", p]);
        }
    };
    let npcc = format!("reviews/{id}/round-1/npcc.yaml");
    let iopc = format!("reviews/{id}/round-1/iopc.yaml");
    let message = |partner: &str, decision: &str| {
        format!(
            "review {id}: {partner} {decision} (round 1)\n\nPractice-Id: {id}\nAction: review\nPartner: {partner}\nDecision: {decision}\nRound: 1\n"
        )
    };
    let rules_found = |reg: &Reg| -> Vec<String> {
        reg.audit()
            .1
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    // The sanctioned deletion, made with plain git by the partner's own
    // reviewer: sound.
    rm(&[&npcc]);
    reg.commit_by_hand(reviewer("npcc"), &message("npcc", "cleared"));
    let (code, findings) = reg.audit();
    assert_eq!(code, 0, "{findings:?}");
    // By someone on no list: authority.
    reg.git(&["reset", "-q", "--hard", &start]);
    rm(&[&npcc]);
    reg.commit_by_hand(STRANGER, &message("npcc", "cleared"));
    assert!(rules_found(&reg).contains(&"authority".to_string()));
    // A deletion under another decision: no record is deleted.
    reg.git(&["reset", "-q", "--hard", &start]);
    rm(&[&npcc]);
    reg.commit_by_hand(reviewer("npcc"), &message("npcc", "suitable"));
    assert!(rules_found(&reg).contains(&"nothing-deleted".to_string()));
    // Two sign-offs at once, or the other partner's: the trailers do not
    // match what it removes.
    reg.git(&["reset", "-q", "--hard", &start]);
    rm(&[&npcc, &iopc]);
    reg.commit_by_hand(reviewer("npcc"), &message("npcc", "cleared"));
    assert!(rules_found(&reg).contains(&"trailers-match-files".to_string()));
    reg.git(&["reset", "-q", "--hard", &start]);
    rm(&[&iopc]);
    reg.commit_by_hand(reviewer("npcc"), &message("npcc", "cleared"));
    let found = rules_found(&reg);
    assert!(
        found.contains(&"trailers-match-files".to_string()),
        "{found:?}"
    );
}

#[test]
fn a_colleagues_decision_is_replaced_only_knowingly() {
    let reg = Reg::with_roster();
    reg.add_reviewer("npcc", KIM);
    let id = reg.submit_sample();
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    let line = reg.refused(
        KIM,
        &[
            "review",
            &id,
            "--decision",
            "not-suitable",
            "--comment",
            "Costs unknown.",
        ],
    );
    assert!(line.contains("replace Pat Chief"), "{line}");
    assert!(line.contains("suitable for npcc in round 1"), "{line}");
    assert!(line.contains("--replace"), "{line}");
    reg.ok(
        KIM,
        &[
            "review",
            &id,
            "--decision",
            "not-suitable",
            "--comment",
            "Costs unknown.",
            "--replace",
        ],
    );
    let body = reg.git(&["log", "-1", "--format=%b"]);
    assert!(body.starts_with("Costs unknown."), "{body}");
    assert!(
        body.contains("Replaces Pat Chief <pat.chief@npcc.police.uk>'s suitable."),
        "{body}"
    );
    assert_eq!(reg.git(&["log", "-1", "--format=%an"]).trim(), KIM.name);
    // Their own decision a reviewer changes freely.
    reg.ok(
        KIM,
        &[
            "review",
            &id,
            "--decision",
            "more-information",
            "--comment",
            "Costs?",
        ],
    );
    assert!(!reg.git(&["log", "-1", "--format=%b"]).contains("Replaces"));
    reg.assert_sound();
}

#[test]
fn an_editor_reinstates_a_withdrawn_activity() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    let line = reg.refused(EDITOR, &["reinstate", &id, "--reason", "x"]);
    assert!(line.contains("only a withdrawn activity"), "{line}");
    reg.ok(SUBMITTER, &["withdraw", &id, "--reason", "Scheme ended."]);
    assert_eq!(reg.stage(&id), "withdrawn");
    let line = reg.refused(
        SUBMITTER,
        &["reinstate", &id, "--reason", "Ours by mistake."],
    );
    assert!(line.contains("editor"), "{line}");
    let line = reg.refused(EDITOR, &["reinstate", &id, "--reason", " "]);
    assert!(line.contains("--reason"), "{line}");

    reg.ok(
        EDITOR,
        &[
            "reinstate",
            &id,
            "--reason",
            "Withdrawn in error, says the force.",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "reinstate");
    assert_eq!(
        reg.changed("HEAD"),
        [format!("submissions/{id}/activity.yaml")]
    );
    assert_eq!(reg.stage(&id), "in-review");
    let file = reg.read(&format!("submissions/{id}/activity.yaml"));
    assert!(!file.contains("withdrawn:"), "{file}");
    assert!(file.contains("reinstated:"), "{file}");
    assert!(
        file.contains("Withdrawn in error, says the force."),
        "{file}"
    );
    assert_eq!(reg.show(&id)["decisions"]["npcc"], "suitable");
    reg.assert_sound();

    // The same undone by hand by the submitter: no authority.
    reg.ok(
        SUBMITTER,
        &["withdraw", &id, "--reason", "Ended after all."],
    );
    let path = format!("submissions/{id}/activity.yaml");
    let text = reg.read(&path);
    let start = text.find("withdrawn:").unwrap();
    let end = text[start..]
        .find("reinstated:")
        .map(|i| start + i)
        .unwrap_or(text.len());
    reg.write(&path, &format!("{}{}", &text[..start], &text[end..]));
    reg.commit_by_hand(
        SUBMITTER,
        &format!("reinstate {id}\n\nPractice-Id: {id}\nAction: reinstate\n"),
    );
    let (code, findings) = reg.audit();
    assert_eq!(code, 1);
    assert!(
        findings.iter().any(|f| f["rule"] == "authority"),
        "{findings:?}"
    );
}

#[test]
fn a_person_changes_email_and_name_without_leaving_the_roster() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let pat = reviewer("npcc");
    reg.ok(pat, &["review", &id, "--decision", "suitable"]);
    let line = reg.refused(EDITOR, &["roster", "update", "--email", pat.email]);
    assert!(line.contains("--new-email"), "{line}");
    let line = reg.refused(
        EDITOR,
        &["roster", "update", "--email", "nobody@x.uk", "--name", "N"],
    );
    assert!(line.contains("not on the roster"), "{line}");
    let taken = reviewer("iopc").email;
    let line = reg.refused(
        EDITOR,
        &[
            "roster",
            "update",
            "--email",
            pat.email,
            "--new-email",
            taken,
        ],
    );
    assert!(line.contains("on the roster already"), "{line}");
    let line = reg.refused(
        pat,
        &["roster", "update", "--email", pat.email, "--name", "Pat C"],
    );
    assert!(line.contains("editor"), "{line}");

    reg.ok(
        EDITOR,
        &[
            "roster",
            "update",
            "--email",
            pat.email,
            "--new-email",
            "pat.chief@npcc.uk",
            "--name",
            "Patricia Chief",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "roster");
    assert_eq!(reg.trailer("HEAD", "Change"), "update");
    assert_eq!(reg.trailer("HEAD", "New-Email"), "pat.chief@npcc.uk");
    let config = reg.read("register.yaml");
    assert!(config.contains("name: Patricia Chief"), "{config}");
    assert!(!config.contains(pat.email), "{config}");
    // The earlier decision stays as it was made.
    let sign_off = reg.read(&format!("reviews/{id}/round-1/npcc.yaml"));
    assert!(sign_off.contains(pat.email), "{sign_off}");
    // The new email decides from now on; the old one no more.
    let other = reg.submit_titled("Street triage");
    let line = reg.refused(pat, &["review", &other, "--decision", "suitable"]);
    assert!(line.contains("npcc"), "{line}");
    let renamed = Who {
        name: "Patricia Chief",
        email: "pat.chief@npcc.uk",
    };
    reg.ok(renamed, &["review", &other, "--decision", "suitable"]);
    reg.assert_sound();
}

#[test]
fn a_published_entry_is_corrected_in_place_with_its_reason_on_record() {
    let reg = Reg::with_roster();
    let id = reg.written_up_sample();
    reg.ok(EDITOR, &["publish", &id]);
    let path = format!("published/{id}.yaml");
    let original = reg.read(&path);

    // What a revision may not do: one line each, nothing changed.
    reg.write(
        &path,
        &original.replace("kind: smarter-practice", "kind: practice-bank"),
    );
    let line = reg.refused(EDITOR, &["revise", &id, "--file", &path, "--reason", "x"]);
    assert!(line.contains("`kind`"), "{line}");
    reg.write(
        &path,
        &original.replace("decision: suitable", "decision: recuse"),
    );
    let line = reg.refused(EDITOR, &["revise", &id, "--file", &path, "--reason", "x"]);
    assert!(line.contains("`approval`"), "{line}");
    reg.write(&path, &original);
    let line = reg.refused(EDITOR, &["revise", &id, "--file", &path, "--reason", "x"]);
    assert!(line.contains("nothing to revise"), "{line}");
    let corrected = original.replace(
        "summary: Video calls to victims of domestic abuse instead of a wait for a visit.",
        "summary: Video calls to victims of domestic abuse instead of a long wait for a visit.",
    );
    assert_ne!(corrected, original);
    reg.write(&path, &corrected);
    let line = reg.refused(
        reviewer("npcc"),
        &["revise", &id, "--file", &path, "--reason", "x"],
    );
    assert!(line.contains("editor"), "{line}");
    let line = reg.refused(EDITOR, &["revise", &id, "--file", &path]);
    assert!(line.contains("--reason"), "{line}");

    // The correction, from the file edited in place.
    reg.ok(
        EDITOR,
        &[
            "revise",
            &id,
            "--file",
            &path,
            "--reason",
            "The summary left out a word.",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "revise");
    assert_eq!(reg.changed("HEAD"), std::slice::from_ref(&path));
    assert_eq!(reg.status(), "");
    let now = reg.read(&path);
    assert!(now.contains("a long wait"), "{now}");
    assert!(now.contains("revisions:\n- on: "), "{now}");
    assert!(
        now.contains("reason: The summary left out a word."),
        "{now}"
    );
    assert_eq!(reg.stage(&id), "published");
    reg.assert_sound();
    // The website says so.
    let out = reg.outside("site");
    reg.ok(EDITOR, &["site", "--out", out.to_str().unwrap()]);
    let page = std::fs::read_to_string(out.join(format!("practice/{id}.html"))).unwrap();
    assert!(page.contains("Updated on"), "{page}");
    assert!(page.contains("The summary left out a word."), "{page}");

    // By hand: a change of the entry without a revision recorded is found.
    let text = reg.read(&path).replace("a long wait", "a wait");
    reg.write(
        &path,
        &text.replace("reason: The summary left out a word.", "reason: Changed."),
    );
    reg.commit_by_hand(
        EDITOR,
        &format!("revise {id}\n\nPractice-Id: {id}\nAction: revise\n"),
    );
    reg.assert_found("add one entry to `revisions`");
}

#[test]
fn a_banked_entry_is_rated_again_as_a_revision() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(EDITOR, &["bank", &id, "--rating", "promising"]);
    let line = reg.refused(
        EDITOR,
        &["bank", &id, "--rating", "promising", "--reason", "x"],
    );
    assert!(line.contains("already"), "{line}");
    // Without a reason, a banked entry is not banked again.
    let line = reg.refused(EDITOR, &["bank", &id, "--rating", "worked"]);
    assert!(line.contains("banked"), "{line}");
    reg.ok(
        EDITOR,
        &[
            "bank",
            &id,
            "--rating",
            "worked",
            "--reason",
            "The evaluation reported.",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "revise");
    assert_eq!(reg.trailer("HEAD", "Rating"), "worked");
    let entry = reg.read(&format!("published/{id}.yaml"));
    assert!(entry.contains("rating: worked"), "{entry}");
    assert!(
        entry.contains("reason: The evaluation reported."),
        "{entry}"
    );
    reg.assert_sound();

    // A smarter practice entry's rating is the review's, not an editor's.
    let published = reg.written_up_sample_titled("Street triage");
    reg.ok(EDITOR, &["publish", &published]);
    let line = reg.refused(
        EDITOR,
        &["bank", &published, "--rating", "worked", "--reason", "x"],
    );
    assert!(line.contains("smarter practice"), "{line}");
}

#[test]
fn a_colleagues_decision_is_taken_back_only_knowingly_too() {
    let reg = Reg::with_roster();
    reg.add_reviewer("npcc", KIM);
    let id = reg.submit_sample();
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    let clear = [
        "review",
        &id,
        "--clear",
        "--comment",
        "Not ours to decide yet.",
    ];
    let line = reg.refused(KIM, &clear);
    assert!(
        line.contains("Pat Chief") && line.contains("--replace"),
        "{line}"
    );
    let mut knowingly = clear.to_vec();
    knowingly.push("--replace");
    reg.ok(KIM, &knowingly);
    assert_eq!(reg.trailer("HEAD", "Decision"), "cleared");
    reg.assert_sound();
}

#[test]
fn a_submission_cannot_bring_its_own_reinstatement() {
    let reg = Reg::with_roster();
    let file = reg.write_outside(
        "forged.yaml",
        &format!(
            "{SAMPLE_ACTIVITY}reinstated: {{ on: 2026-11-30, by: {{ name: Sam Editor, email: sam.editor@college.police.uk }}, reason: forged }}\n"
        ),
    );
    let line = reg.refused(SUBMITTER, &["submit", "--file", file.to_str().unwrap()]);
    assert!(line.contains("reinstated"), "{line}");
    // Made by hand, the audit finds it.
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "title:",
        &format!("id: {SAMPLE_ID}\ntitle:"),
        1,
    ) + &format!(
        "submitted: {{ on: '{}', by: {{ name: Jo Bloggs, email: jo.bloggs@dorset.police.uk }} }}\n",
        now()
    );
    reg.write(&format!("submissions/{SAMPLE_ID}/activity.yaml"), &text);
    reg.commit_by_hand(
        SUBMITTER,
        &format!("submit {SAMPLE_ID}\n\nPractice-Id: {SAMPLE_ID}\nAction: submit\nRound: 1\n"),
    );
    let (code, findings) = reg.audit();
    assert_eq!(code, 1);
    assert!(
        findings.iter().any(|f| f["rule"] == "record-kept"),
        "{findings:?}"
    );
}

#[test]
fn an_imported_entry_takes_its_sources_date_as_a_revision_and_only_an_earlier_one() {
    let reg = Reg::with_roster();
    let file = reg.write_outside(
        "rg.yaml",
        "title: Railway Guardian\nsummary: ''\norganisations: [btp]\nkind: smarter-practice\nrating: smarter-practice\n\
         published: { on: 2026-11-26, by: { name: Sam Editor, email: sam.editor@college.police.uk } }\n\
         imported: { source: the College's smarter practice page }\n",
    );
    let id = reg
        .ok(EDITOR, &["import", "--file", file.to_str().unwrap()])
        .trim()
        .to_string();
    let path = format!("published/{id}.yaml");
    let original = reg.read(&path);
    assert!(original.contains("on: 2026-11-26"), "{original}");

    // Later than recorded, or an earlier day in another zone that is a
    // later moment: refused, nothing changed.
    for later in ["on: 2026-11-27", "on: 2026-11-25T23:00:00-05:00"] {
        reg.write(&path, &original.replacen("on: 2026-11-26", later, 1));
        let line = reg.refused(EDITOR, &["revise", &id, "--file", &path, "--reason", "x"]);
        assert!(line.contains("`published`"), "{later}: {line}");
        assert!(line.contains("may only move earlier"), "{later}: {line}");
    }
    // Earlier, as the source gives it: a revision like any other.
    reg.write(
        &path,
        &original.replacen("on: 2026-11-26", "on: 2023-11-14", 1),
    );
    reg.ok(
        EDITOR,
        &[
            "revise",
            &id,
            "--file",
            &path,
            "--reason",
            "The source page is dated 14 November 2023.",
        ],
    );
    let now = reg.read(&path);
    assert!(now.contains("published:\n  on: 2023-11-14"), "{now}");
    assert_eq!(reg.trailer("HEAD", "Action"), "revise");
    reg.assert_sound();
    let out = reg.outside("site");
    reg.ok(EDITOR, &["site", "--out", out.to_str().unwrap()]);
    let page = std::fs::read_to_string(out.join(format!("practice/{id}.html"))).unwrap();
    assert!(
        page.contains("On or before <time datetime=\"2023-11-14\">14 November 2023</time>"),
        "{page}"
    );

    // An entry published through the register keeps its day.
    let reviewed = reg.written_up_sample();
    reg.ok(EDITOR, &["publish", &reviewed]);
    let path = format!("published/{reviewed}.yaml");
    let text = reg.read(&path);
    let day = text
        .lines()
        .skip_while(|l| *l != "published:")
        .nth(1)
        .unwrap()
        .to_string();
    reg.write(&path, &text.replacen(&day, "  on: 2020-01-01", 1));
    let line = reg.refused(
        EDITOR,
        &["revise", &reviewed, "--file", &path, "--reason", "x"],
    );
    assert!(line.contains("`published`"), "{line}");

    reg.write(&path, &text);

    // By hand: an imported entry moved later, with a revision recorded, is
    // found by the audit.
    let path = format!("published/{id}.yaml");
    let text = reg.read(&path);
    reg.write(
        &path,
        &text.replacen("on: 2023-11-14", "on: 2024-01-01", 1).replace(
            "reason: The source page is dated 14 November 2023.",
            "reason: The source page is dated 14 November 2023.\n- on: 2026-12-02\n  by:\n    name: Sam Editor\n    email: sam.editor@college.police.uk\n  reason: Later.",
        ),
    );
    reg.commit_by_hand(
        EDITOR,
        &format!("revise {id}\n\nPractice-Id: {id}\nAction: revise\n"),
    );
    reg.assert_found("changed the entry's kind, approval, import or publication");
}
