use comfy_table::Cell;
use practice::Result;
use practice::pipeline::Stage;
use practice::view::{Filter, Summary};

use crate::{Context, table};

/// List activities with their stage and each partner's decision in the
/// current round (✓ suitable, ✗ not suitable, ? more information, – recused,
/// · yet to decide).
///
/// Example: practice list --awaiting npcc
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
    };
    let (items, problems) = practice::digest::digests(&state)?;
    // Damaged files are reported, and everything else is still listed.
    for problem in &problems {
        eprintln!("practice: warning: {}", table::shown(&problem.to_string()));
    }
    let summaries: Vec<Summary> = items
        .iter()
        .filter(|i| filter.matches(i, config))
        .map(|i| Summary::of(i, config))
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
    header.extend(["Organisation", "Title"]);
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
        row.push(Cell::new(table::shown(
            s.organisations.first().map_or("", String::as_str),
        )));
        row.push(Cell::new(table::shown(&s.title)));
        t.add_row(row);
    }
    println!("{t}");
    Ok(())
}
