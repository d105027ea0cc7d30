//! The whole pipeline as people run it: the built binary against temporary
//! registers, every result checked with plain git as well as with the tool.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn init_makes_a_register_in_one_commit() {
    let reg = Reg::init();
    assert_eq!(reg.commit_count(), 1);
    assert_eq!(reg.trailer("HEAD", "Action"), "init");
    assert_eq!(
        reg.git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>"])
            .trim(),
        "Sam Editor <sam.editor@college.police.uk>|Sam Editor <sam.editor@college.police.uk>"
    );
    let config = reg.read("register.yaml");
    for partner in ["college-of-policing", "npcc", "hmicfrs", "iopc"] {
        assert!(config.contains(&format!("id: {partner}")), "{config}");
    }
    assert!(config.contains("reviewers: []"));
    assert!(config.contains("email: sam.editor@college.police.uk"));
    assert!(config.contains("min_suitable: 3"));
    assert!(config.contains("- Vulnerable people"));
    for folder in ["submissions", "reviews", "published"] {
        assert!(reg.file(folder).is_dir(), "{folder}");
    }
    assert_eq!(reg.status(), "");
    reg.ok(EDITOR, &["list"]);
}

#[test]
fn init_adds_a_register_to_an_existing_repository_without_touching_other_work() {
    let reg = Reg::empty();
    reg.git(&["init", "-q"]);
    reg.write("notes.txt", "earlier work\n");
    reg.git(&["add", "notes.txt"]);
    reg.git(&["commit", "-qm", "earlier work"]);
    reg.write("draft.txt", "not yet added\n");
    reg.ok(EDITOR, &["init"]);
    assert_eq!(reg.commit_count(), 2);
    assert_eq!(reg.status(), "?? draft.txt\n");
    assert!(!reg.changed("HEAD").contains(&"notes.txt".to_string()));
}

