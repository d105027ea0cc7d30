//! The activity's answers as flags, shared by `submit` and `amend`.

use chrono::NaiveDate;
use practice::model::{Focus, Implementation, Scale};
use practice::ops::ActivityFields;

#[derive(Debug, Clone, clap::Args)]
#[group(id = "fields", multiple = true)]
pub struct FieldArgs {
    /// The activity's name, e.g. "Enhanced video response (EVR)"
    #[arg(long)]
    title: Option<String>,
    /// An organisation that ran it, lead first (repeat for more); forces are
    /// spelt as the College spells them ("dorset" becomes Dorset Police)
    #[arg(long = "organisation", value_name = "NAME")]
    organisations: Vec<String>,
    /// One of the register's topics
    #[arg(long)]
    topic: Option<String>,
    /// Prevention | Diversion | Reoffending | Organisational | Investigation
    #[arg(long)]
    focus: Option<Focus>,
    /// A group it was for, e.g. Victims (repeat for more)
    #[arg(long = "target-group", value_name = "GROUP")]
    target_groups: Vec<String>,
    /// Where it ran, e.g. "South West"
    #[arg(long)]
    region: Option<String>,
    /// Local | Regional | National
    #[arg(long)]
    scale: Option<Scale>,
    /// planned | piloted | implemented | evaluated
    #[arg(long)]
    implementation: Option<Implementation>,
    /// When it started, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    started: Option<NaiveDate>,
    /// Who to ask about it [default: you]
    #[arg(long, value_name = "NAME")]
    contact_name: Option<String>,
    /// Their email [default: yours]
    #[arg(long, value_name = "EMAIL")]
    contact_email: Option<String>,
    /// One line that says what it is
    #[arg(long)]
    summary: Option<String>,
    /// The crime challenge it addressed
    #[arg(long)]
    problem: Option<String>,
    /// What it set out to achieve
    #[arg(long)]
    aim: Option<String>,
    /// What was done
    #[arg(long)]
    activity: Option<String>,
    /// Evaluation and outcomes so far
    #[arg(long)]
    evidence: Option<String>,
}

impl From<FieldArgs> for ActivityFields {
    fn from(a: FieldArgs) -> Self {
        ActivityFields {
            title: a.title,
            organisations: a.organisations,
            topic: a.topic,
            focus: a.focus,
            target_groups: a.target_groups,
            region: a.region,
            scale: a.scale,
            implementation: a.implementation,
            started: a.started,
            contact_name: a.contact_name,
            contact_email: a.contact_email,
            summary: a.summary,
            problem: a.problem,
            aim: a.aim,
            activity: a.activity,
            evidence: a.evidence,
        }
    }
}
