//! The acting person is git's: the same environment variables and config
//! that `git commit` reads, in the same order, so a commit made by `practice`
//! names whoever a commit made by hand would.

use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, TimeZone, Timelike};

use crate::model::{Person, Stamp, When};
use crate::{Error, Result};

/// Who is acting, and when; author and committer as git would make them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub person: Person,
    pub at: DateTime<FixedOffset>,
    pub committer: Person,
    pub committed_at: DateTime<FixedOffset>,
}

impl Actor {
    /// Read the identity from the environment and `config` (the repository's
    /// config, which includes the global and system files).
    pub fn from_env(config: &git2::Config) -> Result<Actor> {
        Self::from_lookup(config, |name| std::env::var(name).ok())
    }

    /// As [`Actor::from_env`], with the environment given, for tests.
    pub fn from_lookup(
        config: &git2::Config,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Actor> {
        let get = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let config_name = config.get_string("user.name").ok();
        let config_email = config
            .get_string("user.email")
            .ok()
            .or_else(|| get("EMAIL"));
        let author_name = get("GIT_AUTHOR_NAME").or_else(|| config_name.clone());
        let author_email = get("GIT_AUTHOR_EMAIL").or_else(|| config_email.clone());
        let (Some(name), Some(email)) = (author_name, author_email) else {
            return Err(Error::NoIdentity);
        };
        let person = Person::new(name.trim(), email.trim());
        crate::model::check_email(&person.email)
            .map_err(|m| Error::bad(format!("your git identity's email {m}")))?;
        let committer = Person::new(
            get("GIT_COMMITTER_NAME")
                .or(config_name)
                .unwrap_or_else(|| person.name.clone()),
            get("GIT_COMMITTER_EMAIL")
                .or(config_email)
                .unwrap_or_else(|| person.email.clone()),
        );
        let date = |var: &str| -> Result<DateTime<FixedOffset>> {
            match get(var) {
                Some(text) => parse_git_date(&text).ok_or(Error::BadDate {
                    var: var.into(),
                    value: text,
                }),
                // git records whole seconds; so does the register, so that a
                // file's time and its commit's time agree exactly.
                None => {
                    let now = Local::now().fixed_offset();
                    Ok(now.with_nanosecond(0).unwrap_or(now))
                }
            }
        };
        let at = date("GIT_AUTHOR_DATE")?;
        let committed_at = date("GIT_COMMITTER_DATE")?;
        Ok(Actor {
            person,
            at,
            committer,
            committed_at,
        })
    }

    /// The moment of the action, as the register records it.
    pub fn when(&self) -> When {
        When::Time(self.at)
    }

    /// The day of the action.
    pub fn today(&self) -> When {
        When::Date(self.at.date_naive())
    }

    /// "By me, today": how the published set dates its records.
    pub fn dated_stamp(&self) -> Stamp {
        Stamp {
            on: self.today(),
            by: self.person.clone(),
        }
    }

    pub fn author_signature(&self) -> Result<git2::Signature<'static>> {
        signature(&self.person, &self.at)
    }

    pub fn committer_signature(&self) -> Result<git2::Signature<'static>> {
        signature(&self.committer, &self.committed_at)
    }
}

fn signature(person: &Person, at: &DateTime<FixedOffset>) -> Result<git2::Signature<'static>> {
    let time = git2::Time::new(at.timestamp(), at.offset().local_minus_utc() / 60);
    Ok(git2::Signature::new(&person.name, &person.email, &time)?)
}

/// The date formats git accepts in `GIT_AUTHOR_DATE`: its own
/// `@<seconds> <offset>`, RFC 2822, and ISO 8601 with or without an offset
/// (without one, local time, as git does). Whole seconds, as git records
/// them.
pub fn parse_git_date(text: &str) -> Option<DateTime<FixedOffset>> {
    parse_strict(text.trim()).and_then(whole_seconds)
}

