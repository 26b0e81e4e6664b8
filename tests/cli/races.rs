//! Lost updates: an `edit` whose record changed while the editor was open (another edit,
//! a sync bringing a colleague's change, a sync bringing a deletion). The editor is a
//! script that says it has the file open through one fifo and saves only when the test
//! writes to another: no sleeps as synchronisation.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{dossier, Env, Out};
use crate::sync::{bare_hub, edit_summary, file_url, head, record_path, show_json, sync, Team};

/// How long a step of a race may take before the test gives up (a bound, not a pause).
const STEP: Duration = Duration::from_secs(60);

/// An editor that applies `sed_expr` to the draft, then waits: it writes to the fifo
/// `opened` (the test reads it), and saves only once the test writes to the fifo `go`.
pub(crate) struct SlowEditor {
    script: PathBuf,
    opened: PathBuf,
    go: PathBuf,
}

fn mkfifo(path: &Path) {
    let st = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(st.success(), "mkfifo {}", path.display());
}

impl SlowEditor {
    pub(crate) fn new(env: &Env, name: &str, sed_expr: &str) -> SlowEditor {
        let opened = env.path(&format!("{name}.opened"));
        let go = env.path(&format!("{name}.go"));
        mkfifo(&opened);
        mkfifo(&go);
        let script = crate::common::executable(
            &env.path(&format!("{name}.sh")),
            &format!(
                "#!/bin/sh\nset -e\nsed -i '{sed_expr}' \"$1\"\necho opened > '{}'\nread line < '{}'\n",
                opened.display(),
                go.display()
            ),
        );
        SlowEditor { script, opened, go }
    }

    /// Starts `dossier edit REF` in `dir` with this editor and returns once the editor
    /// has the draft open.
    pub(crate) fn start_edit(&self, env: &Env, dir: &Path, reference: &str) -> Child {
        let mut child = env
            .command(dir)
            .args(["edit", reference, "-m", "slow edit"])
            .env("VISUAL", &self.script)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dossier edit starts");
        let (tx, rx) = mpsc::channel();
        let opened = self.opened.clone();
        std::thread::spawn(move || {
            let _ = tx.send(std::fs::read(opened));
        });
        if rx.recv_timeout(STEP).is_err() {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "the editor never opened: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        child
    }

    /// Lets the editor save and quit; returns what the edit did.
    pub(crate) fn finish(&self, child: Child) -> Out {
        std::fs::write(&self.go, "go\n").unwrap();
        let start = std::time::Instant::now();
        let out = child.wait_with_output().unwrap();
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed: start.elapsed(),
        }
    }
}

/// Ada's store, published at a hub, and Bo's clone of it, sharing one statement.
fn team_with_a_statement() -> (Team, String) {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let url = file_url(&hub);
    let team = Team::new(ada, hub, &url);
    let shared = team
        .ada
        .record(&team.a, "2025-03-01", "Shared Source", &["Air defence"]);
    sync(&team.ada, &team.a, &[]).ok();
    sync(&team.bo, &team.b, &[]).ok();
    (team, shared)
}

