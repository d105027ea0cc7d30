//! Email: a reminder as a message, and its delivery — printed as an mbox,
//! handed to an SMTP server (lettre), or piped to `sendmail -t`. Each
//! message is delivered on its own, so one refused address never keeps the
//! others from going.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, Message, SinglePart};
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};

use crate::model::Person;
use crate::remind::Reminder;
use crate::{Error, Result};

/// `person` as a mailbox, or why their address will not do.
pub fn mailbox(person: &Person) -> std::result::Result<Mailbox, String> {
    let address = person
        .email
        .parse()
        .map_err(|e| format!("{:?} is not an email address ({e})", person.email))?;
    Ok(Mailbox::new(Some(person.name.clone()), address))
}

/// A sender given as `Name <address>` or a bare address.
pub fn sender(text: &str) -> Result<Mailbox> {
    text.trim().parse().map_err(|e| {
        Error::Usage(format!(
            "{text:?} is not a sender address ({e}); give one as \"Name <address@example.org>\""
        ))
    })
}

/// The email that carries `reminder`, dated `date`.
pub fn compose(
    from: &Mailbox,
    reminder: &Reminder,
    register: &str,
    date: DateTime<FixedOffset>,
) -> std::result::Result<Message, String> {
    Message::builder()
        .from(from.clone())
        .to(mailbox(&reminder.to)?)
        .subject(reminder.subject(register))
        .date(date.into())
        .message_id(None)
        // Sent by a program, not a person: mail systems send no
        // out-of-office replies to it (RFC 3834).
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".into(),
        ))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(plain(reminder.body(register))),
        )
        .map_err(|e| e.to_string())
}

/// A body as it reads: 7bit when it is ASCII, else 8bit, so the commands
/// in it stay whole on their lines in the raw message; quoted-printable
/// only for a line too long for either.
fn plain(text: String) -> Body {
    [
        ContentTransferEncoding::SevenBit,
        ContentTransferEncoding::EightBit,
    ]
    .into_iter()
    .find_map(|encoding| Body::new_with_encoding(text.clone(), encoding).ok())
    .unwrap_or_else(|| Body::new(text))
}

