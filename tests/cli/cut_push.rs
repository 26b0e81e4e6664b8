//! A push that fails: the connection cut in the middle of it, or the remote refusing it
//! (a hook), before or after the sync replayed the local commits. Each says what happened
//! (a cut is not "could not reach the remote"; after a replay, the branch changed and only
//! the push failed), and the next `dossier sync`, once the cause is gone, only pushes and
//! loses nothing.
//!
//! The cut is made by a relay between dossier and a real `git daemon`: it passes fetches
//! through, and while told to cut, it lets a push connect and read the remote's branches,
//! then drops the connection as soon as dossier starts sending.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::server::{self, Server};
use crate::common::{dossier, Env};
use crate::recovery::Ledger;
use crate::sync::{bare_hub, file_url, head, hub_main, sync, Team};

/// The relay: listens on 127.0.0.1 (a port the OS picks) and forwards to `upstream`.
struct CuttingRelay {
    port: u16,
    cutting: Arc<AtomicBool>,
    cuts: Arc<AtomicUsize>,
}

impl CuttingRelay {
    fn start(upstream: u16) -> CuttingRelay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let cutting = Arc::new(AtomicBool::new(false));
        let cuts = Arc::new(AtomicUsize::new(0));
        let (c, n) = (cutting.clone(), cuts.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (c, n) = (c.clone(), n.clone());
                std::thread::spawn(move || {
                    let _ = relay(client, upstream, &c, &n);
                });
            }
        });
        CuttingRelay {
            port,
            cutting,
            cuts,
        }
    }

    fn cut(&self, on: bool) {
        self.cutting.store(on, Ordering::SeqCst);
    }

    fn cuts(&self) -> usize {
        self.cuts.load(Ordering::SeqCst)
    }
}

/// One connection: the git:// request line (one pkt-line naming the service), then both
/// ways; a push is cut at its first byte after the remote's advertisement when cutting.
fn relay(
    mut client: TcpStream,
    upstream: u16,
    cutting: &AtomicBool,
    cuts: &AtomicUsize,
) -> std::io::Result<()> {
    let mut server = TcpStream::connect(("127.0.0.1", upstream))?;
    let mut len = [0u8; 4];
    client.read_exact(&mut len)?;
    let n = usize::from_str_radix(std::str::from_utf8(&len).unwrap_or("0"), 16).unwrap_or(4);
    let mut request = vec![0u8; n.saturating_sub(4)];
    client.read_exact(&mut request)?;
    server.write_all(&len)?;
    server.write_all(&request)?;
    let push = request.starts_with(b"git-receive-pack");
    let (mut from_server, mut to_client) = (server.try_clone()?, client.try_clone()?);
    let down = std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_server, &mut to_client);
        let _ = to_client.shutdown(Shutdown::Write);
    });
    if push && cutting.load(Ordering::SeqCst) {
        // dossier read the branches and now sends its update: the line goes dead.
        let mut first = [0u8; 1];
        let _ = client.read(&mut first);
        cuts.fetch_add(1, Ordering::SeqCst);
        let _ = client.shutdown(Shutdown::Both);
        let _ = server.shutdown(Shutdown::Both);
    } else {
        let _ = std::io::copy(&mut client, &mut server);
        let _ = server.shutdown(Shutdown::Write);
    }
    let _ = down.join();
    Ok(())
}

/// Ada's store published at a hub served by `git daemon`; Bo's clone pushes straight to
/// the hub, Ada's `origin` goes through the relay.
fn team_behind_a_relay() -> (Team, Server, CuttingRelay) {
    let ada = Env::new();
    let base = ada.path("served");
    std::fs::create_dir_all(&base).unwrap();
    let hub = base.join("hub.git");
    bare_hub(&ada, &hub);
    let daemon = server::git_daemon(&ada, &base);
    let t = Team::new(ada, hub.clone(), &file_url(&hub));
    let relay = CuttingRelay::start(daemon.port);
    let url = format!("git://127.0.0.1:{}/hub.git", relay.port);
    t.ada.git(&t.a, &["remote", "set-url", "origin", &url]);
    (t, daemon, relay)
}

/// The statements Ada and Bo record in a round.
fn record(env: &Env, dir: &Path, who: &str, year: u32, n: usize) {
    for i in 0..n {
        env.record(dir, &format!("{year}-03-{:02}", i + 1), who, &["Logistics"]);
    }
}

