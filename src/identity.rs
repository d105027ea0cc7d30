//! The acting person is git's: the same environment variables and config
//! that `git commit` reads, in the same order, so a commit made by `practice`
//! names whoever a commit made by hand would.

use chrono::{
    DateTime, Datelike, FixedOffset, Local, NaiveDate, NaiveDateTime, TimeDelta, TimeZone,
    Timelike, Weekday,
};

use crate::model::{Person, Stamp, When};
use crate::{Error, Result};

/// git's configuration as git itself would read it here: the repository's
/// (or, outside one, the user's and the system's), honouring what libgit2
/// alone does not — `GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_SYSTEM` and
/// `GIT_CONFIG_GLOBAL`, and the settings `GIT_CONFIG_COUNT` and
/// `GIT_CONFIG_PARAMETERS` give (as `git -c` does, over every file) — so an identity or a signing key set up
/// for git is the one `practice` uses, and one kept out of git is kept out
/// here too. A snapshot: read once, as git reads its config once a command.
pub fn git_config(repo: Option<&git2::Repository>) -> Result<git2::Config> {
    follow_git_config_env();
    let global = set_var("GIT_CONFIG_GLOBAL");
    let system = set_var("GIT_CONFIG_SYSTEM");
    let no_system = no_system();
    let mut config = match repo {
        Some(repo) => repo.config()?,
        None => git2::Config::open_default()?,
    };
    let add = |config: &mut git2::Config, path: Option<std::ffi::OsString>, level| match path
        .map(std::path::PathBuf::from)
    {
        Some(path) if path.is_file() => config.add_file(&path, level, true),
        _ => Ok(()),
    };
    if !no_system {
        add(&mut config, system, git2::ConfigLevel::System)?;
    }
    add(&mut config, global, git2::ConfigLevel::Global)?;
    // libgit2 takes settings only from a file: one of its own, read into
    // the snapshot and removed before anything else runs.
    let file = match counted_settings()? {
        Some(settings) => {
            let mut file =
                tempfile::NamedTempFile::new().map_err(|e| Error::io("a temporary file", e))?;
            std::io::Write::write_all(&mut file, settings.as_bytes())
                .map_err(|e| Error::io(file.path(), e))?;
            config.add_file(file.path(), git2::ConfigLevel::App, true)?;
            Some(file)
        }
        None => None,
    };
    let snapshot = config.snapshot()?;
    drop(file);
    Ok(snapshot)
}

/// The settings git takes from its environment (`GIT_CONFIG_COUNT` and its
/// keys, then `GIT_CONFIG_PARAMETERS`, as git reads them), written as a git
/// config file; `None` when there are none. A count, key or list git would
/// refuse is refused the same way.
fn counted_settings() -> Result<Option<String>> {
    let mut settings = count_settings()?;
    settings.extend(parameter_settings()?);
    if settings.is_empty() {
        return Ok(None);
    }
    let mut file = String::new();
    for (n, (key, value)) in settings.iter().enumerate() {
        file.push_str(&setting_lines(n, key, value)?);
    }
    Ok(Some(file))
}

/// The settings `git -c` passes to the commands it runs, in
/// `GIT_CONFIG_PARAMETERS`: shell-quoted `'key'='value'` (or, from older
/// git, `'key=value'`), separated by spaces.
fn parameter_settings() -> Result<Vec<(String, String)>> {
    let Some(text) = set_var("GIT_CONFIG_PARAMETERS") else {
        return Ok(Vec::new());
    };
    let text = text.to_string_lossy();
    let bad = || {
        Error::bad(format!(
            "GIT_CONFIG_PARAMETERS={text:?} is not as git writes it ('key'='value' …); unset it"
        ))
    };
    let mut chars = text.chars().peekable();
    let mut settings = Vec::new();
    loop {
        while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(settings);
        }
        let first = single_quoted(&mut chars).ok_or_else(bad)?;
        if chars.next_if_eq(&'=').is_some() {
            let value = single_quoted(&mut chars).ok_or_else(bad)?;
            settings.push((first, value));
        } else {
            // `-c key` alone means true.
            let (key, value) = first.split_once('=').unwrap_or((&first, "true"));
            settings.push((key.to_string(), value.to_string()));
        }
    }
}

