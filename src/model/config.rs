//! `register.yaml`: the partners and their reviewers, the editors, the
//! approval rule and the topics. Authority is always judged against this file
//! as it stood before an action, so its helpers answer "may this person…?".

use serde::{Deserialize, Serialize};

use super::Person;
use super::vocabulary::Signatures;
use crate::id::is_slug;
use crate::signature::RosterKey;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterConfig {
    pub name: String,
    pub partners: Vec<Partner>,
    pub editors: Vec<RosterEntry>,
    pub approval: ApprovalRule,
    /// The topics new submissions choose from.
    pub topics: Vec<String>,
    /// Topics retired or renamed: no new submission takes one, and every
    /// activity filed under one stays as it was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired_topics: Vec<String>,
    /// Whether every action by a reviewer or an editor must be signed; absent
    /// in a register that has never said (the same as `optional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatures: Option<Signatures>,
    /// What a guarded remote takes besides the register branch; absent
    /// where it takes nothing else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guard: Option<GuardRules>,
    /// Who publishes the website; absent in a register that has never
    /// said, whose site then names only the register.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Publisher>,
}

/// The body that publishes the site: its header and footer name it, and
/// its accessibility statement says how to reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub name: String,
    /// Where the public reaches the publisher: a web address or an email
    /// address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The web address of the publisher's own accessibility statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility: Option<String>,
}

impl Publisher {
    /// What `practice init` writes: the College of Policing, which runs
    /// the smarter practice register.
    pub fn college() -> Publisher {
        Publisher {
            name: "College of Policing".into(),
            contact: Some("https://www.college.police.uk/contact".into()),
            accessibility: Some("https://www.college.police.uk/accessibility".into()),
        }
    }

    /// Why the publisher block will not do on a public website, if it will
    /// not: every address becomes a link, so only web and email addresses.
    /// `field` says what each field is called where it was given: in
    /// `register.yaml`, or as a flag.
    pub fn check(&self, field: impl Fn(&str) -> String) -> std::result::Result<(), String> {
        let plain =
            |t: &str| !t.trim().is_empty() && t.trim() == t && !t.contains(char::is_control);
        if !plain(&self.name) {
            return Err(format!(
                "{} is blank, padded or holds control characters; name the publisher plainly",
                field("name")
            ));
        }
        if let Some(contact) = &self.contact
            && !(is_web_address(contact) || is_email_address(contact))
        {
            return Err(format!(
                "{} `{}` is neither a web address (https://…) nor an email address; give one",
                field("contact"),
                contact.escape_debug()
            ));
        }
        if let Some(url) = &self.accessibility
            && !is_web_address(url)
        {
            return Err(format!(
                "{} `{}` is not a web address; give the statement's https:// address",
                field("accessibility"),
                url.escape_debug()
            ));
        }
        Ok(())
    }
}

/// An `http(s)://` address with a host and nothing a link would mangle.
pub fn is_web_address(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(c))
}

/// `local@domain`, plainly: what a `mailto:` link can carry.
pub fn is_email_address(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\,;:()[]".contains(c))
                && !domain.contains('@')
        }
        None => false,
    }
}

/// What the guard on a shared remote (`practice guard`) lets be pushed
/// besides the register branch, which it always judges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardRules {
    /// Ref names, or folders of them ending `/*` (`refs/tags/*`), that the
    /// guard takes unjudged; it refuses their deletion, a tag's move and
    /// any other ref's rewrite.
    #[serde(default)]
    pub other_refs: Vec<String>,
}

