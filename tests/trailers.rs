//! practice's trailer reader against git's own: each message is committed
//! verbatim with plain git, then what `Trailers::parse` reads from the
//! commit is compared, key by key, with `git log --format=%(trailers:...)`
//! (the reading the spec promises an auditor) and `git interpret-trailers
//! --parse --no-divider` (the same reader, on the message file). Values are
//! compared unfolded, as `--parse` shows them; of a key given twice practice
//! keeps the last, so it is compared with git's last.
//!
//! Then every kind of message practice writes, with comments chosen to look
//! like trailers, dividers and comments, must read back the same in git,
//! in libgit2 and in practice.

mod common;

use common::*;
use practice::action::{ActionKind, Change};
use practice::history::Trailers;

/// The keys practice reads.
const KEYS: [&str; 6] = [
    "Practice-Id",
    "Action",
    "Partner",
    "Decision",
    "Round",
    "Rating",
];

/// A scratch repository for messages, with plain git to commit them.
struct Messages {
    reg: Reg,
    repo: git2::Repository,
    count: usize,
}

impl Messages {
    fn new() -> Messages {
        let reg = Reg::empty();
        reg.git(&["init", "-q"]);
        let repo = git2::Repository::open(reg.path()).unwrap();
        Messages {
            reg,
            repo,
            count: 0,
        }
    }

    /// Commit `message` exactly as given; the file of the message as `git
    /// log` reads it, and the commit's id.
    fn commit(&mut self, message: &str) -> (std::path::PathBuf, String) {
        self.count += 1;
        let file = self
            .reg
            .write_outside(&format!("message-{}", self.count), message);
        let path = file.to_str().unwrap();
        // `git commit` drops leading blank lines even when told to keep the
        // message verbatim; only plumbing writes them.
        let blank_first = message.lines().next().is_some_and(|l| l.trim().is_empty());
        if blank_first {
            let tree = self.reg.git(&["write-tree"]);
            let mut args = vec!["commit-tree", tree.trim(), "-F", path];
            let parent = self
                .reg
                .git_output(&["rev-parse", "-q", "--verify", "HEAD"]);
            let parent = String::from_utf8(parent.stdout).unwrap();
            if !parent.is_empty() {
                args.extend(["-p", parent.trim()]);
            }
            let commit = self.reg.git(&args);
            self.reg.git(&["reset", "-q", "--soft", commit.trim()]);
        } else {
            self.reg.git(&[
                "commit",
                "-q",
                "--allow-empty",
                "--cleanup=verbatim",
                "-F",
                path,
            ]);
        }
        let head = self.reg.head();
        let stored = self
            .repo
            .find_commit(git2::Oid::from_str(&head).unwrap())
            .unwrap()
            .message_raw_bytes()
            .to_vec();
        assert_eq!(
            String::from_utf8(stored).unwrap(),
            message,
            "git kept the message as written"
        );
        // git log reads a message from its first line that is not blank;
        // interpret-trailers, given a file, from its first line.
        let read: String = message
            .split_inclusive('\n')
            .skip_while(|l| l.trim().is_empty())
            .collect();
        let file = self
            .reg
            .write_outside(&format!("message-{}-as-read", self.count), &read);
        (file, head)
    }

    /// `git log`'s trailers of `commit` for `key`, unfolded.
    fn log(&self, commit: &str, key: &str) -> Vec<String> {
        // Each trailer as `key\x01value`, trailers apart by \0: a value may
        // be empty, so a bare value list could not tell one empty value
        // from none.
        let format = format!(
            "--format=%(trailers:key={key},unfold,separator=%x00,key_value_separator=%x01)"
        );
        let out = self.reg.git(&["log", "-1", &format, commit]);
        let out = out.strip_suffix('\n').unwrap_or(&out);
        out.split('\0')
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.split_once('\x01')
                    .expect("key and value")
                    .1
                    .to_string()
            })
            .collect()
    }

    /// `git interpret-trailers --parse` of the message file: every trailer.
    fn interpret(&self, file: &std::path::Path, divider: bool) -> Vec<(String, String)> {
        let mut args = vec!["interpret-trailers", "--parse"];
        if !divider {
            args.push("--no-divider");
        }
        args.push(file.to_str().unwrap());
        self.reg
            .git(&args)
            .lines()
            .map(|l| {
                let (k, v) = l.split_once(':').expect("a trailer line");
                (k.trim().to_string(), v.trim().to_string())
            })
            .collect()
    }

    fn practice(&self, commit: &str) -> Trailers {
        let commit = self
            .repo
            .find_commit(git2::Oid::from_str(commit).unwrap())
            .unwrap();
        Trailers::parse(&String::from_utf8_lossy(commit.message_bytes()))
    }
}

