use practice::Result;
use practice::ops;

use crate::Context;

/// Retract a published or banked entry. The entry stays in the register with
/// the retraction on it; nothing is deleted. Asks first at a terminal; --yes
/// skips the question.
///
/// Example: practice retract evr-dorset-police --reason "Evaluation withdrawn"
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// Why, for the record
    #[arg(long)]
    reason: Option<String>,
    /// Do not ask for confirmation
    #[arg(long, short)]
    yes: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    super::reasoned(
        ctx,
        &args.id,
        args.reason,
        args.yes,
        "Retract",
        ops::retract,
    )
}
