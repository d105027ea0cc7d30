use practice::Result;
use practice::model::Signatures;
use practice::ops::{self, RuleChange};

use crate::{Context, table};

/// The register's rules: how many partners must approve, when a round is
/// due, the partners and the topics (editors change them).
///
/// With no subcommand, shows them.
///
/// Example: practice rules set min-suitable 2
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Print JSON instead of text (when showing the rules)
    #[arg(long)]
    json: bool,
    /// Do not ask for confirmation when a change moves activities to
    /// another stage
    #[arg(long, short, global = true)]
    yes: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Set a number of the approval rule
    #[command(subcommand)]
    Set(Setting),
    /// Add, rename or retire a topic (activities filed under a renamed or
    /// retired topic keep it)
    #[command(subcommand)]
    Topic(TopicChange),
    /// Add a partner organisation, or retire one (its decisions stay on
    /// the record; no round waits for it)
    #[command(subcommand)]
    Partner(PartnerChange),
    /// Name who publishes the website: its header and footer say so, and
    /// its accessibility statement points to the publisher's own
    ///
    /// Example: practice rules publisher --name "College of Policing" --contact https://www.college.police.uk/contact --accessibility https://www.college.police.uk/accessibility
    Publisher {
        /// The publishing body's name
        #[arg(long)]
        name: String,
        /// Where the public reaches it: a web or an email address
        #[arg(long)]
        contact: Option<String>,
        /// The web address of its own accessibility statement
        #[arg(long, value_name = "URL")]
        accessibility: Option<String>,
    },
}

#[derive(Debug, clap::Subcommand)]
enum Setting {
    /// How many partners must find an activity suitable, at most the
    /// partners that review; applies to every round still open
    ///
    /// Example: practice rules set min-suitable 2
    #[command(name = "min-suitable")]
    MinSuitable { n: usize },
    /// How many days after it opens a round is due
    ///
    /// Example: practice rules set review-days 21
    #[command(name = "review-days")]
    ReviewDays { days: u32 },
}

#[derive(Debug, clap::Subcommand)]
enum TopicChange {
    /// Example: practice rules topic add "Roads policing"
    Add { topic: String },
    /// Example: practice rules topic rename "Road safety" "Roads policing"
    Rename { topic: String, to: String },
    /// Example: practice rules topic retire "Road safety"
    Retire { topic: String },
}

#[derive(Debug, clap::Subcommand)]
enum PartnerChange {
    /// Example: practice rules partner add fire-service --name "National Fire Chiefs Council"
    Add {
        /// Lowercase words joined by dashes, never reused
        id: String,
        /// The organisation's name
        #[arg(long)]
        name: String,
    },
    /// Example: practice rules partner retire iopc
    Retire { id: String },
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let change = match args.command {
        None => return show(&register, args.json),
        Some(Command::Set(Setting::MinSuitable { n })) => RuleChange::MinSuitable(n),
        Some(Command::Set(Setting::ReviewDays { days })) => RuleChange::ReviewDays(days),
        Some(Command::Topic(TopicChange::Add { topic })) => RuleChange::TopicAdd(topic),
        Some(Command::Topic(TopicChange::Rename { topic, to })) => {
            RuleChange::TopicRename { from: topic, to }
        }
        Some(Command::Topic(TopicChange::Retire { topic })) => RuleChange::TopicRetire(topic),
        Some(Command::Partner(PartnerChange::Add { id, name })) => {
            RuleChange::PartnerAdd { id, name }
        }
        Some(Command::Partner(PartnerChange::Retire { id })) => RuleChange::PartnerRetire(id),
        Some(Command::Publisher {
            name,
            contact,
            accessibility,
        }) => RuleChange::Publisher(practice::model::Publisher {
            name: name.trim().to_string(),
            contact: contact.map(|c| c.trim().to_string()),
            accessibility: accessibility.map(|a| a.trim().to_string()),
        }),
    };
    let actor = register.actor()?;
    let state = register.state()?;
    let (_, moved) = ops::plan_rules_change(&state, &actor, &change)?;
    drop(state);
    // Ask only when the change moves activities, listing them.
    if !moved.is_empty() {
        eprintln!("Stages this changes:");
        for r in &moved {
            eprintln!("{}", table::shown(&r.line()));
        }
        let moved = moved.len();
        ctx.ask.confirm(
            args.yes,
            &format!(
                "This changes the stage of {moved} activit{}; go ahead",
                if moved == 1 { "y" } else { "ies" }
            ),
        )?;
    }
    let landed = register.act(&actor, |state| ops::rules_change(state, &actor, &change))?;
    super::report(&landed);
    Ok(())
}