fn of_key(all: &[(String, String)], key: &str) -> Vec<String> {
    all.iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.clone())
        .collect()
}

fn slot<'t>(t: &'t Trailers, key: &str) -> &'t Option<String> {
    match key {
        "Practice-Id" => &t.practice,
        "Action" => &t.action,
        "Partner" => &t.partner,
        "Decision" => &t.decision,
        "Round" => &t.round,
        "Rating" => &t.rating,
        _ => unreachable!("{key}"),
    }
}

/// Commit `message`, insist practice and git read the same for every key,
/// and return what they read.
fn agree(m: &mut Messages, what: &str, message: &str) -> Trailers {
    let (file, commit) = m.commit(message);
    let interpreted = m.interpret(&file, false);
    let practice = m.practice(&commit);
    for key in KEYS {
        let log = m.log(&commit, key);
        assert_eq!(
            log,
            of_key(&interpreted, key),
            "{what}: git log and interpret-trailers disagree on {key}\n{message:?}"
        );
        assert_eq!(
            slot(&practice, key).as_ref(),
            log.last(),
            "{what}: practice (left) and git (right) read {key} differently\n{message:?}"
        );
    }
    practice
}

/// What git reads of the messages below, besides agreeing with practice:
/// `Action` (or `None`) and, where it matters, another key.
struct Case {
    what: &'static str,
    message: &'static str,
    action: Option<&'static str>,
    also: Option<(&'static str, &'static str)>,
}

const fn case(what: &'static str, message: &'static str, action: Option<&'static str>) -> Case {
    Case {
        what,
        message,
        action,
        also: None,
    }
}

