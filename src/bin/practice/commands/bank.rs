use practice::Result;
use practice::model::Rating;
use practice::ops;

use crate::Context;

/// Place an activity in the practice bank with a "Does it work?" rating;
/// with --reason, rate a banked entry again (a revision). Asks first at a
/// terminal; --yes skips the question.
///
/// Example: practice bank lead-dogs-met --rating promising
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// worked | promising | new-or-innovative | did-not-work
    #[arg(long, short, value_parser = bank_rating)]
    rating: Option<Rating>,
    /// Why a banked entry is rated again, for the record (a revision of
    /// the entry, as `practice revise` makes)
    #[arg(long)]
    reason: Option<String>,
    /// Do not ask for confirmation
    #[arg(long, short)]
    yes: bool,
}

/// A rating the practice bank takes: every rating but `smarter-practice`,
/// which only a review earns. A usage error lists the ones it takes.
fn bank_rating(text: &str) -> std::result::Result<Rating, String> {
    text.parse::<Rating>()
        .ok()
        .filter(|r| *r != Rating::SmarterPractice)
        .ok_or_else(|| {
            format!(
                "{text:?} is not a practice bank rating; use one of {}",
                Rating::bank_words()
            )
        })
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let ratings: Vec<Rating> = Rating::ALL
        .iter()
        .copied()
        .filter(|r| *r != Rating::SmarterPractice)
        .collect();
    let rating = ctx.ask.choose(
        args.rating,
        "the rating",
        &format!("--rating ({})", Rating::bank_words()),
        &ratings,
    )?;
    if let Some(reason) = &args.reason {
        return super::confirm_and_act(
            ctx,
            &register,
            &actor,
            args.yes,
            &format!("Rate `{}` {rating} from now on", args.id),
            |state| ops::rerate(state, &actor, &args.id, rating, reason),
        );
    }
    super::confirm_and_act(
        ctx,
        &register,
        &actor,
        args.yes,
        &format!("Place `{}` in the practice bank, rated {rating}", args.id),
        |state| ops::bank(state, &actor, &args.id, rating),
    )
}