#[test]
fn the_whole_pipeline_with_a_returned_round_and_an_amendment() {
    let reg = Reg::with_roster();
    let start = reg.commit_count();

    // A force submits from a file that leaves out id and submitted.
    let id = reg.submit_sample();
    assert_eq!(id, SAMPLE_ID);
    assert_eq!(reg.stage(&id), "submitted");
    let activity = reg.read(&format!("submissions/{id}/activity.yaml"));
    assert!(
        activity.contains("- Dorset Police"),
        "forces are normalised: {activity}"
    );
    assert!(activity.contains(&format!("id: {id}")));
    assert!(activity.contains("email: jo.bloggs@dorset.police.uk"));
    assert_eq!(reg.trailer("HEAD", "Action"), "submit");
    assert_eq!(reg.trailer("HEAD", "Practice-Id"), id);
    assert_eq!(reg.git(&["log", "-1", "--format=%an"]).trim(), "Jo Bloggs");

    // Round 1: npcc finds it suitable, iopc asks for more information.
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    assert_eq!(reg.stage(&id), "in-review");
    reg.ok(
        reviewer("iopc"),
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
    assert_eq!(reg.trailer("HEAD", "Decision"), "more-information");
    assert_eq!(reg.trailer("HEAD", "Round"), "1");
    assert_eq!(reg.trailer("HEAD", "Partner"), "iopc");
    assert_eq!(
        reg.git(&["log", "-1", "--format=%an <%ae>"]).trim(),
        "Ray Conduct <ray.conduct@policeconduct.gov.uk>"
    );
    assert!(
        reg.git(&["log", "-1", "--format=%b"])
            .contains("What did it cost?")
    );
    assert_eq!(
        reg.changed("HEAD"),
        [format!("reviews/{id}/round-1/iopc.yaml")]
    );

    // The submitter answers; that opens round 2.
    reg.ok(
        SUBMITTER,
        &[
            "amend",
            &id,
            "--evidence",
            "It cost one licence.",
            "--reply",
            "One licence, and the evidence now says so.",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "amend");
    assert_eq!(reg.trailer("HEAD", "Round"), "2");
    let shown = reg.show(&id);
    assert_eq!(shown["stage"], "submitted");
    assert_eq!(shown["round"], 2);
    assert_eq!(shown["decisions"], serde_json::json!({}));
    assert_eq!(shown["rounds"][0]["sign_offs"].as_array().unwrap().len(), 2);

    // Round 2: all four find it suitable.
    reg.all_decide(&id, "suitable");
    assert_eq!(reg.stage(&id), "approved");
    for (partner, who) in REVIEWERS {
        let path = format!("reviews/{id}/round-2/{partner}.yaml");
        let log = reg.git(&["log", "--format=%an|%(trailers:key=Partner,valueonly,separator=)|%(trailers:key=Round,valueonly,separator=)", "--", &path]);
        assert_eq!(log.lines().count(), 1);
        assert!(log.starts_with(&format!("{}|{partner}", who.name)), "{log}");
    }

    // An editor writes it up: a draft from the answers, then the full report.
    reg.ok(EDITOR, &["write-up", &id]);
    let draft = reg.read(&format!("submissions/{id}/report.yaml"));
    assert!(draft.contains("impact: It cost one licence."), "{draft}");
    assert_eq!(reg.stage(&id), "approved");
    reg.complete_report(&id);
    assert_eq!(reg.stage(&id), "written-up");
    assert_eq!(
        reg.status(),
        "",
        "the edited report is committed, the tree clean"
    );

    reg.ok(EDITOR, &["publish", &id]);
    assert_eq!(reg.stage(&id), "published");
    let published = reg.read(&format!("published/{id}.yaml"));
    assert!(published.contains("kind: smarter-practice"));
    assert!(published.contains("rating: smarter-practice"));
    assert!(published.contains("round: 2"));
    for (partner, _) in REVIEWERS {
        let sha = reg.git(&[
            "log",
            "-1",
            "--format=%H",
            "--",
            &format!("reviews/{id}/round-2/{partner}.yaml"),
        ]);
        assert!(
            published.contains(&format!("commit: {}", sha.trim())),
            "{partner} in {published}"
        );
    }

    // One commit per action: submit, 2 reviews, amend, 4 reviews, 2 write-ups, publish.
    assert_eq!(reg.commit_count() - start, 11);
    assert_eq!(reg.status(), "");
    let actions = reg.git(&[
        "log",
        "--format=%(trailers:key=Action,valueonly,separator=)",
    ]);
    assert_eq!(
        actions.lines().collect::<Vec<_>>(),
        [
            "publish", "write-up", "write-up", "review", "review", "review", "review", "amend",
            "review", "review", "submit", "roster", "roster", "roster", "roster", "init"
        ]
    );
    // The auditor's one-liner from the spec reads the decisions.
    let decisions = reg.git(&[
        "log",
        "--format=%an %(trailers:key=Decision,valueonly)",
        "--",
        "reviews/",
    ]);
    assert_eq!(
        decisions
            .lines()
            .filter(|l| l.ends_with(" suitable"))
            .count(),
        5
    );
    assert!(decisions.contains("Ray Conduct more-information"));
    reg.git(&["fsck", "--no-progress"]);
}

#[test]
fn an_action_leaves_other_staged_and_unstaged_work_alone() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    // Someone has other work in progress: a staged new file and an unstaged
    // edit to a tracked file.
    reg.write("notes/meeting.txt", "agenda\n");
    reg.git(&["add", "notes/meeting.txt"]);
    let config = reg.read("register.yaml");
    reg.write("register.yaml", &format!("{config}# a note being typed\n"));

    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);

    assert_eq!(
        reg.changed("HEAD"),
        [format!("reviews/{id}/round-1/npcc.yaml")]
    );
    assert_eq!(
        reg.git(&["diff", "--cached", "--name-only"]),
        "notes/meeting.txt\n"
    );
    assert_eq!(reg.git(&["diff", "--name-only"]), "register.yaml\n");
    assert!(
        reg.read("register.yaml")
            .ends_with("# a note being typed\n")
    );
    assert!(reg.status().contains("A  notes/meeting.txt"));
}

