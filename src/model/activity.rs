//! `submissions/<id>/activity.yaml`: what the force submitted, amended in
//! place (git keeps every earlier version).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Focus, Implementation, Person, Reasoned, Scale, Stamp, require_text};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Left out of a file given to `submit`; the tool fills it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    /// The lead organisation first.
    pub organisations: Vec<String>,
    pub topic: String,
    pub focus: Focus,
    pub target_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub scale: Scale,
    pub implementation: Implementation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<NaiveDate>,
    pub contact: Person,
    pub summary: String,
    pub problem: String,
    pub aim: String,
    pub activity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Left out of a file given to `submit`; the tool fills it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Reasoned>,
    /// The last time an editor undid a withdrawal, at the submitter's
    /// request (`practice reinstate`); git keeps every earlier one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reinstated: Option<Reasoned>,
}

impl Activity {
    /// The checks a parse cannot make. `path` names the file in messages.
    pub fn validate(&self, path: &str) -> Result<()> {
        require_text(path, "title", &self.title)?;
        if self.organisations.iter().all(|o| o.trim().is_empty()) {
            return Err(Error::Invalid {
                path: path.into(),
                message: "`organisations` is empty; name the lead organisation first".into(),
            });
        }
        require_text(path, "topic", &self.topic)?;
        self.contact.check(path, "contact")?;
        require_text(path, "summary", &self.summary)?;
        require_text(path, "problem", &self.problem)?;
        require_text(path, "aim", &self.aim)?;
        require_text(path, "activity", &self.activity)?;
        for (field, value) in [
            ("title", &self.title),
            ("topic", &self.topic),
            ("summary", &self.summary),
        ] {
            super::one_line(path, field, value)?;
        }
        for (field, list) in [
            ("organisations", &self.organisations),
            ("target_groups", &self.target_groups),
        ] {
            for value in list {
                super::one_line(path, field, value)?;
            }
        }
        if let Some(region) = &self.region {
            super::one_line(path, "region", region)?;
        }
        if let Some(started) = self.started
            && !super::YEARS.contains(&chrono::Datelike::year(&started))
        {
            return Err(Error::Invalid {
                path: path.into(),
                message: format!(
                    "`started` is {started}, outside the years {}–{} a register holds; check the year",
                    super::YEARS.start(),
                    super::YEARS.end()
                ),
            });
        }
        Ok(())
    }

    /// The lead organisation, for tables and ids.
    pub fn lead(&self) -> &str {
        self.organisations.first().map_or("", String::as_str)
    }

    /// Normalise what people type: forces get their proper names, and blank
    /// list entries are dropped.
    pub fn tidy(&mut self) {
        self.organisations = crate::forces::normalise_all(&self.organisations);
        self.target_groups = self
            .target_groups
            .iter()
            .map(|g| g.trim().to_string())
            .filter(|g| !g.is_empty())
            .collect();
        if let Some(e) = &self.evidence
            && e.trim().is_empty()
        {
            self.evidence = None;
        }
    }
}
