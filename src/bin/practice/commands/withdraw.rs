use practice::Result;
use practice::ops;

use crate::Context;

/// Withdraw an activity from the pipeline (its submitter or an editor).
///
/// Example: practice withdraw evr-dorset-police --reason "Replaced by a force-wide scheme"
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// Why, for the record
    #[arg(long)]
    reason: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let landed = register.act(&actor, |state| {
        ops::withdraw(
            state,
            &actor,
            &args.id,
            args.reason.as_deref().unwrap_or_default(),
        )
    })?;
    super::report(&landed);
    Ok(())
}
