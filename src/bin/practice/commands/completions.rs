use clap::CommandFactory as _;
use clap_complete::Shell;
use practice::Result;

/// Print a completion script for your shell.
///
/// Example: practice completions bash > ~/.local/share/bash-completion/completions/practice
#[derive(Debug, clap::Args)]
pub struct Args {
    /// bash | zsh | fish | elvish | powershell
    shell: Shell,
}

pub fn run(args: Args) -> Result<()> {
    let mut command = crate::Cli::command();
    clap_complete::generate(args.shell, &mut command, "practice", &mut std::io::stdout());
    Ok(())
}
