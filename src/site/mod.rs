//! `practice site`: the published set as a static website, in the spirit of
//! the College's own smarter practice page. The site is built whole in memory
//! from the register as HEAD has it ([`build`], pure but for reading git),
//! then written to a folder in one swap ([`write()`]).
//!
//! Its files, all linked relatively so the site works from `file://` and from
//! any web server, with no request beyond its own files. No page grows with
//! the published set beyond [`Options::page_size`] entries: a national
//! practice bank holds thousands.
//!
//! | path | what |
//! | --- | --- |
//! | `index.html` | the recently published examples, and smarter practice by topic, a few each |
//! | `practice-bank.html`, `practice-bank.page-N.html` | every entry by title, a page at a time; filters |
//! | `topics/<topic>.html` (`.page-N`) | one topic's entries: the bank filtered without JavaScript |
//! | `ratings/<rating>.html` (`.page-N`) | the entries with one answer to "Does it work?" |
//! | `practice/<id>.html` | one entry in the set format; a notice once it is retracted |
//! | `feed.xml`, `feed.html` | an Atom feed of the latest publications and retractions, and how to follow it |
//! | `accessibility.html` | the site's accessibility statement |
//! | `style.css`, `filter.js`, `bank-data.js`, `favicon.svg` | the stylesheet, the bank's filters and their data, the icon |
//! | `.practice-site` | marks the folder as one `practice site` may replace |

mod about;
mod atom;
pub mod html;
mod listing;
mod pages;
mod write;

use std::cmp::Reverse;

use chrono::NaiveDate;
use git2::Oid;

pub use write::write;

use crate::history::Rosters;
use crate::layout::RegisterPath;
use crate::model::{self, Decision, Kind, PublishedEntry, Rating, RegisterConfig, SignOff, When};
use crate::pipeline::signing::Status;
use crate::register::{Problem, State, read_blob};
use crate::{Error, Result};

/// The file that marks a folder as made by `practice site`, and lists the
/// files it wrote there, one path a line after [`MARKER_HEADER`].
pub const MARKER: &str = ".practice-site";

const MARKER_HEADER: &str =
    "# Made by `practice site`, which replaces this folder when these are all it holds:\n";

/// How the site files entries that have no topic.
pub const NO_TOPIC: &str = "No topic given";

/// The bank filter's value for entries without a topic ("" means any).
pub const NO_TOPIC_VALUE: &str = "-";

const STYLE: &str = include_str!("style.css");
const FILTER: &str = include_str!("filter.js");
const FAVICON: &str = include_str!("favicon.svg");

/// What the site builder may be told.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the site will be served, ending in `/`: the feed's links are
    /// absolute under it. Without it they are relative to the feed.
    pub base_url: Option<String>,
    /// How many entries the home page lists as recently published, and
    /// how many smarter practice examples of each topic.
    pub recent: usize,
    /// How many entries a page of the bank, a topic or a rating lists.
    pub page_size: usize,
    /// How many entries the feed carries, the latest changed first.
    pub feed_size: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_url: None,
            recent: 10,
            page_size: 100,
            feed_size: 100,
        }
    }
}

impl Options {
    /// Options with `base_url` checked: an absolute http(s) address.
    pub fn with_base_url(base_url: Option<&str>) -> Result<Options> {
        let base_url = match base_url {
            None => None,
            Some(text) => {
                let text = text.trim();
                // A folder to put pages under: no query or fragment.
                if !model::is_web_address(text) || text.contains(['?', '#']) {
                    return Err(Error::bad(format!(
                        "--base-url {text:?} is not an address the site will be served at; write it as https://example.org/practice/"
                    )));
                }
                Some(if text.ends_with('/') {
                    text.to_string()
                } else {
                    format!("{text}/")
                })
            }
        };
        Ok(Options {
            base_url,
            ..Options::default()
        })
    }
}

