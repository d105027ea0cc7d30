use std::io::Read as _;

use practice::{Error, Result, guard};

use crate::table;

/// Guard a shared remote: refuse, before it lands, any push that `practice
/// audit` would find against (a broken rule, a forged or unsigned action,
/// a merge), a force-push and a deletion.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Install the guard as the pre-receive hook of a bare repository, and
    /// have git refuse non-fast-forwards and deletions there
    ///
    /// Example: practice guard install /srv/git/register.git
    Install {
        /// The bare repository others push to
        bare: std::path::PathBuf,
    },
    /// Judge a push: what git runs as the hook, with the pushed updates on
    /// standard input (not for people to run)
    #[command(name = "pre-receive")]
    PreReceive,
}

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Install { bare } => {
            let binary = std::env::current_exe().map_err(|e| Error::io("practice", e))?;
            let installed = guard::install(&bare, &binary)?;
            eprintln!(
                "guarding {} on {}: its pre-receive hook runs {} guard pre-receive",
                installed.branch,
                installed.hook.display(),
                installed.binary.display()
            );
            Ok(())
        }
        Command::PreReceive => {
            let mut input = String::new();
            std::io::stdin()
                .take(16 << 20)
                .read_to_string(&mut input)
                .map_err(|e| Error::io("standard input", e))?;
            let updates = guard::updates(&input)?;
            // git gives the hook the repository, its pushed objects in
            // quarantine, through its environment.
            let repo = git2::Repository::open_from_env()?;
            let refused = guard::judge_push(&repo, &updates)?;
            if refused.is_empty() {
                return Ok(());
            }
            for line in &refused {
                eprintln!("practice guard: {}", table::shown(line));
            }
            Err(Error::bad(format!(
                "push refused: {} finding(s) above; nothing landed",
                refused.len()
            )))
        }
    }
}