/// One word as git's `sq_quote` writes it: in single quotes, a quote or `!`
/// within as `'\''` or `'\!'`.
fn single_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    chars.next_if_eq(&'\'')?;
    let mut word = String::new();
    loop {
        match chars.next()? {
            '\'' => {
                if chars.next_if_eq(&'\\').is_none() {
                    return Some(word);
                }
                word.push(chars.next_if(|c| *c == '\'' || *c == '!')?);
                chars.next_if_eq(&'\'')?;
            }
            c => word.push(c),
        }
    }
}

/// The settings of `GIT_CONFIG_COUNT`, `GIT_CONFIG_KEY_<n>` and
/// `GIT_CONFIG_VALUE_<n>`, in order.
fn count_settings() -> Result<Vec<(String, String)>> {
    let Some(count) = set_var("GIT_CONFIG_COUNT") else {
        return Ok(Vec::new());
    };
    let count = count.to_string_lossy();
    let count: usize = count.trim().parse().map_err(|_| {
        Error::bad(format!(
            "GIT_CONFIG_COUNT={count:?} is not a number of settings; set it to how many GIT_CONFIG_KEY_<n> there are, or unset it"
        ))
    })?;
    let mut settings = Vec::new();
    for n in 0..count {
        let var = |what: &str| {
            let name = format!("GIT_CONFIG_{what}_{n}");
            std::env::var(&name).map_err(|_| {
                Error::bad(format!(
                    "GIT_CONFIG_COUNT={count} but {name} is not set (or not UTF-8); set it, or lower the count"
                ))
            })
        };
        settings.push((var("KEY")?, var("VALUE")?));
    }
    Ok(settings)
}

/// `key = value` as lines of a git config file; a key git would refuse is
/// refused (`n` says which setting, for the message).
fn setting_lines(n: usize, key: &str, value: &str) -> Result<String> {
    let bad_key = || {
        Error::bad(format!(
            "the git config key {key:?} (setting {n} of GIT_CONFIG_COUNT or GIT_CONFIG_PARAMETERS) is not a key like user.name; mend it, or unset the variable"
        ))
    };
    let (section, name) = key.rsplit_once('.').ok_or_else(bad_key)?;
    let (section, sub) = match section.split_once('.') {
        Some((s, sub)) => (s, Some(sub)),
        None => (section, None),
    };
    let plain = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !plain(section) || !plain(name) {
        return Err(bad_key());
    }
    let quoted = |t: &str| {
        let mut q = String::from('"');
        for c in t.chars() {
            match c {
                '\\' => q.push_str("\\\\"),
                '"' => q.push_str("\\\""),
                '\n' => q.push_str("\\n"),
                '\t' => q.push_str("\\t"),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    };
    let header = match sub {
        Some(sub) if sub.contains('\n') => return Err(bad_key()),
        Some(sub) => format!("[{section} {}]\n", quoted(sub)),
        None => format!("[{section}]\n"),
    };
    Ok(format!("{header}\t{name} = {}\n", quoted(value)))
}

/// An environment variable git reads, when set to something.
fn set_var(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// Whether `GIT_CONFIG_NOSYSTEM` is true, as git reads a boolean.
fn no_system() -> bool {
    set_var("GIT_CONFIG_NOSYSTEM").is_some_and(|v| {
        let v = v.to_string_lossy().to_ascii_lowercase();
        !matches!(v.as_str(), "0" | "false" | "no" | "off")
    })
}

/// Point libgit2's search for the user's and the system's config files
/// nowhere when git is told to read them from elsewhere
/// (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_SYSTEM`) or not at all
/// (`GIT_CONFIG_NOSYSTEM`): [`git_config`] then adds the named files. Once
/// per process, before any repository is opened, since libgit2 keeps a
/// repository's config from its first reading.
pub(crate) fn follow_git_config_env() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let set = |name: &str| set_var(name).is_some();
        let nowhere = std::path::Path::new("/nonexistent/practice-no-config");
        // SAFETY: set once, before this process opens a repository.
        unsafe {
            if no_system() || set("GIT_CONFIG_SYSTEM") {
                let _ = git2::opts::set_search_path(git2::ConfigLevel::System, nowhere);
            }
            if set("GIT_CONFIG_GLOBAL") {
                let _ = git2::opts::set_search_path(git2::ConfigLevel::Global, nowhere);
                let _ = git2::opts::set_search_path(git2::ConfigLevel::XDG, nowhere);
            }
        }
    });
}

