//! Signed actions end to end: keys made by `ssh-keygen`, each person with a
//! git configuration of their own (a `HOME` per person) that signs with
//! their key, the built binary acting, and plain git (`verify-commit`,
//! `%G?`) checking what it wrote. Then the forgeries an attacker would try,
//! each made with plain git and each caught by `practice audit`.

mod common;

use std::path::{Path, PathBuf};

use common::signer::Signer;
use common::*;
use tempfile::TempDir;

/// The people of a register, each with a key.
struct People {
    editor: Signer,
    reviewers: Vec<(&'static str, Signer)>,
    submitter: Signer,
}

fn people() -> People {
    People {
        editor: Signer::new(EDITOR, "ed25519"),
        reviewers: REVIEWERS
            .iter()
            // One partner's reviewer signs with ECDSA, the rest Ed25519.
            .map(|(p, who)| {
                (
                    *p,
                    Signer::new(*who, if *p == "hmicfrs" { "ecdsa" } else { "ed25519" }),
                )
            })
            .collect(),
        submitter: Signer::new(SUBMITTER, "ed25519"),
    }
}

impl People {
    fn reviewer(&self, partner: &str) -> &Signer {
        &self
            .reviewers
            .iter()
            .find(|(p, _)| *p == partner)
            .unwrap()
            .1
    }