fn show(register: &practice::register::Register, json: bool) -> Result<()> {
    let state = register.state()?;
    let c = &state.config;
    let signatures = match c.signatures.unwrap_or(Signatures::Optional) {
        Signatures::Required => "required",
        Signatures::Optional => "optional",
    };
    let other_refs: Vec<&str> = c
        .guard
        .iter()
        .flat_map(|g| g.other_refs.iter().map(String::as_str))
        .collect();
    if json {
        #[derive(serde::Serialize)]
        struct Partner<'a> {
            id: &'a str,
            name: &'a str,
            retired: bool,
        }
        #[derive(serde::Serialize)]
        struct Rules<'a> {
            name: &'a str,
            min_suitable: usize,
            review_days: Option<u32>,
            signatures: &'a str,
            partners: Vec<Partner<'a>>,
            topics: &'a [String],
            retired_topics: &'a [String],
            guard_other_refs: Vec<&'a str>,
            publisher: Option<&'a practice::model::Publisher>,
        }
        return table::print_json(&Rules {
            name: &c.name,
            min_suitable: c.approval.min_suitable,
            review_days: c.approval.review_days,
            signatures,
            partners: c
                .partners
                .iter()
                .map(|p| Partner {
                    id: &p.id,
                    name: &p.name,
                    retired: p.retired,
                })
                .collect(),
            topics: &c.topics,
            retired_topics: &c.retired_topics,
            guard_other_refs: other_refs,
            publisher: c.publisher.as_ref(),
        });
    }
    let mut t = table::new(vec!["Rule", "Value"]);
    let reviewing = c.partner_ids().len();
    t.add_row(vec!["name".into(), table::shown(&c.name)]);
    t.add_row(vec![
        "min-suitable".into(),
        format!(
            "{} of the {reviewing} partners that review",
            c.approval.min_suitable
        ),
    ]);
    let days = c
        .approval
        .review_days
        .map(|d| format!("{d} days after a round opens"))
        .unwrap_or_else(|| "not set".into());
    t.add_row(vec!["review-days".into(), days]);
    t.add_row(vec!["signatures".to_string(), signatures.to_string()]);
    for p in &c.partners {
        let retired = if p.retired { " (retired)" } else { "" };
        t.add_row(vec![
            "partner".into(),
            format!(
                "{} — {}{retired}",
                table::shown(&p.id),
                table::shown(&p.name)
            ),
        ]);
    }
    for topic in &c.topics {
        t.add_row(vec!["topic".into(), table::shown(topic)]);
    }
    for topic in &c.retired_topics {
        t.add_row(vec!["retired topic".into(), table::shown(topic)]);
    }
    for r in &other_refs {
        t.add_row(vec!["guard takes".into(), table::shown(r)]);
    }
    if let Some(p) = &c.publisher {
        t.add_row(vec!["publisher".into(), table::shown(&p.name)]);
        for (what, value) in [("contact", &p.contact), ("accessibility", &p.accessibility)] {
            if let Some(v) = value {
                t.add_row(vec![format!("publisher {what}"), table::shown(v)]);
            }
        }
    }
    println!("{t}");
    Ok(())
}