/// One entry of the published set, as the site shows it.
#[derive(Debug, Clone)]
pub struct SiteEntry {
    pub id: String,
    pub entry: PublishedEntry,
    /// When each sign-off of `entry.approval` was made, in its order; `None`
    /// where the sign-off's record cannot be read.
    pub signed: Vec<Option<When>>,
    /// What the signature on each sign-off's commit proves of its reviewer,
    /// in the same order; `None` where that commit is missing or will not read.
    pub signatures: Vec<Option<Signature>>,
    /// When the commit that put the entry in the published set was made,
    /// and the latest that wrote it (a revision, a retraction), to the
    /// second: the record says only the day, and the feed's `updated`
    /// must change with every change on the same day. `None` where history
    /// carries no trailers for it.
    pub entered_at: Option<When>,
    pub written_at: Option<When>,
    /// The evidence an editor made public, with its content, to be linked
    /// from the entry's page and copied beside it.
    pub attachments: Vec<(model::Evidence, Vec<u8>)>,
}

/// What the signature on the commit that recorded a sign-off proves of the
/// reviewer the approval names, judged by the roster before that commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub status: Status,
    /// The SHA256 fingerprint of the key that made it, when it reads.
    pub fingerprint: Option<String>,
}

impl Signature {
    /// `status` of a commit by `author`, for a sign-off in `reviewer`'s
    /// name. The roster vouches for the author's key only: were the approval
    /// to name someone else (a hand-edited record), "verified" would claim
    /// the named reviewer signed, so it says instead that the key is not
    /// theirs.
    pub fn for_reviewer(
        (status, fingerprint): (Status, Option<String>),
        author: &str,
        reviewer: &str,
    ) -> Signature {
        let status = match status {
            Status::Verified if !author.eq_ignore_ascii_case(reviewer) => Status::UnknownKey,
            status => status,
        };
        Signature {
            status,
            fingerprint,
        }
    }
}

impl SiteEntry {
    /// The entry's page, from the site's top folder. It stays at this
    /// address for good, retracted or not.
    pub fn page_path(&self) -> String {
        format!("practice/{}.html", self.id)
    }

    /// Where a public evidence file is copied: beside the page, in a folder
    /// named after the entry.
    pub fn attachment_path(&self, name: &str) -> String {
        format!("practice/{}/{name}", self.id)
    }

    pub fn is_retracted(&self) -> bool {
        self.entry.retracted.is_some()
    }

    pub fn topic(&self) -> Option<&str> {
        self.entry
            .topic
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    /// Titles in the order people look them up: by title, ignoring case.
    fn sort_key(&self) -> (String, &str) {
        (self.entry.title.to_lowercase(), &self.id)
    }
}

/// The file name a topic's pages take, for each topic the entries have
/// (`None` for those without one): its words in lowercase ASCII joined by
/// dashes, numbered where two would take the same.
pub fn topic_slugs(topics: &[Option<&str>]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    for topic in topics {
        let base = match topic {
            None => "no-topic".to_string(),
            Some(t) => {
                let words: Vec<String> = t
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_ascii_lowercase)
                    .collect();
                if words.is_empty() {
                    "topic".to_string()
                } else {
                    words.join("-")
                }
            }
        };
        let mut slug = base.clone();
        let mut n = 2;
        while taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        taken.push(slug);
    }
    taken
}

/// The address of page `n` (from 1) of a list whose first page is
/// `base.html`. A dot cannot be part of a slug, so no topic's first page
/// is another's later one.
pub fn page_name(base: &str, n: usize) -> String {
    if n <= 1 {
        format!("{base}.html")
    } else {
        format!("{base}.page-{n}.html")
    }
}

/// Entries by topic: the register's topics in its order, then any others
/// alphabetically, then those without one (`None`); by title within each.
pub fn by_topic<'a>(
    records: &[&'a SiteEntry],
    topics: &[String],
) -> Vec<(Option<&'a str>, Vec<&'a SiteEntry>)> {
    let rank = |topic: Option<&str>| match topic {
        Some(t) => match topics.iter().position(|known| known == t) {
            Some(i) => (0, i, String::new()),
            None => (1, 0, t.to_lowercase()),
        },
        None => (2, 0, String::new()),
    };
    let mut sorted: Vec<&'a SiteEntry> = records.to_vec();
    sorted.sort_by(|a, b| (rank(a.topic()), a.sort_key()).cmp(&(rank(b.topic()), b.sort_key())));
    let mut groups: Vec<(Option<&'a str>, Vec<&'a SiteEntry>)> = Vec::new();
    for r in sorted {
        match groups.last_mut() {
            Some((topic, group)) if *topic == r.topic() => group.push(r),
            _ => groups.push((r.topic(), vec![r])),
        }
    }
    groups
}