#[test]
fn author_and_dates_come_from_gits_environment() {
    let reg = Reg::with_roster_at("2026-11-25T09:00:00Z");
    let id = reg.submit_sample();
    let who = reviewer("hmicfrs");
    reg.practice(who, &["review", &id, "--decision", "suitable"])
        .env("GIT_AUTHOR_DATE", "2026-11-25T09:12:00Z")
        .env("GIT_COMMITTER_NAME", "Build Bot")
        .env("GIT_COMMITTER_EMAIL", "bot@college.police.uk")
        .assert()
        .success();
    assert_eq!(
        reg.git(&["log", "-1", "--format=%an|%ae|%aI|%cn"]).trim(),
        "Kim Inspector|kim.inspector@hmicfrs.gov.uk|2026-11-25T09:12:00Z|Build Bot"
    );
    let sign_off = reg.read(&format!("reviews/{id}/round-1/hmicfrs.yaml"));
    assert!(
        sign_off.contains("signed_at: 2026-11-25T09:12:00Z"),
        "{sign_off}"
    );
    assert!(sign_off.contains("name: Kim Inspector"));
}

#[test]
fn a_sign_offs_time_is_its_commits_to_the_second() {
    let reg = Reg::with_roster_at("2026-07-01T08:00:00Z");
    let id = reg.submit_sample();
    // A time without an offset, in a zone on summer time; a fraction,
    // which git drops; git's own format; ISO without seconds.
    for ((partner, who), (tz, date)) in REVIEWERS.into_iter().zip([
        ("GMT0BST,M3.5.0/1,M10.5.0", "2026-07-01 09:12"),
        ("UTC0", "2026-11-25T09:12:00.5Z"),
        ("UTC0", "Wed Nov 25 09:12:00 2026 +0100"),
        ("UTC0", "2026-11-25 09:12:59.999 -0330"),
    ]) {
        reg.practice(who, &["review", &id, "--decision", "suitable"])
            .env("TZ", tz)
            .env("GIT_AUTHOR_DATE", date)
            .assert()
            .success();
        let sign_off = reg.read(&format!("reviews/{id}/round-1/{partner}.yaml"));
        let signed_at = sign_off
            .lines()
            .find_map(|l| l.strip_prefix("signed_at: "))
            .unwrap_or_else(|| panic!("no signed_at in {sign_off}"));
        let author_date = reg.git(&["log", "-1", "--format=%aI"]);
        assert_eq!(signed_at, author_date.trim(), "{date}");
        assert!(!signed_at.contains('.'), "{date}: {signed_at}");
    }
    assert_eq!(
        reg.git(&["log", "-4", "--format=%aI"]),
        "2026-11-25T09:12:59-03:30\n\
         2026-11-25T09:12:00+01:00\n\
         2026-11-25T09:12:00Z\n\
         2026-07-01T09:12:00+01:00\n"
    );
}

#[test]
fn the_identity_falls_back_to_git_config() {
    let reg = Reg::with_roster();
    reg.git(&["config", "user.name", "Jo Bloggs"]);
    reg.git(&["config", "user.email", "jo.bloggs@dorset.police.uk"]);
    let file = reg.write_outside("a.yaml", SAMPLE_ACTIVITY);
    reg.practice(SUBMITTER, &["submit", "--file", file.to_str().unwrap()])
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .assert()
        .success();
    assert_eq!(
        reg.git(&["log", "-1", "--format=%an <%ae>"]).trim(),
        "Jo Bloggs <jo.bloggs@dorset.police.uk>"
    );
}

#[test]
fn a_submission_from_flags_derives_its_id_and_prints_it() {
    let reg = Reg::with_roster();
    let out = reg.ok(
        SUBMITTER,
        &[
            "submit",
            "--title",
            "Safer Sleep",
            "--organisation",
            "merseyside",
            "--organisation",
            "Liverpool City Council",
            "--topic",
            "vulnerable people",
            "--focus",
            "Prevention",
            "--target-group",
            "Parents",
            "--scale",
            "Local",
            "--implementation",
            "piloted",
            "--summary",
            "Safe sleep advice",
            "--problem",
            "Infant deaths",
            "--aim",
            "Fewer deaths",
            "--activity",
            "Home visits",
        ],
    );
    assert_eq!(out, "safer-sleep-merseyside-police\n");
    let shown = reg.show("safer-sleep-merseyside-police");
    assert_eq!(
        shown["organisations"],
        serde_json::json!(["Merseyside Police", "Liverpool City Council"])
    );
    assert_eq!(shown["topic"], "Vulnerable people");
    assert_eq!(
        shown["activity"]["contact"]["email"],
        "jo.bloggs@dorset.police.uk"
    );
}

