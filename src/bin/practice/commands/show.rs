use practice::Result;
use practice::id::PracticeId;
use practice::view::Detail;

use crate::{Context, table};

/// Show one activity: its answers, stage, every round's sign-offs, its
/// report and its publication.
///
/// Example: practice show evr-dorset-police --json
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The activity's id
    id: String,
    /// Print one JSON object instead of tables
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let state = register.state()?;
    let item = state.item(&PracticeId::parse(&args.id)?)?;
    let mut detail = Detail::of(&item, &state.config);
    // How long it has waited, by the same clock as `list` and `inbox`.
    detail.summary = practice::view::Summary::timed(
        &practice::digest::Digest::of(&item),
        &state.config,
        &practice::clock::Clock::read(&state)?,
        practice::identity::now()?.date_naive(),
    );
    detail.check_signatures(&state)?;
    detail.find_changes(&state, &item)?;
    if args.json {
        return table::print_json(&detail);
    }
    let s = &detail.summary;
    let mut t = table::fields();
    // Long answers keep their lines; everything else is one line. Either
    // way no control character from the register reaches the terminal.
    const LONG: [&str; 6] = [
        "summary",
        "problem",
        "aim",
        "activity",
        "evidence",
        "withdrawn",
    ];
    let mut row = |k: &str, v: String| {
        if !v.is_empty() {
            let v = if LONG.contains(&k) {
                table::shown_lines(&v)
            } else {
                table::shown(&v)
            };
            t.add_row(vec![k.to_string(), v]);
        }
    };
    row("id", s.id.clone());
    row("title", s.title.clone());
    row("stage", s.stage.to_string());
    row("round", s.round.to_string());
    if !detail.changed_since_last_round.is_empty() {
        row(
            "changed",
            format!(
                "{} since round {} (`practice diff {}`)",
                detail.changed_since_last_round.join(", "),
                s.round - 1,
                s.id
            ),
        );
    }
    if let Some(days) = s.waiting_days.filter(|_| !s.waiting_for.is_empty()) {
        row(
            "waiting",
            format!(
                "{} for {}",
                practice::view::days(days),
                s.waiting_for.join(", ")
            ),
        );
    }
    row("due", table::due(s.due, s.overdue_days));
    row("organisations", s.organisations.join(", "));
    row("topic", s.topic.clone().unwrap_or_default());
    if let Some(a) = &detail.activity {
        row("focus", a.focus.to_string());
        row("target groups", a.target_groups.join(", "));
        row("region", a.region.clone().unwrap_or_default());
        row("scale", a.scale.to_string());
        row("implementation", a.implementation.to_string());
        row(
            "started",
            a.started.map(|d| d.to_string()).unwrap_or_default(),
        );
        row("contact", a.contact.to_string());
        if let Some(sub) = &a.submitted {
            row("submitted", format!("{} by {}", sub.on, sub.by));
        }
        row("summary", a.summary.trim().to_string());
        row("problem", a.problem.trim().to_string());
        row("aim", a.aim.trim().to_string());
        row("activity", a.activity.trim().to_string());
        row(
            "evidence",
            a.evidence.clone().unwrap_or_default().trim().to_string(),
        );
        if let Some(w) = &a.withdrawn {
            row(
                "withdrawn",
                format!("{} by {}: {}", w.on, w.by, w.reason.trim()),
            );
        }
    }
    if !s.awaiting.is_empty() {
        row("awaiting", s.awaiting.join(", "));
    }
    if detail.report.is_some() {
        row(
            "report",
            if detail.report_missing.is_empty() {
                "complete".to_string()
            } else {
                format!(
                    "draft; still to write: {}",
                    detail.report_missing.join(", ")
                )
            },
        );
    }
    if let Some(p) = &detail.published {
        row(
            "published",
            format!(
                "{} ({}) on {} by {}",
                p.kind, p.rating, p.published.on, p.published.by
            ),
        );
        if let Some(i) = &p.imported {
            let when = i.on.map(|o| format!(" on {o}")).unwrap_or_default();
            row("imported", format!("from {}{when}", i.source.trim()));
            let empty = p.missing_sections();
            if !empty.is_empty() {
                row(
                    "not written",
                    format!("{} (imported as it was)", empty.join(", ")),
                );
            }
        }
        if let Some(r) = &p.retracted {
            row(
                "retracted",
                format!("{} by {}: {}", r.on, r.by, r.reason.trim()),
            );
        }
    }
    println!("{t}");
    if !detail.evidence.is_empty() {
        println!("\nevidence");
        let mut t = table::new(vec!["Name", "Type", "Size", "Added", "Public"]);
        for e in &detail.evidence {
            t.add_row(vec![
                table::shown(&e.name),
                e.kind.clone(),
                size(e.bytes),
                format!(
                    "{} by {}",
                    e.added.on,
                    table::shown(&e.added.by.to_string())
                ),
                if e.public { "yes".into() } else { "no".into() },
            ]);
        }
        println!("{t}");
    }
    for round in &detail.rounds {
        println!("\nround {}", round.round);
        if round.sign_offs.is_empty() {
            println!("  no decisions yet");
            continue;
        }
        let mut t = table::new(vec![
            "Partner",
            "Decision",
            "Reviewer",
            "Signed",
            "Signature",
            "Comment",
        ]);
        for s in &round.sign_offs {
            let so = &s.sign_off;
            let signature = match (&s.signature, &s.fingerprint) {
                (Some(status), Some(f)) => format!("{status} {f}"),
                (Some(status), None) => status.to_string(),
                (None, _) => "-".to_string(),
            };
            t.add_row(vec![
                table::shown(&so.partner),
                format!("{} {}", table::mark(Some(so.decision)), so.decision),
                table::shown(&so.reviewer.to_string()),
                so.signed_at.to_string(),
                signature,
                table::first_line(so.comment.as_deref().unwrap_or("")),
            ]);
        }
        println!("{t}");
        // The thread goes on with the submitter's answer, then the next round.
        if let Some(reply) = &round.reply {
            println!(
                "  reply by {} on {}:",
                table::shown(&reply.by.to_string()),
                reply.on
            );
            for line in reply.text.lines() {
                println!("    {}", table::shown(line));
            }
        }
    }
    Ok(())
}

/// A file's size as a person reads it.
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}