/// The `count` newest entries: by publication, newest first, then by title.
pub fn recent<'a>(records: &[&'a SiteEntry], count: usize) -> Vec<&'a SiteEntry> {
    let mut sorted: Vec<&'a SiteEntry> = records.to_vec();
    sorted.sort_by(|a, b| {
        (Reverse(a.entry.published.on.timestamp()), a.sort_key())
            .cmp(&(Reverse(b.entry.published.on.timestamp()), b.sort_key()))
    });
    sorted.truncate(count);
    sorted
}

/// "Does it work?", in words.
pub fn rating_label(rating: Rating) -> &'static str {
    match rating {
        // A rating a review gave: the words say so.
        Rating::SmarterPractice => "Reviewed as smarter practice",
        Rating::Worked => "Worked",
        Rating::Promising => "Promising",
        Rating::NewOrInnovative => "New or innovative",
        Rating::DidNotWork => "Did not work",
    }
}

/// What an entry is and where it is from, in words, for a text that has
/// no summary to give: "Practice bank (promising) from Kent Police".
pub fn kind_from(e: &PublishedEntry) -> String {
    let mut text = match e.kind {
        Kind::SmarterPractice => "Smarter practice".to_string(),
        Kind::PracticeBank => format!("Practice bank ({})", rating_label(e.rating).to_lowercase()),
    };
    if !e.organisations.is_empty() {
        text.push_str(" from ");
        text.push_str(&html::and_list(&e.organisations));
    }
    text
}

pub fn decision_label(decision: Decision) -> &'static str {
    match decision {
        Decision::Suitable => "Suitable",
        Decision::NotSuitable => "Not suitable",
        Decision::MoreInformation => "More information",
        Decision::Recuse => "Recused",
    }
}

/// Where the site comes from: the commit it was built from, and what the
/// feed's ids are minted under.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// HEAD's commit id, abbreviated.
    pub commit: String,
    /// A domain the register's first commit was made from (its author's).
    pub authority: String,
    /// The day of that commit: with the domain it makes the feed's `tag:`
    /// ids, which then never change for the register's life.
    pub since: NaiveDate,
}

impl Provenance {
    /// The feed's id, and with `/<id>` an entry's.
    pub fn tag(&self) -> String {
        format!(
            "tag:{},{}:practice",
            self.authority,
            self.since.format("%Y-%m-%d")
        )
    }
}

/// The whole site, in memory.
#[derive(Debug, Clone)]
pub struct Site {
    /// Each file's path under the site's folder (with `/`), and its bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// HTML pages, retraction notices included.
    pub pages: usize,
    /// Entries shown (published or banked, not retracted).
    pub entries: usize,
    pub retracted: usize,
    /// Published entries that could not be read, and so are left out.
    pub problems: Vec<Problem>,
}

/// Build the site of the published set as HEAD has it.
pub fn build(state: &State, options: &Options) -> Result<Site> {
    let (records, problems) = gather(state)?;
    let provenance = provenance(state)?;
    let mut site = render(&state.config, &records, &provenance, options);
    site.problems = problems;
    Ok(site)
}

