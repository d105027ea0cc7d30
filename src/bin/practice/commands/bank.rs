use practice::Result;
use practice::model::Rating;
use practice::ops;

use crate::Context;

/// Place an activity in the practice bank with a "Does it work?" rating.
///
/// Example: practice bank lead-dogs-met --rating promising
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// worked | promising | new-or-innovative | did-not-work
    #[arg(long, short)]
    rating: Option<Rating>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let rating = args.rating.ok_or_else(|| practice::Error::Missing {
        what: "the rating".into(),
        flag: format!("--rating ({})", Rating::bank_words()),
    })?;
    let register = ctx.open()?;
    let actor = register.actor()?;
    let landed = register.act(&actor, |state| ops::bank(state, &actor, &args.id, rating))?;
    super::report(&landed);
    Ok(())
}
