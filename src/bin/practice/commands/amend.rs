use std::path::PathBuf;

use practice::Result;
use practice::ops::{self, Amendment, Source};

use super::fields::FieldArgs;
use crate::{Context, input};

/// Amend a submitted or returned activity: the whole of it from a file, or
/// the answers given as flags. Amending a returned activity answers the
/// partners and opens the next review round.
///
/// Example: practice amend evr-dorset-police --evidence "An evaluation found…"
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// The activity in the register's format; - reads standard input
    #[arg(long, short, value_name = "F", conflicts_with = "fields")]
    file: Option<PathBuf>,
    #[command(flatten)]
    fields: FieldArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let (amendment, source) = match &args.file {
        Some(file) => {
            let (activity, source) = input::parse_file(&register, file)?;
            (Amendment::Replace(Box::new(activity)), source)
        }
        None => (
            Amendment::Fields(Box::new(args.fields.into())),
            Source::flags(),
        ),
    };
    let landed = register.act(&actor, |state| {
        ops::amend(state, &actor, &args.id, amendment.clone(), &source)
    })?;
    super::report(&landed);
    Ok(())
}
