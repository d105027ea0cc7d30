//! The history of a register: every action, read from the trailers of its
//! commits. Trailers are in the commit message, so no tree is compared for an
//! action; only a commit without them is checked for whether it changed
//! register files (it should not have).

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone};
use git2::{Commit, Oid, Repository, Sort};
use serde::Serialize;

use crate::model::{Person, RegisterConfig, When};
use crate::pipeline::signing::{self, Status};
use crate::register::Register;
use crate::signature::Seal;
use crate::treediff;
use crate::{Error, Result};

/// What a commit's trailers say about the action it records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trailers {
    pub practice: Option<String>,
    pub action: Option<String>,
    pub partner: Option<String>,
    pub decision: Option<String>,
    pub round: Option<String>,
    pub rating: Option<String>,
    /// Which of the register's rules an `Action: rules` commit changes.
    pub rule: Option<String>,
    /// Keys of the action that its trailers give more than once, or spelt
    /// otherwise than the spec spells them: git reads keys without regard
    /// to case and keeps every value, so such a message can be read two
    /// ways, and the audit takes it for a forgery rather than pick one.
    pub ambiguous: Vec<String>,
}

/// The trailers of `message` as `(key, value)`, read as `git log
/// --format=%(trailers)` reads them (git's trailer.c, with git's default
/// configuration): the last paragraph, after the title, when every line of
/// it is a trailer, or when it holds a line git itself writes
/// (`Signed-off-by: `) and a quarter of its lines are trailers; a paragraph
/// ends at a line of only whitespace; `#` comment lines count for nothing;
/// a line that starts with whitespace continues the trailer above it,
/// unfolded into one line as `git interpret-trailers --parse` shows it.
/// A line `---` ends nothing: libgit2's own reader stops there, taking it
/// for the start of a patch, so a comment holding one would hide every
/// trailer, but `git log` reads on.
fn trailer_block(message: &str) -> Vec<(&str, String)> {
    let (start, end) = block_bounds(message);
    let mut lines: Vec<String> = Vec::new();
    let mut continues = false;
    for line in message[start..end].split_inclusive('\n') {
        match lines.last_mut() {
            Some(last) if continues && line.bytes().next().is_some_and(is_space) => {
                last.push_str(line);
            }
            _ => {
                continues = separator(line).is_some();
                lines.push(line.to_string());
            }
        }
    }
    let mut trailers = Vec::new();
    let mut from = start;
    for line in &lines {
        // Keys are borrowed from the message: find this line's key there.
        let at = from;
        from += line.len();
        if line.starts_with(COMMENT) {
            continue;
        }
        let Some(sep) = separator(line) else {
            continue;
        };
        let key = trim(&message[at..at + sep]);
        trailers.push((key, unfold(trim(&line[sep + 1..]))));
    }
    trailers
}

/// How git's comment lines start (`core.commentChar`'s default).
const COMMENT: &str = "#";

/// The line `git commit -v` puts above the diff (with the line end before
/// it); all from it on is ignored.
const SCISSORS: &str = "\n# ------------------------ >8 ------------------------\n";

/// Lines git writes itself: a block holding one need only be a quarter
/// trailers.
const GIT_PREFIXES: [&str; 2] = ["Signed-off-by: ", "(cherry picked from commit "];

/// git's `isspace`: space, tab, newline and carriage return only.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn trim(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_ascii() && is_space(c as u8))
}

/// A line of only whitespace (its end included) separates paragraphs.
fn is_blank(line: &str) -> bool {
    line.bytes().take_while(|&b| b != b'\n').all(is_space)
}

/// Where the `:` of a trailer line is: after a key of letters, digits and
/// `-`, and optional spaces or tabs (git's `find_separator`).
fn separator(line: &str) -> Option<usize> {
    let mut spaces = false;
    for (i, b) in line.bytes().enumerate() {
        if b == b':' {
            return (i >= 1).then_some(i);
        }
        if !spaces && (b.is_ascii_alphanumeric() || b == b'-') {
            continue;
        }
        if i != 0 && (b == b' ' || b == b'\t') {
            spaces = true;
            continue;
        }
        break;
    }
    None
}

