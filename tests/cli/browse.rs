//! `dossier browse` in a real terminal: tmux runs it in a pane, `send-keys` types and
//! `capture-pane` reads the screen, polled until the expected text appears (no sleep
//! stands for synchronisation). After it quits (q, Ctrl-C, a panic) the shell in the
//! pane prints the exit code and the terminal's mode: the alternate screen must be gone
//! and the line discipline back to canonical (`icanon`), i.e. the terminal restored.
//! Without a terminal, browse refuses with a hint.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{run, skip_unless_ci, Env};
use crate::fit::multilingual;

/// One tmux server of its own (its socket in the test's folder), killed on drop.
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(["-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend(keys);
        self.run(&args);
    }

    /// Polls the pane until it shows `needle`; the screen then.
    #[track_caller]
    fn wait_for(&self, needle: &str) -> String {
        self.wait_for_all(&[needle])
    }

    /// Polls the pane until it shows every one of `needles` at once (a frame can be
    /// captured half drawn, so a later line is not there yet when the first one is).
    #[track_caller]
    fn wait_for_all(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if needles.iter().all(|needle| screen.contains(needle)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "{needles:?} never all appeared; the screen:\n{screen}"
            );
            // A pause between polls, not a synchronisation: the loop waits for the text.
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn have_tmux(test: &str) -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        skip_unless_ci(test, "tmux is not installed");
    }
    ok
}

/// `dossier browse cis-2030` in a 100x30 tmux pane on the multilingual store; after it
/// ends the pane shows `exit=N` and `mode=icanon` (or `mode=-icanon` if left raw).
fn start(env: &Env, store: &Path, extra_env: &str) -> Tmux {
    start_with(env, store, extra_env, "browse cis-2030")
}

/// [`start`] with other arguments than `browse cis-2030`.
fn start_with(env: &Env, store: &Path, extra_env: &str, args: &str) -> Tmux {
    // A socket of its own for each server (a killed server's socket lingers).
    static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmux = Tmux {
        socket: env.path(&format!("tmux-{n}.sock")),
    };
    let bin = assert_cmd::cargo::cargo_bin!("dossier");
    let script = format!(
        "cd '{store}' && env -i HOME='{home}' PATH=\"$PATH\" LANG=C.UTF-8 TERM=xterm-256color {extra_env} '{bin}' {args}; \
         echo \"exit=$?\"; echo \"mode=$(stty -a | grep -o -- '-\\?icanon' | head -n 1)\"; cat",
        store = store.display(),
        home = env.home.display(),
        bin = bin.display(),
    );
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "100",
        "-y",
        "30",
        &script,
    ]);
    tmux
}

#[test]
fn walks_the_statements_in_a_real_terminal_and_restores_it_on_q() {
    if !have_tmux("browse::walks_the_statements_in_a_real_terminal_and_restores_it_on_q") {
        return;
    }
    let env = Env::new();
    let store = multilingual(&env);
    let tmux = start(&env, &store, "");
    tmux.wait_for_all(&[
        "2025-06-30 → 2025-07-01 · change 1 of",
        "dossier browse · cis-2030",
        "Test Speaker Gamma",
    ]);
    tmux.keys(&["n"]);
    tmux.wait_for("· change 2 of");
    tmux.keys(&["["]);
    tmux.wait_for("2025-03-02 → 2025-06-30");
    tmux.keys(&["s"]);
    tmux.wait_for("└ side by side");
    tmux.keys(&["?"]);
    tmux.wait_for("any key closes");
    tmux.keys(&["x", "/", "Б", "е", "т", "а", "Enter"]);
    tmux.wait_for("2025-01-15 → 2025-03-02");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for_all(&["exit=", "mode="]);
    assert!(screen.contains("exit=0"), "{screen}");
    assert!(
        screen.contains("mode=icanon"),
        "raw mode left on:\n{screen}"
    );
    assert!(
        !screen.contains("dossier browse ·"),
        "alternate screen left:\n{screen}"
    );
}

