//! The history of a register: every action, read from the trailers of its
//! commits. Trailers are in the commit message, so no tree is compared for an
//! action; only a commit without them is checked for whether it changed
//! register files (it should not have).

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone};
use git2::{Commit, Oid, Repository, Sort};
use serde::Serialize;

use crate::model::{Person, When};
use crate::register::Register;
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
}

/// The `Key: value` lines of the message's last paragraph, when that
/// paragraph is a trailer block, as `git log --format=%(trailers)` reads it.
/// (libgit2's own reader stops at a line `---`, taking it for the start of a
/// patch, so a comment holding one would hide every trailer.)
fn trailer_block(message: &str) -> Vec<(&str, &str)> {
    let paragraphs: Vec<&str> = message
        .trim_end()
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    if paragraphs.len() < 2 {
        return vec![];
    }
    let last = paragraphs[paragraphs.len() - 1];
    let lines: Option<Vec<(&str, &str)>> = last
        .lines()
        .map(|line| {
            let (key, value) = line.split_once(':')?;
            let token =
                !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            token.then_some((key, value.trim()))
        })
        .collect();
    lines.unwrap_or_default()
}

impl Trailers {
    /// Read the trailers of `message` as git does (the last paragraph).
    pub fn parse(message: &str) -> Trailers {
        let mut t = Trailers::default();
        for (key, value) in trailer_block(message) {
            let slot = match key {
                "Practice-Id" => &mut t.practice,
                "Action" => &mut t.action,
                "Partner" => &mut t.partner,
                "Decision" => &mut t.decision,
                "Round" => &mut t.round,
                "Rating" => &mut t.rating,
                _ => continue,
            };
            *slot = Some(value.trim().to_string());
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
                    Error::bad(format!(
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
    for (n, oid) in walk.enumerate() {
        if n % 1024 == 1023 {
            progress(n + 1);
        }
        let commit = repo.find_commit(oid?)?;
        if let Some(entry) = entry(&commit)?
            && query.keeps(&entry)
        {
            entries.push(entry);
        }
    }
    Ok(entries)
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
    let paragraphs: Vec<&str> = message
        .trim_end()
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let has_trailers = !trailer_block(message).is_empty();
    let end = paragraphs.len().saturating_sub(usize::from(has_trailers));
    paragraphs
        .get(1..end)
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
