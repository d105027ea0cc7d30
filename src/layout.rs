//! Where everything lives in a register. Every path the tool writes is made
//! here, and every path it reads from git is understood here, so the layout
//! the spec fixes is stated once:
//!
//! ```text
//! register.yaml                               partners, roster, editors, rules
//! submissions/<id>/activity.yaml              what the force submitted
//! submissions/<id>/report.yaml                the smarter practice write-up
//! reviews/<id>/round-<n>/<partner>.yaml       one sign-off per partner per round
//! published/<id>.yaml                         the published set
//! ```
//!
//! git keeps no empty folder, so an empty one holds a `.gitkeep`: the three
//! top folders at `init`, and a round opened by an amendment.

use std::fmt;

/// `register.yaml`, at the top of the register.
pub const CONFIG: &str = "register.yaml";

/// The register's folders, in the order [`crate::register::State`] keeps them.
pub const FOLDERS: [&str; 3] = [SUBMISSIONS, REVIEWS, PUBLISHED];

/// Every top-level name that belongs to the register; anything else in the
/// repository (source code, say) is not the register's business.
pub const ROOTS: [&str; 4] = [CONFIG, SUBMISSIONS, REVIEWS, PUBLISHED];

pub const SUBMISSIONS: &str = "submissions";
pub const REVIEWS: &str = "reviews";
pub const PUBLISHED: &str = "published";

/// The file that keeps an otherwise empty folder in git.
pub const PLACEHOLDER: &str = ".gitkeep";

const ACTIVITY_FILE: &str = "activity.yaml";
const REPORT_FILE: &str = "report.yaml";
/// The folder of an activity's evidence files, and their list.
pub const EVIDENCE_FOLDER: &str = "evidence";
const EVIDENCE_LIST: &str = "evidence.yaml";
/// The submitter's reply in a round folder; no partner may take its name.
pub const REPLY_FILE: &str = "reply.yaml";
/// The name a partner cannot have: [`REPLY_FILE`]'s.
pub const REPLY_NAME: &str = "reply";
const YAML: &str = ".yaml";
const ROUND_PREFIX: &str = "round-";

/// The highest round number a register can hold: rounds are counted one
/// amendment at a time, so a number past this is a damaged folder name.
pub const MAX_ROUND: u32 = 9999;

/// A path in the register, understood. Ids, rounds and partners are as the
/// path spells them: a path read from git may hold anything, and is checked
/// against the register's rules by whoever reads it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RegisterPath {
    /// `register.yaml`.
    Config,
    /// `<folder>/.gitkeep`, one of the three top folders kept while empty.
    FolderPlaceholder(&'static str),
    /// `submissions/<id>/activity.yaml`.
    Activity(String),
    /// `submissions/<id>/report.yaml`.
    Report(String),
    /// `reviews/<id>/round-<n>/<partner>.yaml`.
    SignOff {
        id: String,
        round: u32,
        partner: String,
    },
    /// `reviews/<id>/round-<n>/.gitkeep`: a round opened with no sign-off yet.
    RoundPlaceholder { id: String, round: u32 },
    /// `reviews/<id>/round-<n>/reply.yaml`: the submitter's answer to the
    /// round's questions.
    Reply { id: String, round: u32 },
    /// `published/<id>.yaml`.
    Published(String),
    /// `submissions/<id>/evidence/<name>`: an attached file.
    Evidence { id: String, name: String },
    /// `submissions/<id>/evidence.yaml`: the list of attached files.
    EvidenceList(String),
    /// Anything else under the register's roots; it belongs to the activity
    /// whose folder it is in, if any.
    Other(String),
}

impl RegisterPath {
    pub fn activity(id: &str) -> RegisterPath {
        RegisterPath::Activity(id.to_string())
    }

    pub fn report(id: &str) -> RegisterPath {
        RegisterPath::Report(id.to_string())
    }

    pub fn published(id: &str) -> RegisterPath {
        RegisterPath::Published(id.to_string())
    }

    pub fn sign_off(id: &str, round: u32, partner: &str) -> RegisterPath {
        RegisterPath::SignOff {
            id: id.to_string(),
            round,
            partner: partner.to_string(),
        }
    }

    pub fn evidence(id: &str, name: &str) -> RegisterPath {
        RegisterPath::Evidence {
            id: id.to_string(),
            name: name.to_string(),
        }
    }

    pub fn evidence_list(id: &str) -> RegisterPath {
        RegisterPath::EvidenceList(id.to_string())
    }

    pub fn reply(id: &str, round: u32) -> RegisterPath {
        RegisterPath::Reply {
            id: id.to_string(),
            round,
        }
    }

    pub fn round_placeholder(id: &str, round: u32) -> RegisterPath {
        RegisterPath::RoundPlaceholder {
            id: id.to_string(),
            round,
        }
    }

