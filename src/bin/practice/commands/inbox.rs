use practice::Result;
use practice::inbox::{self, Waiting};

use crate::{Context, table};

/// What awaits you: as a reviewer, the activities awaiting your partner's
/// decision, oldest first, with the day each round is due; as an editor,
/// what is approved but not written up, written up but not published,
/// returned, undecided and found not suitable; as a submitter, your
/// activities and what each waits for.
///
/// Example: practice inbox
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Editors: see this partner's queue, as its reviewers see it
    #[arg(long, value_name = "P")]
    partner: Option<String>,
    /// Print one JSON object instead of tables
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let state = register.state()?;
    let (inbox, problems) = inbox::inbox(
        &state,
        &actor.person,
        practice::identity::now()?.date_naive(),
        args.partner.as_deref(),
    )?;
    for problem in &problems {
        eprintln!("practice: warning: {}", table::shown(&problem.to_string()));
    }
    if args.json {
        return table::print_json(&inbox);
    }
    if inbox.is_empty() {
        eprintln!("nothing awaits {}", table::shown(&actor.person.to_string()));
        return Ok(());
    }
    let mut sections: Vec<(String, &[Waiting])> = Vec::new();
    for q in &inbox.reviewer {
        sections.push((format!("Awaiting {}'s decision", q.partner), &q.awaiting));
    }
    if let Some(e) = &inbox.editor {
        sections.push(("Approved, to write up".into(), &e.to_write_up));
        sections.push(("Written up, to publish".into(), &e.to_publish));
        sections.push(("Returned to their submitters".into(), &e.returned));
        sections.push(("Undecided: reopen or bank".into(), &e.undecided));
        sections.push(("Not suitable: bank, or leave".into(), &e.not_suitable));
    }
    sections.push(("Your submissions".into(), &inbox.submitter));
    let mut first = true;
    for (heading, list) in sections {
        if list.is_empty() {
            continue;
        }
        if !first {
            println!();
        }
        first = false;
        println!("{heading}");
        let mut t = table::new(vec![
            "ID", "Stage", "Round", "Waiting", "Due", "For", "Title",
        ]);
        for w in list {
            // What the submitter changed since the round before, to read
            // first (`practice diff ID` shows how).
            let round = match w.changed.as_slice() {
                [] => w.round.to_string(),
                changed => format!("{} (changed: {})", w.round, changed.join(", ")),
            };
            t.add_row(vec![
                table::shown(&w.id),
                w.stage.to_string(),
                table::shown(&round),
                practice::view::days(w.age_days),
                table::due(w.due, w.overdue_days),
                table::shown(&w.waits_for),
                table::shown(&w.title),
            ]);
        }
        println!("{t}");
    }
    Ok(())
}
