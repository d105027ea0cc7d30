use std::path::PathBuf;

use practice::Result;
use practice::model::Activity;
use practice::ops::{self, ActivityFields, Source};

use super::fields::FieldArgs;
use crate::{Context, input};

/// Submit an activity for joint review, from a file or from flags. Prints the
/// new activity's id.
///
/// Example: practice submit --file evr.yaml
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An activity in the register's format (`id` and `submitted` may be
    /// left out); - reads standard input
    #[arg(long, short, value_name = "F", conflicts_with = "fields")]
    file: Option<PathBuf>,
    /// The activity's id [default: made from the title and lead organisation]
    #[arg(long)]
    id: Option<String>,
    #[command(flatten)]
    fields: FieldArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let (activity, source): (Activity, _) = match &args.file {
        Some(file) => input::parse_file(&register, file)?,
        None => (
            ActivityFields::from(args.fields).into_activity(&actor.person)?,
            Source::flags(),
        ),
    };
    let landed = register.act(&actor, |state| {
        ops::submit(state, &actor, activity.clone(), args.id.as_deref(), &source)
    })?;
    super::report(&landed);
    if let Some(id) = &landed.practice {
        println!("{id}");
    }
    Ok(())
}
