//! `practice audit` and `practice history` over registers built by the tool
//! and then spoilt, in clones, with plain git in the ways an auditor must
//! catch.

mod common;

use common::*;
use predicates::prelude::*;

/// A register whose sample activity is published, by the tool throughout.
fn published() -> Reg {
    let reg = Reg::with_roster();
    let id = reg.written_up_sample();
    reg.ok(EDITOR, &["publish", &id]);
    reg
}

/// The rules the findings name.
fn rules(findings: &[serde_json::Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

fn sign_off(id: &str, round: u32, partner: &str, decision: &str, who: Who) -> String {
    sign_off_at(id, round, partner, decision, who, &now())
}

fn sign_off_at(id: &str, round: u32, partner: &str, decision: &str, who: Who, at: &str) -> String {
    format!(
        "practice: {id}\nround: {round}\npartner: {partner}\ndecision: {decision}\nreviewer: {{ name: {}, email: {} }}\nsigned_at: {at}\ncomment: By hand.\n",
        who.name, who.email
    )
}

fn review_message(id: &str, partner: &str, decision: &str, round: u32) -> String {
    format!(
        "review {id}: {partner} {decision} (round {round})\n\nPractice-Id: {id}\nAction: review\nPartner: {partner}\nDecision: {decision}\nRound: {round}\n"
    )
}

#[test]
fn a_register_built_by_the_tool_is_sound() {
    let reg = published();
    let (code, findings) = reg.audit();
    assert_eq!(code, 0, "{findings:?}");
    assert!(findings.is_empty());
    reg.practice(EDITOR, &["audit"])
        .assert()
        .success()
        .stderr(predicate::str::contains("sound"));
    // Withdrawals, banking and retraction are sound too.
    let id = reg.submit_titled("Second scheme");
    reg.ok(EDITOR, &["bank", &id, "--rating", "new-or-innovative"]);
    reg.ok(EDITOR, &["retract", &id, "--reason", "Duplicate"]);
    reg.ok(
        EDITOR,
        &[
            "roster",
            "add",
            "--editor",
            "--name",
            "Ann Other",
            "--email",
            "ann@college.police.uk",
        ],
    );
    assert_eq!(reg.audit().0, 0);
}

#[test]
fn a_hand_made_sign_off_by_a_stranger_is_caught() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let spoilt = reg.clone_register();
    spoilt.write(
        &format!("reviews/{id}/round-1/npcc.yaml"),
        &sign_off(&id, 1, "npcc", "suitable", STRANGER),
    );
    let sha = spoilt.commit_by_hand(STRANGER, &review_message(&id, "npcc", "suitable", 1));
    let (code, findings) = spoilt.audit();
    assert_eq!(code, 1);
    assert_eq!(rules(&findings), ["authority"]);
    assert_eq!(findings[0]["commit"], sha.as_str());
    assert_eq!(
        findings[0]["path"],
        format!("reviews/{id}/round-1/npcc.yaml")
    );
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("Lee Other")
    );
    // The table says the same, and the exit is 1.
    spoilt
        .practice(EDITOR, &["audit"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("authority").and(predicate::str::contains(&sha[..10])))
        .stderr(predicate::str::contains("found 1 problem"));
}

#[test]
fn a_reviewer_who_added_themselves_is_caught_at_the_roster_change() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let spoilt = reg.clone_register();
    let config = spoilt.read("register.yaml").replace(
        "- id: iopc\n  name: Independent Office for Police Conduct\n  reviewers:\n",
        &format!(
            "- id: iopc\n  name: Independent Office for Police Conduct\n  reviewers:\n  - name: {}\n    email: {}\n",
            STRANGER.name, STRANGER.email
        ),
    );
    assert_ne!(
        config,
        spoilt.read("register.yaml"),
        "the roster edit applies"
    );
    spoilt.write("register.yaml", &config);
    let roster = spoilt.commit_by_hand(STRANGER, "roster: add myself\n\nAction: roster\n");
    // The tool now lets them sign: the roster before this action lists them.
    spoilt.ok(STRANGER, &["review", &id, "--decision", "suitable"]);
    let (code, findings) = spoilt.audit();
    assert_eq!(code, 1);
    assert_eq!(rules(&findings), ["authority"]);
    assert_eq!(findings[0]["commit"], roster.as_str());
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("only editors")
    );
}

