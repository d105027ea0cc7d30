use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

/// Someone named in the register: a submitter, a contact, an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub email: String,
}

impl Person {
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        Person {
            name: name.into(),
            email: email.into(),
        }
    }

    /// Emails are compared without regard to case, as mail systems do.
    pub fn same_email(&self, email: &str) -> bool {
        self.email.eq_ignore_ascii_case(email)
    }

    /// As [`Person::check`], for someone on the roster, whose email a
    /// commit must be able to carry exactly as written.
    pub(crate) fn check_on_roster(&self, path: &str, field: &str) -> Result<()> {
        self.check(path, field)?;
        if git_trimmed(&self.email) != self.email {
            return Err(Error::Invalid {
                path: path.to_string(),
                message: format!(
                    "`{field}.email` {:?} begins or ends with a character git drops from a commit's email, so no commit could ever match it; write it as {:?}",
                    self.email,
                    git_trimmed(&self.email)
                ),
            });
        }
        Ok(())
    }

    pub(crate) fn check(&self, path: &str, field: &str) -> Result<()> {
        super::require_text(path, &format!("{field}.name"), &self.name)?;
        check_name(&self.name).map_err(|message| Error::Invalid {
            path: path.to_string(),
            message: format!("`{field}.name` {message}"),
        })?;
        check_email(&self.email).map_err(|message| Error::Invalid {
            path: path.to_string(),
            message: format!("`{field}.email` {message}"),
        })
    }
}

impl fmt::Display for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// A character a commit's author or committer line cannot hold: git ends
/// the name at `<` and the email at `>`, and a line break or other control
/// character would end the header itself.
fn breaks_identity(c: char) -> bool {
    c.is_control() || c == '<' || c == '>'
}

/// A moment as git records one, as a time with its offset (an offset out
/// of range taken as UTC); `None` for one chrono cannot hold.
pub fn git_instant(time: git2::Time) -> Option<DateTime<FixedOffset>> {
    let utc = FixedOffset::east_opt(0).expect("zero offset");
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60).unwrap_or(utc);
    offset.timestamp_opt(time.seconds(), 0).single()
}

/// What libgit2 (like git) drops from either end of a name or email it
/// writes into a commit, its "crud": spaces, control characters and
/// `,:;<>"\'` — so what the register records is what the commit says.
pub fn git_trimmed(text: &str) -> &str {
    text.trim_matches(|c: char| c <= ' ' || ",:;<>\"\\'".contains(c))
}

/// A character, as a message names it.
pub(crate) fn describe(c: char) -> String {
    if c.is_control() {
        format!("the control character U+{:04X}", u32::from(c))
    } else {
        format!("`{c}`")
    }
}

/// A person's name, as a commit header can carry it.
pub(crate) fn check_name(name: &str) -> std::result::Result<(), String> {
    if name.trim().is_empty() {
        return Err("is empty; give a name".into());
    }
    match name.chars().find(|c| breaks_identity(*c)) {
        Some(c) => Err(format!(
            "{name:?} holds {}, which no name in a commit may; remove it",
            describe(c)
        )),
        None => Ok(()),
    }
}

/// Enough of a check to catch a name typed where an email belongs, and
/// anything a commit header could not carry.
pub(crate) fn check_email(email: &str) -> std::result::Result<(), String> {
    if let Some(c) = email.chars().find(|c| breaks_identity(*c)) {
        return Err(format!(
            "{email:?} holds {}, which no email in a commit may; write it as name@example.org",
            describe(c)
        ));
    }
    let ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{email:?} is not an email address; write it as name@example.org"
        ))
    }
}

/// A moment in the register: a date (`2026-12-01`) or a time with its offset
/// (`2026-11-25T09:12:00Z`). Both are accepted wherever the spec shows either,
/// so registers written by hand or by other tools read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Date(NaiveDate),
    Time(DateTime<FixedOffset>),
}

impl When {
    /// The moment, for ordering: a date counts from its start, in UTC.
    pub fn instant(&self) -> DateTime<chrono::Utc> {
        match self {
            When::Date(d) => d.and_time(chrono::NaiveTime::MIN).and_utc(),
            When::Time(t) => t.with_timezone(&chrono::Utc),
        }
    }

    /// A date or time as the register writes one, in the years it holds
    /// (see [`super::YEARS`]): a year like 0202 or 20260 is a typo.
    pub fn parse(text: &str) -> Option<When> {
        let text = text.trim();
        DateTime::parse_from_rfc3339(text)
            .map(When::Time)
            .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d").map(When::Date))
            .ok()
            .filter(|w| super::YEARS.contains(&chrono::Datelike::year(&w.date())))
    }

    /// A moment as git records one (seconds since the epoch and an offset
    /// in minutes). An offset out of range is taken as UTC; a moment chrono
    /// cannot hold (a damaged commit's) is the earliest date, so it sorts
    /// first and is plainly wrong.
    pub fn of_git(time: git2::Time) -> When {
        git_instant(time).map_or(When::Date(NaiveDate::MIN), When::Time)
    }

    /// The calendar day, for filters and sorting.
    pub fn date(&self) -> NaiveDate {
        match self {
            When::Date(d) => *d,
            When::Time(t) => t.date_naive(),
        }
    }

    /// A key that orders moments; a bare date sorts at the start of its day.
    pub fn timestamp(&self) -> i64 {
        match self {
            When::Date(d) => d
                .and_hms_opt(0, 0, 0)
                .map_or(0, |t| t.and_utc().timestamp()),
            When::Time(t) => t.timestamp(),
        }
    }
}

/// `at` as git records a moment: whole seconds and an offset in minutes.
pub(crate) fn git_time(at: &DateTime<FixedOffset>) -> git2::Time {
    git2::Time::new(at.timestamp(), at.offset().local_minus_utc() / 60)
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            When::Time(t) => f.write_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        }
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        // A visitor, so the YAML reader can say where a bad date is.
        struct Moment;
        impl serde::de::Visitor<'_> for Moment {
            type Value = When;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date or a time")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<When, E> {
                When::parse(text).ok_or_else(|| {
                    E::custom(format!(
                        "{text:?} is not a date or time; write 2026-12-01 or 2026-12-01T09:00:00Z"
                    ))
                })
            }
        }
        d.deserialize_str(Moment)
    }
}

/// Who did something, and when: `submitted`, `published`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stamp {
    pub on: When,
    pub by: Person,
}

/// An act that needs a reason on the record: `withdrawn`, `retracted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reasoned {
    pub on: When,
    pub by: Person,
    pub reason: String,
}

/// How an entry published before the register existed came into it.
/// `practice import` fills in `on` and `by` (the editor importing, that day);
/// a file given to it may leave them out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Imported {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<When>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Person>,
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_read_and_write_back_unchanged() {
        for text in [
            "2026-12-01",
            "2026-11-25T09:12:00Z",
            "2026-11-25T09:12:00+01:00",
        ] {
            assert_eq!(When::parse(text).unwrap().to_string(), text);
        }
        assert!(When::parse("yesterday").is_none());
        assert!(When::parse("2026-13-01").is_none());
    }

    #[test]
    fn emails_must_look_like_emails() {
        assert!(check_email("jo@dorset.police.uk").is_ok());
        // As libgit2 writes them into a commit.
        assert_eq!(git_trimmed(" \\'Jo Bloggs\";: "), "Jo Bloggs");
        assert_eq!(git_trimmed("\\y@s,"), "y@s");
        assert_eq!(git_trimmed("J. Smith Jr."), "J. Smith Jr.");
        for bad in ["jo", "@x", "jo@", "jo bloggs@x", "a@b@c"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
