use practice::Result;
use practice::ops;

use crate::Context;

/// Publish an approved activity with a complete report as smarter practice.
/// Asks first at a terminal; --yes skips the question.
///
/// Example: practice publish evr-dorset-police
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// Do not ask for confirmation
    #[arg(long, short)]
    yes: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    super::confirm_and_act(
        ctx,
        &register,
        &actor,
        args.yes,
        &format!(
            "Publish `{}` as smarter practice for every force to see",
            args.id
        ),
        |state| ops::publish(state, &actor, &args.id),
    )
}