#[test]
fn a_cut_push_has_its_own_message_and_the_next_sync_pushes() {
    let (t, _daemon, relay) = team_behind_a_relay();
    record(&t.ada, &t.a, "Ada Source", 2024, 2);
    let ledger = Ledger::take(&t.ada, &t.a, &t.hub);
    let (before, hub_before) = (head(&t.ada, &t.a), hub_main(&t.ada, &t.hub));
    relay.cut(true);
    let out = sync(&t.ada, &t.a, &[]);
    out.refused_with(&["was cut during the push", "run `dossier sync` again"]);
    for other in ["could not reach", "only the push failed", "refused"] {
        assert!(
            !out.stderr.contains(other),
            "a cut push read as {other:?}\n{out}"
        );
    }
    assert_eq!(relay.cuts(), 1, "the relay did not cut the push");
    assert_eq!(head(&t.ada, &t.a), before, "the branch moved");
    assert_eq!(hub_main(&t.ada, &t.hub), hub_before, "the hub moved");
    // The connection is back: the hint's `dossier sync` pushes.
    relay.cut(false);
    let out = sync(&t.ada, &t.a, &[]);
    out.ok();
    assert!(out.stdout.contains("out: 2 commit(s) pushed"), "{out}");
    ledger.assert_kept(&t.ada, &t.a, &t.hub, "after a cut push");
    eprintln!(
        "cut push: {} cut, then pushed by the next sync",
        relay.cuts()
    );
}

#[test]
fn a_push_that_fails_after_a_replay_says_the_branch_changed_and_only_the_push_failed() {
    let (t, _daemon, relay) = team_behind_a_relay();
    let mut failures = Vec::new();
    // Round 0: the push is cut. Rounds 1 and 2: a hook on the hub refuses it; after
    // round 2 Ada takes the other way the message offers, `dossier sync --undo`.
    for (round, cause) in [
        (0u32, "was cut during the push"),
        (1, "refused the push"),
        (2, "refused the push"),
    ] {
        record(&t.bo, &t.b, "Bo Source", 2025 + round, 3);
        sync(&t.bo, &t.b, &[]).ok();
        record(&t.ada, &t.a, "Ada Source", 2023 - round, 2);
        let ledger = Ledger::take(&t.ada, &t.a, &t.hub);
        let (before, hub_before) = (head(&t.ada, &t.a), hub_main(&t.ada, &t.hub));
        let hook = t.hub.join("hooks/pre-receive");
        if round == 0 {
            relay.cut(true);
        } else {
            crate::common::executable(
                &hook,
                "#!/bin/sh\necho 'pushes are closed for the audit' >&2\nexit 1\n",
            );
        }
        let out = sync(&t.ada, &t.a, &[]);
        out.refused_with(&[
            "your branch changed, but only the push failed",
            "replayed",
            cause,
            "run `dossier sync` again",
            "it will only push",
            "dossier sync --undo",
        ]);
        assert!(!out.stderr.contains("could not reach"), "{out}");
        let replayed = head(&t.ada, &t.a);
        assert_ne!(replayed, before, "the branch was not replayed");
        assert_eq!(hub_main(&t.ada, &t.hub), hub_before, "the hub moved");
        let parent = crate::sync::rev(&t.ada, &t.a, "HEAD~2");
        assert_eq!(parent, hub_before, "Ada's commits are not on top of Bo's");
        failures.push(out.stderr.lines().next().unwrap_or("").to_string());
        if round == 2 {
            dossier(&t.ada, &t.a, &["sync", "--undo"]).ok();
            assert_eq!(
                head(&t.ada, &t.a),
                before,
                "--undo did not put the branch back"
            );
            assert_eq!(
                t.ada.git_status(&t.a),
                "",
                "--undo left the work tree changed"
            );
        }
        // The cause is gone: the next sync only pushes (the branch stays as replayed),
        // or after --undo replays again and pushes.
        relay.cut(false);
        let _ = std::fs::remove_file(&hook);
        let out = sync(&t.ada, &t.a, &[]);
        out.ok();
        assert!(out.stdout.contains("out: 2 commit(s) pushed"), "{out}");
        if round < 2 {
            assert!(
                out.stdout.contains("in: 0 new"),
                "the next sync did more than push\n{out}"
            );
            assert_eq!(head(&t.ada, &t.a), replayed, "the next sync replayed again");
        }
        ledger.assert_kept(&t.ada, &t.a, &t.hub, &format!("round {round}"));
        let authors = t
            .ada
            .git(&t.hub, &["log", "-5", "--format=%an", "refs/heads/main"]);
        assert!(
            authors.starts_with("Ada Analyst\nAda Analyst\nBo Analyst"),
            "{authors}"
        );
    }
    eprintln!("push failed after a replay: {failures:#?}");
}