const CASES: &[Case] = &[
    case(
        "as practice writes it",
        "review x: npcc suitable (round 1)\n\nLooks sound.\n\nPractice-Id: x\nAction: review\nPartner: npcc\nDecision: suitable\nRound: 1\n",
        Some("review"),
    ),
    case(
        "a divider in the body",
        "review x\n\nPlease add evaluation.\n---\nSee attached.\n\nPractice-Id: x\nAction: review\n",
        Some("review"),
    ),
    case(
        "a divider just above the trailers",
        "review x\n\nSee below.\n---\nPractice-Id: x\nAction: review\n",
        None,
    ),
    case(
        "body lines shaped like trailers",
        "review x\n\nNote: evidence is thin.\nAction: none needed yet.\n\nPractice-Id: x\nAction: review\n",
        Some("review"),
    ),
    Case {
        what: "a body paragraph all trailers, then the real block",
        message: "review x\n\nAction: publish\nDecision: not-suitable\n\nPractice-Id: x\nAction: review\nDecision: suitable\n",
        action: Some("review"),
        also: Some(("Decision", "suitable")),
    },
    Case {
        what: "CRLF line ends",
        message: "review x\r\n\r\nLooks sound.\r\n\r\nPractice-Id: x\r\nAction: review\r\nDecision: suitable\r\n",
        action: Some("review"),
        also: Some(("Decision", "suitable")),
    },
    case(
        "CRLF with no body",
        "review x\r\n\r\nAction: review\r\n",
        Some("review"),
    ),
    Case {
        what: "trailing whitespace",
        message: "review x  \n\nPractice-Id: x \t\nAction: review   \nDecision:\tsuitable \n",
        action: Some("review"),
        also: Some(("Decision", "suitable")),
    },
    Case {
        what: "a value folded onto an indented line",
        message: "review x\n\nPractice-Id: x\nAction: review\nPartner: npcc\n  and hmicfrs\nDecision: suitable\n",
        action: Some("review"),
        also: Some(("Partner", "npcc and hmicfrs")),
    },
    Case {
        what: "a value folded over a tab and several lines",
        message: "review x\n\nAction: review\nDecision: not\n\tquite\n    suitable\n",
        action: Some("review"),
        also: Some(("Decision", "not quite suitable")),
    },
    case(
        "an indented line with no trailer above",
        "review x\n\n  Action: review\nDecision: suitable\n",
        None,
    ),
    Case {
        what: "a key given twice",
        message: "review x\n\nAction: review\nDecision: suitable\nDecision: not-suitable\n",
        action: Some("review"),
        also: Some(("Decision", "not-suitable")),
    },
    Case {
        what: "keys in other cases",
        message: "review x\n\npractice-id: x\naction: review\nDECISION: suitable\nPartner: npcc\n",
        action: Some("review"),
        also: Some(("Practice-Id", "x")),
    },
    Case {
        what: "spaces before the colon",
        message: "review x\n\nAction : review\nDecision\t: suitable\n",
        action: Some("review"),
        also: Some(("Decision", "suitable")),
    },
    Case {
        what: "no space after the colon, a colon in the value",
        message: "review x\n\nAction:review\nPartner: npcc: and more\n",
        action: Some("review"),
        also: Some(("Partner", "npcc: and more")),
    },
    case(
        "an empty value",
        "review x\n\nAction: review\nDecision:\n",
        Some("review"),
    ),
    case(
        "a comment line inside the block",
        "review x\n\nPractice-Id: x\n# Decision: suitable\nAction: review\n",
        Some("review"),
    ),
    case(
        "comment lines after the block",
        "review x\n\nAction: review\n\n# Please enter the commit message.\n#\n",
        Some("review"),
    ),
    case(
        "a comment paragraph before the block",
        "review x\n\n# notes\n\nAction: review\n",
        Some("review"),
    ),
    case(
        "a comment between a trailer and its folded line",
        "review x\n\nAction: review\n# note\n  more\n",
        None,
    ),
    case("only a subject", "fix a typo\n", None),
    case("only a subject, with no newline", "fix a typo", None),
    case("a subject shaped like a trailer", "Action: review\n", None),
    case(
        "a subject shaped like a trailer, and a block",
        "Action: review\n\nPractice-Id: x\nAction: submit\n",
        Some("submit"),
    ),
    case(
        "a two-line subject shaped like trailers",
        "Action: review\nDecision: suitable\n",
        None,
    ),
    case(
        "trailers right under the subject",
        "review x\nAction: review\n",
        None,
    ),
    case(
        "no newline at the end",
        "review x\n\nPractice-Id: x\nAction: review",
        Some("review"),
    ),
    // Only plumbing writes these. git log reads a message from its first
    // line that is not blank, which is then the title.
    case(
        "blank lines before the subject",
        "\n\nAction: review\n",
        None,
    ),
    case(
        "a line of spaces before the subject",
        " \nAction: review\n",
        None,
    ),
    case(
        "a line of spaces before a subject and block",
        " \t\nreview x\n\nAction: review\n",
        Some("review"),
    ),
    case(
        "a line of spaces between body and block",
        "review x\n\nLooks sound.\n   \nAction: review\n",
        Some("review"),
    ),
    case(
        "a line of spaces under the subject",
        "review x\n \t\nAction: review\n",
        Some("review"),
    ),
    Case {
        what: "a line of spaces inside what looks like one block",
        message: "review x\n\nAction: review\n  \nDecision: suitable\n",
        action: None,
        also: Some(("Decision", "suitable")),
    },
    case(
        "lines of spaces at the end",
        "review x\n\nAction: review\n  \n\t\n",
        Some("review"),
    ),
    case(
        "one non-trailer line among trailers",
        "review x\n\nPractice-Id: x\nAction: review\nsee the attached note\n",
        None,
    ),
    case(
        "one non-trailer line among trailers git writes (25%)",
        "review x\n\nPractice-Id: x\nAction: review\nsee the attached note\nSigned-off-by: Pat Chief <pat.chief@npcc.police.uk>\n",
        Some("review"),
    ),
    case(
        "a quarter trailers, one of them git's",
        "review x\n\nAction: review\none\ntwo\nthree\nfour\nfive\nsix\nSigned-off-by: A <a@b.c>\n",
        Some("review"),
    ),
    case(
        "under a quarter trailers",
        "review x\n\nAction: review\none\ntwo\nthree\nfour\nfive\nsix\nseven\nSigned-off-by: A <a@b.c>\n",
        None,
    ),
    case(
        "a cherry-pick line counts as git's",
        "review x\n\nAction: review\nsee the note\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\n",
        Some("review"),
    ),
    case(
        "an old Conflicts list after the block",
        "review x\n\nAction: review\n\nConflicts:\n\tregister.yaml\n",
        Some("review"),
    ),
    case(
        "a scissors line hides what follows",
        "review x\n\nAction: review\n# ------------------------ >8 ------------------------\nDecision: suitable\n",
        Some("review"),
    ),
    case(
        "a scissors line above the block",
        "review x\n\nLooks sound.\n# ------------------------ >8 ------------------------\n\nAction: review\n",
        None,
    ),
    Case {
        what: "a URL and words outside ASCII in values",
        message: "review x\n\nAction: review\nPartner: npcc — Vérifié\nSee: https://example.org/a:b\n",
        action: Some("review"),
        also: Some(("Partner", "npcc — Vérifié")),
    },
    case(
        "a key with characters git does not allow",
        "review x\n\nAction: review\nDecision_2: suitable\n",
        None,
    ),
];