/// The site of `records`: pure, so every page can be checked without git.
pub fn render(
    config: &RegisterConfig,
    records: &[SiteEntry],
    provenance: &Provenance,
    options: &Options,
) -> Site {
    let frame = html::Frame {
        site_name: &config.name,
        publisher: config.publisher.as_ref(),
        commit: &provenance.commit,
    };
    let live: Vec<&SiteEntry> = records.iter().filter(|r| !r.is_retracted()).collect();
    let lists = listing::Lists::new(config, &live, options.page_size);
    let mut files = vec![(
        "index.html".to_string(),
        pages::home(&frame, config, &live, &lists, options.recent),
    )];
    files.extend(lists.pages(&frame));
    let mut retracted = 0;
    for r in records {
        let page = match &r.entry.retracted {
            Some(retraction) => {
                retracted += 1;
                pages::retracted(&frame, r, retraction)
            }
            None => pages::entry(&frame, config, &lists, r),
        };
        files.push((r.page_path(), page));
    }
    files.push(("feed.html".to_string(), about::feed_page(&frame, options)));
    files.push((
        "accessibility.html".to_string(),
        about::accessibility(&frame),
    ));
    let pages = files.len();
    files.push((
        "feed.xml".to_string(),
        atom::feed(config, records, provenance, options),
    ));
    files.push(("bank-data.js".to_string(), lists.data()));
    files.push(("style.css".to_string(), STYLE.to_string()));
    files.push(("filter.js".to_string(), FILTER.to_string()));
    files.push(("favicon.svg".to_string(), FAVICON.to_string()));
    // The marker names every file the site holds, so a later run can tell
    // them from files someone added (a CNAME, a git repository) and refuse
    // rather than delete those.
    // Public evidence is copied beside its entry's page, as it is.
    let attached: Vec<(String, Vec<u8>)> = records
        .iter()
        .filter(|r| r.entry.retracted.is_none())
        .flat_map(|r| {
            r.attachments
                .iter()
                .map(|(e, content)| (r.attachment_path(&e.name), content.clone()))
        })
        .collect();
    let mut marker = String::from(MARKER_HEADER);
    for path in files
        .iter()
        .map(|(p, _)| p)
        .chain(attached.iter().map(|(p, _)| p))
    {
        marker.push_str(path);
        marker.push('\n');
    }
    files.push((MARKER.to_string(), marker));
    Site {
        files: files
            .into_iter()
            .map(|(path, text)| (path, text.into_bytes()))
            .chain(attached)
            .collect(),
        pages,
        entries: records.len() - retracted,
        retracted,
        problems: vec![],
    }
}

/// The evidence of `id` an editor made public, with each file's content;
/// none where the activity's record does not read (the entry still shows).
fn public_evidence(state: &State, id: &str) -> Vec<(model::Evidence, Vec<u8>)> {
    // The list alone: the site needs nothing else of the activity's record.
    let Ok(evidence) =
        crate::id::PracticeId::parse(id).and_then(|id| state.load_evidence(id.as_str()))
    else {
        return Vec::new();
    };
    evidence
        .into_iter()
        .filter(|e| e.public)
        .filter_map(|e| {
            let path = RegisterPath::evidence(id, &e.name).to_string();
            let content = state.read_file(&path).ok()??;
            Some((e, content))
        })
        .collect()
}

/// Every entry in `published/` that reads, and a problem for each that does
/// not: one damaged file must not keep the rest off the site.
fn gather(state: &State) -> Result<(Vec<SiteEntry>, Vec<Problem>)> {
    let mut records = Vec::new();
    // One set of rosters for the whole site: most sign-offs are judged by
    // the same few versions of `register.yaml`.
    let mut rosters = Rosters::default();
    let (entries, mut problems) = state.published_entries()?;
    for (id, blob) in &entries {
        let id = id.as_str();
        let path = RegisterPath::published(id).to_string();
        let blob = state.repo().find_blob(*blob)?;
        match model::parse::<PublishedEntry>(&path, blob.content()) {
            Ok(entry) => {
                let signed = signed_at(state, id, &entry);
                let signatures = signatures(state, &mut rosters, &entry);
                let attachments = if entry.retracted.is_some() {
                    Vec::new()
                } else {
                    public_evidence(state, id)
                };
                records.push(SiteEntry {
                    id: id.to_string(),
                    entry,
                    signed,
                    signatures,
                    entered_at: None,
                    written_at: None,
                    attachments,
                });
            }
            Err(e) => problems.push(e.into()),
        }
    }
    // The moments each entry entered the set and last changed, from the
    // trailers of history (the clock reads them once and keeps them).
    let clock = crate::clock::Clock::read(state)?;
    for r in &mut records {
        if let Some(marks) = clock.marks(&r.id) {
            r.entered_at = marks.entered;
            r.written_at = marks.entry_written;
        }
    }
    Ok((records, problems))
}

