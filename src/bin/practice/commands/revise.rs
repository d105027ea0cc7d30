use std::path::PathBuf;

use practice::Result;
use practice::model::PublishedEntry;
use practice::ops;

use crate::{Context, input};

/// Correct a published or banked entry in place (editors): edit
/// published/ID.yaml and pass it back with --file. Its kind, rating,
/// approval and publication stay as they are; the file records each
/// revision (when, by whom, why), and the website says "Updated on …".
///
/// Example: practice revise evr-dorset-police --file published/evr-dorset-police.yaml --reason "Corrected the force's name"
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entry's id
    id: String,
    /// The entry as it should read; - reads standard input
    #[arg(long, short, value_name = "F")]
    file: PathBuf,
    /// Why, for the record and the website
    #[arg(long)]
    reason: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let (entry, source): (PublishedEntry, _) = input::parse_file(&register, &args.file)?;
    let reason = ctx
        .ask
        .text(args.reason, "the reason, for the record", "--reason")?;
    let landed = register.act(&actor, |state| {
        ops::revise(state, &actor, &args.id, entry.clone(), &reason, &source)
    })?;
    super::report(&landed);
    Ok(())
}
