use comfy_table::Cell;
use practice::Result;
use practice::pipeline::Stage;
use practice::view::{Filter, Summary};

use crate::{Context, table};

/// List activities with their stage, each partner's decision in the
/// current round (✓ suitable, ✗ not suitable, ? more information, – recused,
/// · yet to decide), how long each open one has waited and when its round
/// is due.
///
/// Example: practice list --awaiting npcc --overdue
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this stage: submitted | in-review | returned | not-suitable |
    /// approved | written-up | published | banked | withdrawn | retracted
    #[arg(long)]
    stage: Option<Stage>,
    /// Only this topic
    #[arg(long)]
    topic: Option<String>,
    /// Only activities this organisation took part in
    #[arg(long)]
    organisation: Option<String>,
    /// Only activities open for review that this partner has yet to decide
    #[arg(long, value_name = "PARTNER")]
    awaiting: Option<String>,
    /// Only rounds past their due day (`approval.review_days` after they
    /// opened)
    #[arg(long)]
    overdue: bool,
    /// Print a JSON array instead of a table
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let state = register.state()?;
    let config = &state.config;
    // A retired topic still files the activities filed under it.
    if let Some(t) = &args.topic
        && !config
            .retired_topics
            .iter()
            .any(|r| r.eq_ignore_ascii_case(t.trim()))
    {
        config
            .topic(t)
            .map_err(|e| practice::Error::Usage(e.to_string()))?;
    }
    if let Some(p) = &args.awaiting {
        config.require_partner(p)?;
    }
    let filter = Filter {
        stage: args.stage,
        topic: args.topic,
        organisation: args.organisation,
        awaiting: args.awaiting,
        overdue: args.overdue,
    };
    let today = practice::identity::now()?.date_naive();
    let (items, problems) = practice::digest::digests(&state)?;
    // Damaged files are reported, and everything else is still listed.
    for problem in &problems {
        eprintln!("practice: warning: {}", table::shown(&problem.to_string()));
    }
    let clock = practice::clock::Clock::read(&state)?;
    let summaries: Vec<Summary> = items
        .iter()
        .map(|i| Summary::timed(i, config, &clock, today))
        .filter(|s| filter.matches(s))
        .collect();
    if args.json {
        return table::print_json(&summaries);
    }
    if summaries.is_empty() {
        eprintln!("no activities match");
        return Ok(());
    }
    let partners = config.partner_ids();
    let mut header = vec!["ID", "Stage", "Round"];
    header.extend(partners.iter().copied());
    header.extend(["Waiting", "Due", "Organisation", "Title"]);
    let mut t = table::new(header);
    for s in &summaries {
        let mut row = vec![
            Cell::new(table::shown(&s.id)),
            // An imported entry was never reviewed here: say so, beside
            // its stage, so no one takes it for one that was.
            Cell::new(if s.imported {
                format!("{} (imported)", s.stage)
            } else {
                s.stage.to_string()
            }),
            Cell::new(s.round),
        ];
        row.extend(
            partners
                .iter()
                .map(|p| table::mark_cell(s.decisions.get(*p).copied())),
        );
        row.push(Cell::new(waiting(s)));
        row.push(Cell::new(table::due(s.due, s.overdue_days)));
        row.push(Cell::new(table::shown(
            s.organisations.first().map_or("", String::as_str),
        )));
        row.push(Cell::new(table::shown(&s.title)));
        t.add_row(row);
    }
    println!("{t}");
    Ok(())
}

/// How long `s` has waited and for whom: "12 days: npcc, iopc".
fn waiting(s: &Summary) -> String {
    match s.waiting_days {
        Some(days) if !s.waiting_for.is_empty() => {
            format!(
                "{}: {}",
                practice::view::days(days),
                s.waiting_for.join(", ")
            )
        }
        _ => String::new(),
    }
}
