//! `practice remind` against a real SMTP server (aiosmtpd) on 127.0.0.1:
//! the messages are read back and parsed as email, to see that the right
//! people are reminded of the right activities, overdue first, and nobody
//! else; that a refused address fails alone; and that STARTTLS and a login
//! are used when the server offers them.

mod common;

use common::smtp::{self, Setup, SmtpServer};
use common::*;

const NOW: &str = "2026-11-10T12:00:00Z";
const FROM: &str = "Smarter practice register <register@college.police.uk>";

struct Story {
    reg: Reg,
    /// Overdue for npcc and iopc.
    old: String,
    /// Not yet due for npcc, hmicfrs and iopc.
    new: String,
    /// Returned to its submitter by npcc.
    asked: String,
    /// Approved: the editor's to write up.
    approved: String,
}

fn story() -> Story {
    let reg = Reg::with_roster_at("2026-10-01T09:00:00Z");
    reg.add_reviewer("npcc", SECOND_NPCC);
    let approved = reg.approved_sample();
    let submit = |when: &str, title: &str| reg.submit_titled_at(when, title);
    let old = submit("2026-10-01T10:00:00Z", "Old one");
    for p in ["college-of-policing", "hmicfrs"] {
        reg.ok_at(
            "2026-10-02T10:00:00Z",
            reviewer(p),
            &["review", &old, "--decision", "suitable"],
        );
    }
    let new = submit("2026-11-05T10:00:00Z", "New one");
    reg.ok_at(
        "2026-11-05T11:00:00Z",
        reviewer("college-of-policing"),
        &["review", &new, "--decision", "suitable"],
    );
    let asked = submit("2026-11-06T10:00:00Z", "Asked one");
    reg.ok_at(
        "2026-11-07T10:00:00Z",
        reviewer("npcc"),
        &[
            "review",
            &asked,
            "--decision",
            "more-information",
            "--comment",
            "What did it cost?",
        ],
    );
    Story {
        reg,
        old,
        new,
        asked,
        approved,
    }
}

/// `practice remind ARGS` as of NOW, by the editor, from FROM.
fn remind(reg: &Reg, args: &[&str]) -> std::process::Output {
    let mut all = vec!["remind", "--from", FROM];
    all.extend(args);
    reg.as_of(NOW, EDITOR, &all).output().unwrap()
}