#[test]
fn publishing_what_a_partner_found_not_suitable_is_caught() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    for (partner, who) in REVIEWERS {
        let d = if partner == "hmicfrs" {
            "not-suitable"
        } else {
            "suitable"
        };
        reg.ok(
            who,
            &["review", &id, "--decision", d, "--comment", "Considered."],
        );
    }
    let spoilt = reg.clone_register();
    let activity = spoilt.read(&format!("submissions/{id}/activity.yaml"));
    let entry = format!(
        "title: Enhanced video response (EVR)\nsummary: Video calls.\norganisations: [Dorset Police]\noverview: o\nproblem: p\naims: a\nactivity: a\nimpact: i\nlearning: l\nresources: r\nkind: smarter-practice\nrating: smarter-practice\npublished: {{ on: 2026-12-01, by: {{ name: {}, email: {} }} }}\napproval: {{ round: 1, sign_offs: [] }}\n",
        EDITOR.name, EDITOR.email
    );
    assert!(activity.contains("title:"));
    spoilt.write(&format!("published/{id}.yaml"), &entry);
    spoilt.commit_by_hand(
        EDITOR,
        &format!("publish {id}\n\nPractice-Id: {id}\nAction: publish\nRound: 1\n"),
    );
    let (code, findings) = spoilt.audit();
    assert_eq!(code, 1);
    let found = rules(&findings);
    assert!(found.contains(&"stage".to_string()), "{findings:?}");
    assert!(
        findings
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("not-suitable")),
        "{findings:?}"
    );
    assert!(
        found.contains(&"approval".to_string()),
        "the empty approval is caught too: {findings:?}"
    );
}

#[test]
fn one_partners_reviewer_signing_as_another_is_caught() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let spoilt = reg.clone_register();
    let pat = reviewer("npcc");
    spoilt.write(
        &format!("reviews/{id}/round-1/iopc.yaml"),
        &sign_off(&id, 1, "iopc", "suitable", pat),
    );
    spoilt.commit_by_hand(pat, &review_message(&id, "iopc", "suitable", 1));
    let (code, findings) = spoilt.audit();
    assert_eq!(code, 1);
    assert_eq!(rules(&findings), ["authority"]);
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("you review for npcc")
    );
}

#[test]
fn a_sign_off_in_someone_elses_name_is_caught() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let spoilt = reg.clone_register();
    // Pat signs for npcc but writes Alex's name into the file.
    spoilt.write(
        &format!("reviews/{id}/round-1/npcc.yaml"),
        &sign_off(&id, 1, "npcc", "suitable", reviewer("college-of-policing")),
    );
    spoilt.commit_by_hand(
        reviewer("npcc"),
        &review_message(&id, "npcc", "suitable", 1),
    );
    let (_, findings) = spoilt.audit();
    assert_eq!(rules(&findings), ["reviewer-is-author"]);
}

#[test]
fn a_sign_off_changed_after_publication_is_caught() {
    let reg = published();
    let id = SAMPLE_ID;
    let spoilt = reg.clone_register();
    let path = format!("reviews/{id}/round-1/npcc.yaml");
    spoilt.write(
        &path,
        &sign_off(id, 1, "npcc", "not-suitable", reviewer("npcc")),
    );
    spoilt.commit_by_hand(
        reviewer("npcc"),
        &review_message(id, "npcc", "not-suitable", 1),
    );
    let (code, findings) = spoilt.audit();
    assert_eq!(code, 1);
    assert_eq!(rules(&findings), ["stage"]);
    assert_eq!(findings[0]["path"], path.as_str());
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("published")
    );
}

