use practice::Result;
use practice::ops;

use crate::Context;

/// Withdraw an activity from the pipeline (its submitter or an editor).
/// Asks first at a terminal; --yes skips the question.
///
/// Example: practice withdraw evr-dorset-police --reason "Replaced by a force-wide scheme"
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    reasoned: super::Reasoned,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    args.reasoned.run(ctx, "Withdraw", ops::withdraw)
}