#[test]
fn recusal_counts_for_neither_side_and_min_suitable_decides() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    for (partner, decision) in [
        ("college-of-policing", "suitable"),
        ("npcc", "suitable"),
        ("hmicfrs", "recuse"),
    ] {
        reg.ok(
            reviewer(partner),
            &[
                "review",
                &id,
                "--decision",
                decision,
                "--comment",
                "A conflict of interest.",
            ],
        );
    }
    reg.ok(
        reviewer("iopc"),
        &[
            "review",
            &id,
            "--decision",
            "recuse",
            "--comment",
            "Conflict.",
        ],
    );
    // Two suitable of the three needed, and every partner has decided: the
    // round cannot end by itself.
    assert_eq!(reg.stage(&id), "undecided");
    // With the rule at two, the same decisions approve it.
    let config = reg
        .read("register.yaml")
        .replace("min_suitable: 3", "min_suitable: 2");
    reg.write("register.yaml", &config);
    reg.git(&["commit", "-qam", "approve with two"]);
    assert_eq!(reg.stage(&id), "approved");
    // A recusal changed to suitable is a rewrite of the same file.
    reg.ok(reviewer("iopc"), &["review", &id, "--decision", "suitable"]);
    let log = reg.git(&[
        "log",
        "--format=%(trailers:key=Decision,valueonly)",
        "--",
        &format!("reviews/{id}/round-1/iopc.yaml"),
    ]);
    assert_eq!(
        log.split_whitespace().collect::<Vec<_>>(),
        ["suitable", "recuse"]
    );
}

#[test]
fn one_not_suitable_among_all_decided_is_not_suitable_and_can_be_banked() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    for (partner, who) in REVIEWERS {
        let decision = if partner == "npcc" {
            "not-suitable"
        } else {
            "suitable"
        };
        reg.ok(
            who,
            &[
                "review",
                &id,
                "--decision",
                decision,
                "--comment",
                "Untested.",
            ],
        );
    }
    assert_eq!(reg.stage(&id), "not-suitable");
    reg.ok(EDITOR, &["bank", &id, "--rating", "promising"]);
    assert_eq!(reg.stage(&id), "banked");
    let entry = reg.read(&format!("published/{id}.yaml"));
    assert!(
        entry.contains("kind: practice-bank") && entry.contains("rating: promising"),
        "{entry}"
    );
    assert!(!entry.contains("approval:"));
    assert_eq!(reg.trailer("HEAD", "Action"), "bank");
    assert_eq!(reg.trailer("HEAD", "Rating"), "promising");
}

#[test]
fn withdrawal_and_retraction_keep_the_record() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    reg.ok(
        SUBMITTER,
        &[
            "withdraw",
            &id,
            "--reason",
            "Replaced by a force-wide scheme",
        ],
    );
    assert_eq!(reg.stage(&id), "withdrawn");
    assert!(
        reg.read(&format!("submissions/{id}/activity.yaml"))
            .contains("reason: Replaced by a force-wide scheme")
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "withdraw");

    let reg = Reg::with_roster();
    let id = reg.written_up_sample();
    reg.ok(EDITOR, &["publish", &id]);
    reg.ok(
        EDITOR,
        &["retract", &id, "--reason", "The evaluation was withdrawn"],
    );
    assert_eq!(reg.stage(&id), "retracted");
    let entry = reg.read(&format!("published/{id}.yaml"));
    assert!(
        entry.contains("kind: smarter-practice") && entry.contains("retracted:"),
        "{entry}"
    );
    assert!(entry.contains("reason: The evaluation was withdrawn"));
    assert_eq!(reg.trailer("HEAD", "Action"), "retract");
    assert_eq!(reg.status(), "");
}