/// A folded value as one line: each line break and the whitespace after
/// it become one space.
fn unfold(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            while chars
                .next_if(|&c| c.is_ascii() && is_space(c as u8))
                .is_some()
            {}
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    trim(&out).to_string()
}

/// Where the line after the one at `at` starts.
fn next_line(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// Where the last line of `text[..len]` starts; `None` when it is empty.
fn last_line(text: &str, len: usize) -> Option<usize> {
    // A final newline belongs to the last line.
    let body = &text.as_bytes()[..len.checked_sub(1)?];
    Some(memchr::memrchr(b'\n', body).map_or(0, |i| i + 1))
}

/// Where the message proper ends: before trailing comment lines and empty
/// lines, an old `Conflicts:` list, and anything from a scissors line on
/// (git's `ignored_log_message_bytes`).
fn end_of_message(message: &str) -> usize {
    let cutoff = if message.starts_with(&SCISSORS[1..]) {
        0
    } else {
        message.find(SCISSORS).map_or(message.len(), |i| i + 1)
    };
    // git marks "no ignored run yet" with 0, so a run from the very first
    // line is not one; kept, to end where git does.
    let (mut ignored_from, mut conflicts, mut at) = (0, false, 0);
    while at < cutoff {
        let line = &message[at..];
        if message[at..cutoff].starts_with(COMMENT) || line.starts_with('\n') {
            if ignored_from == 0 {
                ignored_from = at;
            }
        } else if line.starts_with("Conflicts:\n") {
            conflicts = true;
            if ignored_from == 0 {
                ignored_from = at;
            }
        } else if conflicts && line.starts_with('\t') {
            // A path in the conflicts list.
        } else if ignored_from != 0 {
            ignored_from = 0;
            conflicts = false;
        }
        at = next_line(message, at);
    }
    if ignored_from != 0 {
        ignored_from
    } else {
        cutoff
    }
}

/// The trailer block of `message` as `start..end`; empty (`start == end`)
/// when there is none.
fn block_bounds(message: &str) -> (usize, usize) {
    // `git log` reads a message from its first line that is not blank.
    let mut from = 0;
    while from < message.len() && is_blank(&message[from..]) {
        from = next_line(message, from);
    }
    let (start, end) = bounds_in(&message[from..]);
    (from + start, from + end)
}

/// [`block_bounds`] of a message that starts with its title (git's
/// `find_trailer_block_start`).
fn bounds_in(message: &str) -> (usize, usize) {
    let len = end_of_message(message);
    let text = &message[..len];
    // The first paragraph is the title and cannot be trailers.
    let mut title_end = 0;
    while title_end < len {
        let line = &text[title_end..];
        if !line.starts_with(COMMENT) && is_blank(line) {
            break;
        }
        title_end = next_line(text, title_end);
    }
    let none = (len, len);
    let (mut trailers, mut others, mut maybe_continued) = (0usize, 0usize, 0usize);
    let (mut git_line, mut only_spaces) = (false, true);
    let mut at = last_line(text, len);
    while let Some(bol) = at.filter(|&l| l >= title_end) {
        at = last_line(text, bol);
        let line = &text[bol..];
        if line.starts_with(COMMENT) {
            others += maybe_continued;
            maybe_continued = 0;
            continue;
        }
        if is_blank(line) {
            if only_spaces {
                continue;
            }
            others += maybe_continued;
            let start = next_line(text, bol);
            if (git_line && trailers * 3 >= others) || (trailers > 0 && others == 0) {
                return (start, len);
            }
            return none;
        }
        only_spaces = false;
        if GIT_PREFIXES.iter().any(|p| line.starts_with(p)) {
            trailers += 1;
            maybe_continued = 0;
            git_line = true;
        } else if separator(line).is_some() && !line.bytes().next().is_some_and(is_space) {
            trailers += 1;
            maybe_continued = 0;
        } else if line.bytes().next().is_some_and(is_space) {
            maybe_continued += 1;
        } else {
            others += 1 + maybe_continued;
            maybe_continued = 0;
        }
    }
    none
}

impl Trailers {
    /// Read the trailers of `message` as git does (see [`trailer_block`]);
    /// git matches keys without regard to case. Of a key given twice, the
    /// last is kept.
    pub fn parse(message: &str) -> Trailers {
        let mut t = Trailers::default();
        for (key, value) in trailer_block(message) {
            let (slot, spelt) = match key.to_ascii_lowercase().as_str() {
                "practice-id" => (&mut t.practice, "Practice-Id"),
                "action" => (&mut t.action, "Action"),
                "partner" => (&mut t.partner, "Partner"),
                "decision" => (&mut t.decision, "Decision"),
                "round" => (&mut t.round, "Round"),
                "rating" => (&mut t.rating, "Rating"),
                "rule" => (&mut t.rule, "Rule"),
                _ => continue,
            };
            let twice = slot.is_some();
            *slot = Some(value);
            if (twice || key != spelt) && !t.ambiguous.iter().any(|k| k == spelt) {
                t.ambiguous.push(spelt.to_string());
            }
        }
        t
    }
}

/// One action in the history.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub commit: String,
    pub at: When,
    pub actor: Person,
    /// `None` for a commit that changed register files without trailers.
    pub action: Option<String>,
    pub id: Option<String>,
    pub partner: Option<String>,
    pub decision: Option<String>,
    pub round: Option<u32>,
    /// The first line of the body: a reviewer's comment, a reason.
    pub comment: Option<String>,
    pub subject: String,
    /// Set when the commit changed register files but carries no trailers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// What the commit's signature proves of its author, by the roster
    /// before it: `verified`, `unsigned`, `bad` or `unknown-key`.
    pub signature: Status,
    /// The SHA256 fingerprint of the key that signed it, if any.
    pub fingerprint: Option<String>,
}