/// Who is acting, and when; author and committer as git would make them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub person: Person,
    pub at: DateTime<FixedOffset>,
    pub committer: Person,
    pub committed_at: DateTime<FixedOffset>,
}

/// Now, to the second: git records whole seconds, and so does the
/// register, so that a file's time and its commit's time agree exactly.
/// `PRACTICE_NOW` (a date as git takes one) sets it, for tests and for
/// reports that ask "as of when".
pub fn now() -> Result<DateTime<FixedOffset>> {
    match std::env::var("PRACTICE_NOW") {
        Ok(text) => parse_git_date(&text).ok_or(Error::BadDate {
            var: "PRACTICE_NOW".into(),
            value: text,
        }),
        Err(_) => {
            let now = Local::now().fixed_offset();
            Ok(now.with_nanosecond(0).unwrap_or(now))
        }
    }
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
        // Each part with where it came from, so a refusal can name it.
        let get = |name: &str| {
            env(name)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (v, name.to_string()))
        };
        let config_name = config
            .get_string("user.name")
            .ok()
            .map(|v| (v, "git config user.name".to_string()));
        let config_email = config
            .get_string("user.email")
            .ok()
            .map(|v| (v, "git config user.email".to_string()))
            .or_else(|| get("EMAIL"));
        let author_name = get("GIT_AUTHOR_NAME").or_else(|| config_name.clone());
        let author_email = get("GIT_AUTHOR_EMAIL").or_else(|| config_email.clone());
        let (Some(name), Some(email)) = (author_name, author_email) else {
            return Err(Error::NoIdentity);
        };
        let committer_name = get("GIT_COMMITTER_NAME")
            .or(config_name)
            .unwrap_or_else(|| name.clone());
        let committer_email = get("GIT_COMMITTER_EMAIL")
            .or(config_email)
            .unwrap_or_else(|| email.clone());
        let person = identity(&name, &email)?;
        let committer = identity(&committer_name, &committer_email)?;
        let date = |var: &str| -> Result<DateTime<FixedOffset>> {
            match get(var).map(|(text, _)| text) {
                Some(text) => parse_git_date(&text).ok_or(Error::BadDate {
                    var: var.into(),
                    value: text,
                }),
                None => now(),
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

/// A person from a name and an email, each with the variable or setting it
/// came from: refused, naming that source, when a commit could not carry it.
fn identity(name: &(String, String), email: &(String, String)) -> Result<Person> {
    // Trimmed as git trims them into the commit, so the files the action
    // writes name the person exactly as its commit does.
    let trimmed = crate::model::git_trimmed;
    let person = Person::new(trimmed(&name.0), trimmed(&email.0));
    crate::model::check_name(&person.name).map_err(|m| Error::bad(format!("{} {m}", name.1)))?;
    crate::model::check_email(&person.email).map_err(|m| Error::bad(format!("{} {m}", email.1)))?;
    Ok(person)
}

fn signature(person: &Person, at: &DateTime<FixedOffset>) -> Result<git2::Signature<'static>> {
    let time = crate::model::git_time(at);
    Ok(git2::Signature::new(&person.name, &person.email, &time)?)
}

/// The date formats git accepts in `GIT_AUTHOR_DATE`: its own
/// `@<seconds> <offset>` and default `Wed Nov 25 09:12:00 2026 +0100`,
/// RFC 2822, and ISO 8601 with or without seconds or an offset (without one,
/// local time, as git does). Whole seconds, as git records them.
pub fn parse_git_date(text: &str) -> Option<DateTime<FixedOffset>> {
    parse_git_date_in(text, &Local)
}

/// As [`parse_git_date`], reading a time without an offset in `local`; the
/// tests give a zone of their own.
fn parse_git_date_in<Tz: TimeZone>(text: &str, local: &Tz) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    parse_strict(text, local)
        .or_else(|| parse_loose(text, local))
        .and_then(whole_seconds)
}

