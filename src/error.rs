//! Every refusal the library can make, typed, each rendering as one line that
//! says what is wrong and how to mend it. The binary prints them in one place.

use std::path::PathBuf;

/// A shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no register found in {} or any folder above it; run `practice init` there or pass -C DIR",
        .0.display()
    )]
    NoRegister(PathBuf),

    #[error(
        "{} holds register.yaml but is not the top of a git repository; run `git init` there",
        .0.display()
    )]
    NotGitRepository(PathBuf),

    #[error("the register at {} has no commits yet; run `practice init` there", .0.display())]
    NoCommits(PathBuf),

    #[error(
        "HEAD is detached in {}; check out a branch (`git switch main`) so the action has a branch to land on",
        .0.display()
    )]
    DetachedHead(PathBuf),

    #[error("{} already holds a register; nothing to do", .0.display())]
    AlreadyRegister(PathBuf),

    #[error("{path}:{line}:{column}: {message}; fix the file and try again")]
    Malformed {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{path}: {message}")]
    Invalid { path: String, message: String },

    #[error("{0}")]
    BadValue(String),

    /// A value given on the command line that the register does not know
    /// (a partner, a topic, a date): a usage error, as clap's own are.
    #[error("{0}")]
    Usage(String),

    #[error("missing {what}: pass {flag}")]
    Missing { what: String, flag: String },

    #[error(
        "this would replace {colleague}'s {decision} for {partner} in round {round}; agree it with them, then pass --replace"
    )]
    ReplacesColleague {
        colleague: String,
        decision: String,
        partner: String,
        round: u32,
    },

    #[error("no activity `{0}` in the register; `practice list` shows the ids")]
    UnknownActivity(String),

    #[error("an activity with id `{0}` is already in the register; choose another with --id")]
    DuplicateId(String),

    #[error("cannot {action} `{id}` while it is {stage}: {why}")]
    WrongStage {
        action: &'static str,
        id: String,
        stage: String,
        why: String,
    },

    #[error("{who} may not {action}: {who_may}")]
    NoAuthority {
        who: String,
        action: String,
        who_may: String,
    },

    #[error(
        "no identity to act as: set it with `git config user.name \"Your Name\"` and `git config user.email you@example.org` (or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL)"
    )]
    NoIdentity,

    #[error(
        "{var}={value:?} is not a date git understands; use e.g. 2026-11-25T09:12:00Z or \"@1764061920 +0000\""
    )]
    BadDate { var: String, value: String },

    #[error(
        "{0} has uncommitted changes; commit or stash them (`git stash`) first, so they are not lost"
    )]
    UncommittedChanges(String),

    #[error(
        "the branch moved while this action was being written (another action landed first); nothing was changed, run the command again"
    )]
    BranchMoved,

    #[error(
        "{} exists: a git command is running here, or one was interrupted; if none is running, remove that file and try again",
        .0.display()
    )]
    Locked(PathBuf),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "the remote refused the push ({0}) after several tries: others are pushing at the same moment; run `practice sync` again"
    )]
    PushRejected(String),

    #[error(
        "`{remote}` refused the push: {said}; nothing was pushed, and your actions stay on {branch} as they were"
    )]
    RemoteRefused {
        remote: String,
        branch: String,
        /// What the remote's hook said (the guard's findings), or git's reason.
        said: String,
    },

    #[error("cannot write the site to {}: {problem}", path.display())]
    SiteOut { path: PathBuf, problem: String },

    #[error(
        "{failed} of {total} reminders were not delivered, each named above; mend what it says and run `practice remind` again (everyone is reminded again)"
    )]
    Undelivered { failed: usize, total: usize },

    #[error("the audit found {0} problem(s); each is listed above")]
    Findings(usize),

    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

impl Error {
    /// A bad value given by the user, with the mend already in the words.
    pub fn bad(message: impl Into<String>) -> Self {
        Error::BadValue(message.into())
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The register file at fault, for errors about one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Malformed { path, .. } | Error::Invalid { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Turn a YAML parse error into one located at `path`.
    pub fn yaml(path: &str, err: &yaml_serde::Error) -> Self {
        let (line, column) = err
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        // yaml_serde puts " at line L column C" into its message; the
        // location is already in our prefix, so drop the repetition.
        let message = drop_locations(&err.to_string());
        Error::Malformed {
            path: path.to_string(),
            line,
            column,
            message,
        }
    }
}

/// `text` without any " at line L column C" in it.
fn drop_locations(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(" at line ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let line_end = digits(after);
        match after[line_end..].strip_prefix(" column ") {
            Some(col) if line_end > 0 => rest = &col[digits(col)..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_locations_are_said_once() {
        assert_eq!(
            drop_locations(
                "did not find expected ',' at line 3 column 6, while parsing at line 2 column 1"
            ),
            "did not find expected ',', while parsing"
        );
        assert_eq!(
            drop_locations("seen at line of sight"),
            "seen at line of sight"
        );
    }
}