/// A bound of `--since` or `--until`: a date or time, or a git revision.
#[derive(Debug, Clone)]
pub enum Bound {
    At(DateTime<FixedOffset>),
    Revision(Oid),
}

/// What `history` narrows to; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub id: Option<String>,
    pub partner: Option<String>,
    pub reviewer: Option<String>,
    pub decision: Option<String>,
    pub action: Option<String>,
    pub since: Option<Bound>,
    pub until: Option<Bound>,
    /// Only actions whose signature is not verified.
    pub unsigned: bool,
}

impl Query {
    /// `text` as a bound: a date (`2026-11-25`, the start of the day for
    /// `--since`, the end for `--until`), a time, or a revision.
    pub fn bound(repo: &Repository, text: &str, end_of_day: bool) -> Result<Bound> {
        match When::parse(text) {
            Some(When::Time(t)) => Ok(Bound::At(t)),
            Some(When::Date(d)) => {
                let time = if end_of_day {
                    NaiveTime::from_hms_opt(23, 59, 59)
                } else {
                    NaiveTime::from_hms_opt(0, 0, 0)
                }
                .expect("a valid time");
                let utc = chrono::FixedOffset::east_opt(0).expect("zero offset");
                Ok(Bound::At(
                    utc.from_local_datetime(&d.and_time(time))
                        .single()
                        .expect("UTC has no gaps"),
                ))
            }
            None => repo
                .revparse_single(text)
                .and_then(|o| o.peel_to_commit())
                .map(|c| Bound::Revision(c.id()))
                .map_err(|_| {
                    Error::Usage(format!(
                        "{text:?} is neither a date (2026-11-25) nor a revision git knows"
                    ))
                }),
        }
    }