#[test]
fn an_amendment_from_a_file_replaces_the_answers() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let changed = SAMPLE_ACTIVITY.replace("scale: Local", "scale: Regional");
    let file = reg.write_outside("amended.yaml", &changed);
    reg.ok(SUBMITTER, &["amend", &id, "--file", file.to_str().unwrap()]);
    let shown = reg.show(&id);
    assert_eq!(shown["activity"]["scale"], "Regional");
    assert_eq!(
        shown["round"], 1,
        "amending before any decision stays in round 1"
    );
    assert_eq!(shown["activity"]["submitted"]["by"]["name"], "Jo Bloggs");
    // An editor may amend too, editing the register's own file in place.
    let path = format!("submissions/{id}/activity.yaml");
    reg.write(
        &path,
        &reg.read(&path)
            .replace("region: South West", "region: Wessex"),
    );
    reg.ok(EDITOR, &["amend", &id, "--file", &path]);
    assert_eq!(reg.show(&id)["activity"]["region"], "Wessex");
    assert_eq!(reg.status(), "");
}

#[test]
fn a_reviewer_for_two_partners_names_the_one_they_decide_for() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let both = reviewer("npcc");
    reg.ok(
        EDITOR,
        &[
            "roster",
            "add",
            "--partner",
            "iopc",
            "--name",
            both.name,
            "--email",
            both.email,
        ],
    );
    let line = reg.refused(both, &["review", &id, "--decision", "suitable"]);
    assert!(
        line.contains("--partner") && line.contains("npcc, iopc"),
        "{line}"
    );
    reg.ok(
        both,
        &["review", &id, "--decision", "suitable", "--partner", "iopc"],
    );
    assert_eq!(
        reg.show(&id)["decisions"],
        serde_json::json!({"iopc": "suitable"})
    );
}

