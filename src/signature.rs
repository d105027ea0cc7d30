//! Signed actions, the way git signs commits with `gpg.format=ssh`: an SSH
//! signature (namespace `git`) over the commit object, armoured in its
//! `gpgsig` header, so `git verify-commit`, GitHub and GitLab check the same
//! signature the audit checks.
//!
//! Three things live here: the keys the roster lists ([`RosterKey`]),
//! reading a commit's signature and verifying it in-process ([`Seal`]), and
//! making one through the person's own git configuration ([`Signer`]).
//! Signing is left to `ssh-keygen` (or whatever `gpg.ssh.program` names), so
//! passphrases, agents and security keys work as they do for git; checking
//! is done here, since an audit checks tens of thousands of commits.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use git2::{Oid, Repository};
use ssh_key::public::KeyData;
use ssh_key::{HashAlg, PublicKey, SshSig};

use crate::{Error, Result};

/// git's namespace for commit signatures.
const NAMESPACE: &str = "git";

/// The smallest RSA key the roster takes, in bits.
const MIN_RSA_BITS: usize = 3072;

/// An SSH public key, parsed and found strong enough for the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterKey(PublicKey);

impl RosterKey {
    /// One OpenSSH public key line (`ssh-ed25519 AAAA… comment`): Ed25519,
    /// ECDSA, their security-key forms, or RSA of at least 3072 bits.
    pub fn parse(line: &str) -> std::result::Result<RosterKey, String> {
        let line = line.trim();
        let key = PublicKey::from_openssh(line)
            .map_err(|e| format!("is not an OpenSSH public key line ({e})"))?;
        match key.key_data() {
            KeyData::Ed25519(_)
            | KeyData::Ecdsa(_)
            | KeyData::SkEd25519(_)
            | KeyData::SkEcdsaSha2NistP256(_) => Ok(RosterKey(key)),
            KeyData::Rsa(rsa) => {
                let bits = rsa.n.as_positive_bytes().map_or(0, significant_bits);
                if bits >= MIN_RSA_BITS {
                    Ok(RosterKey(key))
                } else {
                    Err(format!(
                        "is an RSA key of {bits} bits, weaker than the {MIN_RSA_BITS} the register takes; make an Ed25519 key with `ssh-keygen -t ed25519`"
                    ))
                }
            }
            _ => Err(format!(
                "is a {} key, which the register does not take; make an Ed25519 key with `ssh-keygen -t ed25519`",
                key.algorithm()
            )),
        }
    }

    /// The key's SHA256 fingerprint, as `ssh-keygen -l` shows it.
    pub fn fingerprint(&self) -> String {
        self.0.fingerprint(HashAlg::Sha256).to_string()
    }

    /// Whether `other` is the same key (comments aside).
    pub fn same_key(&self, other: &RosterKey) -> bool {
        self.0.key_data() == other.0.key_data()
    }

    /// The key as one line without its comment: what the roster stores.
    pub fn to_line(&self) -> String {
        let mut key = self.0.clone();
        key.set_comment("");
        key.to_openssh()
            .map(|line| line.trim_end().to_string())
            .unwrap_or_default()
    }
}

impl fmt::Display for RosterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fingerprint())
    }
}

/// How many bits a big-endian number without leading zero bytes has.
fn significant_bits(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(first) => bytes.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

/// A key given on the command line: the key line itself, or the path of a
/// `.pub` file holding it.
pub fn key_argument(text: &str) -> Result<RosterKey> {
    let line = if looks_like_key(text) {
        text.to_string()
    } else {
        let path = Path::new(text);
        std::fs::read_to_string(path).map_err(|e| {
            Error::bad(format!(
                "--key {text:?} is neither an SSH public key line nor a .pub file that can be read ({e}); pass `ssh-ed25519 AAAA…` or the path of your .pub file"
            ))
        })?
    };
    RosterKey::parse(&line).map_err(|m| Error::bad(format!("--key {m}")))
}

fn looks_like_key(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with("ssh-") || text.starts_with("ecdsa-") || text.starts_with("sk-")
}

/// What a commit carries in its `gpgsig` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seal {
    /// No signature.
    Unsigned,
    /// An SSH signature of the `git` namespace over the commit, made by
    /// `key`; `verified` when it matches the commit as it is.
    Ssh { key: RosterKey, verified: bool },
    /// A signature of a kind this tool cannot check (OpenPGP, X.509), or
    /// one that does not read; in words.
    Unreadable(String),
}

