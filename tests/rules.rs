//! The register's rules over the years: editors change the approval rule,
//! the due days, the topics and the partners, each as one `Action: rules`
//! commit that the audit judges; a renamed or retired topic or partner
//! leaves every existing file valid; the same change made by hand is caught.

mod common;

use common::*;

/// `partner`'s reviewer records `decision` on `id`.
fn decide(reg: &Reg, id: &str, partner: &str, decision: &str) {
    reg.ok(
        reviewer(partner),
        &[
            "review",
            id,
            "--decision",
            decision,
            "--comment",
            "Reviewed.",
        ],
    );
}

#[test]
fn the_rules_are_shown_as_text_and_json() {
    let reg = Reg::init();
    let text = reg.ok(EDITOR, &["rules"]);
    assert!(text.contains("3 of the 4 partners that review"), "{text}");
    assert!(text.contains("28 days after a round opens"), "{text}");
    assert!(text.contains("npcc"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["rules", "--json"])).unwrap();
    assert_eq!(json["min_suitable"], 3);
    assert_eq!(json["review_days"], 28);
    assert_eq!(json["partners"].as_array().unwrap().len(), 4);
    assert!(reg.read("register.yaml").contains("review_days: 28"));
}

#[test]
fn a_lower_quorum_applies_to_open_rounds_and_says_which_it_moves() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    // Two suitable, two recusals: three are needed, so it is undecided.
    decide(&reg, &id, "college-of-policing", "suitable");
    decide(&reg, &id, "npcc", "suitable");
    decide(&reg, &id, "hmicfrs", "recuse");
    decide(&reg, &id, "iopc", "recuse");
    assert_eq!(reg.stage(&id), "undecided");

    // What may not be: one line each, nothing changed.
    let line = reg.refused(EDITOR, &["rules", "set", "min-suitable", "5"]);
    assert!(line.contains("between 1 and the 4 partners"), "{line}");
    let line = reg.refused(EDITOR, &["rules", "set", "min-suitable", "3"]);
    assert!(line.contains("nothing to change"), "{line}");
    let line = reg.refused(reviewer("npcc"), &["rules", "set", "min-suitable", "2"]);
    assert!(line.contains("editor"), "{line}");

    reg.ok(EDITOR, &["rules", "set", "min-suitable", "2", "--yes"]);
    assert_eq!(reg.stage(&id), "approved");
    assert_eq!(reg.trailer("HEAD", "Action"), "rules");
    assert_eq!(reg.trailer("HEAD", "Rule"), "min-suitable");
    assert_eq!(reg.trailer("HEAD", "Value"), "2");
    assert_eq!(reg.changed("HEAD"), ["register.yaml"]);
    // The body lists what it moved, and plain git reads the trailers.
    let body = reg.git(&["log", "-1", "--format=%b"]);
    assert!(
        body.contains(&format!("- {id}: undecided -> approved")),
        "{body}"
    );
    let parsed = reg.git(&["log", "-1", "--format=%(trailers:key=Rule,valueonly)"]);
    assert_eq!(parsed.trim(), "min-suitable");
    assert!(reg.read("register.yaml").contains("min_suitable: 2"));
    reg.assert_sound();

    reg.ok(EDITOR, &["rules", "set", "review-days", "21"]);
    assert_eq!(reg.trailer("HEAD", "Rule"), "review-days");
    assert!(reg.read("register.yaml").contains("review_days: 21"));
    let line = reg.refused(EDITOR, &["rules", "set", "review-days", "0"]);
    assert!(line.contains("at least a day"), "{line}");
    reg.assert_sound();
}