    /// What `path` is. Never fails: a path out of shape is [`Other`].
    ///
    /// [`Other`]: RegisterPath::Other
    pub fn parse(path: &str) -> RegisterPath {
        let parts: Vec<&str> = path.split('/').collect();
        let other = || RegisterPath::Other(path.to_string());
        match parts.as_slice() {
            [CONFIG] => RegisterPath::Config,
            [folder, PLACEHOLDER] => match FOLDERS.iter().find(|f| *f == folder) {
                Some(f) => RegisterPath::FolderPlaceholder(f),
                None => other(),
            },
            [SUBMISSIONS, id, ACTIVITY_FILE] => RegisterPath::activity(id),
            [SUBMISSIONS, id, REPORT_FILE] => RegisterPath::report(id),
            [SUBMISSIONS, id, EVIDENCE_LIST] => RegisterPath::evidence_list(id),
            [SUBMISSIONS, id, EVIDENCE_FOLDER, name] => RegisterPath::evidence(id, name),
            [REVIEWS, id, round, file] => match (round_number(round), *file) {
                (Some(round), PLACEHOLDER) => RegisterPath::round_placeholder(id, round),
                (Some(round), REPLY_FILE) => RegisterPath::reply(id, round),
                (Some(round), file) => match file.strip_suffix(YAML) {
                    Some(partner) if !partner.is_empty() => {
                        RegisterPath::sign_off(id, round, partner)
                    }
                    _ => other(),
                },
                (None, _) => other(),
            },
            [PUBLISHED, file] => match published_id(file) {
                Some(id) => RegisterPath::published(id),
                None => other(),
            },
            _ => other(),
        }
    }

    /// The activity this path belongs to: the folder it is in under
    /// `submissions/` or `reviews/`, or its name in `published/`.
    pub fn activity_id(&self) -> Option<&str> {
        match self {
            RegisterPath::Activity(id)
            | RegisterPath::Report(id)
            | RegisterPath::Published(id)
            | RegisterPath::SignOff { id, .. }
            | RegisterPath::RoundPlaceholder { id, .. }
            | RegisterPath::Reply { id, .. }
            | RegisterPath::Evidence { id, .. }
            | RegisterPath::EvidenceList(id) => Some(id),
            RegisterPath::Config | RegisterPath::FolderPlaceholder(_) => None,
            RegisterPath::Other(path) => {
                let mut parts = path.split('/');
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(SUBMISSIONS | REVIEWS), Some(id), _) if id != PLACEHOLDER => Some(id),
                    (Some(PUBLISHED), Some(file), _) => file.strip_suffix(YAML),
                    _ => None,
                }
            }
        }
    }

    /// Whether this is one of the placeholders that keep empty folders.
    pub fn is_placeholder(&self) -> bool {
        matches!(
            self,
            RegisterPath::FolderPlaceholder(_) | RegisterPath::RoundPlaceholder { .. }
        )
    }
}

impl fmt::Display for RegisterPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegisterPath::Config => f.write_str(CONFIG),
            RegisterPath::FolderPlaceholder(folder) => write!(f, "{folder}/{PLACEHOLDER}"),
            RegisterPath::Activity(id) => write!(f, "{SUBMISSIONS}/{id}/{ACTIVITY_FILE}"),
            RegisterPath::Report(id) => write!(f, "{SUBMISSIONS}/{id}/{REPORT_FILE}"),
            RegisterPath::SignOff { id, round, partner } => {
                write!(f, "{}/{}", round_folder(id, *round), sign_off_file(partner))
            }
            RegisterPath::RoundPlaceholder { id, round } => {
                write!(f, "{}/{PLACEHOLDER}", round_folder(id, *round))
            }
            RegisterPath::Reply { id, round } => {
                write!(f, "{}/{REPLY_FILE}", round_folder(id, *round))
            }
            RegisterPath::Published(id) => write!(f, "{PUBLISHED}/{id}{YAML}"),
            RegisterPath::Evidence { id, name } => {
                write!(f, "{SUBMISSIONS}/{id}/{EVIDENCE_FOLDER}/{name}")
            }
            RegisterPath::EvidenceList(id) => write!(f, "{SUBMISSIONS}/{id}/{EVIDENCE_LIST}"),
            RegisterPath::Other(path) => f.write_str(path),
        }
    }
}

impl From<RegisterPath> for String {
    fn from(path: RegisterPath) -> String {
        path.to_string()
    }
}

/// `submissions/<id>`: an activity's answers and report.
pub fn submission_folder(id: &str) -> String {
    format!("{SUBMISSIONS}/{id}")
}

/// `reviews/<id>`: every round of an activity's sign-offs.
pub fn reviews_folder(id: &str) -> String {
    format!("{REVIEWS}/{id}")
}

/// `reviews/<id>/round-<n>`.
pub fn round_folder(id: &str, round: u32) -> String {
    format!("{REVIEWS}/{id}/{}", round_name(round))
}

