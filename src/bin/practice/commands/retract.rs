use practice::Result;
use practice::ops;

use crate::Context;

/// Retract a published or banked entry. The entry stays in the register with
/// the retraction on it; nothing is deleted.
///
/// Example: practice retract evr-dorset-police --reason "Evaluation withdrawn"
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
        ops::retract(
            state,
            &actor,
            &args.id,
            args.reason.as_deref().unwrap_or_default(),
        )
    })?;
    super::report(&landed);
    Ok(())
}
