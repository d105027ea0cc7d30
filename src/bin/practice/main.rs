//! `practice`: the smarter practice register from the shell.
//!
//! This binary parses arguments and prints; the work is in the library. Each
//! command is one module in `commands/` with an `Args` struct (whose doc
//! comments are its help) and a `run` function. Errors from everywhere are
//! reported here, once, as one line on stderr.

mod ask;
mod commands;
mod input;
mod progress;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use practice::register::Register;
use practice::{Error, Result};

/// Move an activity through the smarter practice pipeline: submission, joint
/// review by the four partners, write-up and publication; then build the
/// published set's website. Every action is one git commit in the register.
#[derive(Debug, Parser)]
#[command(
    name = "practice",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The register to use: this folder or the first above it that holds
    /// register.yaml [default: the current folder]
    #[arg(
        short = 'C',
        long = "register",
        value_name = "DIR",
        env = "PRACTICE_REGISTER",
        global = true
    )]
    register: Option<PathBuf>,

    /// Never ask for a missing value: fail naming its flag instead
    #[arg(long, global = true)]
    no_input: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Init(commands::init::Args),
    Submit(commands::submit::Args),
    Amend(commands::amend::Args),
    Review(commands::review::Args),
    #[command(name = "write-up")]
    WriteUp(commands::write_up::Args),
    Publish(commands::publish::Args),
    Bank(commands::bank::Args),
    Withdraw(commands::withdraw::Args),
    Retract(commands::retract::Args),
    Reopen(commands::reopen::Args),
    Reinstate(commands::reinstate::Args),
    Revise(commands::revise::Args),
    Attach(commands::attach::Args),
    Detach(commands::detach::Args),
    Import(commands::import::Args),
    #[command(subcommand)]
    Roster(commands::roster::Command),
    List(commands::list::Args),
    Show(commands::show::Args),
    Diff(commands::diff::Args),
    History(commands::history::Args),
    Audit(commands::audit::Args),
    Sync(commands::sync::Args),
    Inbox(commands::inbox::Args),
    Remind(commands::remind::Args),
    Site(commands::site::Args),
    Rules(commands::rules::Args),
    #[command(subcommand)]
    Guard(commands::guard::Command),
    Completions(commands::completions::Args),
    Man(commands::man::Args),
}

/// What every command may need: where the register is, and whether it may
/// ask for what is missing.
pub struct Context {
    register: Option<PathBuf>,
    pub ask: ask::Ask,
}

impl Context {
    /// The register named by -C/PRACTICE_REGISTER, or found from here.
    pub fn open(&self) -> Result<Register> {
        let start = match &self.register {
            Some(dir) => dir.clone(),
            None => std::env::current_dir().map_err(|e| Error::io(".", e))?,
        };
        Register::discover(&start)
    }
}

/// Help and the version print as clap prints them; a usage error becomes one
/// line, like every other refusal, with exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let text = e.render().to_string();
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
        })
        .map(|l| l.trim_start_matches("error: "))
        .collect();
    let mut line = String::new();
    for part in parts {
        if !line.is_empty() {
            line.push_str(if line.ends_with(':') { " " } else { "; " });
        }
        line.push_str(part);
    }
    eprintln!("practice: {line}; see `practice --help`");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    // Like any shell tool, stop quietly when the reader goes away
    // (`practice history | head`) instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: called first thing, before any thread starts; restoring the
    // default disposition of SIGPIPE has no other effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // A write past the file-size limit (`ulimit -f`) is an error to report,
    // like a full disk, not a signal that kills an action half-way.
    #[cfg(unix)]
    // SAFETY: as above; ignoring SIGXFSZ makes such a write fail with EFBIG.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let ctx = Context {
        register: cli.register,
        ask: ask::Ask::new(cli.no_input),
    };
    let result = match cli.command {
        Command::Init(args) => commands::init::run(&ctx, args),
        Command::Submit(args) => commands::submit::run(&ctx, args),
        Command::Amend(args) => commands::amend::run(&ctx, args),
        Command::Review(args) => commands::review::run(&ctx, args),
        Command::WriteUp(args) => commands::write_up::run(&ctx, args),
        Command::Publish(args) => commands::publish::run(&ctx, args),
        Command::Bank(args) => commands::bank::run(&ctx, args),
        Command::Withdraw(args) => commands::withdraw::run(&ctx, args),
        Command::Retract(args) => commands::retract::run(&ctx, args),
        Command::Reopen(args) => commands::reopen::run(&ctx, args),
        Command::Reinstate(args) => commands::reinstate::run(&ctx, args),
        Command::Revise(args) => commands::revise::run(&ctx, args),
        Command::Attach(args) => commands::attach::run(&ctx, args),
        Command::Detach(args) => commands::detach::run(&ctx, args),
        Command::Import(args) => commands::import::run(&ctx, args),
        Command::Roster(command) => commands::roster::run(&ctx, command),
        Command::List(args) => commands::list::run(&ctx, args),
        Command::Show(args) => commands::show::run(&ctx, args),
        Command::Diff(args) => commands::diff::run(&ctx, args),
        Command::History(args) => commands::history::run(&ctx, args),
        Command::Audit(args) => commands::audit::run(&ctx, args),
        Command::Sync(args) => commands::sync::run(&ctx, args),
        Command::Inbox(args) => commands::inbox::run(&ctx, args),
        Command::Remind(args) => commands::remind::run(&ctx, args),
        Command::Site(args) => commands::site::run(&ctx, args),
        Command::Rules(args) => commands::rules::run(&ctx, args),
        Command::Guard(command) => commands::guard::run(&ctx, command),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man(args) => commands::man::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("practice: {}", table::shown(&err.to_string()));
            // A missing value is a usage error, as clap's own are.
            ExitCode::from(if matches!(err, Error::Missing { .. } | Error::Usage(_)) {
                2
            } else {
                1
            })
        }
    }
}
