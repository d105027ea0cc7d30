use practice::Result;

use crate::Context;

/// Share your actions through a remote: fetch its branch, replay your
/// unpushed actions on top of it one by one (each judged again by the rules),
/// push, and bring your branch and working tree up to date. History stays a
/// straight line of actions. If the same decision was recorded on both sides,
/// sync stops before pushing and says how to settle it.
///
/// Example: practice sync origin
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The remote [default: the branch's remote, else origin]
    remote: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let synced = practice::sync::sync(&register, args.remote.as_deref())?;
    let mut said = vec![format!("{} new from {}", synced.fetched, synced.remote)];
    if synced.sent > 0 {
        said.push(format!("{} of yours sent", synced.sent));
    }
    if synced.replayed > 0 {
        said.push(format!("{} replayed on top of theirs", synced.replayed));
    }
    if synced.already_there > 0 {
        said.push(format!("{} of yours already there", synced.already_there));
    }
    if !synced.pushed {
        said.push("nothing to push".into());
    }
    eprintln!(
        "synced {}: {} [{}]",
        synced.branch,
        said.join(", "),
        &synced.head.to_string()[..10]
    );
    if let Some(err) = &synced.worktree_error {
        eprintln!(
            "practice: warning: synced, but the working tree could not be updated ({}); bring the synced files up to date with `git checkout HEAD -- {}`",
            crate::table::shown(err),
            synced.paths.join(" ")
        );
    }
    Ok(())
}
