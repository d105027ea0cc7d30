//! The fixed words of the register. Each vocabulary knows its words, so a
//! wrong one is refused with the list of right ones, from a flag or a file.

/// "a" or "an", for messages.
pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What this vocabulary is called in messages.
            pub const WHAT: &'static str = $what;

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The words, for messages: `a | b | c`.
            pub fn words() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(" | ")
            }

            /// The value spelt exactly `word`, as a file or a trailer must
            /// spell it.
            pub fn from_word(word: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == word)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::Error;
            /// Case does not matter on the command line; the file keeps the
            /// spec's spelling.
            fn from_str(text: &str) -> ::std::result::Result<Self, $crate::Error> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(text.trim()))
                    .ok_or_else(|| $crate::Error::bad(format!(
                        "{:?} is not {} {}; use one of {}", text, $crate::model::article($what), $what, Self::words()
                    )))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                // A visitor, so the YAML reader can say where a wrong word is.
                struct Words;
                impl ::serde::de::Visitor<'_> for Words {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "{} {}", $crate::model::article($what), $what)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, text: &str) -> ::std::result::Result<$name, E> {
                        $name::from_word(text)
                            .ok_or_else(|| E::custom(format!(
                                "{:?} is not {} {}; use one of {}", text, $crate::model::article($what), $what, $name::words()
                            )))
                    }
                }
                d.deserialize_str(Words)
            }
        }
    };
}

/// The macro, for the other word tables (stages, actions) kept beside the
/// code they belong to.
pub(crate) use vocabulary;

vocabulary!(
    /// A partner's finding on an activity in one review round.
    Decision, "decision" {
        Suitable => "suitable",
        NotSuitable => "not-suitable",
        MoreInformation => "more-information",
        Recuse => "recuse",
    }
);

vocabulary!(
    /// What the activity works on.
    Focus, "focus" {
        Prevention => "Prevention",
        Diversion => "Diversion",
        Reoffending => "Reoffending",
        Organisational => "Organisational",
        Investigation => "Investigation",
    }
);

vocabulary!(
    /// How far the activity reaches.
    Scale, "scale" {
        Local => "Local",
        Regional => "Regional",
        National => "National",
    }
);

vocabulary!(
    /// How far the activity has got.
    Implementation, "implementation stage" {
        Planned => "planned",
        Piloted => "piloted",
        Implemented => "implemented",
        Evaluated => "evaluated",
    }
);

vocabulary!(
    /// Which part of the published set an entry belongs to.
    Kind, "kind" {
        SmarterPractice => "smarter-practice",
        PracticeBank => "practice-bank",
    }
);

vocabulary!(
    /// "Does it work?": `smarter-practice` for reviewed items, the others
    /// for the practice bank.
    Rating, "rating" {
        SmarterPractice => "smarter-practice",
        Worked => "worked",
        Promising => "promising",
        NewOrInnovative => "new-or-innovative",
        DidNotWork => "did-not-work",
    }
);

vocabulary!(
    /// Whether a register requires every action by a reviewer or an editor
    /// to be signed.
    Signatures, "signature policy" {
        Required => "required",
        Optional => "optional",
    }
);

impl Rating {
    /// The ratings an editor may give when banking.
    pub fn bank_words() -> String {
        Self::ALL
            .iter()
            .filter(|r| **r != Rating::SmarterPractice)
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_wrong_words_list_the_right_ones() {
        for d in Decision::ALL {
            assert_eq!(d.as_str().parse::<Decision>().unwrap(), *d);
        }
        assert_eq!("SUITABLE".parse::<Decision>().unwrap(), Decision::Suitable);
        let err = "maybe".parse::<Decision>().unwrap_err().to_string();
        assert!(
            err.contains("suitable | not-suitable | more-information | recuse"),
            "{err}"
        );
    }

    #[test]
    fn files_must_use_the_exact_word() {
        let err = yaml_serde::from_str::<Focus>("prevention").unwrap_err();
        assert!(err.to_string().contains("Prevention | Diversion"));
        assert_eq!(
            yaml_serde::from_str::<Focus>("Prevention").unwrap(),
            Focus::Prevention
        );
    }
}
