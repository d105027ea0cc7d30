use clap::CommandFactory as _;
use practice::{Error, Result};

/// Print the manual page (roff).
///
/// Example: practice man | man -l -
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<()> {
    let page = clap_mangen::Man::new(crate::Cli::command());
    page.render(&mut std::io::stdout())
        .map_err(|e| Error::io("standard output", e))
}
