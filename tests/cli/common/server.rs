//! Servers for the sync tests: a `git daemon` and an `sshd` listening on 127.0.0.1 on a
//! free port, started by the test and killed when their guard drops. Readiness is read
//! from the server's own log line on stderr (with a bounded wait), never from a sleep.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use super::Env;

/// How long a server may take to say it is ready.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How many ports to try when the one picked was taken in the meantime.
const PORT_ATTEMPTS: usize = 5;

/// A port that was free a moment ago: bound on 127.0.0.1:0, then released.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind 127.0.0.1:0")
        .local_addr()
        .unwrap()
        .port()
}

/// A running server; killed (and reaped) on drop.
pub struct Server {
    child: Child,
    log: Arc<Mutex<String>>,
    pub port: u16,
}

impl Server {
    /// Everything the server wrote on stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawns `cmd` and returns once a line of its stderr contains `ready`; `Err(log)` when
/// it exits (or stays silent past the timeout) first.
fn spawn_until_ready(mut cmd: Command, ready: &str, port: u16) -> Result<Server, String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start {cmd:?}: {e}"))?;
    let stderr = child.stderr.take().unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = mpsc::channel();
    {
        let log = log.clone();
        let ready = ready.to_string();
        std::thread::spawn(move || {
            let mut said = false;
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                {
                    let mut l = log.lock().unwrap();
                    l.push_str(&line);
                    l.push('\n');
                }
                if !said && line.contains(&ready) {
                    said = true;
                    let _ = tx.send(());
                }
            }
            // Dropping `tx` here tells the waiter the server is gone.
        });
    }
    match rx.recv_timeout(READY_TIMEOUT) {
        Ok(()) => Ok(Server { child, log, port }),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            let text = log.lock().unwrap().clone();
            Err(text)
        }
    }
}

/// Tries `start(port)` on fresh ports until one works.
fn on_free_port(what: &str, mut start: impl FnMut(u16) -> Result<Server, String>) -> Server {
    let mut logs = Vec::new();
    for _ in 0..PORT_ATTEMPTS {
        match start(free_port()) {
            Ok(s) => return s,
            Err(log) => logs.push(log),
        }
    }
    panic!("{what} did not start:\n{}", logs.join("\n---\n"));
}

/// `git daemon` serving every repository under `base` (push enabled) as
/// `git://127.0.0.1:PORT/NAME`.
pub fn git_daemon(env: &Env, base: &Path) -> Server {
    on_free_port("git daemon", |port| {
        let mut cmd = Command::new("git");
        env.apply(&mut cmd);
        cmd.current_dir(base).args([
            "daemon",
            "--verbose",
            "--export-all",
            "--enable=receive-pack",
            "--listen=127.0.0.1",
            "--reuseaddr",
        ]);
        cmd.arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.display()))
            .arg(base);
        spawn_until_ready(cmd, "Ready to rumble", port)
    })
}

pub const SSHD: &str = "/usr/sbin/sshd";

/// Whether an sshd can be started here.
pub fn sshd_available() -> bool {
    Path::new(SSHD).is_file() && Path::new("/usr/bin/ssh-keygen").is_file()
}

/// The user the tests run as (the one sshd lets in).
pub fn current_user() -> String {
    let out = Command::new("id").arg("-un").output().expect("id -un");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A new ed25519 key pair (no passphrase) at `path` and `path.pub`; returns the public
/// key line.
pub fn keygen(path: &Path) -> String {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "dossier-test", "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .expect("ssh-keygen runs");
    assert!(
        out.status.success(),
        "ssh-keygen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pubkey = path.as_os_str().to_owned();
    pubkey.push(".pub");
    std::fs::read_to_string(PathBuf::from(pubkey)).unwrap()
}

/// An sshd on 127.0.0.1 with its own host key, letting in the current user with the
/// keys in `authorized_keys`. Its files live in `dir`. Returns the server and the host
/// key's public line (for a known_hosts file).
pub fn sshd(dir: &Path, authorized_keys: &Path) -> (Server, String) {
    std::fs::create_dir_all(dir).unwrap();
    let host_key = dir.join("ssh_host_ed25519_key");
    let host_pub = keygen(&host_key);
    // sshd running as root wants its privilege separation directory; a container
    // where the service never ran lacks it.
    let _ = std::fs::create_dir_all("/run/sshd");
    let server = on_free_port("sshd", |port| {
        let config = dir.join(format!("sshd_config-{port}"));
        std::fs::write(
            &config,
            format!(
                "Port {port}\n\
                 ListenAddress 127.0.0.1\n\
                 HostKey {host}\n\
                 PidFile {pid}\n\
                 AuthorizedKeysFile {keys}\n\
                 StrictModes no\n\
                 UsePAM no\n\
                 UseDNS no\n\
                 PermitRootLogin yes\n\
                 PubkeyAuthentication yes\n\
                 PasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\n\
                 PrintMotd no\n\
                 LogLevel VERBOSE\n",
                host = host_key.display(),
                pid = dir.join("sshd.pid").display(),
                keys = authorized_keys.display(),
            ),
        )
        .unwrap();
        let mut cmd = Command::new(SSHD);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(&config)
            .arg("-p")
            .arg(port.to_string());
        spawn_until_ready(cmd, "Server listening on", port)
    });
    (server, host_pub)
}
