use std::path::PathBuf;

use practice::Result;

use crate::Context;

/// Start a register: git init DIR when needed, then commit register.yaml
/// (the four partners, you as first editor, the default topics) and the
/// submissions/, reviews/ and published/ folders.
///
/// Example: practice init smarter-practice
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to make the register
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(_ctx: &Context, args: Args) -> Result<()> {
    let landed = practice::ops::init(&args.dir)?;
    super::report(&landed);
    Ok(())
}
