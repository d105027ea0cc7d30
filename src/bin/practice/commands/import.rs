use std::path::PathBuf;

use practice::Result;
use practice::model::PublishedEntry;
use practice::ops;

use crate::{Context, input};

/// Editors: bring in an entry that was published before the register
/// existed, from a file in the published format with an `imported` block
/// (`source` says where it comes from) in place of `approval`. Its sections
/// may be empty. Prints the new entry's id.
///
/// Example: practice import --file evr.yaml
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entry in the published format; - reads standard input
    #[arg(long, short, value_name = "F")]
    file: PathBuf,
    /// Its id [default: made from the title and lead organisation]
    #[arg(long)]
    id: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let (entry, source): (PublishedEntry, _) = input::parse_file(&register, &args.file)?;
    let landed = register.act(&actor, |state| {
        ops::import(state, &actor, entry.clone(), args.id.as_deref(), &source)
    })?;
    super::report(&landed);
    if let Some(id) = &landed.practice {
        println!("{id}");
    }
    Ok(())
}
