use practice::Result;
use practice::rounds::{self, Changes};

use crate::{Context, table};

/// What the submitter changed in an activity since a review round began,
/// field by field, with a line diff of long answers: what a reviewer in a
/// later round wants to see first.
///
/// Example: practice diff evr-dorset-police --round 1
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// Compare with the activity as round N began [default: the round
    /// before the current one]
    #[arg(long, value_name = "N")]
    round: Option<u32>,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let state = register.state()?;
    let changes = rounds::changes(&state, &args.id, args.round)?;
    if args.json {
        return table::print_json(&changes);
    }
    print!("{}", text(&changes, table::colour()));
    Ok(())
}

/// The changes as a person reads them: each field, then its old and new
/// value, or the lines that changed in a long answer.
fn text(changes: &Changes, colour: bool) -> String {
    let paint = |line: &str| -> String {
        let shown = table::shown(line);
        if !colour {
            return shown;
        }
        match line.chars().next() {
            Some('+') if !line.starts_with("+++") => console::style(shown)
                .force_styling(true)
                .green()
                .to_string(),
            Some('-') if !line.starts_with("---") => {
                console::style(shown).force_styling(true).red().to_string()
            }
            Some('@') => console::style(shown).force_styling(true).cyan().to_string(),
            _ => shown,
        }
    };
    let mut out = format!(
        "{}: changed since round {} began (commit {})\n",
        changes.id,
        changes.since_round,
        &changes.since_commit[..10]
    );
    if changes.fields.is_empty() {
        out.push_str("  nothing\n");
    }
    for f in &changes.fields {
        match &f.lines {
            Some(lines) => {
                out.push_str(&format!("{}:\n", f.field));
                for line in lines
                    .lines()
                    .filter(|l| !l.starts_with("---") && !l.starts_with("+++"))
                {
                    out.push_str(&format!("  {}\n", paint(line)));
                }
            }
            None => {
                let side = |v: &Option<String>, new: bool| {
                    let shown = table::shown(v.as_deref().unwrap_or("(none)"));
                    match (colour, new) {
                        (false, _) => shown,
                        (true, false) => {
                            console::style(shown).force_styling(true).red().to_string()
                        }
                        (true, true) => console::style(shown)
                            .force_styling(true)
                            .green()
                            .to_string(),
                    }
                };
                out.push_str(&format!(
                    "{}: {} -> {}\n",
                    f.field,
                    side(&f.before, false),
                    side(&f.after, true)
                ));
            }
        }
    }
    out
}