#[test]
fn a_commit_without_trailers_is_caught_and_history_says_so() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let spoilt = reg.clone_register();
    let path = format!("submissions/{id}/activity.yaml");
    spoilt.write(
        &path,
        &spoilt
            .read(&path)
            .replace("region: South West", "region: Wessex"),
    );
    let sha = spoilt.commit_by_hand(SUBMITTER, "tidy the region");
    let (code, findings) = spoilt.audit();
    assert_eq!(code, 1);
    assert_eq!(rules(&findings), ["no-trailers"]);
    assert_eq!(findings[0]["commit"], sha.as_str());
    spoilt
        .practice(EDITOR, &["history"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(no trailers)"))
        .stderr(predicate::str::contains(format!(
            "commit {} changed register files but carries no trailers",
            &sha[..10]
        )));
    // A commit that changes only other files is nobody's business.
    spoilt.write("NOTES.md", "minutes\n");
    spoilt.commit_by_hand(SUBMITTER, "notes");
    assert_eq!(spoilt.audit().1.len(), 1);
}

#[test]
fn a_commit_touching_two_activities_is_caught() {
    let reg = Reg::with_roster();
    let a = reg.submit_sample();
    let b = reg.submit_titled("Second scheme");
    let spoilt = reg.clone_register();
    let pat = reviewer("npcc");
    spoilt.write(
        &format!("reviews/{a}/round-1/npcc.yaml"),
        &sign_off(&a, 1, "npcc", "suitable", pat),
    );
    spoilt.write(
        &format!("reviews/{b}/round-1/npcc.yaml"),
        &sign_off(&b, 1, "npcc", "suitable", pat),
    );
    spoilt.commit_by_hand(pat, &review_message(&a, "npcc", "suitable", 1));
    let (code, findings) = spoilt.audit();
    assert_eq!(code, 1);
    let found = rules(&findings);
    assert!(found.contains(&"one-activity".to_string()), "{findings:?}");
    assert!(
        found.contains(&"trailers-match-files".to_string()),
        "{findings:?}"
    );
}

#[test]
fn a_damaged_file_is_a_finding_and_the_walk_goes_on() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let spoilt = reg.clone_register();
    spoilt.write(
        &format!("reviews/{id}/round-1/npcc.yaml"),
        "practice: [unclosed\n",
    );
    spoilt.commit_by_hand(
        reviewer("npcc"),
        &review_message(&id, "npcc", "suitable", 1),
    );
    // A later, proper action by the tool on another activity.
    spoilt.submit_titled("Second scheme");
    spoilt.write("NOTE", "x");
    let (code, findings) = spoilt.audit();
    assert_eq!(code, 1);
    // Once where it was committed, once as it stands in HEAD.
    assert_eq!(rules(&findings), ["invalid-file", "invalid-file"]);
    assert!(
        findings[1]["message"]
            .as_str()
            .unwrap()
            .contains("npcc.yaml:")
    );
}

#[test]
fn a_deleted_record_and_a_wrong_approval_are_caught() {
    let reg = published();
    let id = SAMPLE_ID;
    let spoilt = reg.clone_register();
    let path = format!("published/{id}.yaml");
    let entry = spoilt.read(&path);
    let first = entry
        .lines()
        .find(|l| l.contains("commit: "))
        .unwrap()
        .to_string();
    let forged = entry.replace(
        &first,
        "    commit: 0123456789012345678901234567890123456789",
    );
    spoilt.git(&["rm", "-q", &path]);
    spoilt.commit_by_hand(
        EDITOR,
        &format!("unpublish\n\nPractice-Id: {id}\nAction: retract\n"),
    );
    let (_, findings) = spoilt.audit();
    assert!(
        rules(&findings).contains(&"nothing-deleted".to_string()),
        "{findings:?}"
    );

    let spoilt = reg.clone_register();
    // Rewrite history so the publication names a commit that is not the sign-off's.
    spoilt.git(&["reset", "-q", "--hard", "HEAD~1"]);
    spoilt.write(&path, &forged);
    spoilt.commit_by_hand(
        EDITOR,
        &format!("publish {id}\n\nPractice-Id: {id}\nAction: publish\nRound: 1\n"),
    );
    let (_, findings) = spoilt.audit();
    assert_eq!(rules(&findings), ["approval"], "{findings:?}");
}

