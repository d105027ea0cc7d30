use std::path::PathBuf;

use practice::Result;
use practice::id::PracticeId;
use practice::ops::{self, ActivityFields, Amendment, Source};

use super::fields::FieldArgs;
use crate::{Context, input};

/// Amend a submitted or returned activity: the whole of it from a file, or
/// the answers given as flags. Amending a returned activity answers the
/// partners (--reply, or your editor at a terminal, opened with their
/// questions) and opens the next review round.
///
/// Example: practice amend evr-dorset-police --evidence "An evaluation found…" --reply "It cost one licence."
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// The activity in the register's format; - reads standard input
    #[arg(long, short, value_name = "F", conflicts_with = "fields")]
    file: Option<PathBuf>,
    #[command(flatten)]
    fields: FieldArgs,
    /// Your answer to the partners' questions, when they returned it
    #[arg(long, value_name = "TEXT", conflicts_with = "reply_file")]
    reply: Option<String>,
    /// Read the reply from a file; - reads standard input
    #[arg(long, value_name = "F")]
    reply_file: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let fields: ActivityFields = args.fields.into();
    let mut typed = crate::ask::Typed::new(&register, format!("{}-activity.yaml", args.id));
    let (amendment, source) = match &args.file {
        Some(file) => {
            let (activity, source) = input::parse_file(&register, file)?;
            (Amendment::Replace(Box::new(activity)), source)
        }
        None if fields.is_empty() && ctx.ask.interactive() => {
            // Nothing given at a terminal: the activity opens in the editor.
            let state = register.state()?;
            let item = state.item(&PracticeId::parse(&args.id)?)?;
            let Some(activity) = &item.activity else {
                return Err(practice::Error::bad(format!(
                    "`{}` has no submission to amend",
                    args.id
                )));
            };
            let template = format!(
                "# Amend `{}`: change the answers below, save and close.\n{}",
                args.id,
                String::from_utf8_lossy(&practice::model::to_yaml(activity))
            );
            let text = ctx.ask.edit("the activity", "--file", &template)?;
            let name = "the activity you wrote";
            let parsed = typed.parse(name, text)?;
            (
                Amendment::Replace(Box::new(parsed)),
                Source {
                    name: name.into(),
                    adopt: None,
                },
            )
        }
        None => (Amendment::Fields(Box::new(fields)), Source::flags()),
    };
    let mut reply = match &args.reply_file {
        Some(file) => Some(input::read_text(file)?),
        None => args.reply.clone(),
    };
    if reply.is_none() && ctx.ask.interactive() {
        let state = register.state()?;
        let item = state.item(&PracticeId::parse(&args.id)?)?;
        if item.stage(&state.config) == practice::pipeline::Stage::Returned {
            let text = ctx.ask.long_text(
                None,
                "your reply to the partners",
                "--reply",
                &questions(&item),
            )?;
            typed.typed_also(format!("{}-reply.txt", args.id), text.clone());
            reply = Some(text);
        }
    }
    let landed = typed.act(&actor, |state| {
        ops::amend(
            state,
            &actor,
            &args.id,
            amendment.clone(),
            &source,
            reply.as_deref(),
        )
    })?;
    super::report(&landed);
    Ok(())
}

/// The current round's decisions and comments, as lines the editor drops.
fn questions(item: &practice::register::Item) -> String {
    let round = item.current_round();
    format!(
        "#\n# Round {round} asked:\n{}",
        super::quoted_decisions(item, round)
    )
}