/// When each sign-off the approval names was made: from the sign-off file as
/// HEAD has it, when it still records the same decision by the same
/// reviewer (no one may sign off after publication), else as the commit the
/// approval names wrote it. HEAD first: its folders are read once, where each
/// commit's would be decoded afresh.
fn signed_at(state: &State, id: &str, entry: &PublishedEntry) -> Vec<Option<When>> {
    let Some(approval) = &entry.approval else {
        return vec![];
    };
    approval
        .sign_offs
        .iter()
        .map(|s| {
            let path = RegisterPath::sign_off(id, approval.round, &s.partner).to_string();
            let recorded = |bytes: Option<Vec<u8>>| {
                bytes
                    .and_then(|b| model::parse::<SignOff>(&path, &b).ok())
                    .filter(|so| {
                        so.decision == s.decision && so.reviewer.same_email(&s.reviewer.email)
                    })
                    .map(|so| so.signed_at)
            };
            let at_commit = || {
                Oid::from_str(&s.commit)
                    .ok()
                    .and_then(|oid| state.repo().find_commit(oid).ok())
                    .and_then(|c| c.tree().ok())
                    .and_then(|tree| read_blob(state.repo(), &tree, &path).ok().flatten())
            };
            recorded(state.read(&path).ok().flatten()).or_else(|| recorded(at_commit()))
        })
        .collect()
}

/// What each sign-off's commit's signature proves of its reviewer. A
/// commit the approval names that is missing or will not read (a
/// hand-edited record) is `None`, as its date is: the page says that
/// sign-off cannot be checked, and the rest of the site is still built.
fn signatures(
    state: &State,
    rosters: &mut Rosters,
    entry: &PublishedEntry,
) -> Vec<Option<Signature>> {
    let Some(approval) = &entry.approval else {
        return vec![];
    };
    let repo = state.repo();
    approval
        .sign_offs
        .iter()
        .map(|s| {
            let commit = repo.find_commit(Oid::from_str(&s.commit).ok()?).ok()?;
            let found = rosters.signature(repo, &commit).ok()?;
            let author = String::from_utf8_lossy(commit.author().email_bytes()).into_owned();
            Some(Signature::for_reviewer(found, &author, &s.reviewer.email))
        })
        .collect()
}

/// The commit the site is built from, and the register's first commit (down
/// the first parents), whose author's domain and day mint the feed's ids.
fn provenance(state: &State) -> Result<Provenance> {
    let repo = state.repo();
    // A shallow clone's oldest commit is not the register's first, and the
    // feed's ids would change with every fetch.
    if repo.is_shallow() {
        return Err(Error::bad(
            "this clone is shallow, so the register's first commit, which names the feed's ids, is missing; run `git fetch --unshallow` first",
        ));
    }
    let mut walk = repo.revwalk()?;
    walk.push(state.head)?;
    walk.simplify_first_parent()?;
    let mut first = state.head;
    for oid in walk {
        first = oid?;
    }
    let first = repo.find_commit(first)?;
    let author = first.author();
    let domain = author
        .email()
        .ok()
        .and_then(|e| e.rsplit_once('@'))
        .map(|(_, domain)| domain.to_ascii_lowercase())
        .filter(|d| is_domain(d))
        .unwrap_or_else(|| "practice.invalid".into());
    let since = chrono::DateTime::from_timestamp(author.when().seconds(), 0)
        .map(|t| t.date_naive())
        .unwrap_or_default();
    let head = state.head.to_string();
    Ok(Provenance {
        commit: head[..10.min(head.len())].to_string(),
        authority: domain,
        since,
    })
}

/// A DNS name as a `tag:` id may use one.
fn is_domain(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests;
