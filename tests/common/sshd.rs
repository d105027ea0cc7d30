//! A real OpenSSH server on 127.0.0.1 for the tests: Debian's `sshd`, run
//! in the foreground with a host key, a config and an `authorized_keys` of
//! its own in a temporary folder, serving one account that can run nothing
//! but `git-shell`.
//!
//! As root (as CI runs) the account is made for the test (`useradd`, its
//! login shell `git-shell`) and removed when the server stops. As anyone
//! else, sshd can only serve the user running it, so that user is the
//! account and sshd's `ForceCommand` puts `git-shell` in front of every
//! command instead.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Where Debian's `openssh-server` puts sshd (which must be started by its
/// absolute path: it re-executes itself).
const SSHD: &str = "/usr/sbin/sshd";

pub struct SshServer {
    dir: TempDir,
    child: Child,
    pub port: u16,
    pub account: String,
    /// Whether the account was made for this server (and goes with it).
    made: bool,
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The absolute path of `program` on PATH.
fn which(program: &str) -> String {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{program} is not on PATH"))
        .to_string_lossy()
        .into_owned()
}

impl SshServer {
    /// Start a server, or panic saying what is missing. Without sshd, and
    /// outside CI, `None`: a developer without an SSH server still runs the
    /// same tests against a path remote. CI installs it (`.ci/run`), so
    /// there the test never skips.
    pub fn start() -> Option<SshServer> {
        if !Path::new(SSHD).exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "{SSHD} is missing: install Debian's openssh-server (`.ci/run` does)"
            );
            eprintln!("{SSHD} is missing: the SSH remote is not tried (install openssh-server)");
            return None;
        }
        // A port another test takes between our look and sshd's bind makes
        // sshd exit at once: try again on another.
        for _ in 0..5 {
            if let Some(server) = Self::try_start() {
                return Some(server);
            }
        }
        panic!("sshd did not start on 127.0.0.1 after five tries");
    }

    fn try_start() -> Option<SshServer> {
        let dir = TempDir::new().unwrap();
        // The account reads its authorized_keys, repositories and the
        // guard's binary from here.
        set_mode(dir.path(), 0o755);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let shell = which("git-shell");
        let (account, made) = if is_root() {
            let name = format!("pg{}{}", std::process::id(), port);
            let home = dir.path().join("home");
            run(
                "useradd",
                &[
                    "--no-create-home",
                    "--home-dir",
                    home.to_str().unwrap(),
                    "--shell",
                    &shell,
                    // Not locked (`!`), yet no password opens it: sshd
                    // refuses a locked account even for a key.
                    "--password",
                    "*",
                    &name,
                ],
            );
            std::fs::create_dir(&home).unwrap();
            run("chown", &[&name, home.to_str().unwrap()]);
            // sshd's privilege separation needs its empty folder.
            std::fs::create_dir_all("/run/sshd").unwrap();
            (name, true)
        } else {
            (run("id", &["-un"]).trim().to_string(), false)
        };
        let host_key = dir.path().join("host_key");
        run(
            "ssh-keygen",
            &[
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                host_key.to_str().unwrap(),
            ],
        );
        let keys = dir.path().join("authorized_keys");
        std::fs::write(&keys, "").unwrap();
        set_mode(&keys, 0o644);
        let d = dir.path().display();
        let mut config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n\
             AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
             PermitRootLogin no\nAllowUsers {account}\nLogLevel VERBOSE\n"
        );
        if !made {
            config.push_str(&format!(
                "ForceCommand {shell} -c \"$SSH_ORIGINAL_COMMAND\"\n"
            ));
        }
        std::fs::write(dir.path().join("sshd_config"), config).unwrap();
        std::fs::create_dir(dir.path().join("repos")).unwrap();
        std::fs::create_dir(dir.path().join("bin")).unwrap();
        let log = std::fs::File::create(dir.path().join("sshd.log")).unwrap();
        let child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(dir.path().join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("sshd starts");
        let mut server = SshServer {
            dir,
            child,
            port,
            account,
            made,
        };
        let host = std::fs::read_to_string(server.dir.path().join("host_key.pub")).unwrap();
        std::fs::write(
            server.dir.path().join("known_hosts"),
            format!("[127.0.0.1]:{port} {host}"),
        )
        .unwrap();
        server.wait_listening().then_some(server)
    }

    /// Whether sshd took its port within a few seconds.
    fn wait_listening(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return false;
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("sshd did not listen within 20 s:\n{}", self.log());
    }

    /// What sshd wrote: for the message of a failing test.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(self.dir.path().join("sshd.log")) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }

    /// Let the holder of the public key `line` in.
    pub fn admit(&self, line: &str) {
        use std::io::Write as _;
        let mut keys = std::fs::OpenOptions::new()
            .append(true)
            .open(self.dir.path().join("authorized_keys"))
            .unwrap();
        writeln!(keys, "{}", line.trim()).unwrap();
    }

    /// The folder on the server that holds its repositories.
    pub fn repos(&self) -> PathBuf {
        self.dir.path().join("repos")
    }

    /// The server's own copy of `binary`, readable by the account.
    pub fn install_binary(&self, binary: &Path) -> PathBuf {
        let copy = self.dir.path().join("bin").join("practice");
        std::fs::copy(binary, &copy).unwrap();
        set_mode(&copy, 0o755);
        copy
    }

    /// Hand `path` (a repository made by the test) to the account, as a
    /// server's repositories belong to the account that serves them.
    pub fn hand_over(&self, path: &Path) {
        if self.made {
            run("chown", &["-R", &self.account, path.to_str().unwrap()]);
        }
    }

    /// The URL of the repository at `path` on this server.
    pub fn url(&self, path: &Path) -> String {
        format!(
            "ssh://{}@127.0.0.1:{}{}",
            self.account,
            self.port,
            path.display()
        )
    }

    /// The `ssh` command git should use to reach this server with `key`:
    /// no config of the machine's, this server's host key alone trusted.
    pub fn ssh_command(&self, key: &Path) -> String {
        format!(
            "ssh -F none -i {} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile={}",
            key.display(),
            self.dir.path().join("known_hosts").display()
        )
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

impl Drop for SshServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if self.made {
            let _ = Command::new("userdel").arg(&self.account).output();
        }
    }
}