#[test]
fn the_roster_is_kept_by_editors() {
    let reg = Reg::init();
    let pat = reviewer("npcc");
    reg.ok(
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
    assert_eq!(reg.trailer("HEAD", "Action"), "roster");
    assert_eq!(reg.trailer("HEAD", "Partner"), "npcc");
    reg.ok(
        EDITOR,
        &[
            "roster",
            "add",
            "--editor",
            "--name",
            "Ann Other",
            "--email",
            "ann.other@college.police.uk",
        ],
    );
    let json: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["roster", "list", "--json"])).unwrap();
    assert_eq!(json["partners"][1]["reviewers"][0]["email"], pat.email);
    assert_eq!(json["editors"].as_array().unwrap().len(), 2);
    reg.practice(EDITOR, &["roster", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Pat Chief"));
    reg.ok(EDITOR, &["roster", "remove", "--email", pat.email]);
    assert!(!reg.read("register.yaml").contains(pat.email));
    // Nobody adds themselves: a reviewer is not an editor.
    reg.refused(
        pat,
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
    assert_eq!(reg.status(), "");
}

#[test]
fn the_register_is_found_like_git_finds_a_repository() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    // From a folder inside the register.
    let inside = reg.file("submissions");
    reg.practice(EDITOR, &["show", &id])
        .current_dir(&inside)
        .assert()
        .success();
    // From elsewhere, with -C or PRACTICE_REGISTER.
    let elsewhere = tempfile::tempdir().unwrap();
    reg.practice(
        EDITOR,
        &["-C", reg.path().to_str().unwrap(), "list", "--json"],
    )
    .current_dir(elsewhere.path())
    .assert()
    .success()
    .stdout(predicate::str::contains(&id));
    reg.practice(EDITOR, &["list"])
        .current_dir(elsewhere.path())
        .env("PRACTICE_REGISTER", reg.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(&id));
}

#[test]
fn list_filters_and_prints_json() {
    let reg = Reg::with_roster();
    let evr = reg.submit_sample();
    let other = SAMPLE_ACTIVITY
        .replace(
            "Enhanced video response (EVR)",
            "Begging resources guidance",
        )
        .replace("dorset police", "Surrey")
        .replace("Vulnerable people", "Anti-social behaviour");
    let file = reg.write_outside("b.yaml", &other);
    let begging = reg
        .ok(SUBMITTER, &["submit", "--file", file.to_str().unwrap()])
        .trim()
        .to_string();
    assert_eq!(begging, "begging-resources-guidance-surrey-police");
    reg.ok(
        reviewer("npcc"),
        &["review", &evr, "--decision", "suitable"],
    );

    let list = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--json"];
        all.extend(args);
        let json: serde_json::Value = serde_json::from_str(&reg.ok(EDITOR, &all)).unwrap();
        json.as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(list(&[]), [begging.as_str(), evr.as_str()]);
    assert_eq!(list(&["--stage", "in-review"]), [evr.as_str()]);
    assert_eq!(
        list(&["--topic", "anti-social behaviour"]),
        [begging.as_str()]
    );
    assert_eq!(list(&["--organisation", "dorset"]), [evr.as_str()]);
    assert_eq!(list(&["--awaiting", "npcc"]), [begging.as_str()]);
    assert_eq!(list(&["--awaiting", "iopc"]).len(), 2);

    let json: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["list", "--json", "--stage", "in-review"])).unwrap();
    let first = &json[0];
    for key in [
        "id",
        "title",
        "stage",
        "round",
        "organisations",
        "topic",
        "decisions",
    ] {
        assert!(first.get(key).is_some(), "list --json lacks {key}: {first}");
    }
    assert_eq!(first["decisions"], serde_json::json!({"npcc": "suitable"}));
    assert_eq!(first["organisations"], serde_json::json!(["Dorset Police"]));

    reg.practice(EDITOR, &["list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("in-review").and(predicate::str::contains("✓")));
    reg.practice(EDITOR, &["list", "--stage", "published"])
        .assert()
        .success()
        .stdout("");
}

#[test]
fn show_prints_the_record() {
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
            "What did it cost?\nAnd who paid?",
        ],
    );
    reg.practice(EDITOR, &["show", &id])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("returned")
                .and(predicate::str::contains("Dorset Police"))
                .and(predicate::str::contains("What did it cost? …"))
                .and(predicate::str::contains("Ray Conduct")),
        );
    let json = reg.show(&id);
    assert_eq!(json["id"], id.as_str());
    assert_eq!(json["stage"], "returned");
    assert_eq!(
        json["rounds"][0]["sign_offs"][0]["comment"],
        "What did it cost?\nAnd who paid?\n"
    );
}

#[test]
fn list_keeps_a_cache_that_never_outlives_the_files() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let stage = |reg: &Reg| -> String {
        let json: serde_json::Value =
            serde_json::from_str(&reg.ok(EDITOR, &["list", "--json"])).unwrap();
        json[0]["stage"].as_str().unwrap().to_string()
    };
    assert_eq!(stage(&reg), "submitted");
    let cache = reg.path().join(".git/practice-digests.json");
    assert!(cache.exists());
    // Any change to the activity's files changes what is listed.
    reg.ok(reviewer("npcc"), &["review", &id, "--decision", "suitable"]);
    assert_eq!(stage(&reg), "in-review");
    // So does a change to the rules, which digests do not hold.
    for partner in ["college-of-policing", "hmicfrs", "iopc"] {
        reg.ok(
            reviewer(partner),
            &[
                "review",
                &id,
                "--decision",
                "recuse",
                "--comment",
                "Conflict.",
            ],
        );
    }
    assert_eq!(stage(&reg), "undecided", "one suitable of three needed");
    let config = reg
        .read("register.yaml")
        .replace("min_suitable: 3", "min_suitable: 1");
    reg.write("register.yaml", &config);
    reg.git(&["commit", "-qam", "one suitable is enough"]);
    assert_eq!(stage(&reg), "approved");
    // A damaged cache is rebuilt, not trusted.
    std::fs::write(&cache, "{ not json").unwrap();
    assert_eq!(stage(&reg), "approved");
    // A damaged file is reported every time, cached or not.
    reg.write(&format!("reviews/{id}/round-1/npcc.yaml"), "practice: [\n");
    reg.git(&["commit", "-qam", "damage"]);
    for _ in 0..2 {
        reg.practice(EDITOR, &["list"])
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "reviews/{id}/round-1/npcc.yaml:"
            )));
    }
}