    /// Git's `allowed_signers` for everyone's first key.
    fn allowed_signers(&self, dir: &Path) -> PathBuf {
        let mut text = String::new();
        for s in std::iter::once(&self.editor).chain(self.reviewers.iter().map(|(_, s)| s)) {
            text.push_str(&format!(
                "{} namespaces=\"git\" {}\n",
                s.who.email,
                s.public("id")
            ));
        }
        let path = dir.join("allowed_signers");
        std::fs::write(&path, text).unwrap();
        path
    }
}

/// A register made by the editor's signed `init`, with every reviewer's
/// key on the roster and signatures required.
fn signed_register(people: &People) -> Reg {
    let reviewers: Vec<_> = people.reviewers.iter().map(|(p, s)| (*p, s)).collect();
    common::signer::signed_register(&people.editor, &reviewers)
}

/// Fill the sections a draft leaves empty and pass the report back, as `editor`.
fn complete_report(reg: &Reg, editor: &Signer, id: &str) {
    let path = format!("submissions/{id}/report.yaml");
    let text = reg
        .read(&path)
        .replace("learning: ''", "learning: Start with one shift pattern.")
        .replace("resources: ''", "resources: A video platform licence.")
        .replace("impact: ''", "impact: Victims reached in minutes.");
    reg.write(&path, &text);
    editor.ok(reg.path(), &["write-up", id, "--file", &path]);
}

fn rules(findings: &[serde_json::Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// `%G?` of every commit, newest first, checked by plain git with `signers`.
fn git_verdicts(reg: &Reg, signers: &Path) -> Vec<String> {
    let allowed = format!("gpg.ssh.allowedSignersFile={}", signers.display());
    reg.git(&["-c", &allowed, "log", "--format=%G? %ae"])
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn every_action_is_signed_and_plain_git_verifies_it() {
    let people = people();
    let reg = signed_register(&people);
    // The init recorded the editor's key and is signed with it.
    let config = reg.read("register.yaml");
    assert!(
        config.contains(people.editor.public("id").split(' ').nth(1).unwrap()),
        "{config}"
    );
    assert!(config.contains("signatures: required"), "{config}");
    let listed = people.editor.ok(reg.path(), &["roster", "list"]);
    for (_, s) in &people.reviewers {
        assert!(listed.contains(&s.fingerprint("id")), "{listed}");
    }
    // A submitter is on no roster: an unsigned submission is theirs to make.
    let submitter = &people.submitter;
    let sample = reg.sample_file(SAMPLE_TITLE);
    submitter.stop_signing();
    let id = submitter
        .ok(reg.path(), &["submit", "--file", sample.to_str().unwrap()])
        .trim()
        .to_string();
    assert_eq!(id, SAMPLE_ID);
    for (_, s) in &people.reviewers {
        s.ok(reg.path(), &["review", SAMPLE_ID, "--decision", "suitable"]);
    }
    people.editor.ok(reg.path(), &["write-up", SAMPLE_ID]);
    complete_report(&reg, &people.editor, SAMPLE_ID);
    people.editor.ok(reg.path(), &["publish", SAMPLE_ID]);

    // The roster's own export, and one written by hand, say the same.
    let scratch = TempDir::new().unwrap();
    let exported = scratch.path().join("exported");
    people.editor.ok(
        reg.path(),
        &[
            "roster",
            "allowed-signers",
            "--out",
            exported.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains("namespaces=\"git\",valid-after=\""), "{text}");
    assert_eq!(text.lines().count(), 5, "{text}");
    assert_eq!(
        git_verdicts(&reg, &exported),
        git_verdicts(&reg, &people.allowed_signers(scratch.path()))
    );
    let signers = exported;
    let verdicts = git_verdicts(&reg, &signers);
    for line in &verdicts {
        let (verdict, email) = line.split_once(' ').unwrap();
        let expected = if email == SUBMITTER.email { "N" } else { "G" };
        assert_eq!(verdict, expected, "{verdicts:?}");
    }
    let allowed = format!("gpg.ssh.allowedSignersFile={}", signers.display());
    for commit in reg.git(&["log", "--format=%H", "--author", "npcc"]).lines() {
        reg.git(&["-c", &allowed, "verify-commit", commit]);
    }
    // history says what each signature proves, with the key's fingerprint.
    let history: Vec<serde_json::Value> =
        serde_json::from_str(&people.editor.ok(reg.path(), &["history", "--json"])).unwrap();
    for e in &history {
        let email = e["actor"]["email"].as_str().unwrap();
        if email == SUBMITTER.email {
            assert_eq!(e["signature"], "unsigned", "{e}");
        } else {
            assert_eq!(e["signature"], "verified", "{e}");
        }
    }
    // show says it of each sign-off, with the commit that recorded it.
    let shown: serde_json::Value =
        serde_json::from_str(&people.editor.ok(reg.path(), &["show", SAMPLE_ID, "--json"]))
            .unwrap();
    let sign_offs = shown["rounds"][0]["sign_offs"].as_array().unwrap();
    assert_eq!(sign_offs.len(), 4);
    for so in sign_offs {
        let s = people.reviewer(so["partner"].as_str().unwrap());
        assert_eq!(so["signature"], "verified", "{so}");
        assert_eq!(so["fingerprint"], s.fingerprint("id").as_str(), "{so}");
        let commit = so["commit"].as_str().unwrap();
        assert_eq!(
            reg.git(&["log", "-1", "--format=%ae", commit]).trim(),
            s.who.email
        );
    }
    let table = people.editor.ok(reg.path(), &["show", SAMPLE_ID]);
    assert!(
        table.contains(&format!(
            "verified {}",
            people.reviewer("iopc").fingerprint("id")
        )),
        "{table}"
    );
    let pat = people.reviewer("npcc");
    let review = history
        .iter()
        .find(|e| e["actor"]["email"] == pat.who.email)
        .unwrap();
    assert_eq!(review["fingerprint"], pat.fingerprint("id").as_str());
    let unsigned: Vec<serde_json::Value> = serde_json::from_str(
        &people
            .editor
            .ok(reg.path(), &["history", "--unsigned", "--json"]),
    )
    .unwrap();
    assert_eq!(unsigned.len(), 1, "only the submission: {unsigned:?}");
    assert_eq!(unsigned[0]["action"], "submit");
    let (code, findings) = reg.audit();
    assert_eq!((code, rules(&findings)), (0, vec![]), "{findings:?}");

    // The audit names where the chain of authority starts, for an auditor
    // to pin, and holds a history to it.
    let init = reg
        .git(&["rev-list", "--max-parents=0", "HEAD"])
        .trim()
        .to_string();
    let out = people.editor.practice(reg.path(), &["audit", "--full"]);
    let said = String::from_utf8_lossy(&out.stderr);
    let signer = people.editor.fingerprint("id");
    assert!(
        said.contains(&format!("init commit {init}, signed by {signer}")),
        "{said}"
    );
    people.editor.ok(reg.path(), &["audit", "--root", &init]);
    let json: serde_json::Value =
        serde_json::from_str(&people.editor.ok(reg.path(), &["audit", "--json"])).unwrap();
    assert_eq!(json["init"]["commit"], init.as_str());
    assert_eq!(json["init"]["signer"], signer.as_str());
    let other = reg.git(&["rev-parse", "HEAD~1"]);
    let out = people
        .editor
        .practice(reg.path(), &["audit", "--json", "--root", other.trim()]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["rule"], "root", "{json}");
    // The same register started again elsewhere is another history.
    let again = Reg::empty();
    people.editor.ok(again.path(), &["init"]);
    let line = people.editor.refused(&again, &["audit", "--root", &init]);
    assert!(line.contains("does not start there"), "{line}");
}

fn sign_off(partner: &str, decision: &str, who: Who) -> String {
    format!(
        "practice: {SAMPLE_ID}\nround: 1\npartner: {partner}\ndecision: {decision}\nreviewer: {{ name: {}, email: {} }}\nsigned_at: {}\ncomment: By hand.\n",
        who.name,
        who.email,
        now()
    )
}

fn review_message(partner: &str, decision: &str) -> String {
    format!(
        "review {SAMPLE_ID}: {partner} {decision} (round 1)\n\nPractice-Id: {SAMPLE_ID}\nAction: review\nPartner: {partner}\nDecision: {decision}\nRound: 1\n"
    )
}

/// In `clone`, write `partner`'s sign-off in `who`'s name and commit it with
/// plain git as `who`, through `by`'s git (which signs when `sign`).
fn forge_review(clone: &Reg, by: &Signer, who: Who, partner: &str, sign: bool) {
    clone.write(
        &format!("reviews/{SAMPLE_ID}/round-1/{partner}.yaml"),
        &sign_off(partner, "suitable", who),
    );
    let name = format!("user.name={}", who.name);
    let email = format!("user.email={}", who.email);
    let message = review_message(partner, "suitable");
    let mut args = vec!["-c", &name, "-c", &email, "commit", "-q", "-m", &message];
    if sign {
        args.push("-S");
    } else {
        args.push("--no-gpg-sign");
    }
    for args in [&["add", "-A"][..], &args[..]] {
        let out = by.git(clone.path(), args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The audit of `clone`: its exit code and the rules its findings name.
fn audited(clone: &Reg) -> (i32, Vec<String>, String) {
    let (code, findings) = clone.audit();
    let said = serde_json::to_string(&findings).unwrap();
    (code, rules(&findings), said)
}

/// A register in which the sample activity awaits every partner.
fn submitted(people: &People) -> Reg {
    let reg = signed_register(people);
    people.submitter.stop_signing();
    let sample = reg.sample_file(SAMPLE_TITLE);
    people
        .submitter
        .ok(reg.path(), &["submit", "--file", sample.to_str().unwrap()]);
    reg
}

#[test]
fn forgeries_made_with_plain_git_are_caught_by_the_audit() {
    let people = people();
    let reg = submitted(&people);
    let pat = people.reviewer("npcc");
    let stranger = Signer::new(STRANGER, "ed25519");

    // Someone on no list takes a reviewer's email: the tool refuses, and a
    // commit made by hand, unsigned, is caught.
    let line = stranger.refused(
        &reg,
        &[
            "review",
            SAMPLE_ID,
            "--decision",
            "suitable",
            "--partner",
            "npcc",
        ],
    );
    assert!(line.contains("only npcc's listed reviewers may"), "{line}");
    let clone = reg.clone_register();
    forge_review(&clone, &stranger, pat.who, "npcc", false);
    let (code, found, said) = audited(&clone);
    assert_eq!((code, found), (1, vec!["signature".to_string()]), "{said}");
    assert!(said.contains("acted unsigned"), "{said}");

    // The same, signed with the stranger's own key.
    let clone = reg.clone_register();
    forge_review(&clone, &stranger, pat.who, "npcc", true);
    let (code, found, said) = audited(&clone);
    assert_eq!((code, found), (1, vec!["signature".to_string()]), "{said}");
    assert!(said.contains(&stranger.fingerprint("id")), "{said}");
    let csv = people
        .editor
        .ok(clone.path(), &["history", "--unsigned", "--csv"]);
    let forged = csv.lines().nth(1).unwrap();
    assert!(
        forged.contains(",unknown-key,") && forged.ends_with(&stranger.fingerprint("id")),
        "{csv}"
    );
    assert!(said.contains(&pat.fingerprint("id")), "{said}");

    // One reviewer signs, as themselves, another partner's decision in a
    // third reviewer's name: the key names who really signed.
    let kim = people.reviewer("hmicfrs");
    let clone = reg.clone_register();
    forge_review(&clone, kim, pat.who, "npcc", true);
    let (_, found, said) = audited(&clone);
    assert!(found.contains(&"signer".to_string()), "{said}");
}

#[test]
fn a_signed_commit_changed_afterwards_is_caught() {
    let people = people();
    let reg = submitted(&people);
    let pat = people.reviewer("npcc");
    pat.ok(reg.path(), &["review", SAMPLE_ID, "--decision", "suitable"]);
    let head = reg.head();
    let object = reg.git(&["cat-file", "commit", &head]);
    assert!(
        object.contains("gpgsig -----BEGIN SSH SIGNATURE-----"),
        "{object}"
    );
    // Its message, then its tree, altered with the signature left in place.
    let parent_tree = reg.git(&["rev-parse", "HEAD~1^{tree}"]);
    let tree = reg.git(&["rev-parse", "HEAD^{tree}"]);
    for altered in [
        object.replace("suitable (round 1)", "suitable (round 1), with conditions"),
        object.replace(
            &format!("tree {}", tree.trim()),
            &format!("tree {}", parent_tree.trim()),
        ),
    ] {
        assert_ne!(altered, object);
        let clone = reg.clone_register();
        let out = clone
            .command("git")
            .current_dir(clone.path())
            .args(["hash-object", "-t", "commit", "-w", "--stdin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write as _;
                child.stdin.take().unwrap().write_all(altered.as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        let forged = String::from_utf8(out.stdout).unwrap();
        clone.git(&["reset", "-q", "--hard", forged.trim()]);
        let (_, found, said) = audited(&clone);
        assert!(found.contains(&"signature".to_string()), "{said}");
        assert!(said.contains("changed after it was signed"), "{said}");
    }
}

#[test]
fn a_rotated_or_removed_key_signs_nothing_after_but_keeps_what_it_signed() {
    let people = people();
    let reg = submitted(&people);
    let pat = people.reviewer("npcc");
    pat.ok(
        reg.path(),
        &[
            "review",
            SAMPLE_ID,
            "--decision",
            "more-information",
            "--comment",
            "Costs?",
        ],
    );
    // The editor rotates Pat's key; Pat's git still signs with the old one.
    pat.new_key("new", "ed25519");
    people.editor.ok(
        reg.path(),
        &[
            "roster",
            "key",
            "--email",
            pat.who.email,
            "--key",
            &pat.pub_path("new"),
        ],
    );
    let line = pat.refused(&reg, &["review", SAMPLE_ID, "--decision", "suitable"]);
    assert!(
        line.contains(&pat.fingerprint("id")) && line.contains(&pat.fingerprint("new")),
        "{line}"
    );
    // The old key, used by hand after the rotation, is caught.
    let clone = reg.clone_register();
    forge_review(&clone, pat, pat.who, "npcc", true);
    let (_, found, said) = audited(&clone);
    assert_eq!(found, ["signature"], "{said}");
    // With the new key Pat acts again, and what the old key signed while it
    // was Pat's stays sound.
    pat.use_key("new");
    pat.ok(reg.path(), &["review", SAMPLE_ID, "--decision", "suitable"]);
    let (code, found, said) = audited(&reg);
    assert_eq!((code, found), (0, vec![]), "{said}");
    // Plain git agrees, from the roster's export: both of Pat's keys, each
    // for its own period.
    let scratch = TempDir::new().unwrap();
    let exported = scratch.path().join("allowed");
    let text = people.editor.ok(reg.path(), &["roster", "allowed-signers"]);
    std::fs::write(&exported, &text).unwrap();
    let pats: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(pat.who.email))
        .collect();
    assert_eq!(pats.len(), 2, "{text}");
    assert!(
        pats[0].contains("valid-before=") && !pats[1].contains("valid-before="),
        "{text}"
    );
    for line in git_verdicts(&reg, &exported) {
        let (verdict, email) = line.split_once(' ').unwrap();
        let expected = if email == SUBMITTER.email { "N" } else { "G" };
        assert_eq!(verdict, expected, "{line}: {text}");
    }

    // A reviewer taken off the roster signs nothing that counts.
    let ray = people.reviewer("iopc");
    people
        .editor
        .ok(reg.path(), &["roster", "remove", "--email", ray.who.email]);
    let line = ray.refused(&reg, &["review", SAMPLE_ID, "--decision", "suitable"]);
    assert!(line.contains("you are on no partner's list"), "{line}");
    let clone = reg.clone_register();
    forge_review(&clone, ray, ray.who, "iopc", true);
    let (_, found, said) = audited(&clone);
    assert!(found.contains(&"authority".to_string()), "{said}");
}

#[test]
fn turning_signatures_off_is_itself_a_signed_action() {
    let people = people();
    let reg = submitted(&people);
    // Unsigned, the editor cannot act at all in a register that requires
    // signatures, and says how to set signing up.
    let unsigned = Signer::new(EDITOR, "ed25519");
    unsigned.stop_signing();
    let line = unsigned.refused(&reg, &["roster", "signatures", "optional"]);
    assert!(line.contains("git config gpg.format ssh"), "{line}");
    // By hand: signatures: optional and an unsigned roster commit, at once.
    let clone = reg.clone_register();
    let config = clone
        .read("register.yaml")
        .replace("signatures: required", "signatures: optional");
    clone.write("register.yaml", &config);
    clone.commit_by_hand(
        EDITOR,
        "roster: signatures optional\n\nAction: roster\nChange: signatures\nSignatures: optional\n",
    );
    let (_, found, said) = audited(&clone);
    assert_eq!(found, ["signature"], "{said}");
    // Through the tool, signed, it is sound; after it, the unsigned may act.
    people
        .editor
        .ok(reg.path(), &["roster", "signatures", "optional"]);
    let (code, found, said) = audited(&reg);
    assert_eq!((code, found), (0, vec![]), "{said}");
}

#[test]
fn sync_signs_each_replayed_action_again_or_stops() {
    let people = people();
    let reg = submitted(&people);
    let scratch = TempDir::new().unwrap();
    let remote = scratch.path().join("remote.git");
    reg.git(&["clone", "-q", "--bare", ".", remote.to_str().unwrap()]);
    let (pat, ray, kim) = (
        people.reviewer("npcc"),
        people.reviewer("iopc"),
        people.reviewer("hmicfrs"),
    );
    let here = Reg::clone_of(&remote);
    let there = Reg::clone_of(&remote);
    pat.ok(
        here.path(),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
    ray.ok(
        there.path(),
        &["review", SAMPLE_ID, "--decision", "suitable"],
    );
    pat.ok(here.path(), &["sync"]);
    // Ray's action must be replayed on top of Pat's: only Ray's key can
    // sign it again, so anyone else's sync stops before pushing.
    let before = there.snapshot();
    let out = kim.practice(there.path(), &["sync"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(&ray.fingerprint("id")) && said.contains("nothing was pushed"),
        "{said}"
    );
    assert_eq!(there.snapshot(), before);
    ray.ok(there.path(), &["sync"]);

    // Every action on the remote is signed, and plain git says so.
    let fresh = Reg::clone_of(&remote);
    let signers = people.allowed_signers(scratch.path());
    let verdicts = git_verdicts(&fresh, &signers);
    assert_eq!(
        fresh.git(&["log", "-1", "--format=%ae"]).trim(),
        ray.who.email
    );
    for line in &verdicts {
        let (verdict, email) = line.split_once(' ').unwrap();
        let expected = if email == SUBMITTER.email { "N" } else { "G" };
        assert_eq!(verdict, expected, "{verdicts:?}");
    }
    let (code, found, said) = audited(&fresh);
    assert_eq!((code, found), (0, vec![]), "{said}");
}

#[test]
fn a_signed_submission_makes_its_key_the_submitters_own() {
    let people = people();
    let reg = signed_register(&people);
    let jo = &people.submitter;
    jo.sign_always();
    let sample = reg.sample_file(SAMPLE_TITLE);
    jo.ok(reg.path(), &["submit", "--file", sample.to_str().unwrap()]);
    assert!(reg.git(&["cat-file", "commit", "HEAD"]).contains("gpgsig"));
    // Amended with the same key: signed, and sound.
    jo.ok(
        reg.path(),
        &[
            "amend",
            SAMPLE_ID,
            "--evidence",
            "An evaluation is under way.",
        ],
    );
    assert!(reg.git(&["cat-file", "commit", "HEAD"]).contains("gpgsig"));
    // With another key, or none, the submitter is refused.
    jo.new_key("other", "ed25519");
    jo.use_key("other");
    jo.sign_always();
    let line = jo.refused(
        &reg,
        &["withdraw", SAMPLE_ID, "--reason", "Ended.", "--yes"],
    );
    assert!(
        line.contains(&jo.fingerprint("id")) && line.contains(&jo.fingerprint("other")),
        "{line}"
    );
    jo.stop_signing();
    let line = jo.refused(&reg, &["amend", SAMPLE_ID, "--evidence", "More."]);
    assert!(line.contains("git config gpg.format ssh"), "{line}");
    let (code, found, said) = audited(&reg);
    assert_eq!((code, found), (0, vec![]), "{said}");
    // By hand, unsigned, in the submitter's name: caught.
    let clone = reg.clone_register();
    let path = format!("submissions/{SAMPLE_ID}/activity.yaml");
    let text = clone
        .read(&path)
        .replace("An evaluation is under way.", "Forged.");
    clone.write(&path, &text);
    clone.commit_by_hand(
        SUBMITTER,
        &format!(
            "amend {SAMPLE_ID} (round 1)\n\nPractice-Id: {SAMPLE_ID}\nAction: amend\nRound: 1\n"
        ),
    );
    let (_, found, said) = audited(&clone);
    assert_eq!(found, ["signature"], "{said}");
    assert!(said.contains("submitted signed with"), "{said}");
}