/// `round-<n>`, the name of a round's folder.
pub fn round_name(round: u32) -> String {
    format!("{ROUND_PREFIX}{round}")
}

/// The round a folder named `round-<n>` holds, for `n` from 1 to
/// [`MAX_ROUND`]; `None` for any other name.
pub fn round_number(name: &str) -> Option<u32> {
    let digits = name.strip_prefix(ROUND_PREFIX)?;
    // Written as the tool writes it, or not a round: `round-01` and
    // `round-+1` would otherwise be a second folder for round 1.
    if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| (1..=MAX_ROUND).contains(n))
}

/// The partner a file in a round folder names (`npcc.yaml` → `npcc`).
pub fn sign_off_partner(file: &str) -> Option<&str> {
    file.strip_suffix(YAML).filter(|p| !p.is_empty())
}

/// The name of a partner's sign-off file in a round folder (`npcc.yaml`).
pub fn sign_off_file(partner: &str) -> String {
    format!("{partner}{YAML}")
}

/// The id a file in `published/` names (`<id>.yaml` → `<id>`).
pub fn published_id(file: &str) -> Option<&str> {
    file.strip_suffix(YAML).filter(|id| !id.is_empty())
}

/// Whether a name in a folder is the placeholder that keeps it in git.
pub fn is_placeholder(name: &str) -> bool {
    name == PLACEHOLDER
}

/// A path under `folder/`, for messages about a name found there.
pub fn within(folder: &str, name: &str) -> String {
    format!("{folder}/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_and_display_alike() {
        let cases = [
            ("register.yaml", RegisterPath::Config),
            (
                "reviews/.gitkeep",
                RegisterPath::FolderPlaceholder("reviews"),
            ),
            (
                "submissions/a-b/activity.yaml",
                RegisterPath::activity("a-b"),
            ),
            ("submissions/a-b/report.yaml", RegisterPath::report("a-b")),
            (
                "reviews/a-b/round-2/npcc.yaml",
                RegisterPath::sign_off("a-b", 2, "npcc"),
            ),
            (
                "reviews/a-b/round-3/.gitkeep",
                RegisterPath::round_placeholder("a-b", 3),
            ),
            (
                "reviews/a-b/round-1/reply.yaml",
                RegisterPath::reply("a-b", 1),
            ),
            ("published/a-b.yaml", RegisterPath::published("a-b")),
            (
                "submissions/a-b/evidence/report.pdf",
                RegisterPath::evidence("a-b", "report.pdf"),
            ),
            (
                "submissions/a-b/evidence.yaml",
                RegisterPath::evidence_list("a-b"),
            ),
        ];
        for (text, path) in cases {
            assert_eq!(RegisterPath::parse(text), path, "{text}");
            assert_eq!(path.to_string(), text);
        }
    }

    #[test]
    fn paths_belong_to_activities() {
        let of = |p: &str| RegisterPath::parse(p).activity_id().map(str::to_string);
        assert_eq!(of("submissions/a-b/activity.yaml").as_deref(), Some("a-b"));
        assert_eq!(of("reviews/a-b/round-1/npcc.yaml").as_deref(), Some("a-b"));
        assert_eq!(of("published/a-b.yaml").as_deref(), Some("a-b"));
        assert_eq!(of("submissions/a-b/evidence.pdf").as_deref(), Some("a-b"));
        assert_eq!(of("reviews/a-b/notes.txt").as_deref(), Some("a-b"));
        assert_eq!(of("submissions/a-b").as_deref(), Some("a-b"));
        assert_eq!(of("register.yaml"), None);
        assert_eq!(of("reviews/.gitkeep"), None);
        assert_eq!(of("published/a/b.yaml"), None);
    }

    #[test]
    fn out_of_shape_paths_are_other() {
        for text in [
            "reviews/a/npcc.yaml",
            "reviews/a/round-x/npcc.yaml",
            "reviews/a/round-0/npcc.yaml",
            "reviews/a/round-1/npcc.txt",
            "reviews/a/round-1/.yaml",
            "published/.yaml",
            "elsewhere/.gitkeep",
            "submissions/a/notes.yaml",
        ] {
            assert_eq!(
                RegisterPath::parse(text),
                RegisterPath::Other(text.into()),
                "{text}"
            );
        }
    }

    #[test]
    fn round_folders_are_numbered_from_one() {
        assert_eq!(round_number("round-1"), Some(1));
        assert_eq!(round_number("round-9999"), Some(MAX_ROUND));
        assert_eq!(round_number("round-10000"), None);
        assert_eq!(round_number("round-0"), None);
        assert_eq!(round_number("1"), None);
        // One spelling per round.
        for other in ["round-01", "round-+1", "round- 1", "round-1 ", "round-"] {
            assert_eq!(round_number(other), None, "{other}");
        }
        assert_eq!(round_folder("a", 2), "reviews/a/round-2");
    }
}