impl Seal {
    /// The seal of `commit`.
    pub fn of_commit(repo: &Repository, commit: &git2::Commit<'_>) -> Seal {
        // Most commits of an unsigned register carry no signature: the
        // parsed commit says so without the raw object being read and
        // inflated again.
        if commit.header_field_bytes("gpgsig").is_err() {
            return Seal::Unsigned;
        }
        let oid = commit.id();
        let (armour, signed) = match repo.extract_signature(&oid, None) {
            Ok(found) => found,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Seal::Unsigned,
            Err(e) => return Seal::Unreadable(format!("its signature cannot be read ({e})")),
        };
        let armour = String::from_utf8_lossy(&armour);
        let first = armour.lines().next().unwrap_or_default().trim();
        match first {
            "-----BEGIN SSH SIGNATURE-----" => {}
            "-----BEGIN PGP SIGNATURE-----" => {
                return Seal::Unreadable("it carries an OpenPGP signature".into());
            }
            "-----BEGIN SIGNED MESSAGE-----" => {
                return Seal::Unreadable("it carries an X.509 signature".into());
            }
            _ => return Seal::Unreadable("its signature is of no kind git knows".into()),
        }
        let sig = match SshSig::from_pem(armour.trim().as_bytes()) {
            Ok(sig) => sig,
            Err(e) => return Seal::Unreadable(format!("its SSH signature does not read ({e})")),
        };
        let key = PublicKey::new(sig.public_key().clone(), "");
        let verified = sig.namespace() == NAMESPACE && key.verify(NAMESPACE, &signed, &sig).is_ok();
        Seal::Ssh {
            key: RosterKey(key),
            verified,
        }
    }
}

/// How this person signs, from their git configuration: the key
/// `user.signingkey` names (else the one `gpg.ssh.defaultKeyCommand`
/// gives), signed with by `gpg.ssh.program` (default `ssh-keygen`).
#[derive(Debug, Clone)]
pub struct Signer {
    program: String,
    key: SigningKey,
    /// The public half, to compare with the roster before anything is signed.
    pub public: RosterKey,
}

#[derive(Debug, Clone)]
enum SigningKey {
    /// A key file: a private key, or a public key whose private half is in
    /// ssh-agent.
    File(PathBuf),
    /// A public key given literally, whose private half is in ssh-agent.
    Literal(String),
}

/// The two `git config` lines that set up signing, for a refusal.
pub const SETUP: &str =
    "git config gpg.format ssh` and `git config user.signingkey ~/.ssh/id_ed25519.pub";

impl Signer {
    /// The signer this configuration sets up, if any. A configuration for
    /// OpenPGP or X.509 sets up none that the register can check.
    pub fn from_config(config: &git2::Config) -> Result<Option<Signer>> {
        let format = config.get_string("gpg.format").ok();
        if format.as_deref().is_some_and(|f| f != "ssh") {
            return Ok(None);
        }
        let program = config
            .get_string("gpg.ssh.program")
            .unwrap_or_else(|_| "ssh-keygen".into());
        let named = match config.get_string("user.signingkey") {
            Ok(key) => Some(key),
            Err(_) => match config.get_string("gpg.ssh.defaultKeyCommand") {
                Ok(command) => Some(default_key(&command)?),
                Err(_) => None,
            },
        };
        let Some(named) = named.filter(|k| !k.trim().is_empty()) else {
            return Ok(None);
        };
        let named = named.trim();
        let literal = named
            .strip_prefix("key::")
            .or_else(|| looks_like_key(named).then_some(named));
        let (key, public) = match literal {
            Some(line) => {
                let public = RosterKey::parse(line)
                    .map_err(|m| Error::bad(format!("user.signingkey {m}")))?;
                (SigningKey::Literal(line.to_string()), public)
            }
            // Without gpg.format=ssh, a signing key that is no SSH key is
            // an OpenPGP one: git would sign with gpg.
            None if format.is_none() && !Path::new(&expand_home(named)).is_file() => {
                return Ok(None);
            }
            None => {
                let path = expand_home(named);
                let public = public_half(&path)?;
                (SigningKey::File(path), public)
            }
        };
        Ok(Some(Signer {
            program,
            key,
            public,
        }))
    }

