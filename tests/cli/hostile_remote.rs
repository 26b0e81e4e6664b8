//! A remote is untrusted input: a colleague with push access builds, with git plumbing, a
//! history holding symbolic links, gitlinks, and terminal escapes (ESC [2J, OSC 8, OSC 52)
//! in file names, author names and messages. `sync` and `clone` refuse the links by name,
//! write nothing, and nothing raw reaches the terminal.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{dossier, Env, Out};
use crate::sync::{file_url, head, sync};

/// Clears the screen.
const CLEAR: &str = "\u{1b}[2J";
/// A hyperlink (OSC 8) and a clipboard write (OSC 52).
const OSC8: &str = "\u{1b}]8;;http://evil.example/\u{7}click\u{1b}]8;;\u{7}";
const OSC52: &str = "\u{1b}]52;c;ZXZpbA==\u{7}";

/// Plumbing in a bare repository: `git --git-dir HUB ARGS` with `input` on stdin.
fn plumb(env: &Env, hub: &Path, args: &[&str], input: &str, extra_env: &[(&str, &str)]) -> String {
    let mut child = Command::new("git")
        .arg("--git-dir")
        .arg(hub)
        .args(args)
        .env("HOME", &env.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .envs(extra_env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Adds to the hub's main a commit whose tree is main's plus `entries` (ls-tree lines
/// under `cis-2030/statements/`), authored by a name holding escapes, with an escaping
/// message. Returns the old tip.
fn push_hostile(env: &Env, hub: &Path, entries: &str) -> String {
    let old = plumb(env, hub, &["rev-parse", "refs/heads/main"], "", &[]);
    let statements = plumb(
        env,
        hub,
        &["rev-parse", "refs/heads/main:cis-2030/statements"],
        "",
        &[],
    );
    let mut listing = plumb(env, hub, &["ls-tree", &statements], "", &[]);
    listing.push('\n');
    listing.push_str(entries);
    let sub = plumb(env, hub, &["mktree"], &listing, &[]);
    let ini = plumb(env, hub, &["ls-tree", "refs/heads/main:cis-2030"], "", &[]);
    let ini: String = ini
        .lines()
        .map(|l| {
            if l.ends_with("\tstatements") {
                format!("040000 tree {sub}\tstatements\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let ini_tree = plumb(env, hub, &["mktree"], &ini, &[]);
    let root = plumb(env, hub, &["ls-tree", "refs/heads/main"], "", &[]);
    let root: String = root
        .lines()
        .map(|l| {
            if l.ends_with("\tcis-2030") {
                format!("040000 tree {ini_tree}\tcis-2030\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let tree = plumb(env, hub, &["mktree"], &root, &[]);
    let name = format!("Mallory{CLEAR}{OSC52}");
    let commit = plumb(
        env,
        hub,
        &[
            "commit-tree",
            &tree,
            "-p",
            "refs/heads/main",
            "-m",
            &format!("innocent{OSC8}"),
        ],
        "",
        &[
            ("GIT_AUTHOR_NAME", &name),
            ("GIT_AUTHOR_EMAIL", "m@example.org"),
            ("GIT_COMMITTER_NAME", &name),
            ("GIT_COMMITTER_EMAIL", "m@example.org"),
        ],
    );
    plumb(
        env,
        hub,
        &["update-ref", "refs/heads/main", &commit],
        "",
        &[],
    );
    old
}

/// No ESC or BEL reaches the terminal, in either stream.
#[track_caller]
fn assert_no_escapes(out: &Out, what: &str) {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{what}: a raw escape reached {stream}:\n{out}"
        );
    }
}

/// Ada's store, published at a hub (a bare repository).
fn published() -> (Env, std::path::PathBuf, std::path::PathBuf) {
    let crate::sync::Published { ada, hub, a, .. } = crate::sync::published();
    (ada, hub, a)
}

#[test]
fn symlinks_and_gitlinks_from_a_remote_are_refused_by_sync_and_clone() {
    let (env, hub, store) = published();
    let outside = env.path("outside.yaml");
    std::fs::write(&outside, "secret: yes\n").unwrap();
    let target = plumb(
        &env,
        &hub,
        &["hash-object", "-w", "--stdin"],
        outside.to_str().unwrap(),
        &[],
    );
    let commit = head(&env, &store);
    let mut refused = 0;
    for (entry, kind) in [
        (
            format!("120000 blob {target}\tevil{CLEAR}.yaml\n"),
            "symbolic link",
        ),
        (format!("160000 commit {commit}\tsub{OSC52}\n"), "gitlink"),
    ] {
        let old = push_hostile(&env, &hub, &entry);
        let before = env.snapshot(&store, env.dir.path());
        let out = sync(&env, &store, &[]);
        out.refused_with(&["refused", kind, "<U+001B>"]);
        assert_no_escapes(&out, "sync");
        env.assert_unchanged(&store, env.dir.path(), &before, kind);
        refused += 1;

        let out = dossier(
            &env,
            env.dir.path(),
            &["clone", &file_url(&hub), "c", "--quiet"],
        );
        out.refused_with(&["refused", kind]);
        assert_no_escapes(&out, "clone");
        assert!(!env.path("c").exists(), "a refused clone left its folder");
        refused += 1;

        plumb(
            &env,
            &hub,
            &["update-ref", "refs/heads/main", &old],
            "",
            &[],
        );
    }
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "secret: yes\n");
    eprintln!("hostile remote: {refused} refusals (sync and clone, symlink and gitlink)");
}

#[test]
fn escapes_in_names_messages_and_paths_from_a_remote_never_reach_the_terminal() {
    let (env, hub, store) = published();
    // A record file whose name holds escapes, from an author whose name holds them too.
    let bad = plumb(
        &env,
        &hub,
        &["hash-object", "-w", "--stdin"],
        "id: x\n",
        &[],
    );
    push_hostile(
        &env,
        &hub,
        &format!("100644 blob {bad}\t2025-01-01-{OSC52}x.yaml\n"),
    );
    let out = sync(&env, &store, &[]);
    assert_no_escapes(&out, "sync");
    for args in [
        vec!["log"],
        vec!["check"],
        vec!["status"],
        vec!["history", "cis-2030"],
    ] {
        let out = dossier(&env, &store, &args);
        assert_no_escapes(&out, &args.join(" "));
    }
}

#[test]
fn a_local_symlink_is_replayed_as_a_symlink() {
    let (env, hub, store) = published();
    // A colleague moves the hub on.
    let other = env.path("other");
    env.git(
        env.dir.path(),
        &["clone", "-q", &file_url(&hub), other.to_str().unwrap()],
    );
    env.record(&other, "2025-04-01", "Other Source", &["Logistics"]);
    env.git(&other, &["push", "-q", "origin", "main"]);
    // Ada commits a symlink with plain git (outside any record), then syncs: a replay.
    std::os::unix::fs::symlink("dossier.yaml", store.join("settings-link")).unwrap();
    env.git(&store, &["add", "settings-link"]);
    env.git(&store, &["commit", "-q", "-m", "a link"]);
    // Her own link is hers to keep (a link from the remote would be refused): the
    // replay keeps it a link.
    sync(&env, &store, &["--no-push"]).ok();
    let mode = env.git(&store, &["ls-tree", "HEAD", "settings-link"]);
    assert!(mode.starts_with("120000"), "the link became {mode}");
}

#[test]
fn a_stalled_server_ends_the_sync_with_a_clear_message() {
    let (env, _hub, store) = published();
    // A server that accepts connections and never sends a byte.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    {
        let held = held.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                held.lock().unwrap().push(stream);
            }
        });
    }
    let url = format!("git://127.0.0.1:{port}/hub.git");
    dossier(&env, &store, &["remote", "add", "stalled", &url]).ok();
    let before = env.snapshot(&store, &store);
    let timeout = 1;
    let out = sync(
        &env,
        &store,
        &["stalled", "--timeout", &timeout.to_string()],
    );
    out.refused_with(&["stopped answering", "--timeout"]);
    assert!(
        out.elapsed < std::time::Duration::from_secs(timeout * 10 + 10),
        "the sync hung for {:?}",
        out.elapsed
    );
    assert!(!held.lock().unwrap().is_empty(), "dossier never connected");
    env.assert_unchanged(&store, &store, &before, "stalled sync");
    eprintln!(
        "stalled server: sync gave up after {:?} (timeout {timeout} s)",
        out.elapsed
    );
}
