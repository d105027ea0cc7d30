use std::path::PathBuf;

use practice::Result;
use practice::model::{Activity, Focus, Implementation, Scale};
use practice::ops::{self, ActivityFields, Source};

use super::fields::FieldArgs;
use crate::ask::Ask;
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
        None => {
            let mut fields = ActivityFields::from(args.fields);
            let topics = register.state()?.config.topics;
            ask_missing(&ctx.ask, &mut fields, &topics)?;
            (fields.into_activity(&actor.person)?, Source::flags())
        }
    };
    let mut typed = crate::ask::Typed::new(&register, "submission.yaml");
    if ctx.ask.interactive() && args.file.is_none() {
        // Answers typed at the prompts are kept, ready for --file.
        typed.typed(String::from_utf8_lossy(&practice::model::to_yaml(&activity)).into_owned());
    }
    let landed = typed.act(&actor, |state| {
        ops::submit(state, &actor, activity.clone(), args.id.as_deref(), &source)
    })?;
    super::report(&landed);
    if let Some(id) = &landed.practice {
        println!("{id}");
    }
    Ok(())
}

/// Ask, one by one, for the answers a submission needs and the flags left
/// out. Without a terminal the first one missing is refused, naming its flag.
fn ask_missing(ask: &Ask, f: &mut ActivityFields, topics: &[String]) -> Result<()> {
    f.title = Some(ask.text(f.title.take(), "the activity's title", "--title")?);
    if f.organisations.is_empty() {
        let forces: Vec<&str> = practice::forces::all().collect();
        f.organisations
            .push(ask.find(None, "the lead organisation", "--organisation", &forces)?);
    }
    f.topic = Some(ask.choose(f.topic.take(), "the topic", "--topic", topics)?);
    f.focus = Some(ask.choose(f.focus, "the focus", "--focus", Focus::ALL)?);
    f.scale = Some(ask.choose(f.scale, "the scale", "--scale", Scale::ALL)?);
    f.implementation = Some(ask.choose(
        f.implementation,
        "how far it has got",
        "--implementation",
        Implementation::ALL,
    )?);
    f.summary = Some(ask.text(f.summary.take(), "a one-line summary", "--summary")?);
    f.problem = Some(ask.long_text(
        f.problem.take(),
        "the crime challenge it addressed",
        "--problem",
        "",
    )?);
    f.aim = Some(ask.long_text(f.aim.take(), "what it set out to achieve", "--aim", "")?);
    f.activity = Some(ask.long_text(f.activity.take(), "what was done", "--activity", "")?);
    Ok(())
}
