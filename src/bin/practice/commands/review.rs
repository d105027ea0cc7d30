use std::path::PathBuf;

use practice::Result;
use practice::model::Decision;
use practice::ops;

use crate::{Context, input};

/// Record your partner's decision on an activity in its current round. A
/// partner may change its decision; git keeps the earlier one.
///
/// Example: practice review evr-dorset-police --decision suitable
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// suitable | not-suitable | more-information | recuse
    #[arg(long, short)]
    decision: Option<Decision>,
    /// The partner you decide for [default: your only one]
    #[arg(long, short)]
    partner: Option<String>,
    /// Why (needed for every decision but suitable)
    #[arg(long, short, value_name = "TEXT", conflicts_with = "comment_file")]
    comment: Option<String>,
    /// Read the comment from a file; - reads standard input
    #[arg(long, value_name = "F")]
    comment_file: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let decision = ctx.ask.choose(
        args.decision,
        "the decision",
        &format!("--decision ({})", Decision::words()),
        Decision::ALL,
    )?;
    let mut partner = args.partner.clone();
    let mut comment = match &args.comment_file {
        Some(file) => Some(input::read_text(file)?),
        None => args.comment.clone(),
    };
    let mut typed = crate::ask::Typed::new(&register, "comment.txt");
    if ctx.ask.interactive() {
        let config = register.state()?.config;
        let mine: Vec<String> = config
            .partners_reviewed_by(&actor.person.email)
            .iter()
            .map(|p| p.id.clone())
            .collect();
        if partner.is_none() && mine.len() > 1 {
            partner =
                Some(
                    ctx.ask
                        .choose(None, "the partner you decide for", "--partner", &mine)?,
                );
        }
        if practice::model::needs_comment(decision)
            && comment.as_deref().is_none_or(|c| c.trim().is_empty())
        {
            let text = ctx.ask.long_text(
                None,
                &format!("why the decision is {decision}"),
                "--comment",
                "",
            )?;
            typed.typed(text.clone());
            comment = Some(text);
        }
    }
    let landed = typed.act(&actor, |state| {
        ops::review(
            state,
            &actor,
            &args.id,
            decision,
            partner.as_deref(),
            comment.as_deref(),
        )
    })?;
    super::report(&landed);
    Ok(())
}