#[test]
fn history_lists_decisions_with_filters() {
    let reg = Reg::with_roster_at("2026-11-19T10:00:00Z");
    let id = reg.submit_sample();
    let at = |date: &str, who: Who, args: &[&str]| {
        reg.practice(who, args)
            .env("GIT_AUTHOR_DATE", date)
            .assert()
            .success();
    };
    at(
        "2026-11-20T10:00:00Z",
        reviewer("npcc"),
        &["review", &id, "--decision", "suitable"],
    );
    at(
        "2026-11-21T10:00:00Z",
        reviewer("iopc"),
        &[
            "review",
            &id,
            "--decision",
            "more-information",
            "--comment",
            "Costs?\nAnd staffing?",
        ],
    );
    let mark = reg.head();
    at(
        "2026-11-22T10:00:00Z",
        SUBMITTER,
        &["amend", &id, "--evidence", "Cheap.", "--reply", "Cheap."],
    );
    at(
        "2026-11-23T10:00:00Z",
        reviewer("iopc"),
        &["review", &id, "--decision", "suitable"],
    );

    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["history", "--json"];
        all.extend(args);
        serde_json::from_str::<serde_json::Value>(&reg.ok(EDITOR, &all))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let all = json(&[]);
    assert_eq!(
        all.len(),
        4 + 1 + 4 + 1,
        "four reviews, a submit, four roster changes, init"
    );
    let first = &all[0];
    for key in [
        "commit", "id", "action", "partner", "decision", "round", "actor", "at",
    ] {
        assert!(first.get(key).is_some(), "history --json lacks {key}");
    }
    assert_eq!(first["actor"]["email"], reviewer("iopc").email);
    assert_eq!(first["commit"], reg.head().as_str());

    let iopc = json(&["--partner", "iopc", "--action", "review"]);
    assert_eq!(
        json(&["--partner", "iopc"]).len(),
        3,
        "with the roster change that added its reviewer"
    );
    assert_eq!(
        iopc.iter()
            .map(|e| e["decision"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["suitable", "more-information"]
    );
    assert_eq!(iopc[1]["comment"], "Costs?");
    assert_eq!(iopc[1]["round"], 1);
    assert_eq!(json(&["--decision", "more-information"]).len(), 1);
    assert_eq!(json(&["--reviewer", reviewer("npcc").email]).len(), 1);
    assert_eq!(json(&["--action", "amend"])[0]["round"], 2);
    assert_eq!(json(&[&id]).len(), 5);
    assert_eq!(
        json(&["--since", "2026-11-21", "--until", "2026-11-22"]).len(),
        2
    );
    assert_eq!(
        json(&["--since", &mark]).len(),
        2,
        "a revision bound is exclusive"
    );
    assert_eq!(json(&["--until", &mark, "--action", "review"]).len(), 2);

    let csv = reg.ok(
        EDITOR,
        &[
            "history",
            "--csv",
            "--partner",
            "iopc",
            "--action",
            "review",
        ],
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "commit,at,actor_name,actor_email,action,id,partner,decision,round,comment,signature,fingerprint"
    );
    assert!(
        lines
            .next()
            .unwrap()
            .contains(",Ray Conduct,ray.conduct@policeconduct.gov.uk,review,")
    );
    assert_eq!(csv.lines().count(), 3);

    reg.practice(EDITOR, &["history", &id])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("more-information").and(predicate::str::contains("Costs?")),
        );
    // Plain git reads the same trailers.
    let plain = reg.git(&[
        "log",
        "--format=%(trailers:key=Decision,valueonly,separator=)",
        "--",
        "reviews/",
    ]);
    assert_eq!(
        plain.split_whitespace().collect::<Vec<_>>(),
        ["suitable", "more-information", "suitable"]
    );
}

#[test]
fn history_refuses_what_it_cannot_read() {
    let reg = Reg::with_roster();
    let line = reg.refused(EDITOR, &["history", "--since", "last week"]);
    assert!(line.contains("neither a date"), "{line}");
    let line = reg.refused(EDITOR, &["history", "--decision", "maybe"]);
    assert!(line.contains("suitable | not-suitable"), "{line}");
    let line = reg.refused(EDITOR, &["history", "--action", "vote"]);
    assert!(line.contains("review"), "{line}");
}

#[test]
fn a_divider_line_in_a_comment_is_still_read_as_an_action() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(
        reviewer("iopc"),
        &[
            "review",
            &id,
            "--decision",
            "more-information",
            "--comment",
            "Please add the evaluation.\n---\nSee attached.",
        ],
    );
    assert_eq!(reg.audit().0, 0, "{:?}", reg.audit().1);
    let json: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["history", &id, "--json"])).unwrap();
    assert_eq!(json[0]["decision"], "more-information");
    assert_eq!(json[0]["comment"], "Please add the evaluation.");
}

