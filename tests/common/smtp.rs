//! A real SMTP server on 127.0.0.1 for the reminder tests: aiosmtpd from
//! PyPI (`.ci/run` installs it), driven by `smtp_server.py` beside this
//! file. Every message it accepts is kept as a file, read back and parsed
//! as email by the test.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

pub struct SmtpServer {
    child: Child,
    /// Held open: the server stops when it closes.
    _stdin: ChildStdin,
    pub port: u16,
    out: tempfile::TempDir,
}

/// One message the server accepted.
#[derive(Debug)]
pub struct Received {
    pub raw: Vec<u8>,
    /// The envelope: `mail_from`, `rcpt_tos`, `tls`, `user`.
    pub envelope: serde_json::Value,
}

impl Received {
    pub fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.raw).expect("the message parses as email")
    }

    pub fn header(&self, name: &str) -> String {
        use mailparse::MailHeaderMap;
        self.parsed()
            .headers
            .get_first_value(name)
            .unwrap_or_default()
    }

    pub fn body(&self) -> String {
        self.parsed().get_body().expect("a text body")
    }

    /// The address in `To`.
    pub fn to(&self) -> String {
        let to = mailparse::addrparse(&self.header("To")).expect("To parses");
        match &to[0] {
            mailparse::MailAddr::Single(s) => s.addr.clone(),
            other => panic!("To is not one address: {other:?}"),
        }
    }
}

/// Options for the server: recipients to refuse, TLS, a login.
#[derive(Default)]
pub struct Setup<'a> {
    pub refuse: &'a [&'a str],
    /// Certificate and key files: the server offers STARTTLS.
    pub tls: Option<(&'a Path, &'a Path)>,
    /// With `tls`: TLS from the first byte instead (smtps).
    pub implicit: bool,
    pub login: Option<(&'a str, &'a str)>,
}

/// Where aiosmtpd is found: the Python's own packages when it has it
/// (`.ci/run` installs it), else a folder under `target/` that this
/// installs it into from PyPI, pinned by `requirements.txt`, once.
fn python_path() -> Option<PathBuf> {
    static ONCE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let has = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        if has {
            return None;
        }
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let target = root.join("target/test-python");
        let status = Command::new("python3")
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--target",
            ])
            .arg(&target)
            .arg("-r")
            .arg(root.join("tests/common/requirements.txt"))
            .status()
            .expect("python3 runs");
        assert!(status.success(), "pip could not install aiosmtpd from PyPI");
        Some(target)
    })
    .clone()
}

impl SmtpServer {
    pub fn start(setup: Setup<'_>) -> SmtpServer {
        let out = tempfile::tempdir().unwrap();
        let log = tempfile::NamedTempFile::new().unwrap();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/common/smtp_server.py");
        let mut command = Command::new("python3");
        if let Some(path) = python_path() {
            command.env("PYTHONPATH", path);
        }
        command
            .arg(script)
            .env("OUT", out.path())
            .env("REFUSE", setup.refuse.join(","))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Its log (a refused handshake prints a traceback) is kept,
            // and shown if it does not start.
            .stderr(std::fs::File::create(log.path()).unwrap());
        if let Some((cert, key)) = setup.tls {
            command.env("CERT", cert).env("KEY", key);
        }
        if setup.implicit {
            command.env("IMPLICIT", "1");
        }
        if let Some((user, password)) = setup.login {
            command.env("USER_NAME", user).env("PASSWORD", password);
        }
        let mut child = command
            .spawn()
            .expect("python3 runs (aiosmtpd comes from PyPI: `pip install aiosmtpd`)");
        let stdin = child.stdin.take().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .strip_prefix("PORT ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| {
                panic!("the SMTP server did not start (is aiosmtpd installed?): {line:?}")
            });
        SmtpServer {
            child,
            _stdin: stdin,
            port,
            out,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The address for a server started with `implicit`.
    pub fn smtps_url(&self) -> String {
        format!("smtps://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far, in the order accepted.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|eml| Received {
                raw: std::fs::read(&eml).unwrap(),
                envelope: serde_json::from_slice(
                    &std::fs::read(eml.with_extension("json")).unwrap(),
                )
                .unwrap(),
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A certificate authority and a certificate it issued for 127.0.0.1, made
/// by `openssl` in `dir`: (CA certificate, server certificate, server key).
pub fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Test mail CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "server.pem",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    )
}
