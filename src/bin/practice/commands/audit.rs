use practice::{Error, Result};

use crate::{Context, table};

/// Re-judge every commit in the register's history by the rules, with the
/// roster as it stood before each one, and check every file in HEAD. Exits 0
/// when the register is sound, 1 with a list of findings when it is not. A
/// repeated audit judges only the commits added since the last sound one on
/// this clone (--full judges them all again).
///
/// Example: practice audit --json
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the findings as JSON
    #[arg(long)]
    json: bool,
    /// Judge the whole history again, not only the commits since the last
    /// sound audit of this clone
    #[arg(long)]
    full: bool,
    /// The register's init commit, as pinned by an auditor: a history that
    /// does not start there is a finding
    #[arg(long, value_name = "COMMIT")]
    root: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let root = match &args.root {
        Some(rev) => Some(
            register
                .repo()
                .revparse_single(rev)
                .and_then(|o| o.peel_to_commit())
                .map(|c| c.id())
                .map_err(|_| {
                    Error::bad(format!(
                        "--root {rev:?} is no commit of this repository, so this history does not start there; pass the full id of the register's init commit"
                    ))
                })?,
        ),
        None => None,
    };
    let mut progress = crate::progress::Progress::new("commits audited");
    let audit = practice::audit::audit(&register, args.full, root, &mut |n| progress.tick(n))?;
    drop(progress);
    if args.json {
        table::print_json(&audit)?;
    } else if !audit.findings.is_empty() {
        let mut t = table::new(vec!["Commit", "Path", "Rule", "Finding"]);
        for f in &audit.findings {
            t.add_row(vec![
                f.commit.chars().take(10).collect(),
                table::shown(f.path.as_deref().unwrap_or_default()),
                f.rule.to_string(),
                table::shown(&f.message),
            ]);
        }
        println!("{t}");
    }
    if let (Some(init), false) = (&audit.init, args.json) {
        let signer = init.signer.as_deref().unwrap_or("nobody: it is unsigned");
        eprintln!(
            "the register was started by init commit {}, signed by {signer}",
            init.commit
        );
    }
    if audit.findings.is_empty() {
        match &audit.since {
            Some(since) => eprintln!(
                "the register is sound: {} actions in {} commits checked since the sound audit at {} (--full judges the whole history again)",
                audit.actions,
                audit.commits,
                &since[..since.len().min(10)]
            ),
            None => eprintln!(
                "the register is sound: {} actions in {} commits checked",
                audit.actions, audit.commits
            ),
        }
        Ok(())
    } else {
        Err(Error::Findings(audit.findings.len()))
    }
}
