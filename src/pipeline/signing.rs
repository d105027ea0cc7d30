//! Whose signature an action needs, and what a signature proves. Like every
//! rule of authority, judged by the roster as it stood before the action.
//!
//! - A register that says `signatures: required` needs every action by a
//!   reviewer or an editor signed by the key the roster lists for them.
//! - A key on the roster is a promise to sign: whatever the register says,
//!   an action by someone the roster lists with a key is signed by that key.
//!   (`optional` lets people without a key act unsigned.)
//! - A signature made with a roster key says who acted: it must be the
//!   author's and committer's own.
//! - A signature that does not match its commit is always a finding: the
//!   commit was changed after it was signed.

use crate::model::{Person, RegisterConfig};
use crate::signature::{RosterKey, SETUP, Seal};
use crate::{Error, Result};

/// Whether an action by `actor` is to be signed, given the key their git
/// configuration signs with (`configured`) and whether they asked for
/// signing anyway (`commit.gpgsign`). A refusal when it must be signed and
/// cannot be, or would be signed by a key that is not theirs on the roster.
pub fn must_sign(
    config: &RegisterConfig,
    actor: &Person,
    configured: Option<&RosterKey>,
    asked: bool,
) -> Result<bool> {
    let theirs = config.key_of(&actor.email);
    let required = config.requires_signatures() && config.on_roster(&actor.email);
    match (&theirs, configured) {
        (Some(theirs), Some(mine)) if !theirs.same_key(mine) => Err(Error::bad(format!(
            "your git signs with {mine}, but the roster's key for {} is {theirs}; sign with that key (`git config user.signingkey …`), or ask an editor to run `practice roster key --email {} --key YOUR.pub`",
            actor.email, actor.email
        ))),
        (Some(_), Some(_)) => Ok(true),
        (Some(theirs), None) => Err(Error::bad(format!(
            "the roster lists your key {theirs}, so your actions are signed, but git has no signing key set up; run `{SETUP}`"
        ))),
        (None, _) if required => Err(Error::bad(format!(
            "this register requires signed actions, and the roster lists no key for {}; an editor adds yours with `practice roster key --email {} --key YOUR.pub`",
            actor.email, actor.email
        ))),
        (None, configured) => Ok(asked && configured.is_some()),
    }
}

/// A submitter who signed their submission signs their later amendments
/// and withdrawal with the same key: it is who they are from then on. A
/// refusal when `configured` (the key their git signs with) is not it.
pub fn as_submitter(submitted_with: &RosterKey, configured: Option<&RosterKey>) -> Result<()> {
    match configured {
        Some(mine) if mine.same_key(submitted_with) => Ok(()),
        Some(mine) => Err(Error::bad(format!(
            "you submitted this activity signed with {submitted_with}, so its amendments and withdrawal are signed with that key too, but your git signs with {mine}; set user.signingkey to it"
        ))),
        None => Err(Error::bad(format!(
            "you submitted this activity signed with {submitted_with}, so its amendments and withdrawal are signed with that key too, but git has no signing key set up; run `{SETUP}`"
        ))),
    }
}

/// What is wrong with the signature of a submitter's amendment or
/// withdrawal, when the submission was signed with `submitted_with`.
pub fn judge_submitter(submitted_with: &RosterKey, seal: &Seal) -> Option<(&'static str, String)> {
    match seal {
        Seal::Ssh {
            key,
            verified: true,
        } if key.same_key(submitted_with) => None,
        Seal::Ssh {
            verified: false, ..
        } => None, // found by `judge` already
        _ => Some((
            "signature",
            format!(
                "the activity was submitted signed with {submitted_with}, but its submitter's action is not signed with that key"
            ),
        )),
    }
}

/// What is wrong with the signature of an action by `author`, committed by
/// `committer`, judged by `config` (the roster before the action; for
/// `init`, the register it writes): a rule and a message for each fault.
pub fn judge(
    config: &RegisterConfig,
    author: &Person,
    committer: &Person,
    seal: &Seal,
) -> Vec<(&'static str, String)> {
    let theirs = config.key_of(&author.email);
    let required = config.requires_signatures() && config.on_roster(&author.email);
    let mut found = Vec::new();
    match seal {
        Seal::Unsigned => {
            if let Some(key) = &theirs {
                found.push((
                    "signature",
                    format!("{author} acted unsigned, but the roster lists their key {key}"),
                ));
            } else if required {
                found.push((
                    "signature",
                    format!("{author} acted unsigned, but the register requires signed actions"),
                ));
            }
        }
        Seal::Unreadable(why) => {
            if required || theirs.is_some() {
                found.push((
                    "signature",
                    format!("{why}, which cannot be checked; {author}'s actions must carry an SSH signature"),
                ));
            }
        }
        Seal::Ssh {
            verified: false, ..
        } => found.extend(tampered(seal)),
        Seal::Ssh {
            key,
            verified: true,
        } => match config.owner_of(key) {
            Some(owner)
                if owner.person().same_email(&author.email)
                    && !owner.person().same_email(&committer.email) =>
            {
                found.push((
                    "signer",
                    format!(
                        "signed with {}'s key {key} but committed by {committer}",
                        owner.person()
                    ),
                ));
            }
            Some(owner) if owner.person().same_email(&author.email) => {}
            Some(owner) => found.push((
                "signer",
                format!(
                    "signed with {}'s key {key} but the author is {author}",
                    owner.person()
                ),
            )),
            None if theirs.is_some() || required => found.push((
                "signature",
                format!(
                    "signed with {key}, which is not the key the roster listed for {author} ({})",
                    theirs.map_or_else(|| "none".to_string(), |k| k.to_string())
                ),
            )),
            // Someone the roster does not know (a submitter), signed by a
            // key it does not know: it proves nothing, and breaks nothing.
            None => {}
        },
    }
    found
}

