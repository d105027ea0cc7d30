//! An activity's answers given one flag at a time, as `submit` and `amend`
//! take them on the command line.

use chrono::NaiveDate;

use crate::model::{Activity, Focus, Implementation, Person, Scale};
use crate::{Error, Result};

/// Every answer of an activity, each optional: `submit` requires the
/// required ones, `amend` changes only those given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFields {
    pub title: Option<String>,
    pub organisations: Vec<String>,
    pub topic: Option<String>,
    pub focus: Option<Focus>,
    pub target_groups: Vec<String>,
    pub region: Option<String>,
    pub scale: Option<Scale>,
    pub implementation: Option<Implementation>,
    pub started: Option<NaiveDate>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub summary: Option<String>,
    pub problem: Option<String>,
    pub aim: Option<String>,
    pub activity: Option<String>,
    pub evidence: Option<String>,
}

fn missing(what: &str, flag: &str) -> Error {
    Error::Missing {
        what: what.into(),
        flag: flag.into(),
    }
}

impl ActivityFields {
    /// Whether any answer was given.
    pub fn is_empty(&self) -> bool {
        *self == ActivityFields::default()
    }

    /// A new activity from these answers. The contact defaults to the person
    /// submitting.
    pub fn into_activity(self, submitter: &Person) -> Result<Activity> {
        if self.organisations.is_empty() {
            return Err(missing("the lead organisation", "--organisation"));
        }
        Ok(Activity {
            id: None,
            title: self.title.ok_or_else(|| missing("the title", "--title"))?,
            organisations: self.organisations,
            topic: self.topic.ok_or_else(|| missing("the topic", "--topic"))?,
            focus: self.focus.ok_or_else(|| missing("the focus", "--focus"))?,
            target_groups: self.target_groups,
            region: self.region,
            scale: self.scale.ok_or_else(|| missing("the scale", "--scale"))?,
            implementation: self
                .implementation
                .ok_or_else(|| missing("the implementation stage", "--implementation"))?,
            started: self.started,
            contact: Person::new(
                self.contact_name.unwrap_or_else(|| submitter.name.clone()),
                self.contact_email
                    .unwrap_or_else(|| submitter.email.clone()),
            ),
            summary: self
                .summary
                .ok_or_else(|| missing("the summary", "--summary"))?,
            problem: self
                .problem
                .ok_or_else(|| missing("the problem", "--problem"))?,
            aim: self.aim.ok_or_else(|| missing("the aim", "--aim"))?,
            activity: self
                .activity
                .ok_or_else(|| missing("what was done", "--activity"))?,
            evidence: self.evidence,
            submitted: None,
            withdrawn: None,
            reinstated: None,
        })
    }

    /// Change the answers given here, and leave the rest.
    pub fn apply(self, a: &mut Activity) {
        fn set<T>(slot: &mut T, value: Option<T>) {
            if let Some(v) = value {
                *slot = v;
            }
        }
        set(&mut a.title, self.title);
        if !self.organisations.is_empty() {
            a.organisations = self.organisations;
        }
        set(&mut a.topic, self.topic);
        set(&mut a.focus, self.focus);
        if !self.target_groups.is_empty() {
            a.target_groups = self.target_groups;
        }
        if self.region.is_some() {
            a.region = self.region;
        }
        set(&mut a.scale, self.scale);
        set(&mut a.implementation, self.implementation);
        if self.started.is_some() {
            a.started = self.started;
        }
        set(&mut a.contact.name, self.contact_name);
        set(&mut a.contact.email, self.contact_email);
        set(&mut a.summary, self.summary);
        set(&mut a.problem, self.problem);
        set(&mut a.aim, self.aim);
        set(&mut a.activity, self.activity);
        if self.evidence.is_some() {
            a.evidence = self.evidence;
        }
    }
}