/// Who the messages went to, in order of address.
fn recipients(mail: &[smtp::Received]) -> Vec<String> {
    let mut to: Vec<String> = mail.iter().map(|m| m.to()).collect();
    to.sort();
    to
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn everyone_with_something_waiting_gets_one_email_of_it_and_nobody_else() {
    let s = story();
    let server = SmtpServer::start(Setup::default());
    let before = s.reg.snapshot();
    let out = remind(&s.reg, &["--smtp", &server.url()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "SMTP delivery prints no messages");
    assert_eq!(
        s.reg.snapshot(),
        before,
        "reminding writes nothing to the register"
    );

    let mail = server.received();
    assert!(
        mail.iter().all(|m| m.envelope["tls"] == false),
        "a server without a certificate offers no TLS"
    );
    let to = recipients(&mail);
    assert_eq!(
        to,
        [
            "jo.bloggs@dorset.police.uk",
            "kim.inspector@hmicfrs.gov.uk",
            "kim.second@npcc.police.uk",
            "pat.chief@npcc.police.uk",
            "ray.conduct@policeconduct.gov.uk",
            "sam.editor@college.police.uk",
        ],
        "the College's reviewer decided everything, and a stranger is owed nothing"
    );
    let to_ = |addr: &str| mail.iter().find(|m| m.to() == addr).unwrap();
    for m in &mail {
        assert_eq!(m.envelope["rcpt_tos"], serde_json::json!([m.to()]));
        assert_eq!(m.envelope["mail_from"], "register@college.police.uk");
        assert!(m.header("From").contains("register@college.police.uk"));
        assert_eq!(m.header("Auto-Submitted"), "auto-generated");
        assert!(m.parsed().ctype.mimetype == "text/plain");
        assert!(!m.header("Date").is_empty() && !m.header("Message-ID").is_empty());
    }

    // npcc's reviewers: the overdue one first, then the one not yet due;
    // nothing npcc returned, nothing decided.
    for addr in ["pat.chief@npcc.police.uk", "kim.second@npcc.police.uk"] {
        let m = to_(addr);
        assert!(
            m.header("Subject")
                .contains("2 activities await you, 1 overdue (the most by 12 days)"),
            "{}",
            m.header("Subject")
        );
        let body = m.body();
        let (old_at, new_at) = (body.find(&s.old).unwrap(), body.find(&s.new).unwrap());
        assert!(old_at < new_at, "overdue first:\n{body}");
        assert!(body.contains("due 2026-10-29, 12 days overdue"), "{body}");
        assert!(body.contains(&format!(
            "practice review {} --partner npcc --decision D",
            s.old
        )));
        assert!(
            !body.contains(&s.asked) && !body.contains(&s.approved),
            "{body}"
        );
    }
    // hmicfrs decided the old one: only the new.
    let body = to_("kim.inspector@hmicfrs.gov.uk").body();
    assert!(body.contains(&s.new) && !body.contains(&s.old), "{body}");
    assert!(
        to_("kim.inspector@hmicfrs.gov.uk")
            .header("Subject")
            .ends_with("1 activity awaits you")
    );
    // The editor: the approved one to write up.
    let body = to_("sam.editor@college.police.uk").body();
    assert!(
        body.contains(&format!("practice write-up {}", s.approved)),
        "{body}"
    );
    assert!(!body.contains(&s.old), "{body}");
    // The submitter: the returned one with npcc's question, and how to answer.
    let body = to_("jo.bloggs@dorset.police.uk").body();
    assert!(body.contains(&s.asked), "{body}");
    assert!(
        body.contains("npcc (Pat Chief) asks: What did it cost?"),
        "{body}"
    );
    assert!(
        body.contains(&format!("practice amend {} --reply-file", s.asked)),
        "{body}"
    );
    assert!(!body.contains(&s.old), "only what awaits her: {body}");
    assert!(stderr(&out).contains("sent to Jo Bloggs <jo.bloggs@dorset.police.uk>"));
}

#[test]
fn by_default_the_reminders_are_printed_as_an_mbox_and_nothing_is_sent() {
    let s = story();
    let out = remind(&s.reg, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    // Each message starts "From ADDR DATE" after a blank line, as mbox has
    // it; split there and parse each as email.
    let entries: Vec<&str> = text
        .split("\n\nFrom ")
        .map(|e| e.strip_prefix("From ").unwrap_or(e))
        .collect();
    assert_eq!(entries.len(), 6, "{text}");
    assert!(text.starts_with("From register@college.police.uk Tue Nov 10 12:00:00 2026\n"));
    for entry in entries {
        let message = entry.split_once('\n').unwrap().1;
        let parsed = mailparse::parse_mail(message.as_bytes()).unwrap();
        use mailparse::MailHeaderMap;
        assert!(
            parsed
                .headers
                .get_first_value("Subject")
                .unwrap()
                .contains("await")
        );
    }
}

#[test]
fn since_limits_reminders_to_what_began_waiting_since_and_everything_overdue() {
    let s = story();
    let server = SmtpServer::start(Setup::default());
    let out = remind(&s.reg, &["--since", "2026-11-06", "--smtp", &server.url()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mail = server.received();
    let to = recipients(&mail);
    // The new one began waiting on the 5th, so hmicfrs hears nothing; npcc
    // and iopc still hear of the overdue one; the question came on the 7th.
    assert_eq!(
        to,
        [
            "jo.bloggs@dorset.police.uk",
            "kim.second@npcc.police.uk",
            "pat.chief@npcc.police.uk",
            "ray.conduct@policeconduct.gov.uk",
        ]
    );
    let body = mail
        .iter()
        .find(|m| m.to() == "pat.chief@npcc.police.uk")
        .unwrap()
        .body();
    assert!(body.contains(&s.old) && !body.contains(&s.new), "{body}");
    // A revision bounds it by its commit's time; nonsense is refused.
    let line = s.reg.refused(
        EDITOR,
        &["remind", "--from", FROM, "--since", "no-such-rev"],
    );
    assert!(line.contains("neither a date"), "{line}");
}

#[test]
fn a_refused_address_fails_alone_and_the_exit_code_says_so() {
    let s = story();
    let server = SmtpServer::start(Setup {
        refuse: &["ray.conduct@policeconduct.gov.uk"],
        ..Setup::default()
    });
    let out = remind(&s.reg, &["--smtp", &server.url()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("not delivered to Ray Conduct <ray.conduct@policeconduct.gov.uk>"),
        "{err}"
    );
    assert!(err.contains("1 of 6 reminders were not delivered"), "{err}");
    assert_eq!(server.received().len(), 5, "the others still went");

    // A server that is not there: every one fails, each said.
    drop(server);
    let out = remind(&s.reg, &["--smtp", "smtp://127.0.0.1:9"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("6 of 6 reminders were not delivered"),
        "{said}"
    );
    // The first failure shows the server is down: the rest are not tried.
    assert_eq!(
        said.matches("not tried, as the server failed").count(),
        5,
        "{said}"
    );
}

/// A server with a certificate from a CA made for the test, which takes
/// the login register/s3cret: STARTTLS, or with `implicit` TLS from the
/// first byte. The folder of certificates, the CA's file, the server.
fn tls_server(implicit: bool) -> (tempfile::TempDir, std::path::PathBuf, SmtpServer) {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = smtp::certificates(dir.path());
    let server = SmtpServer::start(Setup {
        tls: Some((&cert, &key)),
        implicit,
        login: Some(("register", "s3cret")),
        ..Setup::default()
    });
    (dir, ca, server)
}

#[test]
fn starttls_is_used_when_offered_and_credentials_come_only_from_the_environment() {
    let s = story();
    let (_certificates, ca, server) = tls_server(false);
    let out = s
        .reg
        .as_of(
            NOW,
            EDITOR,
            &["remind", "--from", FROM, "--smtp", &server.url()],
        )
        .env("PRACTICE_SMTP_USER", "register")
        .env("PRACTICE_SMTP_PASSWORD", "s3cret")
        .env("PRACTICE_SMTP_CA", &ca)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mail = server.received();
    assert_eq!(mail.len(), 6);
    for m in &mail {
        assert_eq!(m.envelope["tls"], true, "sent over STARTTLS");
        assert_eq!(m.envelope["user"], "register", "logged in");
    }

    // A certificate nobody vouches for: nothing is sent, not even in the
    // clear, and the password never leaves.
    let out = s
        .reg
        .practice(EDITOR, &["remind", "--from", FROM, "--smtp", &server.url()])
        .env("PRACTICE_SMTP_USER", "register")
        .env("PRACTICE_SMTP_PASSWORD", "s3cret")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(server.received().len(), 6);

    // Credentials in the URL are refused before anything is sent.
    let line = s.reg.refused(
        EDITOR,
        &[
            "remind",
            "--from",
            FROM,
            "--smtp",
            &format!("smtp://register:s3cret@127.0.0.1:{}", server.port),
        ],
    );
    assert!(line.contains("PRACTICE_SMTP_USER"), "{line}");
    let line = s.reg.refused(
        EDITOR,
        &["remind", "--from", FROM, "--smtp", "http://127.0.0.1"],
    );
    assert!(line.contains("smtp://HOST:PORT"), "{line}");
    let line = s.reg.refused(
        EDITOR,
        &[
            "remind",
            "--from",
            "not an address",
            "--smtp",
            &server.url(),
        ],
    );
    assert!(line.contains("sender"), "{line}");
    assert_eq!(server.received().len(), 6);
}

#[test]
fn smtps_speaks_tls_from_the_first_byte() {
    let s = story();
    let (_certificates, ca, server) = tls_server(true);
    let send = |url: &str, ca: Option<&std::path::Path>| {
        let mut command = s
            .reg
            .as_of(NOW, EDITOR, &["remind", "--from", FROM, "--smtp", url]);
        command
            .env("PRACTICE_SMTP_USER", "register")
            .env("PRACTICE_SMTP_PASSWORD", "s3cret");
        if let Some(ca) = ca {
            command.env("PRACTICE_SMTP_CA", ca);
        }
        command.output().unwrap()
    };

    // Without the CA the certificate is not trusted: nothing is sent.
    let out = send(&server.smtps_url(), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(server.received().is_empty());

    let out = send(&server.smtps_url(), Some(&ca));
    assert!(out.status.success(), "{}", stderr(&out));
    let mail = server.received();
    assert_eq!(mail.len(), 6);
    for m in &mail {
        assert_eq!(m.envelope["tls"], true, "sent over TLS");
        assert_eq!(m.envelope["user"], "register", "logged in");
    }
    assert_eq!(recipients(&mail).len(), 6);
}

#[test]
fn a_partner_with_nobody_on_the_roster_is_named_every_time() {
    let reg = Reg::init();
    reg.submit_sample();
    let out = remind(&reg, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nobody to mail");
    let err = stderr(&out);
    for partner in ["college-of-policing", "npcc", "hmicfrs", "iopc"] {
        assert!(
            err.contains(&format!(
                "1 activity awaits {partner}'s decision, and no reviewer for {partner} is on the roster"
            )),
            "{err}"
        );
    }
    assert!(err.contains("nothing awaits anyone"), "{err}");
}

/// `--sendmail` hands each message to the system's `sendmail -t`: here
/// msmtp's (Debian's msmtp-mta, which `.ci/run` installs), relaying to the
/// SMTP server, configured in the test's own home.
#[test]
fn sendmail_takes_each_message_to_its_recipients() {
    // A sendmail is the system's, installed as root; CI installs msmtp's.
    if !std::path::Path::new("/usr/sbin/sendmail").exists() && std::env::var_os("CI").is_none() {
        eprintln!(
            "no /usr/sbin/sendmail here (apt install msmtp-mta); the --sendmail test runs in CI"
        );
        return;
    }
    let s = story();
    let server = SmtpServer::start(Setup::default());
    let rc = s.reg.write_outside(
        ".msmtprc",
        &format!(
            "account default\nhost 127.0.0.1\nport {}\nfrom register@college.police.uk\nauth off\ntls off\n",
            server.port
        ),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&rc, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = remind(&s.reg, &["--sendmail"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mail = server.received();
    assert_eq!(mail.len(), 6);
    let body = mail
        .iter()
        .find(|m| m.to() == "jo.bloggs@dorset.police.uk")
        .unwrap()
        .body();
    assert!(body.contains("What did it cost?"), "{body}");
    for m in &mail {
        assert_eq!(m.envelope["rcpt_tos"], serde_json::json!([m.to()]));
    }
}