crate::model::vocabulary!(
    /// What a commit's signature proves of its author, as `history` and
    /// `show` say it.
    Status, "signature status" {
        Verified => "verified",
        Unsigned => "unsigned",
        Bad => "bad",
        UnknownKey => "unknown-key",
    }
);

/// What the signature `seal` on an action by `author` proves, judged by
/// the roster in `config` (the parent's; for `init`, its own), and the
/// fingerprint of the key that made it.
pub fn status(config: &RegisterConfig, author: &Person, seal: &Seal) -> (Status, Option<String>) {
    match seal {
        Seal::Unsigned => (Status::Unsigned, None),
        Seal::Unreadable(_) => (Status::UnknownKey, None),
        Seal::Ssh {
            verified: false,
            key,
        } => (Status::Bad, Some(key.fingerprint())),
        Seal::Ssh {
            verified: true,
            key,
        } => {
            let theirs = config.key_of(&author.email);
            let status = if theirs.is_some_and(|k| k.same_key(key)) {
                Status::Verified
            } else {
                Status::UnknownKey
            };
            (status, Some(key.fingerprint()))
        }
    }
}

/// The finding for a signature that does not match its commit, whatever
/// the commit records: it was changed after it was signed.
pub fn tampered(seal: &Seal) -> Option<(&'static str, String)> {
    matches!(
        seal,
        Seal::Ssh {
            verified: false,
            ..
        }
    )
    .then(|| {
        (
            "signature",
            "its signature does not match the commit: the commit was changed after it was signed"
                .to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RosterEntry, Signatures};

    fn key(n: u8) -> RosterKey {
        let bytes = [n; 32];
        let data = ssh_key::public::KeyData::Ed25519(ssh_key::public::Ed25519PublicKey(bytes));
        let line = ssh_key::PublicKey::new(data, "").to_openssh().unwrap();
        RosterKey::parse(&line).unwrap()
    }

    fn pat() -> Person {
        Person::new("Pat Chief", "pat@npcc.police.uk")
    }

    fn config(pat_key: Option<&RosterKey>, required: bool) -> RegisterConfig {
        let mut c =
            RegisterConfig::new_default(&Person::new("Sam Editor", "sam@college.police.uk"));
        c.partners[1].reviewers.push(RosterEntry {
            name: "Pat Chief".into(),
            email: "pat@npcc.police.uk".into(),
            key: pat_key.map(RosterKey::to_line),
        });
        c.signatures = required.then_some(Signatures::Required);
        c
    }

    fn rules(c: &RegisterConfig, seal: &Seal) -> Vec<&'static str> {
        judge(c, &pat(), &pat(), seal)
            .into_iter()
            .map(|(r, _)| r)
            .collect()
    }

    #[test]
    fn a_roster_key_must_sign_and_required_needs_one() {
        let k = key(1);
        let c = config(Some(&k), false);
        assert!(must_sign(&c, &pat(), Some(&k), false).unwrap());
        let err = must_sign(&c, &pat(), Some(&key(2)), false).unwrap_err();
        assert!(err.to_string().contains(&k.fingerprint()), "{err}");
        assert!(err.to_string().contains(&key(2).fingerprint()), "{err}");
        let err = must_sign(&c, &pat(), None, false).unwrap_err();
        assert!(
            err.to_string().contains("git config gpg.format ssh"),
            "{err}"
        );
        let open = config(None, false);
        assert!(!must_sign(&open, &pat(), None, true).unwrap());
        assert!(must_sign(&open, &pat(), Some(&k), true).unwrap());
        assert!(!must_sign(&open, &pat(), Some(&k), false).unwrap());
        let required = config(None, true);
        assert!(must_sign(&required, &pat(), Some(&k), false).is_err());
        // A submitter is on no roster: never required.
        let jo = Person::new("Jo Bloggs", "jo@dorset.police.uk");
        assert!(!must_sign(&required, &jo, None, false).unwrap());
    }

    #[test]
    fn signatures_are_judged_by_the_roster_before_the_action() {
        let (k, other) = (key(1), key(2));
        let keyed = config(Some(&k), false);
        let good = |key: &RosterKey| Seal::Ssh {
            key: key.clone(),
            verified: true,
        };
        assert!(rules(&keyed, &good(&k)).is_empty());
        assert_eq!(rules(&keyed, &Seal::Unsigned), ["signature"]);
        assert_eq!(rules(&keyed, &good(&other)), ["signature"]);
        let altered = Seal::Ssh {
            key: k.clone(),
            verified: false,
        };
        assert_eq!(rules(&config(None, false), &altered), ["signature"]);
        let open = config(None, false);
        assert!(rules(&open, &Seal::Unsigned).is_empty());
        assert!(rules(&open, &good(&other)).is_empty());
        assert!(rules(&open, &Seal::Unreadable("OpenPGP".into())).is_empty());
        let required = config(None, true);
        assert_eq!(rules(&required, &Seal::Unsigned), ["signature"]);
        assert_eq!(
            rules(&required, &Seal::Unreadable("OpenPGP".into())),
            ["signature"]
        );
        // Signed with the editor's key in Pat's name.
        let mut both = config(Some(&k), false);
        both.editors[0].key = Some(other.to_line());
        assert_eq!(rules(&both, &good(&other)), ["signer"]);
        // Pat's key, but someone else committed it.
        let bot = Person::new("Build Bot", "bot@college.police.uk");
        let found = judge(&keyed, &pat(), &bot, &good(&k));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "signer");
    }
}
