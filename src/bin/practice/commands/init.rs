use std::path::PathBuf;

use practice::Result;

use crate::Context;

/// Start a register: git init DIR when needed, then commit register.yaml
/// (the four partners, you as first editor, the default topics) and the
/// submissions/, reviews/ and published/ folders.
///
/// Your public key is recorded with you (from your git signing configuration,
/// or --key), and the init commit is signed with it.
///
/// Example: practice init smarter-practice
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to make the register
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Your SSH public key: the key line, or the path of its .pub file
    /// [default: the key your git signs with, if any]
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
    /// How many partners must find an activity suitable [default: 3]
    #[arg(long, value_name = "N")]
    min_suitable: Option<usize>,
    /// The topics submissions choose from, instead of the College's list
    ///
    /// Example: --topics "Burglary" "Road safety"
    #[arg(long, num_args = 1.., value_name = "TOPIC")]
    topics: Option<Vec<String>>,
}

pub fn run(_ctx: &Context, args: Args) -> Result<()> {
    let key = args
        .key
        .as_deref()
        .map(practice::signature::key_argument)
        .transpose()?;
    let setup = practice::ops::Setup {
        key,
        min_suitable: args.min_suitable,
        topics: args.topics,
    };
    let landed = practice::ops::init(&args.dir, setup)?;
    super::report(&landed);
    Ok(())
}
