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
    #[command(flatten)]
    reasoned: super::Reasoned,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    args.reasoned.run(ctx, "Retract", ops::retract)
}
