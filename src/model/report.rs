//! The set format: `submissions/<id>/report.yaml` while it is drafted, and
//! `published/<id>.yaml` once it is in the published set. A published entry is
//! the report's fields plus its publication record, so one macro writes the
//! shared fields of both: listing them twice would let the two drift apart,
//! and serde's `flatten` cannot be combined with refusing unknown fields.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    Activity, Decision, Focus, Implementation, Imported, Kind, Person, Rating, Reasoned, Scale,
    Stamp,
};

/// The sections of the set format, in order; each must be non-empty before
/// publication (imported entries aside).
pub const SECTIONS: [&str; 7] = [
    "overview",
    "problem",
    "aims",
    "activity",
    "impact",
    "learning",
    "resources",
];

macro_rules! set_format {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub title: String,
            pub summary: String,
            // The key details.
            pub organisations: Vec<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub topic: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub focus: Option<Focus>,
            #[serde(default)]
            pub target_groups: Vec<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub region: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub scale: Option<Scale>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub implementation: Option<Implementation>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub started: Option<NaiveDate>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub contact: Option<Person>,
            // The sections, in the set format's order.
            #[serde(default)]
            pub overview: String,
            #[serde(default)]
            pub problem: String,
            #[serde(default)]
            pub aims: String,
            #[serde(default)]
            pub activity: String,
            #[serde(default)]
            pub impact: String,
            #[serde(default)]
            pub learning: String,
            #[serde(default)]
            pub resources: String,
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $name {
            /// Each section's name and text, in order.
            pub fn sections(&self) -> [(&'static str, &str); 7] {
                [
                    ("overview", &self.overview),
                    ("problem", &self.problem),
                    ("aims", &self.aims),
                    ("activity", &self.activity),
                    ("impact", &self.impact),
                    ("learning", &self.learning),
                    ("resources", &self.resources),
                ]
            }

            /// The sections still empty.
            pub fn missing_sections(&self) -> Vec<&'static str> {
                self.sections()
                    .into_iter()
                    .filter(|(_, text)| text.trim().is_empty())
                    .map(|(name, _)| name)
                    .collect()
            }
        }
    };
}

set_format!(
    /// The smarter practice write-up of an approved activity.
    Report {}
);

set_format!(
    /// An entry of the published set: smarter practice or practice bank.
    PublishedEntry {
        kind: Kind,
        rating: Rating,
        published: Stamp,
        /// Smarter practice only: the round that approved it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        approval: Option<Approval>,
        /// Once retracted; the entry itself stays on the record.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retracted: Option<Reasoned>,
        /// Each correction since it was published, oldest first: when, by
        /// whom and why (`practice revise`); git keeps each version.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        revisions: Vec<Reasoned>,
        /// Instead of `approval`, for entries published before the register.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        imported: Option<Imported>,
    }
);

/// The round that approved a smarter practice entry, and its sign-offs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub round: u32,
    pub sign_offs: Vec<ApprovalSignOff>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSignOff {
    pub partner: String,
    pub decision: Decision,
    pub reviewer: Person,
    /// The full id of the commit that recorded this sign-off.
    pub commit: String,
}

impl Report {
    /// The draft `write-up` starts from: the activity's own answers placed in
    /// the sections they fit, the rest left for the editor.
    pub fn draft_from(activity: &Activity) -> Report {
        Report {
            title: activity.title.clone(),
            summary: activity.summary.clone(),
            organisations: activity.organisations.clone(),
            topic: Some(activity.topic.clone()),
            focus: Some(activity.focus),
            target_groups: activity.target_groups.clone(),
            region: activity.region.clone(),
            scale: Some(activity.scale),
            implementation: Some(activity.implementation),
            started: activity.started,
            contact: Some(activity.contact.clone()),
            overview: activity.summary.clone(),
            problem: activity.problem.clone(),
            aims: activity.aim.clone(),
            activity: activity.activity.clone(),
            impact: activity.evidence.clone().unwrap_or_default(),
            learning: String::new(),
            resources: String::new(),
        }
    }

    /// The entry that publishing or banking this report makes.
    pub fn into_entry(self, kind: Kind, rating: Rating, published: Stamp) -> PublishedEntry {
        PublishedEntry {
            title: self.title,
            summary: self.summary,
            organisations: self.organisations,
            topic: self.topic,
            focus: self.focus,
            target_groups: self.target_groups,
            region: self.region,
            scale: self.scale,
            implementation: self.implementation,
            started: self.started,
            contact: self.contact,
            overview: self.overview,
            problem: self.problem,
            aims: self.aims,
            activity: self.activity,
            impact: self.impact,
            learning: self.learning,
            resources: self.resources,
            kind,
            rating,
            published,
            approval: None,
            retracted: None,
            revisions: Vec::new(),
            imported: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_field_is_refused_with_its_place() {
        let text = "title: T\nsummary: S\norganisations: [Kent Police]\nimpakt: x\n";
        let path = crate::layout::RegisterPath::report("x").to_string();
        let err = crate::model::parse::<Report>(&path, text.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("{path}:4:1: unknown field `impakt`")),
            "{err}"
        );
    }

    #[test]
    fn a_report_lists_the_sections_it_still_needs() {
        let text = "title: T\nsummary: S\norganisations: [Kent Police]\noverview: o\nimpact: ' '\n";
        let r: Report = crate::model::parse("r", text.as_bytes()).unwrap();
        assert_eq!(
            r.missing_sections(),
            [
                "problem",
                "aims",
                "activity",
                "impact",
                "learning",
                "resources"
            ]
        );
    }
}
