use practice::Result;
use practice::history::{self, Entry, Query};

use crate::{Context, table};

/// Every action in the register's history, newest first: when, who, what,
/// on which activity, and each partner's decision with the first line of its
/// comment. Read from the commits' trailers, as plain git reads them.
///
/// Example: practice history --partner npcc --since 2026-01-01 --csv
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this activity
    id: Option<String>,
    /// Only actions for this partner
    #[arg(long)]
    partner: Option<String>,
    /// Only actions by this person (their email)
    #[arg(long, value_name = "EMAIL")]
    reviewer: Option<String>,
    /// Only this decision: suitable | not-suitable | more-information |
    /// recuse | cleared (one taken back)
    #[arg(long)]
    decision: Option<String>,
    /// Only this action: init | submit | amend | review | write-up | publish |
    /// bank | withdraw | retract | roster | import | reopen
    #[arg(long)]
    action: Option<String>,
    /// Only from this date (2026-11-25), time, or git revision (exclusive) on
    #[arg(long, value_name = "DATE|REV")]
    since: Option<String>,
    /// Only up to this date (inclusive), time, or git revision
    #[arg(long, value_name = "DATE|REV")]
    until: Option<String>,
    /// Only actions whose signature is not verified against the roster
    /// before them (unsigned, bad, or by a key the roster did not list)
    #[arg(long)]
    unsigned: bool,
    /// Print a JSON array
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV with a header row
    #[arg(long)]
    csv: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let repo = register.repo();
    // A word the register does not know is a usage error, never "no
    // actions match": a typo must not pass for an empty history.
    let usage = |e: practice::Error| practice::Error::Usage(e.to_string());
    // `cleared` is the word a decision taken back leaves in the record.
    if let Some(d) = &args.decision
        && d != practice::pipeline::effects::CLEARED
    {
        d.parse::<practice::model::Decision>().map_err(|e| {
            usage(practice::Error::bad(format!(
                "{e} (or cleared, for one taken back)"
            )))
        })?;
    }
    use practice::action::ActionKind;
    if let Some(a) = &args.action
        && ActionKind::from_word(a).is_none()
    {
        return Err(practice::Error::Usage(format!(
            "{a:?} is not an action; use one of {}",
            ActionKind::words()
        )));
    }
    // Partners as the register has them now; a register whose HEAD does
    // not read still shows its history.
    if let (Some(p), Ok(state)) = (&args.partner, register.state()) {
        state.config.require_partner(p)?;
    }
    let query = Query {
        id: args.id,
        partner: args.partner,
        reviewer: args.reviewer,
        decision: args.decision,
        action: args.action,
        since: args
            .since
            .map(|s| Query::bound(repo, &s, false))
            .transpose()?,
        until: args
            .until
            .map(|s| Query::bound(repo, &s, true))
            .transpose()?,
        unsigned: args.unsigned,
    };
    let mut progress = crate::progress::Progress::new("commits read");
    let entries = history::history(&register, &query, &mut |n| progress.tick(n))?;
    drop(progress);
    for e in entries.iter().filter(|e| e.problem.is_some()) {
        eprintln!(
            "practice: warning: commit {} {}",
            &e.commit[..10],
            table::shown(e.problem.as_deref().unwrap_or_default())
        );
    }
    if args.json {
        return table::print_json(&entries);
    }
    if args.csv {
        return print_csv(&entries);
    }
    if entries.is_empty() {
        eprintln!("no actions match");
        return Ok(());
    }
    let mut t = table::new(vec![
        "Commit",
        "Date",
        "Actor",
        "Action",
        "Activity",
        "Partner",
        "Decision",
        "Round",
        "Comment",
        "Signature",
    ]);
    for e in &entries {
        t.add_row(
            row(e, true)
                .iter()
                .map(|c| table::shown(c))
                .collect::<Vec<_>>(),
        );
    }
    println!("{t}");
    Ok(())
}

fn row(e: &Entry, short: bool) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        if short {
            e.commit[..10].to_string()
        } else {
            e.commit.clone()
        },
        e.at.to_string(),
        e.actor.to_string(),
        e.action.clone().unwrap_or_else(|| "(no trailers)".into()),
        opt(&e.id),
        opt(&e.partner),
        opt(&e.decision),
        e.round.map(|r| r.to_string()).unwrap_or_default(),
        opt(&e.comment),
        e.signature.to_string(),
    ]
}

fn print_csv(entries: &[Entry]) -> Result<()> {
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let header = [
        "commit",
        "at",
        "actor_name",
        "actor_email",
        "action",
        "id",
        "partner",
        "decision",
        "round",
        "comment",
        "signature",
        "fingerprint",
    ];
    let write = |out: &mut csv::Writer<_>, record: Vec<String>| {
        out.write_record(record)
            .map_err(|e| practice::Error::bad(format!("cannot write CSV: {e}")))
    };
    write(&mut out, header.iter().map(|h| h.to_string()).collect())?;
    for e in entries {
        let mut r = row(e, false);
        // The actor is two columns in CSV: name and email.
        r[2] = e.actor.name.clone();
        r.insert(3, e.actor.email.clone());
        if e.action.is_none() {
            r[4] = String::new();
        }
        r.push(e.fingerprint.clone().unwrap_or_default());
        write(&mut out, r.iter().map(|c| table::csv_cell(c)).collect())?;
    }
    out.flush()
        .map_err(|e| practice::Error::io("standard output", e))
}