#[test]
fn hand_edits_dressed_as_actions_are_caught() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();

    // An editor loosens the approval rule in a "roster" commit.
    let spoilt = reg.clone_register();
    spoilt.write(
        "register.yaml",
        &spoilt
            .read("register.yaml")
            .replace("min_suitable: 3", "min_suitable: 1"),
    );
    spoilt.commit_by_hand(EDITOR, "roster: tweak\n\nAction: roster\n");
    let (_, findings) = spoilt.audit();
    assert_eq!(rules(&findings), ["trailers-match-files"], "{findings:?}");

    // The submitter hands the activity to someone else in an "amendment".
    let spoilt = reg.clone_register();
    let path = format!("submissions/{id}/activity.yaml");
    let activity = spoilt.read(&path);
    let by = activity.rfind("email: jo.bloggs@dorset.police.uk").unwrap();
    let forged = format!(
        "{}email: mallory@evil.example{}",
        &activity[..by],
        &activity[by + "email: jo.bloggs@dorset.police.uk".len()..]
    );
    spoilt.write(&path, &forged);
    spoilt.commit_by_hand(
        SUBMITTER,
        &format!("amend {id} (round 1)\n\nPractice-Id: {id}\nAction: amend\nRound: 1\n"),
    );
    let (_, findings) = spoilt.audit();
    assert_eq!(rules(&findings), ["record-kept"], "{findings:?}");

    // A "withdrawal" that rewrites the answers too.
    let spoilt = reg.clone_register();
    let text = spoilt.read(&path).replace(
        "title: Enhanced video response (EVR)",
        "title: Something else",
    ) + "withdrawn:\n  on: 2026-11-25T09:00:00Z\n  by:\n    name: Jo Bloggs\n    email: jo.bloggs@dorset.police.uk\n  reason: Gone\n";
    spoilt.write(&path, &text);
    spoilt.commit_by_hand(
        SUBMITTER,
        &format!("withdraw {id}\n\nGone\n\nPractice-Id: {id}\nAction: withdraw\n"),
    );
    let (_, findings) = spoilt.audit();
    assert_eq!(rules(&findings), ["record-kept"], "{findings:?}");
}

