use practice::Result;
use practice::ops;

use crate::Context;

/// Publish an approved activity with a complete report as smarter practice.
///
/// Example: practice publish evr-dorset-police
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let landed = register.act(&actor, |state| ops::publish(state, &actor, &args.id))?;
    super::report(&landed);
    Ok(())
}
