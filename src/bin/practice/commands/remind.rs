use practice::history::{Bound, Query};
use practice::inbox::Queues;
use practice::mail::{self, Smtp};
use practice::{Error, Result};

use crate::{Context, table};

/// Remind everyone of what awaits them: one plain-text email per person —
/// a partner's reviewers their open decisions (overdue first), editors
/// their write-ups, publications and undecided rounds, submitters their
/// returned activities with the partners' questions. Nobody with nothing
/// waiting gets mail. By default the messages are printed as an mbox and
/// nothing is sent.
///
/// Meant for a schedule (cron, CI). SMTP credentials are read from
/// PRACTICE_SMTP_USER and PRACTICE_SMTP_PASSWORD, never from the command
/// line; PRACTICE_SMTP_CA names extra certificate authorities to trust.
///
/// Example: practice remind --since 2026-11-25 --smtp smtps://mail.example.org
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only what began waiting since this date, time or revision — and
    /// everything overdue
    #[arg(long, value_name = "WHEN")]
    since: Option<String>,
    /// Send through this SMTP server: smtp://HOST[:PORT] (STARTTLS when
    /// offered) or smtps://HOST[:PORT] (TLS)
    #[arg(long, value_name = "URL", conflicts_with = "sendmail")]
    smtp: Option<String>,
    /// Pipe each message to `sendmail -t`
    #[arg(long)]
    sendmail: bool,
    /// Who the reminders come from, as "Name <address>"; else your git
    /// identity
    #[arg(long, value_name = "SENDER", env = "PRACTICE_MAIL_FROM")]
    from: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let register = ctx.open()?;
    let state = register.state()?;
    let now = practice::identity::now()?;
    // Everything that can be refused is refused before anything is sent.
    let from = match &args.from {
        Some(text) => mail::sender(text)?,
        None => mail::mailbox(&register.actor()?.person).map_err(|why| {
            Error::Usage(format!(
                "your git identity will not do as the sender: {why}; give --from \"Name <address>\""
            ))
        })?,
    };
    let smtp = match &args.smtp {
        Some(url) => Some(Smtp::from_url(url, |name| std::env::var(name).ok())?),
        None => None,
    };
    let since = match &args.since {
        None => None,
        Some(text) => Some(match Query::bound(state.repo(), text, false)? {
            Bound::At(t) => t,
            Bound::Revision(oid) => {
                let commit = state.repo().find_commit(oid)?;
                match practice::model::When::of_git(commit.time()) {
                    practice::model::When::Time(t) => t,
                    practice::model::When::Date(_) => {
                        return Err(Error::bad(format!("{text} has no usable commit time")));
                    }
                }
            }
        }),
    };
    let queues = Queues::new(&state, now.date_naive())?;
    let (reminders, problems) = practice::remind::reminders(&state, &queues, since)?;
    for problem in &problems {
        eprintln!("practice: warning: {}", table::shown(&problem.to_string()));
    }
    // A partner nobody reviews for cannot be reminded: say so, every time.
    for (partner, waiting) in practice::remind::unreached(&state, &queues) {
        let what = practice::remind::activities_await(waiting);
        eprintln!(
            "practice: warning: {what} {partner}'s decision, and no reviewer for {partner} is on the roster to remind; add one with `practice roster add --partner {partner}`"
        );
    }
    if reminders.is_empty() {
        eprintln!("nothing awaits anyone: no reminders");
        return Ok(());
    }
    let name = &state.config.name;
    let mut failed = 0;
    // Set when the server itself cannot be used: the rest are not tried,
    // so a dead server costs one timeout, not one per person.
    let mut server_down: Option<String> = None;
    for reminder in &reminders {
        let to = table::shown(&reminder.to.to_string());
        if let Some(why) = &server_down {
            failed += 1;
            eprintln!("practice: not delivered to {to}: not tried, as the server failed: {why}");
            continue;
        }
        let delivered = mail::compose(&from, reminder, name, now)
            .map_err(mail::Failure::from)
            .and_then(|message| match (&smtp, args.sendmail) {
                (Some(server), _) => server.send(&message),
                (None, true) => mail::sendmail(&message).map_err(mail::Failure::from),
                (None, false) => {
                    use std::io::Write;
                    std::io::stdout()
                        .write_all(&mail::mbox_entry(&message, &from, now))
                        .map_err(|e| mail::Failure::from(e.to_string()))
                }
            });
        match delivered {
            Ok(()) if smtp.is_some() || args.sendmail => {
                eprintln!("sent to {to}: {}", reminder.subject(name));
            }
            Ok(()) => {}
            Err(failure) => {
                failed += 1;
                let why = table::shown(&failure.why);
                eprintln!("practice: not delivered to {to}: {why}");
                if failure.everyone {
                    server_down = Some(why);
                }
            }
        }
    }
    if failed > 0 {
        return Err(Error::Undelivered {
            failed,
            total: reminders.len(),
        });
    }
    Ok(())
}
