//! People who sign: each with a key made by `ssh-keygen` and a git
//! configuration of their own (a `HOME` per person) that signs with it.

use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

use super::{Reg, Who, isolated};

/// Someone with a key of their own and a git configuration that signs with it.
pub struct Signer {
    pub who: Who,
    pub home: TempDir,
}

impl Signer {
    /// `who`, with a new key of `kind` (`ed25519`, `ecdsa`) that their git
    /// signs with.
    pub fn new(who: Who, kind: &str) -> Signer {
        let home = TempDir::new().unwrap();
        let signer = Signer { who, home };
        signer.new_key("id", kind);
        signer.use_key("id");
        signer
    }

    /// Make the key `name` in this person's home.
    pub fn new_key(&self, name: &str, kind: &str) -> PathBuf {
        let key = self.home.path().join(name);
        let out = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", kind, "-N", "", "-C", self.who.email, "-f"])
            .arg(&key)
            .output()
            .expect("ssh-keygen runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        key
    }

    /// Have this person's git sign with the key `name`.
    pub fn use_key(&self, name: &str) {
        let config = format!(
            "[user]\n\tname = {}\n\temail = {}\n\tsigningkey = {}\n[gpg]\n\tformat = ssh\n",
            self.who.name,
            self.who.email,
            self.key(name).display()
        );
        std::fs::write(self.home.path().join(".gitconfig"), config).unwrap();
    }

    /// Have this person's git reach a server with `ssh_command` (the
    /// server's own, naming their key).
    pub fn reach_with(&self, ssh_command: &str) {
        let path = self.home.path().join(".gitconfig");
        let mut config = std::fs::read_to_string(&path).unwrap();
        config.push_str(&format!("[core]\n\tsshCommand = {ssh_command}\n"));
        std::fs::write(path, config).unwrap();
    }

    /// Have this person's git sign every commit (`commit.gpgsign`), as a
    /// submitter on no roster must ask it to.
    pub fn sign_always(&self) {
        let path = self.home.path().join(".gitconfig");
        let mut config = std::fs::read_to_string(&path).unwrap();
        config.push_str("[commit]\n\tgpgsign = true\n");
        std::fs::write(path, config).unwrap();
    }

    /// Have this person's git sign nothing.
    pub fn stop_signing(&self) {
        let config = format!(
            "[user]\n\tname = {}\n\temail = {}\n",
            self.who.name, self.who.email
        );
        std::fs::write(self.home.path().join(".gitconfig"), config).unwrap();
    }

    pub fn key(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    pub fn public(&self, name: &str) -> String {
        std::fs::read_to_string(self.home.path().join(format!("{name}.pub")))
            .unwrap()
            .trim()
            .to_string()
    }

    pub fn pub_path(&self, name: &str) -> String {
        format!("{}.pub", self.key(name).display())
    }

    /// The key's fingerprint as `ssh-keygen -l` gives it.
    pub fn fingerprint(&self, name: &str) -> String {
        let out = std::process::Command::new("ssh-keygen")
            .arg("-lf")
            .arg(self.pub_path(name))
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_string()
    }

    /// `practice ARGS` run by this person in `dir`, with their own git.
    pub fn practice(&self, dir: &Path, args: &[&str]) -> Output {
        isolated(assert_cmd::cargo::cargo_bin!("practice"), self.home.path())
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap()
    }

    pub fn ok(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.practice(dir, args);
        assert!(
            out.status.success(),
            "{} practice {args:?}: {}",
            self.who.name,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The one line of a refusal, insisting nothing in git changed.
    pub fn refused(&self, reg: &Reg, args: &[&str]) -> String {
        let before = reg.snapshot();
        let out = self.practice(reg.path(), args);
        assert!(!out.status.success(), "{args:?} should be refused");
        assert_eq!(reg.snapshot(), before, "{args:?} changed something");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        stderr.trim_end().to_string()
    }

    /// `git ARGS` as this person, signing as their git would.
    pub fn git(&self, dir: &Path, args: &[&str]) -> Output {
        isolated("git", self.home.path())
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap()
    }
}

/// A register made by `editor`'s signed `init`, with each of `reviewers`
/// on the roster with their key, and signatures required.
pub fn signed_register(editor: &Signer, reviewers: &[(&str, &Signer)]) -> Reg {
    let reg = Reg::empty();
    editor.ok(reg.path(), &["init"]);
    for (partner, s) in reviewers {
        editor.ok(
            reg.path(),
            &[
                "roster",
                "add",
                "--partner",
                partner,
                "--name",
                s.who.name,
                "--email",
                s.who.email,
                "--key",
                &s.pub_path("id"),
            ],
        );
    }
    editor.ok(reg.path(), &["roster", "signatures", "required"]);
    reg
}
