use practice::{Result, ops};

use crate::Context;

/// Take an evidence file off an activity before publication (its submitter
/// or an editor); git keeps it.
///
/// Example: practice detach evr-dorset-police evaluation-2025.pdf
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// The attached file's name, as `practice show` lists it
    name: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let landed = register.act(&actor, |state| {
        ops::detach(state, &actor, &args.id, &args.name)
    })?;
    super::report(&landed);
    Ok(())
}