#[test]
fn a_renamed_or_retired_topic_leaves_what_was_filed_under_it_valid() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(
        EDITOR,
        &[
            "rules",
            "topic",
            "rename",
            "Vulnerable people",
            "Vulnerability and safeguarding",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Rule"), "topics");
    assert_eq!(
        reg.trailer("HEAD", "Renamed-To"),
        "Vulnerability and safeguarding"
    );
    let config = reg.read("register.yaml");
    assert!(
        config.contains("retired_topics:\n- Vulnerable people"),
        "{config}"
    );
    // The activity filed under the old name is as it was, and listed by it.
    assert_eq!(reg.show(&id)["topic"], "Vulnerable people");
    let listed = reg.ok(EDITOR, &["list", "--topic", "Vulnerable people", "--json"]);
    assert!(listed.contains(&id), "{listed}");
    // Its submitter amends it and keeps its topic.
    reg.ok(
        SUBMITTER,
        &["amend", &id, "--evidence", "An evaluation is under way."],
    );
    assert_eq!(reg.show(&id)["topic"], "Vulnerable people");
    // A new submission takes the new name, not the old.
    let old = reg.write_outside(
        "old.yaml",
        &SAMPLE_ACTIVITY.replace(SAMPLE_TITLE, "Street triage"),
    );
    let line = reg.refused(SUBMITTER, &["submit", "--file", old.to_str().unwrap()]);
    assert!(line.contains("a retired topic"), "{line}");
    let new = reg.write_outside(
        "new.yaml",
        &SAMPLE_ACTIVITY
            .replace(SAMPLE_TITLE, "Street triage")
            .replace("Vulnerable people", "Vulnerability and safeguarding"),
    );
    reg.ok(SUBMITTER, &["submit", "--file", new.to_str().unwrap()]);

    reg.ok(EDITOR, &["rules", "topic", "retire", "Burglary"]);
    reg.ok(EDITOR, &["rules", "topic", "add", "Roads policing"]);
    let line = reg.refused(EDITOR, &["rules", "topic", "add", "roads policing"]);
    assert!(line.contains("already"), "{line}");
    let line = reg.refused(EDITOR, &["rules", "topic", "retire", "Not a topic"]);
    assert!(line.contains("not a topic"), "{line}");
    reg.assert_sound();
}

#[test]
fn partners_join_and_retire_and_open_rounds_follow() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    for partner in ["college-of-policing", "npcc", "hmicfrs"] {
        decide(&reg, &id, partner, "suitable");
    }
    assert_eq!(reg.stage(&id), "in-review");

    // Retiring iopc, which has not decided, ends the round: approved.
    reg.ok(EDITOR, &["rules", "partner", "retire", "iopc", "--yes"]);
    assert_eq!(reg.trailer("HEAD", "Rule"), "partners");
    assert_eq!(reg.trailer("HEAD", "Partner-Id"), "iopc");
    let body = reg.git(&["log", "-1", "--format=%b"]);
    assert!(
        body.contains(&format!("- {id}: in-review -> approved")),
        "{body}"
    );
    assert_eq!(reg.stage(&id), "approved");
    // Its reviewer decides no more; its roster entry stays.
    let line = reg.refused(reviewer("iopc"), &["review", &id, "--decision", "suitable"]);
    assert!(line.contains("retired"), "{line}");
    assert!(reg.read("register.yaml").contains("retired: true"));
    // Three partners review now, and three must approve: none may go.
    let line = reg.refused(EDITOR, &["rules", "partner", "retire", "npcc"]);
    assert!(line.contains("min-suitable 2"), "{line}");
    let line = reg.refused(EDITOR, &["rules", "set", "min-suitable", "4"]);
    assert!(line.contains("the 3 partners"), "{line}");

    // A fifth organisation may not join while that would reopen a round
    // that has come to its outcome.
    let fire = [
        "rules",
        "partner",
        "add",
        "fire-service",
        "--name",
        "National Fire Chiefs Council",
        "--yes",
    ];
    let line = reg.refused(EDITOR, &fire);
    assert!(
        line.contains(&format!("move `{id}` from approved to in-review")),
        "{line}"
    );
    reg.ok(EDITOR, &["write-up", &id]);
    reg.complete_report(&id);
    reg.ok(EDITOR, &["publish", &id]);
    let published = reg.read(&format!("published/{id}.yaml"));
    assert!(!published.contains("partner: iopc"), "{published}");

    // Once that is published, it joins, and the open round waits for it.
    let other = reg.submit_titled("Street triage");
    reg.ok(
        reviewer("npcc"),
        &["review", &other, "--decision", "suitable"],
    );
    reg.ok(EDITOR, &fire);
    let line = reg.refused(
        EDITOR,
        &["rules", "partner", "add", "iopc", "--name", "Again"],
    );
    assert!(line.contains("never reused"), "{line}");
    let line = reg.refused(
        EDITOR,
        &["rules", "partner", "add", "Fire Service", "--name", "X"],
    );
    assert!(line.contains("not a partner id"), "{line}");
    let fay = Who {
        name: "Fay Chief",
        email: "fay.chief@nfcc.org.uk",
    };
    reg.add_reviewer("fire-service", fay);
    for partner in ["college-of-policing", "hmicfrs"] {
        reg.ok(
            reviewer(partner),
            &["review", &other, "--decision", "suitable"],
        );
    }
    assert_eq!(reg.stage(&other), "in-review");
    assert_eq!(
        reg.show(&other)["awaiting"],
        serde_json::json!(["fire-service"])
    );
    reg.ok(fay, &["review", &other, "--decision", "suitable"]);
    assert_eq!(reg.stage(&other), "approved");
    reg.ok(EDITOR, &["write-up", &other]);
    reg.complete_report(&other);
    reg.ok(EDITOR, &["publish", &other]);
    let published = reg.read(&format!("published/{other}.yaml"));
    assert!(published.contains("partner: fire-service"), "{published}");
    reg.assert_sound();
}

