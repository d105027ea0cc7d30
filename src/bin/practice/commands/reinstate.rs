use practice::Result;
use practice::ops;

use crate::Context;

/// Undo a withdrawal, at the submitter's request (editors): the activity
/// returns to the stage its decisions give. Asks first at a terminal;
/// --yes skips the question.
///
/// Example: practice reinstate evr-dorset-police --reason "Withdrawn in error, says the force"
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    reasoned: super::Reasoned,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    args.reasoned.run(ctx, "Reinstate", ops::reinstate)
}