/// `message` as one mbox entry (mboxrd: a body line that starts `From `,
/// after any `>`, gains one more `>`), with LF line ends as mbox files
/// have them.
pub fn mbox_entry(message: &Message, from: &Mailbox, date: DateTime<FixedOffset>) -> Vec<u8> {
    let mut out = format!(
        "From {} {}\n",
        from.email,
        date.to_utc().format("%a %b %e %H:%M:%S %Y")
    )
    .into_bytes();
    let formatted = message.formatted();
    let text = String::from_utf8_lossy(&formatted).replace("\r\n", "\n");
    for line in text.split_inclusive('\n') {
        if line.trim_start_matches('>').starts_with("From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line.as_bytes());
    }
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

/// An SMTP server to hand messages to.
pub struct Smtp {
    transport: SmtpTransport,
}

/// Where SMTP credentials come from: never the command line, which any
/// user of the machine can read.
pub const SMTP_USER: &str = "PRACTICE_SMTP_USER";
pub const SMTP_PASSWORD: &str = "PRACTICE_SMTP_PASSWORD";
/// A PEM file of certificate authorities to trust beside the system's: a
/// force's own mail relay may carry a certificate from its own authority.
pub const SMTP_CA: &str = "PRACTICE_SMTP_CA";

impl Smtp {
    /// The server `url` names: `smtp://HOST[:PORT]` (port 25; STARTTLS
    /// when the server offers it, and required once there are credentials,
    /// so a password never crosses the network in the clear) or
    /// `smtps://HOST[:PORT]` (port 465, TLS from the first byte).
    pub fn from_url(url: &str, env: impl Fn(&str) -> Option<String>) -> Result<Smtp> {
        let bad = |why: &str| Error::Usage(format!("--smtp {url:?}: {why}"));
        let parsed = url::Url::parse(url)
            .map_err(|e| bad(&format!("{e}; give smtp://HOST:PORT or smtps://HOST:PORT")))?;
        let implicit = match parsed.scheme() {
            "smtp" => false,
            "smtps" => true,
            other => {
                return Err(bad(&format!(
                    "{other}:// is not a mail server address; give smtp://HOST:PORT or smtps://HOST:PORT"
                )));
            }
        };
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(bad(&format!(
                "credentials do not belong on the command line, where anyone on the machine can read them; set {SMTP_USER} and {SMTP_PASSWORD} instead"
            )));
        }
        if parsed.query().is_some() || !matches!(parsed.path(), "" | "/") {
            return Err(bad("give only a host and port: smtp://HOST:PORT"));
        }
        let host = match parsed.host() {
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            Some(h) => h.to_string(),
            None => return Err(bad("it names no host; give smtp://HOST:PORT")),
        };
        let port = parsed.port().unwrap_or(if implicit { 465 } else { 25 });
        let mut tls = TlsParameters::builder(host.clone());
        if let Some(file) = env(SMTP_CA) {
            let pem = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            let ca = Certificate::from_pem(&pem).map_err(|e| {
                Error::bad(format!(
                    "{SMTP_CA}={file} holds no certificate in PEM form ({e}); point it at a CA certificate file"
                ))
            })?;
            tls = tls.add_root_certificate(ca);
        }
        let tls = tls
            .build_rustls()
            .map_err(|e| bad(&format!("cannot set up TLS: {e}")))?;
        let credentials = match (env(SMTP_USER), env(SMTP_PASSWORD)) {
            (Some(user), Some(password)) => Some(Credentials::new(user, password)),
            (None, None) => None,
            _ => {
                return Err(Error::Usage(format!(
                    "set both {SMTP_USER} and {SMTP_PASSWORD}, or neither"
                )));
            }
        };
        let tls = match (implicit, credentials.is_some()) {
            (true, _) => Tls::Wrapper(tls),
            (false, true) => Tls::Required(tls),
            (false, false) => Tls::Opportunistic(tls),
        };
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let Some(c) = credentials {
            builder = builder.credentials(c);
        }
        Ok(Smtp {
            transport: builder.build(),
        })
    }

    /// Hand `message` to the server.
    pub fn send(&self, message: &Message) -> std::result::Result<(), Failure> {
        use lettre::Transport;
        self.transport
            .send(message)
            .map(|_| ())
            .map_err(|e| Failure {
                why: describe(&e),
                // The connection itself failed (refused, timed out, TLS,
                // cut off): the next message would fare the same. A reply
                // code, an unreadable reply or the client's own refusal of
                // one message (an address the server cannot take) is this
                // message's alone.
                everyone: e.status().is_none() && !e.is_client() && !e.is_response(),
            })
    }
}

/// Why one message was not delivered.
#[derive(Debug)]
pub struct Failure {
    pub why: String,
    /// The server itself could not be used, not only this recipient.
    pub everyone: bool,
}

impl From<String> for Failure {
    fn from(why: String) -> Failure {
        Failure {
            why,
            everyone: false,
        }
    }
}

/// An SMTP error in one line, with the cause lettre keeps beneath it.
fn describe(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let said = s.to_string();
        if !text.contains(&said) {
            text.push_str(&format!(": {said}"));
        }
        source = s.source();
    }
    text
}

/// Pipe `message` to `sendmail -t -i`: the recipients are read from its
/// headers, and a line of a lone dot does not end it. `sendmail` is looked
/// for on `PATH`, then where Unix systems keep it.
pub fn sendmail(message: &Message) -> std::result::Result<(), String> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join("sendmail"));
    let program = on_path
        .chain(["/usr/sbin/sendmail", "/usr/lib/sendmail"].map(std::path::PathBuf::from))
        .find(|p| p.is_file())
        .ok_or("no sendmail found on PATH or in /usr/sbin; install a mail transfer agent (msmtp-mta, postfix) or use --smtp URL")?;
    let program = program.display().to_string();
    let mut child = Command::new(&program)
        .args(["-t", "-i"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let wrote = child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(&message.formatted());
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        let said = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(format!("{program} -t failed ({}): {said}", out.status));
    }
    wrote.map_err(|e| format!("writing to {program}: {e}"))
}