#[test]
fn partners_changed_by_hand_other_than_the_tool_changes_them_are_caught() {
    let reg = Reg::with_roster();
    reg.ok(EDITOR, &["rules", "set", "min-suitable", "2"]);
    reg.ok(EDITOR, &["rules", "partner", "retire", "iopc"]);
    let start = reg.head();
    let config = reg.read("register.yaml");
    for (edited, says) in [
        (
            config.replace("  retired: true\n", ""),
            "brings a retired partner back",
        ),
        (
            config.replace(
                "name: Independent Office for Police Conduct",
                "name: Another office",
            ),
            "renames",
        ),
    ] {
        assert_ne!(edited, config);
        reg.write("register.yaml", &edited);
        reg.commit_by_hand(EDITOR, "rules: partners\n\nAction: rules\nRule: partners\n");
        reg.assert_found(says);
        reg.git(&["reset", "-q", "--hard", &start]);
    }
    // A quorum lowered by hand that would undo an outcome: found.
    let id = reg.submit_sample();
    for partner in ["college-of-policing", "npcc"] {
        reg.ok(
            reviewer(partner),
            &["review", &id, "--decision", "suitable"],
        );
    }
    reg.ok(
        reviewer("hmicfrs"),
        &[
            "review",
            &id,
            "--decision",
            "not-suitable",
            "--comment",
            "No.",
        ],
    );
    assert_eq!(reg.stage(&id), "not-suitable");
    let line = reg.refused(EDITOR, &["rules", "partner", "retire", "hmicfrs", "--yes"]);
    assert!(line.contains("from not-suitable to approved"), "{line}");
    let text = reg.read("register.yaml").replace(
        "  name: His Majesty's Inspectorate of Constabulary and Fire & Rescue Services\n",
        "  name: His Majesty's Inspectorate of Constabulary and Fire & Rescue Services\n  retired: true\n",
    );
    reg.write("register.yaml", &text);
    reg.commit_by_hand(
        EDITOR,
        "rules: retire partner hmicfrs\n\nAction: rules\nRule: partners\n",
    );
    reg.assert_found("undoing what its round came to");
}

#[test]
fn a_change_of_the_rules_made_by_hand_is_caught() {
    let reg = Reg::with_roster();
    let config = reg.read("register.yaml");
    let quorum = config.replace("min_suitable: 3", "min_suitable: 1");
    // By a reviewer, as a rules action: no authority.
    reg.write("register.yaml", &quorum);
    reg.commit_by_hand(
        reviewer("npcc"),
        "rules: min-suitable 3 -> 1\n\nAction: rules\nRule: min-suitable\n",
    );
    let (code, findings) = reg.audit();
    assert_eq!(code, 1);
    assert!(
        findings.iter().any(|f| f["rule"] == "authority"),
        "{findings:?}"
    );
    // By an editor, as a roster change: the roster changes people only.
    reg.git(&["reset", "-q", "--hard", "HEAD~1"]);
    reg.write("register.yaml", &quorum);
    reg.commit_by_hand(EDITOR, "roster: quorum\n\nAction: roster\n");
    let (_, findings) = reg.audit();
    assert!(
        findings.iter().any(|f| f["rule"] == "trailers-match-files"),
        "{findings:?}"
    );
    // By an editor, a rules action that also adds a reviewer.
    reg.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let both = quorum.replace(
        "  reviewers:\n  - name: Pat Chief",
        "  reviewers:\n  - name: Mo Extra\n    email: mo.extra@npcc.police.uk\n  - name: Pat Chief",
    );
    assert_ne!(both, quorum, "the roster line to edit is there");
    reg.write("register.yaml", &both);
    reg.commit_by_hand(
        EDITOR,
        "rules: min-suitable 3 -> 1\n\nAction: rules\nRule: min-suitable\n",
    );
    reg.assert_found("also changes who is on the roster");
}

