use std::path::PathBuf;

use practice::Result;
use practice::site::{self, Options};

use crate::Context;

/// Build the published set as a static website: a home page with the
/// recently published examples and every smarter practice example by topic,
/// the practice bank (filterable by topic, rating and organisation), one page
/// per entry in the set format, and an Atom feed. Read from the register as
/// HEAD has it. Links are relative, so the site works from the folder itself
/// (file://) or on any web server, and it makes no request elsewhere. The
/// folder is replaced whole on each run; a folder holding other files is
/// refused.
///
/// Example: practice site --out /srv/www/practice --base-url https://example.org/practice/
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write the site to, relative to the current folder: made
    /// when absent, replaced when an earlier `practice site` wrote it
    #[arg(long, short, value_name = "DIR", default_value = "site")]
    out: PathBuf,
    /// Where the site will be served, so the Atom feed's links are absolute
    /// [default: links relative to the feed]
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let options = Options::with_base_url(args.base_url.as_deref())?;
    let register = ctx.open()?;
    let state = register.state()?;
    let built = site::build(&state, &options)?;
    // Damaged entries are reported, and the rest are still published.
    for problem in &built.problems {
        eprintln!("practice: warning: {problem} (left off the site)");
    }
    site::write(&built, &args.out)?;
    eprintln!(
        "wrote {} pages to {} ({} entries, {} retracted, and feed.xml); open {}",
        built.pages,
        args.out.display(),
        built.entries,
        built.retracted,
        args.out.join("index.html").display()
    );
    if let Some(hint) = untracked_hint(&register, &args.out) {
        eprintln!("{hint}");
    }
    Ok(())
}

/// A site written inside the register's working tree shows in `git status`;
/// say how to keep it out.
fn untracked_hint(
    register: &practice::register::Register,
    out: &std::path::Path,
) -> Option<String> {
    let out = out.canonicalize().ok()?;
    let root = register.root().canonicalize().ok()?;
    let rel = out.strip_prefix(&root).ok()?;
    if rel.as_os_str().is_empty() || register.repo().status_should_ignore(rel).ok()? {
        return None;
    }
    Some(format!(
        "note: {} is inside the register's working tree; add `/{}/` to .git/info/exclude (or .gitignore) to keep it out of git status",
        rel.display(),
        rel.display()
    ))
}
