use practice::Result;
use practice::ops;

use crate::Context;

/// Withdraw an activity from the pipeline (its submitter or an editor).
/// Asks first at a terminal; --yes skips the question.
///
/// Example: practice withdraw evr-dorset-police --reason "Replaced by a force-wide scheme"
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
        "Withdraw",
        ops::withdraw,
    )
}
