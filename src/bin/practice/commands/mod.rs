//! One module per command.

pub mod amend;
pub mod attach;
pub mod audit;
pub mod bank;
pub mod completions;
pub mod detach;
pub mod diff;
pub mod fields;
pub mod guard;
pub mod history;
pub mod import;
pub mod inbox;
pub mod init;
pub mod list;
pub mod man;
pub mod publish;
pub mod reinstate;
pub mod remind;
pub mod reopen;
pub mod retract;
pub mod review;
pub mod revise;
pub mod roster;
pub mod rules;
pub mod show;
pub mod site;
pub mod submit;
pub mod sync;
pub mod withdraw;
pub mod write_up;

use practice::action::Landed;

/// Say what an action did: its subject and commit, on stderr, so stdout stays
/// for data.
pub fn report(landed: &Landed) {
    let short = &landed.commit.to_string()[..10];
    eprintln!("{} [{short}]", crate::table::shown(&landed.subject));
    if let Some(err) = &landed.worktree_error {
        // Only the action's own paths: `git checkout HEAD -- .` would throw
        // away every other edit in the working tree.
        let paths = landed.paths.join(" ");
        eprintln!(
            "practice: warning: committed, but the working tree could not be updated ({}); bring the action's files up to date with `git checkout HEAD -- {paths}`",
            crate::table::shown(err)
        );
    }
}

/// What withdraw, retract and reopen each take: an act about one activity
/// with a reason on the record, confirmed first.
#[derive(Debug, clap::Args)]
pub struct Reasoned {
    /// The activity's id
    id: String,
    /// Why, for the record
    #[arg(long)]
    reason: Option<String>,
    /// Do not ask for confirmation
    #[arg(long, short)]
    yes: bool,
}

/// An operation that `Reasoned` arguments drive: state, actor, id, reason.
pub type ReasonedOp = fn(
    &practice::register::State,
    &practice::identity::Actor,
    &str,
    &str,
) -> practice::Result<practice::action::Change>;

impl Reasoned {
    /// Ask for the reason if it is missing, confirm (`verb` the activity?),
    /// and act.
    pub fn run(self, ctx: &crate::Context, verb: &str, op: ReasonedOp) -> practice::Result<()> {
        let register = ctx.open()?;
        let actor = register.actor()?;
        let reason = ctx
            .ask
            .text(self.reason, "the reason, for the record", "--reason")?;
        let id = self.id;
        confirm_and_act(
            ctx,
            &register,
            &actor,
            self.yes,
            &format!("{verb} `{id}`"),
            |state| op(state, &actor, &id, &reason),
        )
    }
}

/// Check an act, ask before it at a terminal (unless `yes`), then do it: so
/// nobody is asked to confirm what would be refused.
pub fn confirm_and_act(
    ctx: &crate::Context,
    register: &practice::register::Register,
    actor: &practice::identity::Actor,
    yes: bool,
    question: &str,
    plan: impl Fn(&practice::register::State) -> practice::Result<practice::action::Change>,
) -> practice::Result<()> {
    let state = register.state()?;
    let checked = (state.head, plan(&state)?);
    ctx.ask.confirm(yes, question)?;
    // A plan is a function of the commit it is made on: when HEAD has not
    // moved since the check, the checked plan is the one to land (publish
    // walks history for its approval, and would walk it twice).
    let landed = register.act(actor, |state| match &checked {
        (head, change) if *head == state.head => Ok(change.clone()),
        _ => plan(state),
    })?;
    report(&landed);
    Ok(())
}

/// Each partner's decision in `round` and its comment, as `#` lines an
/// editor template shows and drops: beside a reply or a reviewer's comment.
pub fn quoted_decisions(item: &practice::register::Item, round: u32) -> String {
    let mut text = String::new();
    for s in item.rounds.get(&round).into_iter().flat_map(|r| r.values()) {
        text.push_str(&format!(
            "# {} ({}, {}):\n",
            s.partner, s.decision, s.reviewer.name
        ));
        for line in s
            .comment
            .as_deref()
            .unwrap_or("(no comment)")
            .trim()
            .lines()
        {
            text.push_str(&format!("#   {line}\n"));
        }
    }
    text
}
