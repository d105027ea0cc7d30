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
    let decision = args.decision.ok_or_else(|| practice::Error::Missing {
        what: "the decision".into(),
        flag: format!("--decision ({})", Decision::words()),
    })?;
    let comment = match &args.comment_file {
        Some(file) => Some(input::read_text(file)?),
        None => args.comment.clone(),
    };
    let register = ctx.open()?;
    let actor = register.actor()?;
    let landed = register.act(&actor, |state| {
        ops::review(
            state,
            &actor,
            &args.id,
            decision,
            args.partner.as_deref(),
            comment.as_deref(),
        )
    })?;
    super::report(&landed);
    Ok(())
}