/// `git hash-object` of `json`, as the digest cache's first line.
fn with_check(reg: &Reg, json: &str) -> String {
    let rest = reg.write_outside("cache-rest", json);
    let sum = reg.git(&["hash-object", rest.to_str().unwrap()]);
    format!("{}\n{json}", sum.trim())
}

#[test]
fn list_trusts_no_digest_that_does_not_match_its_objects() {
    let reg = Reg::with_roster();
    let first = reg.submit_titled("First scheme");
    let second = reg.submit_titled("Second scheme");
    let titles = |reg: &Reg| -> Vec<(String, String)> {
        let json: serde_json::Value =
            serde_json::from_str(&reg.ok(EDITOR, &["list", "--json"])).unwrap();
        let mut all: Vec<(String, String)> = json
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["id"].as_str().unwrap().into(),
                    a["title"].as_str().unwrap().into(),
                )
            })
            .collect();
        all.sort();
        all
    };
    let truth = titles(&reg);
    assert_eq!(truth.len(), 2);
    let path = reg.path().join(".git/practice-digests.json");
    let file = std::fs::read_to_string(&path).unwrap();
    let (check, json) = file.split_once('\n').unwrap();
    // Its first line is git's blob id of the rest.
    assert_eq!(with_check(&reg, json), file);

    // Edited by hand, the cache fails its check and is made again.
    std::fs::write(
        &path,
        format!("{check}\n{}", json.replace("First scheme", "Forged")),
    )
    .unwrap();
    assert_eq!(titles(&reg), truth);
    let rebuilt = std::fs::read_to_string(&path).unwrap();
    assert!(!rebuilt.contains("Forged"), "{rebuilt}");

    // With its check made good, one activity's digest filed under the
    // other's key is still not taken for it.
    let mut cache: serde_json::Value =
        serde_json::from_str(rebuilt.split_once('\n').unwrap().1).unwrap();
    let entries = cache["entries"].as_object_mut().unwrap();
    let a = entries[&first][1].clone();
    let b = entries[&second][1].clone();
    entries.get_mut(&first).unwrap()[1] = b;
    entries.get_mut(&second).unwrap()[1] = a;
    std::fs::write(&path, with_check(&reg, &cache.to_string())).unwrap();
    assert_eq!(titles(&reg), truth);
}