/// The forms `practice` has always read, each by one exact format.
fn parse_strict(text: &str) -> Option<DateTime<FixedOffset>> {
    let raw = text.strip_prefix('@').unwrap_or(text);
    if let Some((secs, offset)) = raw.split_once(' ')
        && let (Ok(secs), Some(offset)) = (secs.parse::<i64>(), parse_offset(offset))
    {
        return offset.timestamp_opt(secs, 0).single();
    }
    if let Ok(secs) = raw.parse::<i64>()
        && text.starts_with('@')
    {
        return FixedOffset::east_opt(0)?.timestamp_opt(secs, 0).single();
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(t);
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S %z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t);
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Local
                .from_local_datetime(&t)
                .single()
                .map(|t| t.fixed_offset());
        }
    }
    None
}

/// git's seconds: a fraction is dropped, and a leap second (`:60`) is the
/// next second, as git counts it.
fn whole_seconds(t: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    let leap = t.timestamp_subsec_nanos() >= 1_000_000_000;
    t.offset()
        .timestamp_opt(t.timestamp() + i64::from(leap), 0)
        .single()
}

/// `+0100`, `-0530`, `Z`.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text == "Z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_date_formats_parse() {
        let expected = DateTime::parse_from_rfc3339("2026-11-25T09:12:00+01:00").unwrap();
        for text in [
            "@1795594320 +0100",
            "1795594320 +0100",
            "2026-11-25T09:12:00+01:00",
            "Wed, 25 Nov 2026 09:12:00 +0100",
            "2026-11-25 09:12:00 +0100",
        ] {
            let t = parse_git_date(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(t, expected, "{text}");
            assert_eq!(t.offset(), expected.offset(), "{text}");
        }
        assert!(parse_git_date("next tuesday").is_none());
        // git keeps whole seconds, and counts a leap second as the next.
        for (text, whole) in [
            ("2026-11-25T09:12:00.5Z", "2026-11-25T09:12:00Z"),
            ("2026-11-25T09:12:59.999+01:00", "2026-11-25T09:12:59+01:00"),
            ("2026-11-25 09:12:60 +0100", "2026-11-25T09:13:00+01:00"),
        ] {
            let t = parse_git_date(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(When::Time(t).to_string(), whole, "{text}");
        }
        assert!(parse_git_date("123 +99").is_none());
    }

    fn config_with(pairs: &[(&str, &str)]) -> (tempfile::TempDir, git2::Config) {
        let dir = tempfile::tempdir().unwrap();
        let mut config = git2::Config::open(&dir.path().join("config")).unwrap();
        for (k, v) in pairs {
            config.set_str(k, v).unwrap();
        }
        (dir, config)
    }

    #[test]
    fn the_environment_wins_over_config_as_in_git() {
        let (_d, config) = config_with(&[("user.name", "Config Name"), ("user.email", "c@x.uk")]);
        let env = |k: &str| match k {
            "GIT_AUTHOR_NAME" => Some("Env Name".to_string()),
            "GIT_AUTHOR_DATE" => Some("@1795594320 +0000".to_string()),
            _ => None,
        };
        let actor = Actor::from_lookup(&config, env).unwrap();
        assert_eq!(actor.person, Person::new("Env Name", "c@x.uk"));
        assert_eq!(actor.committer, Person::new("Config Name", "c@x.uk"));
        assert_eq!(actor.when().to_string(), "2026-11-25T08:12:00Z");
    }

    #[test]
    fn a_missing_identity_is_refused_with_the_fix() {
        let (_d, config) = config_with(&[]);
        let err = Actor::from_lookup(&config, |_| None).unwrap_err();
        assert!(err.to_string().contains("git config user.name"));
    }

    #[test]
    fn a_bad_date_names_its_variable() {
        let (_d, config) = config_with(&[("user.name", "A"), ("user.email", "a@x.uk")]);
        let env = |k: &str| (k == "GIT_AUTHOR_DATE").then(|| "soon".to_string());
        let err = Actor::from_lookup(&config, env).unwrap_err().to_string();
        assert!(err.starts_with("GIT_AUTHOR_DATE=\"soon\""), "{err}");
    }
}