fn commit_count(env: &Env, dir: &Path) -> usize {
    env.git(dir, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn two_edits_of_one_record_on_different_fields_are_merged() {
    let env = Env::new();
    let dir = env.store("s");
    let r = env.record(&dir, "2025-03-01", "Some Source", &["Air defence"]);
    let before = commit_count(&env, &dir);
    let slow = SlowEditor::new(&env, "slow", "$a notes: Slow notes.");
    let child = slow.start_edit(&env, &dir, &r);
    // Meanwhile a second edit of the same record changes its summary and commits.
    edit_summary(&env, &dir, &r, "Quick summary.", "quick edit");
    let out = slow.finish(child);
    out.ok();
    assert!(out.stderr.contains("merged"), "{out}");
    let st = show_json(&env, &dir, &r);
    assert_eq!(st["summary"], "Quick summary.", "the quick edit was lost");
    assert_eq!(st["notes"], "Slow notes.", "the slow edit was lost");
    assert_eq!(commit_count(&env, &dir), before + 2);
    assert_eq!(env.git_status(&dir), "");
    env.fsck(&dir);
}

#[test]
fn two_edits_of_one_field_stop_keep_the_draft_and_show_both() {
    let env = Env::new();
    let dir = env.store("s");
    let r = env.record(&dir, "2025-03-01", "Some Source", &["Air defence"]);
    let slow = SlowEditor::new(&env, "slow", "s/^summary: .*/summary: Slow summary./");
    let child = slow.start_edit(&env, &dir, &r);
    edit_summary(&env, &dir, &r, "Quick summary.", "quick edit");
    let quick_head = head(&env, &dir);
    let out = slow.finish(child);
    out.refused_with(&["changed meanwhile", "kept at"]);
    assert!(
        out.stdout.contains("Slow summary."),
        "ours not shown\n{out}"
    );
    assert!(
        out.stdout.contains("Quick summary."),
        "theirs not shown\n{out}"
    );
    assert!(out.stdout.contains("summary"), "field not named\n{out}");
    assert_eq!(head(&env, &dir), quick_head, "something was committed");
    assert_eq!(show_json(&env, &dir, &r)["summary"], "Quick summary.");
    assert_eq!(env.git_status(&dir), "");
    // The next edit opens the kept draft (not the record), and what is saved there wins.
    let seen = env.path("seen.yaml");
    let editor = crate::common::executable(
        &env.path("settle.sh"),
        &format!(
            "#!/bin/sh\nset -e\ncp \"$1\" '{}'\nsed -i 's/^summary: .*/summary: Settled summary./' \"$1\"\n",
            seen.display()
        ),
    );
    let out = crate::common::run(
        env.dossier_in(&dir)
            .args(["edit", &r])
            .env("VISUAL", &editor),
    );
    out.ok();
    let given = std::fs::read_to_string(&seen).unwrap();
    assert!(
        given.contains("Slow summary."),
        "the draft was not offered back:\n{given}"
    );
    assert!(
        given.contains("Quick summary."),
        "the other value is not in the header:\n{given}"
    );
    assert_eq!(show_json(&env, &dir, &r)["summary"], "Settled summary.");
    assert_eq!(env.git_status(&dir), "");
}

#[test]
fn an_edit_racing_a_sync_that_brings_a_change_to_another_field_merges() {
    let (team, shared) = team_with_a_statement();
    let slow = SlowEditor::new(&team.ada, "slow", "$a notes: Ada notes.");
    let child = slow.start_edit(&team.ada, &team.a, &shared);
    edit_summary(&team.bo, &team.b, &shared, "Bo summary.", "Bo's edit");
    sync(&team.bo, &team.b, &[]).ok();
    sync(&team.ada, &team.a, &[]).ok();
    let out = slow.finish(child);
    out.ok();
    let st = show_json(&team.ada, &team.a, &shared);
    assert_eq!(
        st["summary"], "Bo summary.",
        "Bo's synced edit was overwritten"
    );
    assert_eq!(st["notes"], "Ada notes.");
    sync(&team.ada, &team.a, &[]).ok();
    sync(&team.bo, &team.b, &[]).ok();
    team.assert_agree();
}

#[test]
fn an_edit_racing_a_sync_on_the_same_field_is_not_written_over_it() {
    let (team, shared) = team_with_a_statement();
    let slow = SlowEditor::new(&team.ada, "slow", "s/^summary: .*/summary: Ada summary./");
    let child = slow.start_edit(&team.ada, &team.a, &shared);
    edit_summary(&team.bo, &team.b, &shared, "Bo summary.", "Bo's edit");
    sync(&team.bo, &team.b, &[]).ok();
    sync(&team.ada, &team.a, &[]).ok();
    let synced = head(&team.ada, &team.a);
    let out = slow.finish(child);
    out.refused_with(&["changed meanwhile", "kept at"]);
    assert_eq!(head(&team.ada, &team.a), synced);
    assert_eq!(
        show_json(&team.ada, &team.a, &shared)["summary"],
        "Bo summary."
    );
    assert_eq!(team.ada.git_status(&team.a), "");
}

#[test]
fn an_edit_racing_a_remote_deletion_does_not_bring_the_record_back() {
    let (team, shared) = team_with_a_statement();
    let slow = SlowEditor::new(&team.ada, "slow", "s/^summary: .*/summary: Ada summary./");
    let child = slow.start_edit(&team.ada, &team.a, &shared);
    // Bo deletes the record with plain git and syncs; Ada's sync brings the deletion.
    team.bo.git(&team.b, &["rm", "-q", &record_path(&shared)]);
    team.bo
        .git(&team.b, &["commit", "-q", "-m", "remove a duplicate"]);
    sync(&team.bo, &team.b, &[]).ok();
    sync(&team.ada, &team.a, &[]).ok();
    let synced = head(&team.ada, &team.a);
    let out = slow.finish(child);
    out.refused_with(&["deleted", "kept at"]);
    assert_eq!(head(&team.ada, &team.a), synced, "the edit committed");
    assert!(
        !team.a.join(record_path(&shared)).exists(),
        "the deleted record came back"
    );
    assert_eq!(team.ada.git_status(&team.a), "");
    let shown = dossier(&team.ada, &team.a, &["show", &shared]);
    shown.failed();
}

/// An editor that saves an invalid date on its first call and gives up (quits without
/// saving) on the others; every file it was given is copied to `seen-N.yaml`.
fn invalid_then_quit_editor(env: &Env) -> PathBuf {
    let count = env.path("count");
    let seen = env.path("seen");
    crate::common::executable(
        &env.path("invalid.sh"),
        &format!(
            "#!/bin/sh\nset -e\nn=$(cat '{c}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{c}'\ncp \"$1\" '{s}'-$n.yaml\nif [ $n = 1 ]; then sed -i 's/^date: .*/date: \"2025-13-45\"/' \"$1\"; fi\n",
            c = count.display(),
            s = seen.display()
        ),
    )
}

#[test]
fn a_draft_given_up_on_is_kept_offered_back_and_its_line_numbers_are_true() {
    let env = Env::new();
    let dir = env.store("s");
    let editor = invalid_then_quit_editor(&env);
    let record = |env: &Env| {
        crate::common::run(
            env.dossier_in(&dir)
                .args([
                    "record",
                    "cis-2030",
                    "--edit",
                    "--date",
                    "2025-03-01",
                    "--speaker",
                    "Some One",
                    "--lang",
                    "en",
                    "--summary",
                    "Typed work.",
                ])
                .env("VISUAL", &editor),
        )
    };
    let before = head(&env, &dir);
    let out = record(&env);
    assert!(out.stderr.contains("draft is kept at"), "{out}");
    assert_eq!(head(&env, &dir), before, "something was committed");
    // The second file the editor got: the problem at the end, located at the date line
    // as the editor counts lines (the line dossier added on top included).
    let second = std::fs::read_to_string(env.path("seen-2.yaml")).unwrap();
    let date_line = second
        .lines()
        .position(|l| l.starts_with("date:"))
        .expect("a date line")
        + 1;
    assert!(
        second.contains(&format!(".yaml:{date_line}:")),
        "the problem is not located at line {date_line}:\n{second}"
    );
    // The next `record --edit` offers the kept draft back, not the blank template.
    let out = record(&env);
    assert!(out.stderr.contains("reopening the draft"), "{out}");
    let third = std::fs::read_to_string(env.path("seen-3.yaml")).unwrap();
    assert!(
        third.contains("2025-13-45"),
        "the typed work was not offered back:\n{third}"
    );
}

#[test]
fn a_decision_taken_before_a_later_local_commit_is_stale_and_asked_again() {
    use crate::sync::{conflicted, stop_on_conflict, ADA_SUMMARY};
    let c = conflicted();
    stop_on_conflict(&c);
    let (bo, b) = (&c.team.bo, &c.team.b);
    // Bo keeps Ada's version, then edits the record again before going on.
    sync(bo, b, &["--resolve", &c.shared, "--theirs"]).ok();
    let later = crate::common::executable(
        &bo.path("later.sh"),
        "#!/bin/sh\nset -e\necho 'notes: Bo thought again.' >> \"$1\"\n",
    );
    crate::common::run(
        bo.dossier_in(b)
            .args(["edit", &c.shared, "-m", "Bo's second thought"])
            .env("VISUAL", &later),
    )
    .ok();
    let later_commit = head(bo, b);
    let out = sync(bo, b, &["--continue"]);
    out.failed();
    assert!(
        out.stderr.contains("stale"),
        "the stale decision is not named\n{out}"
    );
    assert_eq!(head(bo, b), later_commit, "the branch moved");
    // Settled again, against the new tip: the later commit is not dropped.
    sync(bo, b, &["--resolve", &c.shared, "--ours"]).ok();
    sync(bo, b, &["--continue"]).ok();
    let st = show_json(bo, b, &c.shared);
    assert_eq!(
        st["notes"], "Bo thought again.",
        "the later local commit was dropped"
    );
    assert_ne!(st["summary"], ADA_SUMMARY);
}

#[test]
fn a_replaying_sync_can_be_undone_and_every_old_tip_stays_in_a_reflog() {
    use crate::sync::{conflicted, stop_on_conflict};
    let c = conflicted();
    stop_on_conflict(&c);
    let (bo, b) = (&c.team.bo, &c.team.b);
    let before = head(bo, b);
    sync(bo, b, &["--resolve", &c.shared, "--ours"]).ok();
    sync(bo, b, &["--continue", "--no-push"]).ok();
    assert_ne!(head(bo, b), before);
    assert_eq!(
        bo.git(b, &["rev-parse", "refs/dossier/before-sync"]).trim(),
        before
    );
    let reflog = bo.git(
        b,
        &["reflog", "show", "--format=%H", "refs/dossier/before-sync"],
    );
    assert!(
        reflog.contains(&before),
        "no reflog for the kept tip:\n{reflog}"
    );
    let out = sync(bo, b, &["--undo"]);
    out.ok();
    assert_eq!(head(bo, b), before, "the branch is not back");
    assert_eq!(bo.git_status(b), "", "the work tree is not back");
    // Nothing to undo twice.
    sync(bo, b, &["--undo"]).refused_with(&["no sync to undo"]);
}
