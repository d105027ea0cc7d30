//! Activity ids. An id becomes a folder name, so it is checked before it is
//! ever joined to a path: a slug of lowercase letters and digits in
//! dash-separated words, at most 80 characters. Nothing else can climb out of
//! the register (`..`, `/`, absolute paths) because nothing else is a slug.

use std::fmt;

use crate::{Error, Result};

pub const MAX_LEN: usize = 80;

/// A checked activity id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PracticeId(String);

impl PracticeId {
    pub fn parse(text: &str) -> Result<Self> {
        if is_slug(text) {
            Ok(PracticeId(text.to_string()))
        } else {
            Err(Error::bad(format!(
                "`{text}` is not an activity id: use lowercase letters and digits in dash-separated words, at most {MAX_LEN} characters (e.g. safer-sleep-merseyside-police)"
            )))
        }
    }

    /// The id `submit` derives from a title and the lead organisation:
    /// bracketed abbreviations are dropped ("Enhanced video response (EVR)"
    /// with "Dorset Police" gives `enhanced-video-response-dorset-police`), and a
    /// long id is cut at a word boundary.
    pub fn derive(title: &str, lead_organisation: &str) -> Result<Self> {
        let mut words = String::new();
        let mut depth = 0usize;
        for ch in title.chars() {
            match ch {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                // An apostrophe joins a word rather than splitting it.
                '\'' | '’' => {}
                _ if depth == 0 => words.push(ch),
                _ => {}
            }
        }
        words.push(' ');
        words.extend(
            lead_organisation
                .chars()
                .filter(|c| !matches!(c, '\'' | '’')),
        );
        let mut id = slug::slugify(words);
        if id.len() > MAX_LEN {
            let cut = id[..=MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
            id.truncate(cut);
        }
        PracticeId::parse(&id).map_err(|_| {
            Error::bad(format!(
                "cannot make an id from the title {title:?}; pass one with --id"
            ))
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PracticeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `^[a-z0-9]+(-[a-z0-9]+)*$`, at most [`MAX_LEN`] characters.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_LEN
        && text.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_accepted_and_everything_else_refused() {
        for good in ["a", "evr-dorset-police", "a1-b2", &"x".repeat(80)] {
            assert!(PracticeId::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "A",
            "a_b",
            "../x",
            "a/b",
            "a b",
            ".",
            &"x".repeat(81),
        ] {
            assert!(PracticeId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn derives_the_spec_example() {
        let id = PracticeId::derive("Enhanced video response (EVR)", "Dorset Police").unwrap();
        assert_eq!(id.as_str(), "enhanced-video-response-dorset-police");
    }

    #[test]
    fn derived_ids_keep_words_whole_and_fit() {
        let id = PracticeId::derive(
            "Safety of women at night",
            "Exeter's Community Safety Partnership",
        )
        .unwrap();
        assert_eq!(
            id.as_str(),
            "safety-of-women-at-night-exeters-community-safety-partnership"
        );
        let id = PracticeId::derive("Children's safety: A&E navigators", "Sussex Police").unwrap();
        assert_eq!(id.as_str(), "childrens-safety-a-e-navigators-sussex-police");
        let long = "word ".repeat(40);
        let id = PracticeId::derive(&long, "Kent Police").unwrap();
        assert!(id.as_str().len() <= MAX_LEN);
        assert!(id.as_str().ends_with("word"));
    }

    #[test]
    fn a_title_with_no_letters_needs_an_id() {
        assert!(PracticeId::derive("(!!)", "").is_err());
    }
}