#[test]
fn ctrl_c_and_a_panic_restore_the_terminal() {
    if !have_tmux("browse::ctrl_c_and_a_panic_restore_the_terminal") {
        return;
    }
    let env = Env::new();
    let store = multilingual(&env);
    let tmux = start(&env, &store, "");
    tmux.wait_for("change 1 of");
    tmux.keys(&["C-c"]);
    let screen = tmux.wait_for("mode=");
    assert!(
        screen.contains("exit=0") && screen.contains("mode=icanon"),
        "{screen}"
    );
    drop(tmux);

    let tmux = start(&env, &store, "DOSSIER_BROWSE_TEST_PANIC=1");
    tmux.wait_for("change 1 of");
    tmux.keys(&["!"]);
    let screen = tmux.wait_for("mode=");
    assert!(screen.contains("exit=101"), "{screen}");
    assert!(
        screen.contains("a test panic"),
        "the panic is reported:\n{screen}"
    );
    assert!(
        screen.contains("mode=icanon"),
        "raw mode left on:\n{screen}"
    );
    assert!(!screen.contains("dossier browse ·"), "{screen}");
}

#[test]
fn refuses_without_a_terminal() {
    let env = Env::new();
    let store = multilingual(&env);
    let out = run(env.dossier_in(&store).args(["browse", "cis-2030"]));
    out.refused_with(&["needs a terminal", "dossier diff INITIATIVE --steps"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stdout.is_empty(), "{out}");
}

#[test]
fn sigterm_restores_the_terminal() {
    if !have_tmux("browse::sigterm_restores_the_terminal") {
        return;
    }
    let env = Env::new();
    let store = multilingual(&env);
    let tmux = start(&env, &store, "");
    tmux.wait_for("change 1 of");
    // The pane runs a shell whose one child is dossier.
    let shell = tmux.run(&["display-message", "-p", "-t", "t", "#{pane_pid}"]);
    let children = Command::new("ps")
        .args(["-o", "pid=", "--ppid", shell.trim()])
        .output()
        .expect("ps runs");
    let pids = String::from_utf8_lossy(&children.stdout).into_owned();
    let pid = pids
        .split_whitespace()
        .next()
        .expect("dossier runs in the pane");
    let killed = Command::new("kill")
        .args(["-TERM", pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let screen = tmux.wait_for("mode=");
    assert!(screen.contains("exit=0"), "{screen}");
    assert!(
        screen.contains("mode=icanon"),
        "raw mode left on:\n{screen}"
    );
    assert!(
        !screen.contains("dossier browse ·"),
        "alternate screen left:\n{screen}"
    );
}

#[test]
fn without_an_initiative_it_walks_every_initiative_in_date_order() {
    if !have_tmux("browse::without_an_initiative_it_walks_every_initiative_in_date_order") {
        return;
    }
    let env = Env::new();
    let bundled = crate::common::project_root().join("tracked");
    let args = format!("--store '{}' browse", bundled.display());
    let tmux = start_with(&env, env.dir.path(), "", &args);
    // The bundled store holds the four concepts from 2010 to 2030: the title names them
    // all, and the list starts with the 2010 concept's first statement.
    let screen = tmux.wait_for("all 4 initiatives");
    assert!(screen.contains("cis-military-cooperation-2010"), "{screen}");
    tmux.keys(&["Home"]);
    tmux.wait_for("2004-11-25");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("mode=");
    assert!(screen.contains("exit=0"), "{screen}");
}

#[test]
fn a_bad_match_threshold_is_refused_before_the_terminal_is_needed() {
    let env = Env::new();
    let store = multilingual(&env);
    let out = run(env
        .dossier_in(&store)
        .args(["browse", "cis-2030", "--match-threshold", "2"]));
    out.refused_with(&["the match threshold 2 is not between 0 and 1"]);
    assert!(!out.stderr.contains("needs a terminal"), "{out}");
}
