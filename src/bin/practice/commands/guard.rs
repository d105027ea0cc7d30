use std::io::Read as _;

use practice::{Error, Result, guard};

use crate::Context;
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
        /// The branch the register lives on [default: the one the
        /// repository's HEAD names]
        #[arg(long)]
        branch: Option<String>,
    },
    /// Let the guard take pushes to other refs than the register branch,
    /// unjudged (an editor's change of the register's rules)
    ///
    /// Example: practice guard allow 'refs/tags/*'
    Allow {
        /// A ref name, or a folder of them ending `/*`
        pattern: String,
    },
    /// Stop the guard taking pushes to refs that `allow` let in
    Disallow {
        /// As `allow` was given it
        pattern: String,
    },
    /// Print a GitHub Actions workflow that audits every push, for a host
    /// that cannot run the guard (save it as
    /// .github/workflows/practice-audit.yml in the register)
    #[command(name = "ci-workflow")]
    CiWorkflow {
        /// Where CI installs `practice` from: the git URL of its source
        #[arg(long, value_name = "GIT_URL")]
        from: String,
        /// The tag, branch or commit of that source to build (default:
        /// `v` and this build's version)
        #[arg(long)]
        rev: Option<String>,
    },
    /// Judge a push: what git runs as the hook, with the pushed updates on
    /// standard input (not for people to run)
    #[command(name = "pre-receive")]
    PreReceive,
}

pub fn run(ctx: &Context, command: Command) -> Result<()> {
    match command {
        Command::Allow { pattern } => other_refs(ctx, &pattern, true),
        Command::Disallow { pattern } => other_refs(ctx, &pattern, false),
        Command::CiWorkflow { from, rev } => {
            let rev = rev.unwrap_or_else(|| format!("v{}", env!("CARGO_PKG_VERSION")));
            print!("{}", guard::ci_workflow(&from, &rev)?);
            Ok(())
        }
        Command::Install { bare, branch } => {
            let binary = std::env::current_exe().map_err(|e| Error::io("practice", e))?;
            let installed = guard::install(&bare, &binary, branch.as_deref())?;
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
            let repo = guard::pushed_into()?;
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

fn other_refs(ctx: &Context, pattern: &str, allow: bool) -> Result<()> {
    let register = ctx.open()?;
    let actor = register.actor()?;
    let change = practice::ops::RuleChange::GuardRef {
        pattern: pattern.to_string(),
        allow,
    };
    let landed = register.act(&actor, |state| {
        practice::ops::rules_change(state, &actor, &change)
    })?;
    super::report(&landed);
    Ok(())
}