#[test]
fn a_repeated_audit_judges_only_new_commits_and_still_catches_them() {
    let reg = published();
    assert_eq!(reg.audit().0, 0);
    let checkpoint = reg.path().join(".git/practice-audit.json");
    assert!(checkpoint.exists(), "a sound audit leaves a checkpoint");
    let before = std::fs::read_to_string(&checkpoint).unwrap();
    assert!(before.contains(&reg.head()));
    // A later hand-made sign-off by a stranger is still caught.
    let b = reg.submit_titled("Second scheme");
    reg.write(
        &format!("reviews/{b}/round-1/npcc.yaml"),
        &sign_off(&b, 1, "npcc", "suitable", STRANGER),
    );
    reg.commit_by_hand(STRANGER, &review_message(&b, "npcc", "suitable", 1));
    let (code, findings) = reg.audit();
    assert_eq!((code, rules(&findings)), (1, vec!["authority".to_string()]));
    assert_eq!(
        std::fs::read_to_string(&checkpoint).unwrap(),
        before,
        "a failed audit does not move it"
    );
    // The counts cover the whole history either way.
    let json = |args: &[&str]| -> serde_json::Value {
        let out = reg.practice(EDITOR, args).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let full = json(&["audit", "--json", "--full"]);
    let quick = json(&["audit", "--json"]);
    assert_eq!(full["commits"], quick["commits"]);
    assert_eq!(full["findings"], quick["findings"]);
    // A damaged checkpoint is ignored, not trusted.
    std::fs::write(&checkpoint, "not json").unwrap();
    assert_eq!(reg.audit().1.len(), 1);
}

#[test]
fn a_long_history_is_judged_alike_from_a_listing_and_from_the_trees() {
    // A long walk judges from a listing of the register's files, moved on
    // commit by commit; a repeat audit's short walk reads git's trees. Both
    // must find the same faults in the same commits.
    let reg = published();
    let ids: Vec<String> = (0..30)
        .map(|i| reg.submit_titled(&format!("Scheme {i}")))
        .collect();
    assert!(reg.commit_count() > 40);
    assert_eq!(reg.audit().0, 0, "the tool's own history is sound");

    // An empty folder, which only plumbing can commit, where a submission
    // then lands: git's trees and the listing must agree it held nothing.
    let empty = reg.mktree("");
    let submissions = reg.git(&["ls-tree", "HEAD:submissions"])
        + &format!("040000 tree {empty}\tan-empty-folder-kent-police\n");
    let submissions = reg.mktree(&submissions);
    let root: String = reg
        .git(&["ls-tree", "HEAD"])
        .lines()
        .map(|l| match l.strip_suffix("\tsubmissions") {
            Some(_) => format!("040000 tree {submissions}\tsubmissions\n"),
            None => format!("{l}\n"),
        })
        .collect();
    let root = reg.mktree(&root);
    let commit = reg.git(&["commit-tree", &root, "-p", "HEAD", "-m", "An empty folder"]);
    reg.git(&["reset", "-q", "--soft", commit.trim()]);
    let text = reg
        .read(&format!("submissions/{}/activity.yaml", ids[1]))
        .replace(&ids[1], "an-empty-folder-kent-police");
    reg.write(
        "submissions/an-empty-folder-kent-police/activity.yaml",
        &text,
    );
    reg.commit_by_hand(
        SUBMITTER,
        "submit an-empty-folder-kent-police\n\nPractice-Id: an-empty-folder-kent-police\nAction: submit\nRound: 1\n",
    );

    // A stranger's sign-off, a deleted publication and an amendment that
    // also edits another activity, each committed by hand.
    reg.write(
        &format!("reviews/{}/round-1/npcc.yaml", ids[3]),
        &sign_off(&ids[3], 1, "npcc", "suitable", STRANGER),
    );
    reg.commit_by_hand(STRANGER, &review_message(&ids[3], "npcc", "suitable", 1));
    reg.git(&["rm", "-q", &format!("published/{SAMPLE_ID}.yaml")]);
    reg.commit_by_hand(
        EDITOR,
        &format!("retract {SAMPLE_ID}\n\nPractice-Id: {SAMPLE_ID}\nAction: retract\n"),
    );
    for id in [&ids[5], &ids[6]] {
        let path = format!("submissions/{id}/activity.yaml");
        let text = reg.read(&path).replace("Video calls", "Live video calls");
        reg.write(&path, &text);
    }
    reg.commit_by_hand(
        SUBMITTER,
        &format!(
            "amend {}\n\nPractice-Id: {}\nAction: amend\n",
            ids[5], ids[5]
        ),
    );

    // And a sign-off that does not parse.
    reg.write(
        &format!("reviews/{}/round-1/iopc.yaml", ids[8]),
        "decision: [\n",
    );
    reg.commit_by_hand(
        reviewer("iopc"),
        &review_message(&ids[8], "iopc", "suitable", 1),
    );

    let audit = |args: &[&str]| -> serde_json::Value {
        let out = reg.practice(EDITOR, args).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let quick = audit(&["audit", "--json"]);
    let full = audit(&["audit", "--json", "--full"]);
    assert_eq!(full["findings"], quick["findings"]);
    let found = rules(full["findings"].as_array().unwrap());
    for rule in [
        "authority",
        "nothing-deleted",
        "one-activity",
        "invalid-file",
    ] {
        assert!(found.iter().any(|r| r == rule), "{rule} in {found:?}");
    }
}

#[test]
fn a_register_folder_swapped_for_a_link_to_its_own_id_is_caught() {
    // A submodule link may name any id, a folder's own too. The tree then
    // has the same id at `reviews` and every sign-off is gone: a diff that
    // compared the roots by id alone saw no change, so neither the audit
    // nor history noticed the commit.
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.all_decide(&id, "suitable");
    let reviews = reg.git(&["rev-parse", "HEAD:reviews"]).trim().to_string();
    reg.git(&["rm", "-r", "-q", "--cached", "reviews"]);
    let link = format!("160000,{reviews},reviews");
    reg.git(&["update-index", "--add", "--cacheinfo", &link]);
    reg.git(&["commit", "-q", "-m", "tidy up"]);
    let sha = reg.head();
    assert_eq!(reg.git(&["rev-parse", "HEAD:reviews"]).trim(), reviews);
    let (code, findings) = reg.audit();
    assert_eq!(
        (code, rules(&findings)),
        (1, vec!["no-trailers".to_string()])
    );
    assert_eq!(findings[0]["commit"], sha.as_str());
    reg.practice(EDITOR, &["history"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "commit {} changed register files but carries no trailers",
            &sha[..10]
        )));
}

#[test]
fn a_comment_that_would_cut_the_trailers_off_cannot() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let (partner, who) = REVIEWERS[1];
    let comment =
        "Cut here:\n# ------------------------ >8 ------------------------\n---\nafter the cut";
    reg.ok(
        who,
        &[
            "review",
            &id,
            "--decision",
            "not-suitable",
            "--comment",
            comment,
        ],
    );
    // Every reader of the commit sees its trailers.
    let decision = reg.git(&["log", "-1", "--format=%(trailers:key=Decision,valueonly)"]);
    assert_eq!(decision.trim(), "not-suitable");
    let message = reg.git(&["log", "-1", "--format=%B"]);
    let out = std::process::Command::new("git")
        .args(["interpret-trailers", "--parse"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(message.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Decision: not-suitable"),
        "{message}"
    );
    // The file keeps the comment as it was typed.
    let file = reg.read(&format!("reviews/{id}/round-1/{partner}.yaml"));
    assert!(file.contains("\n  # ------------------------ >8"), "{file}");
    let (code, findings) = reg.audit();
    assert_eq!((code, rules(&findings)), (0, vec![]));
}

#[test]
fn a_damaged_commit_is_a_finding_naming_it_never_an_empty_history() {
    let reg = Reg::with_roster();
    reg.submit_sample();
    // A commit object whose header git cannot parse, made the branch's tip.
    let parent = reg.head();
    let out = reg
        .command("git")
        .current_dir(reg.path())
        .args([
            "hash-object",
            "-t",
            "commit",
            "-w",
            "--literally",
            "--stdin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            let text = format!("tree nonsense\nparent {parent}\nauthor x\n\nbroken\n");
            child.stdin.take().unwrap().write_all(text.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let damaged = String::from_utf8(out.stdout).unwrap().trim().to_string();
    // git will not point a branch at it; another tool could.
    let branch = reg.git(&["symbolic-ref", "HEAD"]);
    std::fs::write(
        reg.file(&format!(".git/{}", branch.trim())),
        format!("{damaged}\n"),
    )
    .unwrap();
    let (code, findings) = reg.audit();
    assert_eq!(code, 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "damaged-commit");
    assert_eq!(findings[0]["commit"], damaged.as_str());
    let out = reg.practice(EDITOR, &["audit"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("no commits yet"), "{said}");
}

#[test]
fn trailers_that_read_two_ways_or_a_subject_that_says_otherwise_are_caught() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let (partner, who) = REVIEWERS[1];
    let file = format!("reviews/{id}/round-1/{partner}.yaml");
    let plain = review_message(&id, partner, "suitable", 1);
    for (message, rule) in [
        // Decision given twice: git keeps both, and readers differ on which.
        (
            format!("{plain}Decision: not-suitable\n"),
            "trailers-ambiguous",
        ),
        // A key in another case: git reads it, a careless script does not.
        (
            plain.replace("Decision:", "decision:"),
            "trailers-ambiguous",
        ),
        // The subject names another partner than the trailers and file.
        (
            plain.replacen(&format!("{partner} suitable"), "iopc suitable", 1),
            "trailers-match-files",
        ),
    ] {
        let clone = reg.clone_register();
        clone.write(&file, &sign_off(&id, 1, partner, "suitable", who));
        clone.commit_by_hand(who, &message);
        let (code, findings) = clone.audit();
        assert_eq!(code, 1, "{message}");
        assert_eq!(rules(&findings)[0], rule, "{message}: {findings:?}");
    }
}

#[test]
fn a_round_reopened_by_hand_before_it_was_undecided_is_caught() {
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
            "No.",
        ],
    );
    let clone = reg.clone_register();
    clone.write(&format!("reviews/{id}/round-2/.gitkeep"), "");
    clone.commit_by_hand(
        EDITOR,
        &format!("reopen {id}: opening round 2\n\nAgain.\n\nPractice-Id: {id}\nAction: reopen\nRound: 2\n"),
    );
    let (code, findings) = clone.audit();
    assert_eq!(
        (code, rules(&findings)),
        (1, vec!["stage".to_string()]),
        "{findings:?}"
    );
}

#[test]
fn no_cache_or_checkpoint_is_trusted_over_git() {
    let reg = published();
    assert_eq!(reg.audit().0, 0);
    let checkpoint = reg.path().join(".git/practice-audit.json");
    let text = std::fs::read_to_string(&checkpoint).unwrap();
    assert!(
        !text.contains("\"actions\""),
        "it holds no counts to copy: {text}"
    );
    // A repeated audit says what it judged, and since when.
    let json = |args: &[&str]| -> serde_json::Value {
        let out = reg.practice(EDITOR, args).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    reg.submit_titled("Second scheme");
    let quick = json(&["audit", "--json"]);
    assert_eq!(quick["commits"], 1, "{quick}");
    assert_eq!(
        quick["since"].as_str().map(|s| s.len()),
        Some(40),
        "{quick}"
    );
    // A checkpoint edited to skip a forgery does not match its own check,
    // and the whole history is judged again.
    let b = reg.submit_titled("Third scheme");
    reg.write(
        &format!("reviews/{b}/round-1/npcc.yaml"),
        &sign_off(&b, 1, "npcc", "suitable", STRANGER),
    );
    reg.commit_by_hand(STRANGER, &review_message(&b, "npcc", "suitable", 1));
    let text = std::fs::read_to_string(&checkpoint).unwrap();
    let head = reg.head();
    let old: serde_json::Value = serde_json::from_str(&text).unwrap();
    let forged = text.replace(old["commit"].as_str().unwrap(), &head);
    std::fs::write(&checkpoint, forged).unwrap();
    let (code, findings) = reg.audit();
    assert_eq!((code, rules(&findings)), (1, vec!["authority".to_string()]));
    // A full audit that finds anything leaves no checkpoint to start from.
    std::fs::write(&checkpoint, text).unwrap();
    assert_eq!(
        json(&["audit", "--json", "--full"])["findings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(!checkpoint.exists(), "the disproved checkpoint is gone");
}

/// Commit everything in `reg` by hand, as `who`, with the dates given.
fn commit_dated(reg: &Reg, who: Who, authored: &str, committed: &str, message: &str) {
    for args in [&["add", "-A"][..], &["commit", "-q", "-m", message][..]] {
        let out = reg
            .command("git")
            .current_dir(reg.path())
            .env("GIT_AUTHOR_NAME", who.name)
            .env("GIT_AUTHOR_EMAIL", who.email)
            .env("GIT_COMMITTER_NAME", who.name)
            .env("GIT_COMMITTER_EMAIL", who.email)
            .env("GIT_AUTHOR_DATE", authored)
            .env("GIT_COMMITTER_DATE", committed)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }
}

#[test]
fn dates_that_contradict_history_are_refused_and_caught() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let head_date = reg.git(&["log", "-1", "--format=%aI"]);
    let head_date = chrono::DateTime::parse_from_rfc3339(head_date.trim()).unwrap();
    let at = |hours: i64| (head_date + chrono::Duration::hours(hours)).to_rfc3339();
    let (partner, who) = REVIEWERS[1];
    let review = ["review", id.as_str(), "--decision", "suitable"];

    // The tool refuses to record an action dated two days before the one it
    // follows, or authored after it is committed; nothing changes.
    for (authored, committed, says) in [
        (at(-48), at(0), "more than a day before"),
        (at(2), at(1), "after its committer date"),
    ] {
        let before = reg.snapshot();
        let out = reg
            .practice(who, &review)
            .env("GIT_AUTHOR_DATE", &authored)
            .env("GIT_COMMITTER_DATE", &committed)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let line = String::from_utf8(out.stderr).unwrap();
        assert_eq!(line.trim_end().lines().count(), 1, "{line}");
        assert!(
            line.contains(says) && line.contains("GIT_AUTHOR_DATE"),
            "{line}"
        );
        assert_eq!(reg.snapshot(), before);
    }
    // Within a day's clock skew, it is recorded.
    let sound = reg.clone_register();
    sound
        .practice(who, &review)
        .env("GIT_AUTHOR_DATE", at(-23))
        .assert()
        .success();
    assert_eq!(sound.audit(), (0, vec![]));

    // Made with plain git, each is a finding; and so is a sign-off whose
    // signed_at is not its commit's time.
    let path = format!("reviews/{id}/round-1/{partner}.yaml");
    let message = review_message(&id, partner, "suitable", 1);
    for (signed_at, authored, committed, says) in [
        (at(-48), at(-48), at(1), "more than a day before"),
        (at(2), at(2), at(1), "after its committer date"),
        (at(-48), at(1), at(1), "signed at"),
    ] {
        let spoilt = reg.clone_register();
        spoilt.write(
            &path,
            &sign_off_at(&id, 1, partner, "suitable", who, &signed_at),
        );
        commit_dated(&spoilt, who, &authored, &committed, &message);
        let (code, findings) = spoilt.audit();
        assert_eq!(code, 1, "{says}");
        assert_eq!(rules(&findings), ["dates"], "{says}: {findings:?}");
        let said = findings[0]["message"].as_str().unwrap();
        assert!(said.contains(says), "{said}");
    }
}

#[test]
fn a_round_folder_spelt_another_way_is_no_round() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let (partner, who) = REVIEWERS[1];
    for folder in ["round-01", "round-+1"] {
        let spoilt = reg.clone_register();
        spoilt.write(
            &format!("reviews/{id}/{folder}/{partner}.yaml"),
            &sign_off(&id, 1, partner, "suitable", who),
        );
        spoilt.commit_by_hand(who, &review_message(&id, partner, "suitable", 1));
        let (code, findings) = spoilt.audit();
        assert_eq!(code, 1, "{folder}");
        assert!(
            rules(&findings).contains(&"trailers-match-files".to_string()),
            "{folder}: {findings:?}"
        );
        // Nor is it taken for round 1's decision: the activity cannot be
        // read until the folder is mended.
        let line = spoilt.refused(EDITOR, &["show", &id]);
        assert!(
            line.contains(&format!("{folder}: is not a round folder")),
            "{line}"
        );
    }
}