    fn keeps(&self, e: &Entry) -> bool {
        let same = |want: &Option<String>, have: &Option<String>| {
            want.as_ref()
                .is_none_or(|w| have.as_ref().is_some_and(|h| h.eq_ignore_ascii_case(w)))
        };
        same(&self.id, &e.id)
            && same(&self.partner, &e.partner)
            && same(&self.decision, &e.decision)
            && same(&self.action, &e.action)
            && self.reviewer.as_ref().is_none_or(|r| e.actor.same_email(r))
            && match &self.since {
                Some(Bound::At(t)) => e.at.timestamp() >= t.timestamp(),
                _ => true,
            }
            && match &self.until {
                Some(Bound::At(t)) => e.at.timestamp() <= t.timestamp(),
                _ => true,
            }
    }
}

/// The actions in the register's history that `query` keeps, newest first.
/// `progress` hears how many commits have been read so far.
pub fn history(
    register: &Register,
    query: &Query,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Entry>> {
    register.require_whole_history()?;
    let repo = register.repo();
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    match &query.until {
        Some(Bound::Revision(r)) => walk.push(*r)?,
        _ => walk
            .push_head()
            .map_err(|_| Error::NoCommits(register.root().into()))?,
    }
    if let Some(Bound::Revision(r)) = &query.since {
        walk.hide(*r)?;
    }
    let mut entries = Vec::new();
    let mut rosters = Rosters::default();
    for (n, oid) in walk.enumerate() {
        if n % 1024 == 1023 {
            progress(n + 1);
        }
        let commit = repo.find_commit(oid?)?;
        let Some(mut entry) = entry(&commit)?.filter(|e| query.keeps(e)) else {
            continue;
        };
        // Only what the query keeps is verified: a signature costs more to
        // check than a commit does to read.
        (entry.signature, entry.fingerprint) = rosters.signature(repo, &commit)?;
        if !(query.unsigned && entry.signature == Status::Verified) {
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// What the signature of `commit` proves of its author, by the roster
/// before it, and the fingerprint of the key that made it: as `history`
/// says it, for one commit (`show`, the website).
pub fn signature_of(repo: &Repository, commit: &Commit<'_>) -> Result<(Status, Option<String>)> {
    Rosters::default().signature(repo, commit)
}

/// The roster each commit is judged by, read once per version of
/// `register.yaml`.
#[derive(Default)]
pub struct Rosters(std::collections::HashMap<Oid, Option<RegisterConfig>>);

impl Rosters {
    /// As [`signature_of`], keeping the rosters read for the next commit.
    pub fn signature(
        &mut self,
        repo: &Repository,
        commit: &Commit<'_>,
    ) -> Result<(Status, Option<String>)> {
        let author = author_of(commit).0;
        Ok(match self.before(repo, commit)? {
            Some(roster) => signing::status(roster, &author, &Seal::of_commit(repo, commit)),
            None => (Status::Unsigned, None),
        })
    }

    /// The roster before `commit` (its parent's; for a first commit, its
    /// own), if it has a `register.yaml` that reads.
    fn before(
        &mut self,
        repo: &Repository,
        commit: &Commit<'_>,
    ) -> Result<Option<&RegisterConfig>> {
        let tree = match commit.parents().next() {
            Some(parent) => parent.tree()?,
            None => commit.tree()?,
        };
        let Some(blob) = tree.get_name(crate::layout::CONFIG).map(|e| e.id()) else {
            return Ok(None);
        };
        let config = self
            .0
            .entry(blob)
            .or_insert_with(|| crate::register::read_config(repo, &tree).ok().flatten());
        Ok(config.as_ref())
    }
}

/// The history entry of `commit`: its action, or a problem if it changed
/// register files without saying what it did; `None` for other commits.
pub fn entry(commit: &Commit<'_>) -> Result<Option<Entry>> {
    let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
    let trailers = Trailers::parse(&message);
    let problem = if trailers.action.is_none() {
        let tree = commit.tree()?;
        let parent = commit.parents().next().map(|p| p.tree()).transpose()?;
        if !treediff::touches_register(parent.as_ref(), &tree) {
            return Ok(None);
        }
        Some("changed register files but carries no trailers".to_string())
    } else {
        None
    };
    let (actor, at) = author_of(commit);
    Ok(Some(Entry {
        commit: commit.id().to_string(),
        at,
        actor,
        action: trailers.action,
        id: trailers.practice,
        partner: trailers.partner,
        decision: trailers.decision,
        round: trailers.round.and_then(|r| r.parse().ok()),
        comment: body_first_line(&message),
        subject: message.lines().next().unwrap_or("").to_string(),
        problem,
        signature: Status::Unsigned,
        fingerprint: None,
    }))
}

/// Who made `commit`, and when, as the register names people and moments.
pub fn author_of(commit: &Commit<'_>) -> (Person, When) {
    let author = commit.author();
    let at = When::of_git(author.when());
    let person = Person::new(
        String::from_utf8_lossy(author.name_bytes()),
        String::from_utf8_lossy(author.email_bytes()),
    );
    (person, at)
}

/// The first line of the body: after the subject, before the trailer block.
fn body_first_line(message: &str) -> Option<String> {
    let before = match block_bounds(message) {
        (start, end) if start < end => &message[..start],
        _ => message,
    };
    let paragraphs: Vec<&str> = before
        .trim_end()
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs
        .get(1..)
        .and_then(|body| body.first())
        .and_then(|p| p.lines().next())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_and_comment_are_read_from_the_message() {
        let message = "review x: npcc not-suitable (round 2)\n\nNo evidence yet.\nMore text.\n\nPractice-Id: x\nAction: review\nPartner: npcc\nDecision: not-suitable\nRound: 2\n";
        let t = Trailers::parse(message);
        assert_eq!(t.practice.as_deref(), Some("x"));
        assert_eq!(t.action.as_deref(), Some("review"));
        assert_eq!(t.partner.as_deref(), Some("npcc"));
        assert_eq!(t.decision.as_deref(), Some("not-suitable"));
        assert_eq!(t.round.as_deref(), Some("2"));
        assert_eq!(
            body_first_line(message).as_deref(),
            Some("No evidence yet.")
        );
        assert_eq!(
            body_first_line("publish x\n\nPractice-Id: x\nAction: publish\n"),
            None
        );
        assert_eq!(Trailers::parse("fix a typo\n"), Trailers::default());
        assert_eq!(
            Trailers::parse("Action: review\n"),
            Trailers::default(),
            "a subject is no trailer"
        );
    }

    #[test]
    fn a_block_git_reads_is_no_comment() {
        // Folded, CRLF, or after a line of spaces: git reads these blocks,
        // so none of their lines is the body's.
        for message in [
            "review x\n\nPartner: npcc\n  and hmicfrs\nAction: review\n",
            "review x\r\n\r\nAction: review\r\n",
            "review x\n \nAction: review\n",
        ] {
            assert_eq!(
                Trailers::parse(message).action.as_deref(),
                Some("review"),
                "{message:?}"
            );
            assert_eq!(body_first_line(message), None, "{message:?}");
        }
        let folded = Trailers::parse("review x\n\nPartner: npcc\n  and hmicfrs\n");
        assert_eq!(folded.partner.as_deref(), Some("npcc and hmicfrs"));
        assert_eq!(
            body_first_line("review x\n\nLooks sound.\n  \nAction: review\n").as_deref(),
            Some("Looks sound.")
        );
    }

    #[test]
    fn a_divider_in_the_comment_hides_no_trailer() {
        let message = "review x: npcc more-information (round 1)\n\nPlease add evaluation.\n---\nSee attached.\n\nPractice-Id: x\nAction: review\nPartner: npcc\nDecision: more-information\nRound: 1\n";
        let t = Trailers::parse(message);
        assert_eq!(t.action.as_deref(), Some("review"));
        assert_eq!(t.decision.as_deref(), Some("more-information"));
        assert_eq!(
            body_first_line(message).as_deref(),
            Some("Please add evaluation.")
        );
    }
}