    /// An armoured SSH signature over `payload`, made as git makes one.
    pub fn sign(&self, payload: &[u8]) -> Result<String> {
        let scratch = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
        let buffer = scratch.path().join("buffer");
        std::fs::write(&buffer, payload).map_err(|e| Error::io(&buffer, e))?;
        let mut command = Command::new(&self.program);
        command.args(["-Y", "sign", "-n", NAMESPACE, "-f"]);
        match &self.key {
            SigningKey::File(path) => {
                command.arg(path);
            }
            SigningKey::Literal(line) => {
                let file = scratch.path().join("key.pub");
                std::fs::write(&file, line).map_err(|e| Error::io(&file, e))?;
                command.arg(&file).arg("-U");
            }
        }
        let out = command.arg(&buffer).output().map_err(|e| {
            Error::bad(format!(
                "cannot run {} to sign ({e}); install OpenSSH's ssh-keygen, or set gpg.ssh.program",
                self.program
            ))
        })?;
        let sig = buffer.with_extension("sig");
        let armour = std::fs::read_to_string(&sig)
            .ok()
            .filter(|_| out.status.success());
        armour.ok_or_else(|| {
            let said = String::from_utf8_lossy(&out.stderr);
            Error::bad(format!(
                "{} could not sign with {} ({}); nothing was written",
                self.program,
                self.public,
                said.split_whitespace().collect::<Vec<_>>().join(" ")
            ))
        })
    }
}

/// The key `gpg.ssh.defaultKeyCommand` prints: its first line that is one.
fn default_key(command: &str) -> Result<String> {
    let out = Command::new("sh")
        .args(["-c", command])
        .output()
        .map_err(|e| Error::bad(format!("gpg.ssh.defaultKeyCommand cannot run ({e})")))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("key::") || looks_like_key(l))
        .map(str::to_string)
        .ok_or_else(|| {
            Error::bad(format!(
                "gpg.ssh.defaultKeyCommand `{command}` printed no SSH key; set user.signingkey instead"
            ))
        })
}

/// `~/…` as git expands it in a path setting.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// The public half of the key file `path`: the file itself when it holds a
/// public key, else the `.pub` beside it, else what the private key says.
fn public_half(path: &Path) -> Result<RosterKey> {
    let unreadable = |why: String| {
        Error::bad(format!(
            "user.signingkey {} {why}; point it at your SSH key (`{SETUP}`)",
            path.display()
        ))
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| unreadable(format!("cannot be read ({e})")))?;
    if let Ok(key) = RosterKey::parse(&text) {
        return Ok(key);
    }
    let beside = PathBuf::from(format!("{}.pub", path.display()));
    if let Ok(text) = std::fs::read_to_string(&beside) {
        return RosterKey::parse(&text).map_err(unreadable);
    }
    let private = ssh_key::PrivateKey::from_openssh(&text)
        .map_err(|e| unreadable(format!("is not an OpenSSH key ({e})")))?;
    let line = private
        .public_key()
        .to_openssh()
        .map_err(|e| unreadable(format!("has no public half ({e})")))?;
    RosterKey::parse(&line).map_err(unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM9Xh0nnn0mZ0m3tqlC2zH9l5s2E8r8KxN3yF2n1yJqk pat@npcc";

    #[test]
    fn roster_keys_parse_and_weak_ones_are_refused() {
        let key = RosterKey::parse(ED25519).unwrap();
        assert!(key.fingerprint().starts_with("SHA256:"), "{key}");
        assert!(
            !key.to_line().contains("pat@npcc"),
            "the comment is dropped"
        );
        assert!(RosterKey::parse(&key.to_line()).unwrap().same_key(&key));
        let err = RosterKey::parse("ssh-ed25519 not-base64").unwrap_err();
        assert!(err.contains("not an OpenSSH public key"), "{err}");
        assert!(RosterKey::parse("").is_err());
    }

    #[test]
    fn bits_count_from_the_first_set_bit() {
        assert_eq!(significant_bits(&[0x01, 0x00]), 9);
        assert_eq!(significant_bits(&[0x80; 384]), 3072);
        assert_eq!(significant_bits(&[]), 0);
    }
}

/// One key's time on the roster: from the commit that gave it to `email`
/// until the commit that took it away, if one has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPeriod {
    pub email: String,
    pub key: RosterKey,
    pub from: git2::Time,
    pub until: Option<git2::Time>,
}