#[test]
fn practice_reads_trailers_as_git_does() {
    let mut m = Messages::new();
    for c in CASES {
        let read = agree(&mut m, c.what, c.message);
        assert_eq!(read.action.as_deref(), c.action, "{}: Action", c.what);
        if let Some((key, value)) = c.also {
            assert_eq!(
                slot(&read, key).as_deref(),
                Some(value),
                "{}: {key}",
                c.what
            );
        }
    }
}

/// A comment or reason exactly as a person might type it.
const COMMENTS: &[&str] = &[
    "Looks sound.",
    "Decision: not-suitable",
    "Practice-Id: other\nAction: publish\nDecision: suitable",
    "Please add evaluation.\n---\nSee attached.",
    "---",
    "Signed-off-by: Someone <someone@example.org>",
    "# a heading\nwith text",
    "Key: value\n\nand a second paragraph",
    "lines\r\nwith CRLF\r\nends",
    "a line\n   \nof spaces between",
    "Conflicts:\n\tregister.yaml",
    "  indented first line\n  and second",
    "Cut here:\n# ------------------------ >8 ------------------------\nafter the cut",
];

/// Every trailer of a commit as git, libgit2 and practice read them.
#[derive(Debug)]
struct Readings {
    log: Vec<(String, String)>,
    parse: Vec<(String, String)>,
    parse_no_divider: Vec<(String, String)>,
    libgit2: Vec<(String, String)>,
    practice: Trailers,
}

fn readings(m: &mut Messages, message: &str) -> Readings {
    let (file, commit) = m.commit(message);
    let out = m.reg.git(&[
        "log",
        "-1",
        "--format=%(trailers:only,unfold,separator=%x00,key_value_separator=%x01)",
        &commit,
    ]);
    let out = out.strip_suffix('\n').unwrap_or(&out);
    let log = out
        .split('\0')
        .filter(|i| !i.is_empty())
        .map(|i| {
            let (k, v) = i.split_once('\x01').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect();
    let libgit2 = git2::message_trailers_strs(message)
        .unwrap()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Readings {
        log,
        parse: m.interpret(&file, true),
        parse_no_divider: m.interpret(&file, false),
        libgit2,
        practice: m.practice(&commit),
    }
}

/// The messages practice writes, one of each shape: every action that
/// carries a body, and the trailers of each kind of action.
fn written(comment: &str) -> Vec<Change> {
    let id = "enhanced-video-response-dorset-police";
    vec![
        Change::new(
            ActionKind::Review,
            Some(id),
            format!("review {id}: npcc suitable (round 1)"),
        )
        .trailer("Partner", "npcc")
        .trailer("Decision", "suitable")
        .trailer("Round", 1)
        .body(Some(comment)),
        Change::new(ActionKind::Withdraw, Some(id), format!("withdraw {id}"))
            .trailer("Round", 2)
            .body(Some(comment)),
        Change::new(ActionKind::Retract, Some(id), format!("retract {id}")).body(Some(comment)),
        Change::new(ActionKind::Bank, Some(id), format!("bank {id}: rated 4")).trailer("Rating", 4),
        Change::new(ActionKind::Roster, None, "roster: add Pat Chief for npcc")
            .trailer("Change", "add")
            .trailer("Partner", "npcc")
            .trailer("Role", "reviewer")
            .trailer("Email", "pat.chief@npcc.police.uk"),
        Change::new(ActionKind::Init, None, "init: Smarter practice register"),
    ]
}

#[test]
fn what_practice_writes_reads_back_the_same_everywhere() {
    let mut m = Messages::new();
    for comment in COMMENTS {
        for change in written(comment) {
            let message = change.message();
            let r = readings(&mut m, &message);
            let want: Vec<(String, String)> = change.trailers.clone();
            // git log, which the spec names for auditors, and practice
            // must agree on every message, a scissors line or not.
            for key in KEYS {
                assert_eq!(
                    slot(&r.practice, key).as_ref(),
                    of_key(&r.log, key).last(),
                    "{key} in {message:?}"
                );
            }
            assert_eq!(r.log, r.parse_no_divider, "{message:?}");
            // A comment can never cut the trailers off: the writer indents
            // the lines that would (a scissors line, a `---`), so git log,
            // interpret-trailers with and without its divider, libgit2 and
            // practice all read exactly what was written.
            assert_eq!(r.log, want, "git log reads what was written: {message:?}");
            assert_eq!(r.parse, want, "interpret-trailers: {message:?}");
            assert_eq!(r.libgit2, want, "libgit2: {message:?}");
        }
    }
}