#[test]
fn init_takes_its_quorum_and_topics() {
    let reg = Reg::empty();
    reg.ok(
        EDITOR,
        &[
            "init",
            ".",
            "--min-suitable",
            "2",
            "--topics",
            "Burglary",
            "Road safety",
        ],
    );
    let config = reg.read("register.yaml");
    assert!(config.contains("min_suitable: 2"), "{config}");
    assert!(
        config.contains("topics:\n- Burglary\n- Road safety\n"),
        "{config}"
    );
    // Refused before anything is made: no repository, no file.
    let other = Reg::empty();
    for (args, says) in [
        (&["init", ".", "--min-suitable", "9"][..], "--min-suitable"),
        (&["init", ".", "--topics", "A", "a"][..], "twice"),
    ] {
        let out = other.practice(EDITOR, args).output().unwrap();
        let line = String::from_utf8(out.stderr).unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert_eq!(line.trim_end().lines().count(), 1, "{line}");
        assert!(line.contains(says), "{line}");
        assert_eq!(std::fs::read_dir(other.path()).unwrap().count(), 0);
    }
}

#[test]
fn the_publisher_is_named_by_init_and_changed_as_a_rule() {
    let reg = Reg::with_roster();
    let config = reg.read("register.yaml");
    assert!(
        config.contains("publisher:\n  name: College of Policing\n  contact: https://www.college.police.uk/contact\n  accessibility: https://www.college.police.uk/accessibility\n"),
        "{config}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["rules", "--json"])).unwrap();
    assert_eq!(json["publisher"]["name"], "College of Policing");

    // Refused, one line each, nothing changed.
    let head = reg.git(&["rev-parse", "HEAD"]);
    for (args, says) in [
        (
            vec!["--name", "NPCC", "--contact", "javascript:alert(1)"],
            "--contact",
        ),
        (
            vec!["--name", "NPCC", "--accessibility", "www.npcc.police.uk"],
            "--accessibility",
        ),
        (vec!["--name", " "], "--name"),
        (
            vec![
                "--name",
                "College of Policing",
                "--contact",
                "https://www.college.police.uk/contact",
                "--accessibility",
                "https://www.college.police.uk/accessibility",
            ],
            "already",
        ),
    ] {
        let mut all = vec!["rules", "publisher"];
        all.extend(args);
        let line = reg.refused(EDITOR, &all);
        assert!(line.contains(says), "{line}");
    }
    reg.refused(reviewer("npcc"), &["rules", "publisher", "--name", "NPCC"]);
    assert_eq!(reg.git(&["rev-parse", "HEAD"]), head);

    reg.ok(
        EDITOR,
        &[
            "rules",
            "publisher",
            "--name",
            "National Police Chiefs' Council",
            "--contact",
            "enquiries@npcc.police.uk",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "rules");
    assert_eq!(reg.trailer("HEAD", "Rule"), "publisher");
    let config = reg.read("register.yaml");
    assert!(
        config.contains("publisher:\n  name: National Police Chiefs' Council\n  contact: enquiries@npcc.police.uk\n"),
        "{config}"
    );
    assert!(!config.contains("accessibility: https"), "{config}");
    reg.assert_sound();
    let out = reg.outside("site");
    reg.ok(EDITOR, &["site", "--out", out.to_str().unwrap()]);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("Published by National Police Chiefs&#39; Council"),
        "{home}"
    );
    assert!(
        home.contains("href=\"mailto:enquiries@npcc.police.uk\""),
        "{home}"
    );

    // By hand, a publisher changed under another rule's name is caught.
    let config = reg.read("register.yaml");
    reg.write("register.yaml", &config.replace("enquiries@", "press@"));
    reg.commit_by_hand(
        EDITOR,
        "rules: review-days 28\n\nAction: rules\nRule: review-days\n",
    );
    reg.assert_found("its Rule trailer names review-days but it changes publisher");
}