/// Every key the roster has listed on HEAD's history, with the periods it
/// was listed for, oldest first: what an `allowed_signers` file needs.
pub fn key_periods(repo: &Repository) -> Result<Vec<KeyPeriod>> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push_head()?;
    walk.simplify_first_parent()?;
    let mut open: Vec<KeyPeriod> = Vec::new();
    let mut closed = Vec::new();
    let mut last_config = None;
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        let tree = commit.tree()?;
        let blob = tree.get_name(crate::layout::CONFIG).map(|e| e.id());
        if blob == last_config {
            continue;
        }
        last_config = blob;
        // A register.yaml that does not read lists nobody: the audit says
        // what is wrong with it.
        let config = crate::register::read_config(repo, &tree).ok().flatten();
        let now: Vec<(String, RosterKey)> = config
            .iter()
            .flat_map(|c| c.everyone().map(move |e| (c, e)))
            .filter_map(|(c, e)| Some((e.email.to_ascii_lowercase(), c.key_of(&e.email)?)))
            .collect();
        let at = commit.committer().when();
        let (ended, kept): (Vec<_>, Vec<_>) = open.into_iter().partition(|p| {
            !now.iter()
                .any(|(email, key)| *email == p.email && key.same_key(&p.key))
        });
        closed.extend(ended.into_iter().map(|p| KeyPeriod {
            until: Some(at),
            ..p
        }));
        open = kept;
        for (email, key) in now {
            let listed = open
                .iter()
                .any(|p| p.email == email && p.key.same_key(&key));
            if !listed {
                open.push(KeyPeriod {
                    email,
                    key,
                    from: at,
                    until: None,
                });
            }
        }
    }
    closed.extend(open);
    closed.sort_by_key(|p| (p.from.seconds(), p.email.clone()));
    Ok(closed)
}

/// git's `allowed_signers` file for `periods`: one line a key and period,
/// `namespaces="git"`, with `valid-after`/`valid-before` in UTC.
pub fn allowed_signers(periods: &[KeyPeriod]) -> String {
    let stamp = |seconds: i64| {
        chrono::DateTime::from_timestamp(seconds, 0)
            .map(|t| t.format("%Y%m%d%H%M%SZ").to_string())
            .unwrap_or_default()
    };
    let mut text = String::new();
    for p in periods {
        let from = p.from.seconds();
        let mut options = format!("namespaces=\"git\",valid-after=\"{}\"", stamp(from));
        if let Some(until) = &p.until {
            // ssh-keygen takes no period that ends as it starts: a key
            // replaced within the second it was given (or by a commit dated
            // before it) is given that second.
            let until = until.seconds().max(from + 1);
            options.push_str(&format!(",valid-before=\"{}\"", stamp(until)));
        }
        text.push_str(&format!("{} {options} {}\n", p.email, p.key.to_line()));
    }
    text
}

/// The seal of the commit that submitted the activity `id`, on the history
/// of `head`: found by its trailers (`Action: submit`, `Practice-Id: id`),
/// which cost no tree to read, and confirmed by its files (it added the
/// activity). `None` when no such commit is found.
pub fn submission_seal(repo: &Repository, head: Oid, id: &str) -> Result<Option<Seal>> {
    let path = crate::layout::RegisterPath::activity(id).to_string();
    let holds = |tree: &git2::Tree<'_>| tree.get_path(Path::new(&path)).is_ok();
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        let trailers =
            crate::history::Trailers::parse(&String::from_utf8_lossy(commit.message_bytes()));
        if trailers.action.as_deref() != Some("submit") || trailers.practice.as_deref() != Some(id)
        {
            continue;
        }
        let added = holds(&commit.tree()?)
            && !commit
                .parents()
                .next()
                .map(|p| p.tree().is_ok_and(|t| holds(&t)))
                .unwrap_or(false);
        if added {
            return Ok(Some(Seal::of_commit(repo, &commit)));
        }
    }
    Ok(None)
}
