//! The benchmark's generator writes registers the tool itself could have
//! written: its output passes `practice audit`, and signed, every commit
//! carries a signature that git itself verifies with the roster's keys.
//! (The benchmark's figures mean nothing if the register they are measured
//! on is not a real one.)

mod common;

#[path = "../benches/support/generate.rs"]
mod generate;

use common::*;

/// Every commit of `reg`, as `git log --format='%G? %ae'` with the roster's
/// keys exported as git reads them.
fn git_verdicts(reg: &Reg) -> Vec<String> {
    let signers = reg.outside("allowed-signers");
    let out = signers.to_str().unwrap();
    reg.ok(EDITOR, &["roster", "allowed-signers", "--out", out]);
    let allowed = format!("gpg.ssh.allowedSignersFile={out}");
    let log = reg.git(&["-c", &allowed, "log", "--format=%G? %ae"]);
    log.lines().map(str::to_string).collect()
}

#[test]
fn a_signed_register_is_signed_throughout_and_passes_the_audit() {
    let reg = Reg::empty();
    let made = generate::generate(reg.path(), 30, true).unwrap();
    assert_eq!(made.activities, 30);

    let (code, findings) = reg.audit();
    assert_eq!(code, 0, "{findings:#?}");
    assert!(findings.is_empty(), "{findings:#?}");
    let verdicts = git_verdicts(&reg);
    assert_eq!(verdicts.len(), made.commits);
    // Good by the roster's keys; the submitter, who is on no roster, signs
    // with a key git finds good but knows of no one it belongs to.
    for verdict in &verdicts {
        match verdict.split_once(' ').unwrap() {
            ("U", "jo.bloggs@dorset.police.uk") => {}
            ("G", email) if email != "jo.bloggs@dorset.police.uk" => {}
            _ => panic!("{verdict}: every commit is signed, by its author's key"),
        }
    }
    let config = reg.read("register.yaml");
    assert!(config.contains("signatures: required"), "{config}");

    // The publications name the signed sign-off commits, which are in
    // history: the audit checked that, and git finds each one.
    let history: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["history", "--json"])).unwrap();
    let actions = history.as_array().unwrap();
    assert_eq!(actions.len(), made.commits);
    for action in actions {
        let by_submitter = action["actor"]["email"] == "jo.bloggs@dorset.police.uk";
        let expected = if by_submitter {
            "unknown-key"
        } else {
            "verified"
        };
        assert_eq!(action["signature"], expected, "{action:#?}");
    }
    let published = reg.git(&["ls-tree", "--name-only", "HEAD", "published/"]);
    let first = published.lines().find(|l| l.ends_with(".yaml")).unwrap();
    let entry = reg.read(first);
    let commit = entry
        .lines()
        .find_map(|l| l.trim().strip_prefix("commit: "))
        .unwrap();
    let object = reg.git(&["cat-file", "commit", commit]);
    assert!(
        object.contains("\ngpgsig -----BEGIN SSH SIGNATURE-----"),
        "{object}"
    );

    let fsck = reg.git_output(&["fsck", "--strict", "--no-dangling"]);
    assert!(fsck.status.success(), "{fsck:?}");
}

#[test]
fn an_unsigned_register_passes_the_audit() {
    let reg = Reg::empty();
    let made = generate::generate(reg.path(), 30, false).unwrap();
    let (code, findings) = reg.audit();
    assert_eq!(code, 0, "{findings:#?}");
    assert!(findings.is_empty(), "{findings:#?}");
    let verdicts = git_verdicts(&reg);
    assert_eq!(verdicts.len(), made.commits);
    assert!(verdicts.iter().all(|v| v.starts_with("N ")), "{verdicts:?}");
}
