use std::path::PathBuf;

use practice::Result;
use practice::model::Decision;
use practice::ops;

use crate::{Context, input};

/// Record your partner's decision on an activity in its current round. A
/// partner may change its decision; git keeps the earlier one. While the
/// round has no outcome, --clear takes the decision back.
///
/// Example: practice review evr-dorset-police --decision suitable
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// suitable | not-suitable | more-information | recuse
    #[arg(long, short, conflicts_with = "clear")]
    decision: Option<Decision>,
    /// Take back your partner's decision in the current round instead
    /// (with a comment saying why); the sign-off is removed, git keeps it
    #[arg(long)]
    clear: bool,
    /// Replace a colleague's decision for your partner in this round
    #[arg(long)]
    replace: bool,
    /// The partner you decide for [default: your only one]
    #[arg(long, short)]
    partner: Option<String>,
    /// Why (needed for every decision but suitable)
    #[arg(long, short, value_name = "TEXT", conflicts_with = "comment_file")]
    comment: Option<String>,
    /// Read the comment from a file; - reads standard input
    #[arg(long, value_name = "F")]
    comment_file: Option<PathBuf>,
}

impl Args {
    /// The comment given as --comment or --comment-file, if any.
    fn given_comment(&self) -> Result<Option<String>> {
        match &self.comment_file {
            Some(file) => Ok(Some(input::read_text(file)?)),
            None => Ok(self.comment.clone()),
        }
    }
}

/// Whether to replace (or take back) a colleague's decision: `replace` as
/// given, or, where `check` finds it would and a terminal can ask, a yes
/// to `verb` NAME's DECISION.
fn knowingly(
    ctx: &Context,
    replace: bool,
    verb: &str,
    check: impl FnOnce() -> Result<practice::action::Change>,
) -> Result<bool> {
    if replace || !ctx.ask.interactive() {
        return Ok(replace);
    }
    match check() {
        Err(practice::Error::ReplacesColleague {
            colleague,
            decision,
            ..
        }) => {
            ctx.ask
                .confirm(false, &format!("{verb} {colleague}'s {decision}"))?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    if args.clear {
        return clear(ctx, &register, &actor, args);
    }
    let decision = ctx.ask.choose(
        args.decision,
        "the decision",
        &format!("--decision ({})", Decision::words()),
        Decision::ALL,
    )?;
    let mut partner = args.partner.clone();
    let mut comment = args.given_comment()?;
    let mut typed = crate::ask::Typed::new(&register, "comment.txt");
    if ctx.ask.interactive() {
        let config = register.state()?.config;
        let mine: Vec<String> = config
            .partners_reviewed_by(&actor.person.email)
            .iter()
            .map(|p| p.id.clone())
            .collect();
        if partner.is_none() && mine.len() > 1 {
            partner =
                Some(
                    ctx.ask
                        .choose(None, "the partner you decide for", "--partner", &mine)?,
                );
        }
        if practice::model::needs_comment(decision)
            && comment.as_deref().is_none_or(|c| c.trim().is_empty())
        {
            let text = ctx.ask.long_text(
                None,
                &format!("why the decision is {decision}"),
                "--comment",
                &context(&register, &args.id)?,
            )?;
            typed.typed(text.clone());
            comment = Some(text);
        }
    }
    let mut decided = ops::Decided {
        decision,
        partner: partner.as_deref(),
        comment: comment.as_deref(),
        replace: args.replace,
    };
    decided.replace = knowingly(ctx, decided.replace, "Replace", || {
        ops::review(&register.state()?, &actor, &args.id, &decided)
    })?;
    let landed = typed.act(&actor, |state| {
        ops::review(state, &actor, &args.id, &decided)
    })?;
    super::report(&landed);
    Ok(())
}

/// `review --clear`: the comment is asked for at a terminal, and kept if
/// the action then fails.
fn clear(
    ctx: &Context,
    register: &practice::register::Register,
    actor: &practice::identity::Actor,
    args: Args,
) -> Result<()> {
    let mut comment = args.given_comment()?;
    let mut typed = crate::ask::Typed::new(register, "comment.txt");
    if ctx.ask.interactive() && comment.as_deref().is_none_or(|c| c.trim().is_empty()) {
        let text = ctx
            .ask
            .long_text(None, "why the decision is taken back", "--comment", "")?;
        typed.typed(text.clone());
        comment = Some(text);
    }
    let plan = |state: &practice::register::State, replace: bool| {
        ops::clear(
            state,
            actor,
            &args.id,
            args.partner.as_deref(),
            comment.as_deref(),
            replace,
        )
    };
    let replace = knowingly(ctx, args.replace, "Take back", || {
        plan(&register.state()?, false)
    })?;
    let landed = typed.act(actor, |state| plan(state, replace))?;
    super::report(&landed);
    Ok(())
}

/// What a reviewer writing a comment wants beside it, as lines the editor
/// drops: the activity's summary, the fields changed since the round
/// before, and the other partners' comments so far.
fn context(register: &practice::register::Register, id: &str) -> Result<String> {
    let state = register.state()?;
    let item = state.item(&practice::id::PracticeId::parse(id)?)?;
    let mut detail = practice::view::Detail::of(&item, &state.config);
    detail.find_changes(&state, &item)?;
    let mut text = String::from("#\n");
    let quoted = |text: &mut String, body: &str| {
        for line in body.lines() {
            text.push_str(&format!("#   {line}\n"));
        }
    };
    if let Some(a) = &item.activity {
        text.push_str(&format!("# `{id}`: {}\n", a.title));
        quoted(&mut text, a.summary.trim());
    }
    if !detail.changed_since_last_round.is_empty() {
        text.push_str(&format!(
            "# Changed since round {}: {} (`practice diff {id}`)\n",
            item.current_round() - 1,
            detail.changed_since_last_round.join(", ")
        ));
    }
    if let Some(reply) = item.replies.get(&(item.current_round().saturating_sub(1))) {
        text.push_str(&format!("# The submitter's reply ({}):\n", reply.by.name));
        quoted(&mut text, reply.text.trim());
    }
    if !item.evidence.is_empty() {
        let names: Vec<&str> = item.evidence.iter().map(|e| e.name.as_str()).collect();
        text.push_str(&format!(
            "# Evidence attached (in submissions/{id}/evidence/): {}\n",
            names.join(", ")
        ));
    }
    text.push_str(&super::quoted_decisions(&item, item.current_round()));
    Ok(text)
}