impl GuardRules {
    /// Whether the guard takes a push to `name` unjudged.
    pub fn takes(&self, name: &str) -> bool {
        self.other_refs
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(folder) => name.starts_with(folder) && name.len() > folder.len(),
                None => pattern == name,
            })
    }

    /// Why `pattern` cannot be one of `other_refs`, if it cannot.
    pub fn check_pattern(pattern: &str) -> std::result::Result<(), String> {
        let named = pattern.strip_suffix("/*").unwrap_or(pattern);
        if !named.starts_with("refs/") || named.contains('*') {
            return Err(format!(
                "`{pattern}` is not a ref name or a folder of them (`refs/tags/*`, `refs/heads/drafts/*`, `refs/notes/commits`)"
            ));
        }
        if !git2::Reference::is_valid_name(named) {
            return Err(format!("`{pattern}` is not a name git allows for a ref"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub reviewers: Vec<RosterEntry>,
    /// A partner that no longer reviews: its decisions stay on the record,
    /// but no round waits for it or counts it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

/// A person on the roster: a partner's reviewer or an editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterEntry {
    pub name: String,
    pub email: String,
    /// An SSH public key, for signed actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl RosterEntry {
    pub fn person(&self) -> Person {
        Person::new(&self.name, &self.email)
    }

    fn is(&self, email: &str) -> bool {
        self.email.eq_ignore_ascii_case(email)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRule {
    /// How many partners must find an activity suitable.
    pub min_suitable: usize,
    /// How many days after it opens a round is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_days: Option<u32>,
}

/// The days to a round's due date that `practice init` writes.
pub const DEFAULT_REVIEW_DAYS: u32 = 28;

/// The topics `practice init` offers: the College's own headings.
pub const DEFAULT_TOPICS: &[&str] = &[
    "Anti-social behaviour",
    "Burglary",
    "Child abuse and exploitation",
    "Counter terrorism",
    "Cybercrime and fraud",
    "Domestic abuse",
    "Drugs",
    "Hate crime",
    "Mental health",
    "Missing people",
    "Neighbourhood policing",
    "Organised crime",
    "Public protection",
    "Road safety",
    "Rural and wildlife crime",
    "Serious violence and homicide",
    "Victims and witnesses",
    "Violence against women and girls",
    "Vulnerable people",
    "Wellbeing and workforce",
    "Youth justice and diversion",
];

impl RegisterConfig {
    /// The register `practice init` writes: the four partners with empty
    /// reviewer lists, `editor` as the first editor, three of four to approve.
    pub fn new_default(editor: &Person) -> Self {
        let partner = |id: &str, name: &str| Partner {
            id: id.into(),
            name: name.into(),
            reviewers: vec![],
            retired: false,
        };
        RegisterConfig {
            name: "Smarter practice register".into(),
            partners: vec![
                partner("college-of-policing", "College of Policing"),
                partner("npcc", "National Police Chiefs' Council"),
                partner(
                    "hmicfrs",
                    "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services",
                ),
                partner("iopc", "Independent Office for Police Conduct"),
            ],
            editors: vec![RosterEntry {
                name: editor.name.clone(),
                email: editor.email.clone(),
                key: None,
            }],
            approval: ApprovalRule {
                min_suitable: 3,
                review_days: Some(DEFAULT_REVIEW_DAYS),
            },
            topics: DEFAULT_TOPICS.iter().map(|t| t.to_string()).collect(),
            retired_topics: Vec::new(),
            signatures: None,
            guard: None,
            publisher: Some(Publisher::college()),
        }
    }

    /// Checks a parse cannot make: ids, counts, duplicates.
    pub fn validate(&self) -> Result<()> {
        let invalid = |message: String| Error::Invalid {
            path: crate::layout::CONFIG.into(),
            message,
        };
        if self.partners.is_empty() {
            return Err(invalid(
                "lists no partners; add them under `partners`".into(),
            ));
        }
        for (i, p) in self.partners.iter().enumerate() {
            if p.id == crate::layout::REPLY_NAME {
                return Err(invalid(format!(
                    "partner id `{}` is the name of the submitter's reply in a round folder; choose another",
                    p.id
                )));
            }
            if !is_slug(&p.id) {
                return Err(invalid(format!(
                    "partner id `{}` is not lowercase words joined by dashes; rename it",
                    p.id
                )));
            }
            if self.partners[..i].iter().any(|q| q.id == p.id) {
                return Err(invalid(format!(
                    "partner `{}` is listed twice; keep one",
                    p.id
                )));
            }
            for r in &p.reviewers {
                r.person()
                    .check_on_roster(crate::layout::CONFIG, &format!("{} reviewer", p.id))?;
            }
        }
        for e in &self.editors {
            e.person()
                .check_on_roster(crate::layout::CONFIG, "editor")?;
        }
        let n = self.partner_ids().len();
        if self.approval.min_suitable == 0 || self.approval.min_suitable > n {
            return Err(invalid(format!(
                "approval.min_suitable is {} but must be between 1 and the {n} partners that review",
                self.approval.min_suitable
            )));
        }
        if self.approval.review_days == Some(0) {
            return Err(invalid(
                "approval.review_days is 0; a round needs at least a day".into(),
            ));
        }
        if self.topics.is_empty() {
            return Err(invalid("lists no topics; add them under `topics`".into()));
        }
        let listed = self.topics.iter().chain(&self.retired_topics);
        for (i, topic) in listed.clone().enumerate() {
            if topic.trim().is_empty() || topic.trim() != topic || topic.contains(char::is_control)
            {
                return Err(invalid(format!(
                    "the topic `{}` is blank, padded or holds control characters; name it plainly",
                    topic.escape_debug()
                )));
            }
            if listed
                .clone()
                .take(i)
                .any(|t| t.eq_ignore_ascii_case(topic))
            {
                return Err(invalid(format!(
                    "the topic `{topic}` is listed twice (topics and retired_topics together); keep one"
                )));
            }
        }
        if let Some(publisher) = &self.publisher {
            publisher
                .check(|f| format!("publisher.{f}"))
                .map_err(invalid)?;
        }
        for pattern in self.guard.iter().flat_map(|g| &g.other_refs) {
            GuardRules::check_pattern(pattern)
                .map_err(|m| invalid(format!("guard.other_refs: {m}")))?;
        }
        self.validate_keys()
    }

    /// Every key parses and is strong enough; a person has one key wherever
    /// they appear, and no key belongs to two people.
    fn validate_keys(&self) -> Result<()> {
        let invalid = |message: String| Error::Invalid {
            path: crate::layout::CONFIG.into(),
            message,
        };
        let mut seen: Vec<(&RosterEntry, RosterKey)> = Vec::new();
        for entry in self.everyone() {
            let Some(line) = &entry.key else {
                continue;
            };
            let key = RosterKey::parse(line)
                .map_err(|m| invalid(format!("the key of {} {m}", entry.email)))?;
            for (other, theirs) in &seen {
                if other.is(&entry.email) && !theirs.same_key(&key) {
                    return Err(invalid(format!(
                        "{} is listed with two keys ({theirs} and {key}); a person has one key",
                        entry.email
                    )));
                }
                if !other.is(&entry.email) && theirs.same_key(&key) {
                    return Err(invalid(format!(
                        "the key {key} is listed for both {} and {}; each person has a key of their own",
                        other.email, entry.email
                    )));
                }
            }
            seen.push((entry, key));
        }
        Ok(())
    }

    /// Every roster entry: each partner's reviewers, then the editors.
    pub fn everyone(&self) -> impl Iterator<Item = &RosterEntry> {
        self.partners
            .iter()
            .flat_map(|p| p.reviewers.iter())
            .chain(self.editors.iter())
    }

    /// Whether `email` is on the roster at all, as a reviewer or an editor.
    pub fn on_roster(&self, email: &str) -> bool {
        self.everyone().any(|e| e.is(email))
    }

    /// The key the roster lists for `email`, if it lists one.
    pub fn key_of(&self, email: &str) -> Option<RosterKey> {
        self.everyone()
            .filter(|e| e.is(email))
            .find_map(|e| e.key.as_deref())
            .and_then(|line| RosterKey::parse(line).ok())
    }

    /// Who the roster lists with `key`, if anyone.
    pub fn owner_of(&self, key: &RosterKey) -> Option<&RosterEntry> {
        self.everyone().find(|e| {
            e.key
                .as_deref()
                .and_then(|line| RosterKey::parse(line).ok())
                .is_some_and(|k| k.same_key(key))
        })
    }

    /// Whether actions by reviewers and editors must be signed.
    pub fn requires_signatures(&self) -> bool {
        self.signatures == Some(Signatures::Required)
    }

    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.iter().find(|p| p.id == id)
    }

    /// The partner `id`, or a refusal that lists the partners there are.
    pub fn require_partner(&self, id: &str) -> Result<&Partner> {
        self.partner(id).ok_or_else(|| {
            Error::Usage(format!(
                "`{id}` is not a partner of this register; use one of {}",
                self.partner_ids().join(" | ")
            ))
        })
    }

    /// The partners that review: every one not retired.
    pub fn partner_ids(&self) -> Vec<&str> {
        self.partners
            .iter()
            .filter(|p| !p.retired)
            .map(|p| p.id.as_str())
            .collect()
    }

    pub fn is_editor(&self, email: &str) -> bool {
        self.editors.iter().any(|e| e.is(email))
    }

    /// The partners `email` reviews for.
    pub fn partners_reviewed_by(&self, email: &str) -> Vec<&Partner> {
        self.partners
            .iter()
            .filter(|p| p.reviewers.iter().any(|r| r.is(email)))
            .collect()
    }

    /// The topic as the register spells it, or a refusal listing the topics.
    pub fn topic(&self, text: &str) -> Result<&str> {
        self.topics
            .iter()
            .find(|t| t.eq_ignore_ascii_case(text.trim()))
            .map(String::as_str)
            .ok_or_else(|| {
                let retired = self
                    .retired_topics
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(text.trim()));
                Error::bad(format!(
                    "{text:?} is {} of this register; use one of: {}",
                    if retired {
                        "a retired topic"
                    } else {
                        "not a topic"
                    },
                    self.topics.join(", ")
                ))
            })
    }

    /// The topic `text` names, as [`topic`](Self::topic), except that a file
    /// keeping the topic it was filed under (`kept`) may keep it though it
    /// was retired or renamed since.
    pub fn topic_keeping(&self, text: &str, kept: Option<&str>) -> Result<String> {
        match kept {
            Some(kept) if kept.eq_ignore_ascii_case(text.trim()) => Ok(kept.to_string()),
            _ => self.topic(text).map(str::to_string),
        }
    }

    /// Everyone on the roster with this email, for `roster remove`.
    pub fn holds(&self, email: &str) -> bool {
        self.is_editor(email) || !self.partners_reviewed_by(email).is_empty()
    }
}

impl Partner {
    pub fn has_reviewer(&self, email: &str) -> bool {
        self.reviewers.iter().any(|r| r.is(email))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_takes_the_refs_listed_and_their_folders() {
        let rules = GuardRules {
            other_refs: vec!["refs/tags/*".into(), "refs/notes/commits".into()],
        };
        assert!(rules.takes("refs/tags/v1"));
        assert!(rules.takes("refs/tags/2026/v1"));
        assert!(!rules.takes("refs/tags/"));
        assert!(!rules.takes("refs/tagsx/v1"));
        assert!(rules.takes("refs/notes/commits"));
        assert!(!rules.takes("refs/notes/commits2"));
        assert!(!rules.takes("refs/heads/main"));
        for good in ["refs/tags/*", "refs/heads/drafts/*", "refs/notes/commits"] {
            assert!(GuardRules::check_pattern(good).is_ok(), "{good}");
        }
        for bad in [
            "tags/*",
            "refs/*",
            "refs/*/x",
            "refs/tags/v*",
            "refs/a..b",
            "refs/tags/*/*",
            "",
        ] {
            assert!(GuardRules::check_pattern(bad).is_err(), "{bad}");
        }
    }

    fn config() -> RegisterConfig {
        RegisterConfig::new_default(&Person::new("Sam Editor", "sam@college.police.uk"))
    }

    #[test]
    fn the_default_register_is_valid_and_round_trips() {
        let c = config();
        c.validate().unwrap();
        let text = crate::model::to_yaml(&c);
        let back: RegisterConfig = crate::model::parse(crate::layout::CONFIG, &text).unwrap();
        assert_eq!(back, c);
        assert_eq!(
            c.partner_ids(),
            ["college-of-policing", "npcc", "hmicfrs", "iopc"]
        );
    }

    #[test]
    fn an_impossible_approval_rule_is_refused() {
        let mut c = config();
        c.approval.min_suitable = 5;
        assert!(
            c.validate()
                .unwrap_err()
                .to_string()
                .contains("between 1 and the 4")
        );
        c.approval.min_suitable = 0;
        assert!(c.validate().is_err());
    }

    #[test]
    fn topics_match_without_regard_to_case() {
        let c = config();
        assert_eq!(c.topic("vulnerable people").unwrap(), "Vulnerable people");
        assert!(
            c.topic("Knitting")
                .unwrap_err()
                .to_string()
                .contains("Vulnerable people")
        );
    }

    #[test]
    fn roster_questions() {
        let mut c = config();
        c.partners[1].reviewers.push(RosterEntry {
            name: "Pat".into(),
            email: "pat@npcc.police.uk".into(),
            key: None,
        });
        assert!(c.is_editor("SAM@college.police.uk"));
        assert!(!c.is_editor("pat@npcc.police.uk"));
        assert_eq!(c.partners_reviewed_by("Pat@npcc.police.uk")[0].id, "npcc");
        assert!(c.holds("pat@npcc.police.uk"));
        assert!(!c.holds("nobody@x.uk"));
    }
}
