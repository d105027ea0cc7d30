use std::path::PathBuf;

use practice::Result;
use practice::id::PracticeId;
use practice::model::{Report, SECTIONS};
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
    let mut typed = crate::ask::Typed::new(&register, format!("{}-report.yaml", args.id));
    let (report, source): (Option<Report>, _) = match &args.file {
        Some(file) => {
            let (report, source) = input::parse_file(&register, file)?;
            (Some(report), source)
        }
        None if ctx.ask.interactive() => {
            // At a terminal the report opens in the editor: the draft so far,
            // or one made from the activity's own answers.
            let state = register.state()?;
            let item = state.item(&PracticeId::parse(&args.id)?)?;
            let start = match (&item.report, &item.activity) {
                (Some(r), _) => r.clone(),
                (None, Some(a)) => Report::draft_from(a),
                (None, None) => return Err(practice::Error::UnknownActivity(args.id)),
            };
            let template = format!(
                "# The smarter practice report for `{}`. Every section must be written\n# before publication: {}.\n{}",
                args.id,
                SECTIONS.join(", "),
                String::from_utf8_lossy(&practice::model::to_yaml(&start))
            );
            let text = ctx.ask.edit("the report", "--file", &template)?;
            let name = "the report you wrote";
            let parsed = typed.parse(name, text)?;
            (
                Some(parsed),
                Source {
                    name: name.into(),
                    adopt: None,
                },
            )
        }
        None => (None, Source::flags()),
    };
    let landed = typed.act(&actor, |state| {
        ops::write_up(state, &actor, &args.id, report.clone(), &source)
    })?;
    super::report(&landed);
    Ok(())
}