const IMPORTED: &str = "\
title: Railway Guardian
summary: ''
organisations: [btp]
topic: Violence against women and girls
kind: smarter-practice
rating: smarter-practice
published: { on: 2026-11-26, by: { name: Sam Editor, email: sam.editor@college.police.uk } }
imported: { source: the College's smarter practice page }
";

#[test]
fn editors_import_entries_published_before_the_register() {
    let reg = Reg::with_roster();
    let file = reg.write_outside("rg.yaml", IMPORTED);
    let file = file.to_str().unwrap();
    reg.refused(SUBMITTER, &["import", "--file", file]);
    let id = reg
        .ok(EDITOR, &["import", "--file", file])
        .trim()
        .to_string();
    assert_eq!(id, "railway-guardian-british-transport-police");
    assert_eq!(reg.trailer("HEAD", "Action"), "import");
    let entry = reg.read(&format!("published/{id}.yaml"));
    assert!(entry.contains("- British Transport Police"), "{entry}");
    assert!(entry.contains("source: the College's smarter practice page"));
    assert!(entry.contains("email: sam.editor@college.police.uk"));
    assert_eq!(reg.stage(&id), "published");
    reg.practice(EDITOR, &["show", &id])
        .assert()
        .success()
        .stdout(predicate::str::contains("imported").and(predicate::str::contains("not written")));
    let line = reg.refused(EDITOR, &["import", "--file", file]);
    assert!(line.contains("already in the register"), "{line}");
    let bare = reg.write_outside(
        "bare.yaml",
        &IMPORTED.replace(
            "imported: { source: the College's smarter practice page }\n",
            "",
        ),
    );
    let line = reg.refused(
        EDITOR,
        &["import", "--file", bare.to_str().unwrap(), "--id", "other"],
    );
    assert!(line.contains("`imported` block"), "{line}");
    assert_eq!(reg.audit().0, 0, "{:?}", reg.audit().1);
}

#[test]
fn a_round_that_cannot_end_is_undecided_and_an_editor_reopens_it() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    // Two recusals and two suitable, where three must find it suitable.
    for (i, (_, who)) in REVIEWERS.iter().enumerate() {
        let decision = if i < 2 { "recuse" } else { "suitable" };
        reg.ok(
            *who,
            &[
                "review",
                &id,
                "--decision",
                decision,
                "--comment",
                "So decided.",
            ],
        );
    }
    assert_eq!(reg.stage(&id), "undecided");
    let listed = reg.ok(EDITOR, &["list", "--stage", "undecided", "--json"]);
    assert!(listed.contains(&id), "{listed}");
    // It is in the editors' inbox, and in no reviewer's.
    let inbox: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["inbox", "--json"])).unwrap();
    assert_eq!(
        inbox["editor"]["undecided"][0]["id"],
        id.as_str(),
        "{inbox}"
    );
    let (_, pat) = REVIEWERS[1];
    let theirs = reg.ok(pat, &["inbox", "--json"]);
    assert!(!theirs.contains(&id), "{theirs}");
    // Only an editor reopens, with a reason, and only an undecided round.
    let line = reg.refused(pat, &["reopen", &id, "--reason", "Again.", "--yes"]);
    assert!(line.contains("only editors may"), "{line}");
    reg.ok(
        EDITOR,
        &[
            "reopen",
            &id,
            "--reason",
            "Two partners recused; asking again.",
            "--yes",
        ],
    );
    assert_eq!(reg.trailer("HEAD", "Action"), "reopen");
    assert_eq!(reg.trailer("HEAD", "Round"), "2");
    assert_eq!(
        reg.changed("HEAD"),
        [format!("reviews/{id}/round-2/.gitkeep")]
    );
    assert_eq!(reg.stage(&id), "submitted");
    assert_eq!(reg.show(&id)["round"], 2);
    let line = reg.refused(EDITOR, &["reopen", &id, "--reason", "Again.", "--yes"]);
    assert!(line.contains("only an undecided round"), "{line}");
    let (code, findings) = reg.audit();
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

#[test]
fn an_import_is_marked_as_one_and_cannot_be_dated_after_itself() {
    let reg = Reg::with_roster();
    let later = IMPORTED.replace("2026-11-26", "2099-01-01");
    let file = reg.write_outside("later.yaml", &later);
    let line = reg.refused(EDITOR, &["import", "--file", file.to_str().unwrap()]);
    assert!(line.contains("after today"), "{line}");
    let file = reg.write_outside("rg.yaml", IMPORTED);
    let id = reg.ok(EDITOR, &["import", "--file", file.to_str().unwrap()]);
    let id = id.trim();
    // list marks it, in the table and in JSON.
    let table = reg.ok(EDITOR, &["list"]);
    assert!(table.contains("published (imported)"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["list", "--json"])).unwrap();
    assert_eq!(json[0]["imported"], true);
    // Dated after its import by hand: the audit finds it.
    let clone = reg.clone_register();
    let path = format!("published/{id}.yaml");
    clone.write(
        &path,
        &clone.read(&path).replace("2026-11-26", "2099-01-01"),
    );
    let second = format!("{id}-again");
    std::fs::rename(
        clone.file(&path),
        clone.file(&format!("published/{second}.yaml")),
    )
    .unwrap();
    clone.commit_by_hand(
        EDITOR,
        &format!("import {second}: Railway Guardian\n\nPractice-Id: {second}\nAction: import\n"),
    );
    let (_, findings) = clone.audit();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"import-date"), "{findings:?}");
}