/// The forms `practice` has always read, each by one exact format.
fn parse_strict<Tz: TimeZone>(text: &str, local: &Tz) -> Option<DateTime<FixedOffset>> {
    let raw = text.strip_prefix('@').unwrap_or(text);
    if let Some((secs, offset)) = raw.split_once(' ')
        && let (Ok(secs), Some(offset)) = (secs.parse::<i64>(), parse_offset(offset))
    {
        return offset.timestamp_opt(secs, 0).single();
    }
    if let Ok(secs) = raw.parse::<i64>()
        && text.starts_with('@')
    {
        return seconds_in(local, secs);
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
            return in_zone(local, &t);
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

/// `t` on the clocks of `zone`; none when the clocks skip it or show it
/// twice (a change to or from summer time), rather than guess.
fn in_zone<Tz: TimeZone>(zone: &Tz, t: &NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    zone.from_local_datetime(t)
        .single()
        .map(|t| t.fixed_offset())
}

/// The rest of what git's date parser reads: like it, words in any order
/// (`Wed Nov 25 09:12:00 2026 +0100`, `25 November 2026 09:12`,
/// `2026-11-25 09:12 +01:00`, `2026-11-25T09:12Z`, `1795594320`). Unlike
/// it, nothing is guessed: the year has four digits and comes first in a
/// numeric date, the month has a name otherwise, a weekday must be the
/// date's, each part appears once, and any other word refuses the date.
fn parse_loose<Tz: TimeZone>(text: &str, local: &Tz) -> Option<DateTime<FixedOffset>> {
    // Every form is ASCII; past this, slicing by bytes is safe.
    if !text.is_ascii() {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if let Some(t) = epoch(&words, local) {
        return Some(t);
    }
    let mut parts = Parts::default();
    for word in words {
        parts.take(word.strip_suffix(',').unwrap_or(word))?;
    }
    parts.moment(local)
}

/// `@<seconds>` or `<seconds>`, perhaps with a zone: seconds since 1970.
fn epoch<Tz: TimeZone>(words: &[&str], local: &Tz) -> Option<DateTime<FixedOffset>> {
    let (first, zone) = match words {
        [first] => (*first, None),
        [first, zone] => (*first, Some(*zone)),
        _ => return None,
    };
    let (digits, at) = match first.strip_prefix('@') {
        Some(digits) => (digits, true),
        None => (first, false),
    };
    if !all_digits(digits) {
        return None;
    }
    let secs: i64 = digits.parse().ok()?;
    // git reads a bare number as seconds only from 100000000 on, so that
    // `20261125` stays a date.
    if !at && secs < 100_000_000 {
        return None;
    }
    match zone {
        Some(zone) => parse_zone(zone)?.timestamp_opt(secs, 0).single(),
        None => seconds_in(local, secs),
    }
}

/// `secs` since 1970 on the clocks of `zone`: git gives a moment written
/// without an offset the local one.
fn seconds_in<Tz: TimeZone>(zone: &Tz, secs: i64) -> Option<DateTime<FixedOffset>> {
    Some(
        DateTime::from_timestamp(secs, 0)?
            .with_timezone(zone)
            .fixed_offset(),
    )
}

/// The parts of a date read so far by [`parse_loose`].
#[derive(Default)]
struct Parts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    weekday: Option<Weekday>,
    time: Option<(u32, u32, u32)>,
    zone: Option<FixedOffset>,
}

/// Put `value` in `slot`, unless that part was given already.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

impl Parts {
    /// Read one word; none if it is not a part of a date, or repeats one.
    fn take(&mut self, word: &str) -> Option<()> {
        let first = word.chars().next()?;
        if first.is_ascii_alphabetic() {
            if let Some(month) = name_in(word, &MONTHS) {
                return once(&mut self.month, u32::try_from(month).ok()? + 1);
            }
            if let Some(day) = name_in(word, &WEEKDAYS) {
                return once(
                    &mut self.weekday,
                    Weekday::try_from(u8::try_from(day).ok()?).ok()?,
                );
            }
            return once(&mut self.zone, parse_zone(word)?);
        }
        if first == '+' || first == '-' {
            return once(&mut self.zone, parse_zone(word)?);
        }
        // An ISO date and time in one word: `2026-11-25T09:12:00+01:00`.
        if let Some((date, time)) = word.split_once(['T', 't']) {
            self.date(date)?;
            return self.time(time, true);
        }
        if word.contains(':') {
            return self.time(word, false);
        }
        if word.contains(['-', '/', '.']) || word.len() == 8 {
            return self.date(word);
        }
        let number: u32 = word.parse().ok()?;
        match word.len() {
            1 | 2 => once(&mut self.day, number),
            4 => once(&mut self.year, i32::try_from(number).ok()?),
            _ => None,
        }
    }

    /// `2026-11-25` (or with `/` or `.`), or ISO's basic `20261125`.
    fn date(&mut self, text: &str) -> Option<()> {
        let (year, month, day) = if let Some(sep) = text.chars().find(|c| "-/.".contains(*c)) {
            let mut fields = text.split(sep);
            let (Some(y), Some(m), Some(d), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                return None;
            };
            if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
                return None;
            }
            (y, m, d)
        } else if text.len() == 8 {
            (&text[..4], text.get(4..6)?, text.get(6..)?)
        } else {
            return None;
        };
        once(&mut self.year, i32::try_from(digits(year)?).ok()?)?;
        once(&mut self.month, digits(month)?)?;
        once(&mut self.day, digits(day)?)
    }

    /// `09:12`, `09:12:00`, `09:12:00.5`, with any zone written on after it;
    /// straight after a `T`, also ISO's basic `09`, `0912`, `091200`.
    fn time(&mut self, text: &str, after_t: bool) -> Option<()> {
        let end = text
            .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
            .unwrap_or(text.len());
        let (clock, zone) = text.split_at(end);
        let (clock, fraction) = match clock.split_once('.') {
            Some((clock, fraction)) => (clock, Some(fraction)),
            None => (clock, None),
        };
        let extended = clock.contains(':');
        let fields: Vec<&str> = if extended {
            clock.split(':').collect()
        } else if after_t && matches!(clock.len(), 2 | 4 | 6) {
            (0..clock.len())
                .step_by(2)
                .map(|i| &clock[i..i + 2])
                .collect()
        } else {
            return None;
        };
        let [hour, rest @ ..] = fields.as_slice() else {
            return None;
        };
        if !(1..=2).contains(&hour.len())
            || rest.len() > 2
            || (extended && rest.is_empty())
            || rest.iter().any(|f| f.len() != 2)
        {
            return None;
        }
        // A fraction of a second is read and dropped, as git does; it may
        // only follow the seconds.
        if let Some(fraction) = fraction
            && (rest.len() != 2 || !all_digits(fraction))
        {
            return None;
        }
        let field = |i: usize| rest.get(i).map_or(Some(0), |f| digits(f));
        once(&mut self.time, (digits(hour)?, field(0)?, field(1)?))?;
        if zone.is_empty() {
            return Some(());
        }
        once(&mut self.zone, parse_zone(zone)?)
    }

    /// The moment these parts name, if they name one whole.
    fn moment<Tz: TimeZone>(self, local: &Tz) -> Option<DateTime<FixedOffset>> {
        let date = NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)?;
        if self.weekday.is_some_and(|w| w != date.weekday()) {
            return None;
        }
        let (hour, minute, second) = self.time?;
        if second > 60 {
            return None;
        }
        // git counts a leap second as the next second.
        let t = date.and_hms_opt(hour, minute, second.min(59))?
            + TimeDelta::seconds(i64::from(second == 60));
        match self.zone {
            Some(zone) => in_zone(&zone, &t),
            None => in_zone(local, &t),
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// In chrono's order, from Monday.
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Which of `names` `word` is: the whole name or its first three letters
/// or more (`Nov`, `Sept`, `Thurs`), in any case.
fn name_in(word: &str, names: &[&str]) -> Option<usize> {
    let word = word.to_ascii_lowercase();
    names
        .iter()
        .position(|name| word.len() >= 3 && name.starts_with(&word))
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// A number written in ASCII digits alone.
fn digits(text: &str) -> Option<u32> {
    all_digits(text).then(|| text.parse().ok()).flatten()
}

/// A zone: `Z`, `UTC`, `GMT`, RFC 2822's American names (`EST`, `PDT` ...),
/// or an offset `+01`, `+0100`, `+01:00`. Not `UT`, which RFC 2822 reads
/// as UTC and git as local time.
fn parse_zone(text: &str) -> Option<FixedOffset> {
    let hours = match text.to_ascii_uppercase().as_str() {
        "Z" | "UTC" | "GMT" => Some(0),
        "EDT" => Some(-4),
        "EST" | "CDT" => Some(-5),
        "CST" | "MDT" => Some(-6),
        "MST" | "PDT" => Some(-7),
        "PST" => Some(-8),
        _ => None,
    };
    if let Some(hours) = hours {
        return FixedOffset::east_opt(hours * 3600);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &text[1..];
    let (h, m) = match rest.len() {
        2 => (rest, "00"),
        4 => rest.split_at(2),
        5 if rest.as_bytes()[2] == b':' => (&rest[..2], &rest[3..]),
        _ => return None,
    };
    let (hours, minutes) = (digits(h)?, digits(m)?);
    if hours >= 24 || minutes >= 60 {
        return None;
    }
    FixedOffset::east_opt(sign * i32::try_from(hours * 3600 + minutes * 60).ok()?)
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

    /// Forms git accepts, each read as git reads it.
    const GIT_FORMS: &[&str] = &[
        // git's own: raw, and its default `git log` format.
        "@1795594320 +0100",
        "@1795594320 +01:00",
        "@1795594320",
        "1795594320 +0100",
        "1795594320",
        "Wed Nov 25 09:12:00 2026 +0100",
        "Wed Nov 25 09:12:00 2026",
        "Wed Nov 25 09:12 2026 -0500",
        "Nov 25 09:12:00 2026 +0100",
        // ISO 8601, with and without seconds, fractions and offsets.
        "2026-11-25T09:12:00+01:00",
        "2026-11-25 09:12:00 +0100",
        "2026-11-25 09:12 +0100",
        "2026-11-25 09:12",
        "2026-11-25T09:12+01:00",
        "2026-11-25T09:12+0100",
        "2026-11-25T09:12+01",
        "2026-11-25T09:12Z",
        "2026-11-25T09:12:00Z",
        "2026-11-25t09:12:00z",
        "2026-11-25 09:12:00Z",
        "2026-11-25 09:12:00 Z",
        "2026-11-25T09:12:00 UTC",
        "2026-11-25 09:12:00 GMT",
        "2026-11-25T09:12:00",
        "2026-11-25 09:12:00",
        "2026-11-25  09:12:00  +0100",
        "2026-11-25T09:12:00.5Z",
        "2026-11-25T09:12:59.999999999+01:00",
        "2026-11-25 09:12:00.5 +0100",
        "2026-11-25T09:12:00.5",
        "2026-11-25T09:12:00+05:45",
        "2026-11-25T09:12:00-0330",
        "2026-11-25T09:12:00+1400",
        "2026-11-25 09:12:60 +0100",
        "2026/11/25 09:12:00 +0100",
        "2026-11-25T09",
        "2026-11-25T0912",
        "20261125T091200Z",
        "2099-12-31T23:59:59Z",
        // RFC 2822 and its variants.
        "Wed, 25 Nov 2026 09:12:00 +0100",
        "Wed, 25 Nov 2026 09:12 +0100",
        "25 Nov 2026 09:12:00 +0100",
        "Thu, 5 Nov 2026 09:12:00 +0100",
        "wed, 25 nov 2026 09:12:00 +0100",
        "Wednesday, 25 November 2026 09:12:00 +0100",
        "Wed, 25 Nov 2026 09:12:00 +0100 (CET)",
        "Wed, 25 Nov 2026 09:12:00 GMT",
        "Wed, 25 Nov 2026 09:12:00 -0000",
        "Wed, 25 Nov 2026 09:12:00 EST",
        "Wed, 25 Nov 2026 09:12:00 PDT",
        "Wed, 25 Nov 2026 09:12:00",
        "25 Nov 2026 09:12 Z",
        "Nov 25, 2026 09:12:00 +0100",
    ];

    /// Forms neither git nor `practice` takes.
    const REFUSED_BY_BOTH: &[&str] = &[
        "soon",
        "now",
        "next tuesday",
        "2026-11-25",
        "09:12:00 +0100",
        "Wed, 25 Nov 26 09:12:00 +0100 +0100",
    ];

    /// Forms git takes by guessing (a weekday that is not the date's, the
    /// 30th of February, day and month in either order): refused here.
    const GUESSES_REFUSED: &[&str] = &[
        "Thu Nov 25 09:12:00 2026 +0100",
        "Wed, 5 Nov 2026 09:12:00 +0100",
        "2026-02-30 09:12:00 +0100",
        "2026-11-25 24:00:00 +0100",
        "25.11.2026 09:12:00 +0100",
        "11/25/2026 09:12:00 +0100",
        "2026-11-25 09:12 +1",
        "2026-11-25 09:12:00 CET",
    ];

    /// What plain `git commit` records for `GIT_AUTHOR_DATE=date` with `TZ=tz`:
    /// `<seconds> <offset>`, or none if git refuses it.
    fn git_reads(repo: &std::path::Path, tz: &str, date: &str) -> Option<String> {
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .arg("-C")
                .arg(repo)
                .args(["-c", "user.name=A", "-c", "user.email=a@x.uk"])
                .args(args)
                .env("GIT_AUTHOR_DATE", date)
                .env("GIT_COMMITTER_DATE", "@1795594320 +0000")
                .env("TZ", tz)
                .env("HOME", repo)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env_remove("GIT_DIR")
                .env_remove("GIT_WORK_TREE")
                .env_remove("GIT_INDEX_FILE")
                .output()
                .expect("git runs")
        };
        let commit = git(&["commit", "-q", "--allow-empty", "-m", "x"]);
        if !commit.status.success() {
            return None;
        }
        let log = git(&["log", "-1", "--format=%ad", "--date=raw"]);
        assert!(log.status.success());
        Some(String::from_utf8(log.stdout).unwrap().trim().to_string())
    }

    #[test]
    fn git_dates_read_as_git_reads_them() {
        let repo = tempfile::tempdir().unwrap();
        git2::Repository::init(repo.path()).unwrap();
        // Local time in three zones, so that a time without an offset is
        // seen to be read in the local one.
        for (tz, east) in [
            ("UTC0", 0),
            ("<+0530>-05:30", 5 * 3600 + 1800),
            ("<-0330>+03:30", -(3 * 3600 + 1800)),
        ] {
            let local = FixedOffset::east_opt(east).unwrap();
            for date in GIT_FORMS {
                let ours =
                    parse_git_date_in(date, &local).unwrap_or_else(|| panic!("{date:?} refused"));
                assert_eq!(ours.nanosecond(), 0, "{date:?} keeps a fraction");
                assert_eq!(
                    Some(format!("{} {}", ours.timestamp(), ours.format("%z"))),
                    git_reads(repo.path(), tz, date),
                    "{date:?} in TZ={tz}"
                );
            }
            for date in REFUSED_BY_BOTH {
                assert_eq!(parse_git_date_in(date, &local), None, "{date:?}");
                assert_eq!(git_reads(repo.path(), tz, date), None, "{date:?}");
            }
        }
        for date in GUESSES_REFUSED {
            assert_eq!(parse_git_date(date), None, "{date:?}");
            assert!(git_reads(repo.path(), "UTC0", date).is_some(), "{date:?}");
        }
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
