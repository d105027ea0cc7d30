use practice::Result;
use practice::ops;

use crate::Context;

/// Reopen an undecided activity: every partner decided, but too few found it
/// suitable (recusals), so the round cannot end by itself. The next round
/// opens with no decisions, and the reason is on the record. Editors only;
/// asks first at a terminal, --yes skips the question. (The other way on is
/// `practice bank`.)
///
/// Example: practice reopen evr-dorset-police --reason "Two partners recused; asking again"
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    reasoned: super::Reasoned,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    args.reasoned.run(ctx, "Reopen", ops::reopen)
}
