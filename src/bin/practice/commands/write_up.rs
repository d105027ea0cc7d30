use std::path::PathBuf;

use practice::Result;
use practice::model::Report;
use practice::ops::{self, Source};

use crate::{Context, input};

/// Write up an approved activity in the smarter practice set format. Without
/// --file, commits a draft made from the activity's own answers; edit
/// submissions/ID/report.yaml and pass it back with --file.
///
/// Example: practice write-up evr-dorset-police --file submissions/evr-dorset-police/report.yaml
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// The report in the set format; - reads standard input
    #[arg(long, short, value_name = "F")]
    file: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let (report, source): (Option<Report>, _) = match &args.file {
        Some(file) => {
            let (report, source) = input::parse_file(&register, file)?;
            (Some(report), source)
        }
        None => (None, Source::flags()),
    };
    let landed = register.act(&actor, |state| {
        ops::write_up(state, &actor, &args.id, report.clone(), &source)
    })?;
    super::report(&landed);
    Ok(())
}
