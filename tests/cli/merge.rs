//! Statements merge like data with plain git too: `dossier init`, `clone` and `setup-git`
//! set up git's merge and diff drivers; two clones that edit different fields of one
//! statement `git pull` cleanly through the driver; the same field edited differently
//! stops the pull with only that field marked, which `dossier check` names and
//! `dossier sync --resolve` settles; `git diff` and `git log -p` show statements as
//! text; a clone without the drivers falls back to git's line merge. Every git command
//! here is the real git CLI.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{dossier, run, Env, Out};
use crate::sync::{analyst_bo, bare_hub, record_path, script, show_json};

const FIVE: [&str; 5] = [
    "Joint air defence system",
    "Joint communications system",
    "Training of military personnel",
    "Military-technical cooperation",
    "Countering international terrorism",
];

/// Ada's store, published with git to a bare hub; Bo's plain `git clone` of it, set up
/// with `dossier setup-git` when `setup`.
struct Pair {
    ada: Env,
    bo: Env,
    a: PathBuf,
    b: PathBuf,
    /// The shared statement's ref and its file (relative to each clone).
    shared: String,
    file: String,
}

fn pair(setup: bool) -> Pair {
    let ada = Env::new();
    let bo = analyst_bo();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let a = ada.store("a");
    let shared = ada.record(&a, "2025-03-01", "Shared Source", &FIVE);
    ada.git(&a, &["remote", "add", "origin", hub.to_str().unwrap()]);
    ada.git(&a, &["push", "-q", "-u", "origin", "main"]);
    bo.git(bo.dir.path(), &["clone", "-q", hub.to_str().unwrap(), "b"]);
    let b = bo.path("b");
    if setup {
        let out = dossier(&bo, &b, &["setup-git"]);
        out.ok();
        assert!(
            out.stdout.contains("names the drivers already"),
            "the clone did not bring the store's .gitattributes\n{out}"
        );
    }
    let file = record_path(&shared);
    Pair {
        ada,
        bo,
        a,
        b,
        shared,
        file,
    }
}

/// Replaces `from` by `to` in a file, which must hold it.
#[track_caller]
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} lacks {from:?}:\n{text}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn priorities_block(list: &[&str]) -> String {
    let mut s = String::from("priorities:\n");
    for p in list {
        s.push_str(&format!("  - text: {p}\n"));
    }
    s
}

fn git_out(env: &Env, dir: &Path, args: &[&str]) -> Out {
    run(env.git_command(dir).args(args))
}

fn commit_all(env: &Env, dir: &Path, message: &str) {
    env.git(dir, &["commit", "-q", "-a", "-m", message]);
}

fn texts(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["text"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// git pull through the driver
// ---------------------------------------------------------------------------------------

#[test]
fn git_pull_merges_edits_to_different_fields_through_the_driver() {
    let p = pair(true);
    // Ada adds the venue, rewords a priority and pushes.
    let fa = p.a.join(&p.file);
    edit(&fa, "language: en\n", "venue: Minsk\nlanguage: en\n");
    edit(
        &fa,
        "Training of military personnel",
        "Joint training of military personnel",
    );
    commit_all(
        &p.ada,
        &p.a,
        "Ada: the venue, and priority 3 as the source words it",
    );
    p.ada.git(&p.a, &["push", "-q"]);
    // Bo fixes the kind and moves priority 5 to the top, then pulls.
    let fb = p.b.join(&p.file);
    edit(&fb, "language: en\n", "language: en\n");
    edit(
        &fb,
        "date: \"2025-03-01\"\n",
        "date: \"2025-03-01\"\nkind: speech\n",
    );
    let moved = [FIVE[4], FIVE[0], FIVE[1], FIVE[2], FIVE[3]];
    edit(&fb, &priorities_block(&FIVE), &priorities_block(&moved));
    commit_all(&p.bo, &p.b, "Bo: a speech; terrorism ranks first");
    let pull = git_out(&p.bo, &p.b, &["pull", "--no-rebase", "--no-edit"]);
    pull.ok();
    assert!(
        pull.stderr.contains("dossier: merged"),
        "the driver did not run\n{pull}"
    );
    let st = show_json(&p.bo, &p.b, &p.shared);
    assert_eq!(st["venue"], "Minsk", "{st}");
    assert_eq!(st["kind"], "speech", "{st}");
    assert_eq!(
        texts(&st["priorities"]),
        [
            FIVE[4],
            FIVE[0],
            FIVE[1],
            "Joint training of military personnel",
            FIVE[3]
        ],
        "the move and the rewording did not both survive"
    );
    dossier(&p.bo, &p.b, &["check"]).ok();
    assert_eq!(p.bo.git_status(&p.b), "");
    // Both commits keep their messages, joined by git's merge commit.
    let log = p.bo.git(&p.b, &["log", "--format=%an|%s"]);
    assert!(log.contains("Ada Analyst|Ada: the venue"), "{log}");
    assert!(log.contains("Bo Analyst|Bo: a speech"), "{log}");
    // The merged record is in dossier's stable form: rewriting it changes nothing.
    let bytes = std::fs::read_to_string(p.b.join(&p.file)).unwrap();
    assert!(!bytes.contains("<<<<<<<"), "{bytes}");
    p.bo.fsck(&p.b);
}

#[test]
fn git_pull_rebase_replays_commits_through_the_driver_with_their_messages() {
    let p = pair(true);
    edit(
        &p.a.join(&p.file),
        "language: en\n",
        "venue: Minsk\nlanguage: en\n",
    );
    commit_all(&p.ada, &p.a, "Ada: venue");
    p.ada.git(&p.a, &["push", "-q"]);
    edit(
        &p.b.join(&p.file),
        "summary: A statement.",
        "summary: Bo reads it as a commitment.",
    );
    commit_all(&p.bo, &p.b, "Bo: summary");
    git_out(&p.bo, &p.b, &["pull", "--rebase"]).ok();
    let st = show_json(&p.bo, &p.b, &p.shared);
    assert_eq!(st["venue"], "Minsk");
    assert_eq!(st["summary"], "Bo reads it as a commitment.");
    let log = p.bo.git(&p.b, &["log", "--format=%an|%s", "-3"]);
    assert!(
        log.starts_with("Bo Analyst|Bo: summary\nAda Analyst|Ada: venue\n"),
        "{log}"
    );
}

#[test]
fn git_pull_stops_on_a_field_changed_differently_and_dossier_settles_it() {
    let p = pair(true);
    edit(
        &p.a.join(&p.file),
        "summary: A statement.",
        "summary: Ada reads it as a commitment.",
    );
    commit_all(&p.ada, &p.a, "Ada's reading");
    p.ada.git(&p.a, &["push", "-q"]);
    let fb = p.b.join(&p.file);
    edit(
        &fb,
        "summary: A statement.",
        "summary: Bo reads it as a wish.",
    );
    edit(&fb, "language: en\n", "venue: Dushanbe\nlanguage: en\n");
    commit_all(&p.bo, &p.b, "Bo's reading, and the venue");

    let pull = git_out(&p.bo, &p.b, &["pull", "--no-rebase", "--no-edit"]);
    pull.failed();
    assert!(
        pull.stderr
            .contains("both sides changed `summary`: to 'Bo reads it as a wish.' (ours) and to 'Ada reads it as a commitment.' (theirs)"),
        "the driver did not say what clashed\n{pull}"
    );
    // Only the summary is marked; the venue merged.
    let marked = std::fs::read_to_string(&fb).unwrap();
    assert_eq!(marked.matches("<<<<<<<").count(), 1, "{marked}");
    let (before, inside) = marked.split_once("<<<<<<<").unwrap();
    assert!(before.contains("venue: Dushanbe"), "{marked}");
    let inside = inside.split(">>>>>>>").next().unwrap();
    assert!(
        inside.contains("summary: Bo reads it as a wish.")
            && inside.contains("summary: A statement.")
            && inside.contains("summary: Ada reads it as a commitment.")
            && !inside.contains("venue"),
        "the marked block is not ours, base and theirs of the summary alone:\n{marked}"
    );
    assert!(git_out(&p.bo, &p.b, &["status", "--porcelain"])
        .stdout
        .starts_with("UU "));

    // `dossier check` names the conflict and how to settle it.
    let check = dossier(&p.bo, &p.b, &["check", "--format", "json"]);
    assert_eq!(check.code, 1, "{check}");
    let problem = &check.json()["problems"][0];
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("unsettled merge conflict in `summary`"),
        "{check}"
    );
    assert!(
        problem["hint"]
            .as_str()
            .unwrap()
            .contains("dossier sync --resolve"),
        "{check}"
    );
    // A sync does not run over it.
    dossier(&p.bo, &p.b, &["sync"]).refused_with(&["git stopped a merge", "--resolve"]);

    // Settled in one step: the editor gets the marked record; keeping theirs is enough.
    let seen = p.bo.path("seen.yaml");
    let editor = script(
        &p.bo.path("keep-theirs.sh"),
        &format!(
            "#!/bin/sh\nset -e\ncp \"$1\" '{}'\nsed -i -e '/^<<<<<<< /,/^=======$/d' -e '/^>>>>>>> /d' \"$1\"\n",
            seen.display()
        ),
    );
    let out = run(p
        .bo
        .dossier_in(&p.b)
        .args(["sync", "--resolve", &p.shared, "--edit"])
        .env("EDITOR", &editor));
    out.ok();
    assert!(out.stdout.contains("git commit --no-edit"), "{out}");
    let given = std::fs::read_to_string(&seen).unwrap();
    assert!(
        given.contains("<<<<<<< ours: Bo Analyst <bo@example.org>")
            && given.contains(">>>>>>> theirs: Ada Analyst <ada@example.org>"),
        "the sides are not named with their authors:\n{given}"
    );
    assert_eq!(
        git_out(&p.bo, &p.b, &["diff", "--name-only", "--diff-filter=U"]).stdout,
        ""
    );
    p.bo.git(&p.b, &["commit", "-q", "--no-edit"]);
    dossier(&p.bo, &p.b, &["check"]).ok();
    let st = show_json(&p.bo, &p.b, &p.shared);
    assert_eq!(st["summary"], "Ada reads it as a commitment.");
    assert_eq!(st["venue"], "Dushanbe", "Bo's venue was lost");
    let log = p.bo.git(&p.b, &["log", "--format=%s"]);
    assert!(log.contains("Bo's reading, and the venue") && log.contains("Ada's reading"));
    p.bo.fsck(&p.b);
}

#[test]
fn resolve_ours_keeps_our_side_only_in_the_conflicting_fields() {
    let p = pair(true);
    let fa = p.a.join(&p.file);
    edit(&fa, "summary: A statement.", "summary: Ada's.");
    edit(&fa, "language: en\n", "venue: Minsk\nlanguage: en\n");
    commit_all(&p.ada, &p.a, "Ada");
    p.ada.git(&p.a, &["push", "-q"]);
    edit(
        &p.b.join(&p.file),
        "summary: A statement.",
        "summary: Bo's.",
    );
    commit_all(&p.bo, &p.b, "Bo");
    git_out(&p.bo, &p.b, &["pull", "--no-rebase", "--no-edit"]).failed();
    dossier(&p.bo, &p.b, &["sync", "--resolve", &p.shared, "--ours"]).ok();
    p.bo.git(&p.b, &["commit", "-q", "--no-edit"]);
    let st = show_json(&p.bo, &p.b, &p.shared);
    assert_eq!(st["summary"], "Bo's.");
    assert_eq!(
        st["venue"], "Minsk",
        "--ours dropped the other side's venue"
    );
}

#[test]
fn a_rank_moved_differently_on_both_sides_is_named_in_domain_terms() {
    let p = pair(true);
    let to_first = [FIVE[1], FIVE[0], FIVE[2], FIVE[3], FIVE[4]];
    let to_fourth = [FIVE[0], FIVE[2], FIVE[3], FIVE[1], FIVE[4]];
    edit(
        &p.a.join(&p.file),
        &priorities_block(&FIVE),
        &priorities_block(&to_fourth),
    );
    commit_all(&p.ada, &p.a, "Ada: communications to 4");
    p.ada.git(&p.a, &["push", "-q"]);
    edit(
        &p.b.join(&p.file),
        &priorities_block(&FIVE),
        &priorities_block(&to_first),
    );
    commit_all(&p.bo, &p.b, "Bo: communications to 1");
    let pull = git_out(&p.bo, &p.b, &["pull", "--no-rebase", "--no-edit"]);
    pull.failed();
    assert!(
        pull.stderr.contains(
            "both sides moved 'Joint communications system': to 1 (ours) and to 4 (theirs)"
        ),
        "{pull}"
    );
    let marked = std::fs::read_to_string(p.b.join(&p.file)).unwrap();
    assert!(
        marked.contains("# dossier: both sides moved 'Joint communications system'"),
        "{marked}"
    );
}

// ---------------------------------------------------------------------------------------
// diffs, status, clones without the drivers
// ---------------------------------------------------------------------------------------

#[test]
fn git_diff_and_log_show_a_statement_diff() {
    let p = pair(true);
    let fb = p.b.join(&p.file);
    let moved = [FIVE[4], FIVE[0], FIVE[1], FIVE[2], FIVE[3]];
    edit(&fb, &priorities_block(&FIVE), &priorities_block(&moved));
    edit(
        &fb,
        "summary: A statement.",
        "summary: A statement. It names five priorities.",
    );
    let diff = p.bo.git(&p.b, &["diff"]);
    assert!(
        diff.contains("+    1. Countering international terrorism"),
        "{diff}"
    );
    assert!(
        diff.contains("-    5. Countering international terrorism"),
        "{diff}"
    );
    assert!(
        diff.contains("+    It names five priorities."),
        "one sentence a line:\n{diff}"
    );
    commit_all(&p.bo, &p.b, "Bo: ranks");
    let log = p.bo.git(&p.b, &["log", "-p", "-1", "--format=%s"]);
    assert!(
        log.contains("+    1. Countering international terrorism"),
        "{log}"
    );
    // Without textconv (`--no-textconv`), git shows the YAML as it is.
    let raw =
        p.bo.git(&p.b, &["log", "-p", "-1", "--no-textconv", "--format=%s"]);
    assert!(
        raw.contains("+  - text: Countering international terrorism"),
        "{raw}"
    );
}

#[test]
fn a_clone_without_the_drivers_merges_as_plain_text_and_status_says_so() {
    let p = pair(false);
    let status = dossier(&p.bo, &p.b, &["status", "--format", "json"])
        .ok()
        .json();
    assert_eq!(status["git_drivers"]["state"], "not_configured", "{status}");
    let human = dossier(&p.bo, &p.b, &["status"]);
    assert!(human.stdout.contains("run `dossier setup-git`"), "{human}");
    // Two edits far apart in the file merge as git's line merge would merge them.
    edit(
        &p.a.join(&p.file),
        "date: \"2025-03-01\"\n",
        "date: \"2025-03-01\"\nkind: speech\n",
    );
    commit_all(&p.ada, &p.a, "Ada");
    p.ada.git(&p.a, &["push", "-q"]);
    edit(&p.b.join(&p.file), FIVE[4], "Countering terrorism");
    commit_all(&p.bo, &p.b, "Bo");
    let pull = git_out(&p.bo, &p.b, &["pull", "--no-rebase", "--no-edit"]);
    pull.ok();
    assert!(
        !pull.stderr.contains("dossier:"),
        "the driver ran unconfigured\n{pull}"
    );
    let st = show_json(&p.bo, &p.b, &p.shared);
    assert_eq!(st["kind"], "speech");
    // git diff is plain YAML.
    edit(
        &p.b.join(&p.file),
        "summary: A statement.",
        "summary: Changed.",
    );
    assert!(p.bo.git(&p.b, &["diff"]).contains("+summary: Changed."));
    // Set up, the same clone reports the drivers.
    dossier(&p.bo, &p.b, &["setup-git"]).ok();
    let status = dossier(&p.bo, &p.b, &["status", "--format", "json"])
        .ok()
        .json();
    assert_eq!(status["git_drivers"]["state"], "configured", "{status}");
    assert!(p.bo.git(&p.b, &["diff"]).contains("+    Changed."));
}

#[test]
fn init_and_clone_set_the_drivers_up_and_setup_git_adds_missing_attributes() {
    let env = Env::new();
    let store = env.store("s");
    let st = dossier(&env, &store, &["status", "--format", "json"])
        .ok()
        .json();
    assert_eq!(st["git_drivers"]["state"], "configured", "{st}");
    let attrs = env.git(
        &store,
        &["check-attr", "merge", "diff", "--", "x/statements/y.yaml"],
    );
    assert!(
        attrs.contains("merge: dossier") && attrs.contains("diff: dossier"),
        "{attrs}"
    );
    let driver = env.git(&store, &["config", "merge.dossier.driver"]);
    assert!(driver.contains("merge-driver %O %A %B %P"), "{driver}");

    // An older store without the attributes: setup-git adds them in a commit of its own.
    std::fs::remove_file(store.join(".gitattributes")).unwrap();
    env.git(&store, &["commit", "-q", "-a", "-m", "drop attributes"]);
    let st = dossier(&env, &store, &["status", "--format", "json"])
        .ok()
        .json();
    assert_eq!(st["git_drivers"]["state"], "not_configured", "{st}");
    let out = dossier(&env, &store, &["setup-git"]);
    out.ok();
    assert!(
        out.stdout
            .contains("added `*.yaml merge=dossier diff=dossier`"),
        "{out}"
    );
    assert_eq!(
        env.git(&store, &["show", "--name-only", "--format=", "HEAD"]),
        ".gitattributes\n"
    );
    assert_eq!(env.git_status(&store), "");
    // Run again, it changes nothing.
    let head = env.git(&store, &["rev-parse", "HEAD"]);
    dossier(&env, &store, &["setup-git"]).ok();
    assert_eq!(env.git(&store, &["rev-parse", "HEAD"]), head);

    // `dossier clone` configures its clone.
    let hub = env.path("hub.git");
    bare_hub(&env, &hub);
    env.git(&store, &["push", "-q", hub.to_str().unwrap(), "main"]);
    dossier(
        &env,
        env.dir.path(),
        &["clone", hub.to_str().unwrap(), "c", "--quiet"],
    )
    .ok();
    let st = dossier(&env, &env.path("c"), &["status", "--format", "json"])
        .ok()
        .json();
    assert_eq!(st["git_drivers"]["state"], "configured", "{st}");
}

#[test]
fn the_bundled_store_carries_the_attributes_that_degrade_without_dossier() {
    let tracked = crate::common::project_root().join("tracked");
    let attrs = std::fs::read_to_string(tracked.join(".gitattributes")).unwrap();
    assert!(
        attrs
            .lines()
            .any(|l| l == "*.yaml merge=dossier diff=dossier"),
        "{attrs}"
    );
}

// ---------------------------------------------------------------------------------------
// The driver on its own
// ---------------------------------------------------------------------------------------

/// Runs the driver in `store` on three versions of `rel`; returns its result and %A.
fn drive(
    env: &Env,
    store: &Path,
    rel: &str,
    base: &str,
    ours: &str,
    theirs: &str,
) -> (Out, String) {
    let dir = env.path("versions");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [("o", base), ("a", ours), ("b", theirs)] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let out = dossier(
        env,
        store,
        &[
            "merge-driver",
            dir.join("o").to_str().unwrap(),
            dir.join("a").to_str().unwrap(),
            dir.join("b").to_str().unwrap(),
            rel,
            "--marker-size",
            "7",
            "--labels",
            "%S",
            "%X",
            "%Y",
        ],
    );
    (out, std::fs::read_to_string(dir.join("a")).unwrap())
}

#[test]
fn the_driver_merges_text_word_by_word_and_files_that_are_not_records_by_lines() {
    let env = Env::new();
    let store = env.store("s");
    let r = env.record(&store, "2025-03-01", "Ada", &[]);
    let rel = record_path(&r);
    let base = std::fs::read_to_string(store.join(&rel)).unwrap();
    let with_text = |t: &str| {
        base.replace(
            "summary: A statement.\n",
            &format!("summary: A statement.\ntext: {t}\n"),
        )
    };
    let (b, o, t) = (
        with_text("The council discussed the concept in Minsk."),
        with_text("The council approved the concept in Minsk."),
        with_text("The council discussed the concept in Dushanbe."),
    );
    let (out, merged) = drive(&env, &store, &rel, &b, &o, &t);
    out.ok();
    assert!(
        merged.contains("text: The council approved the concept in Dushanbe."),
        "{merged}"
    );

    // Any other YAML file: git's line merge, with markers a person can read.
    let (out, merged) = drive(
        &env,
        &store,
        "cis-2030/notes.yaml",
        "a: 1\nb: 2\n",
        "a: 10\nb: 2\n",
        "a: 11\nb: 2\n",
    );
    assert_eq!(out.code, 1, "{out}");
    assert_eq!(merged, "<<<<<<< ours: HEAD\na: 10\n||||||| base: the common version\na: 1\n=======\na: 11\n>>>>>>> theirs: the other side\nb: 2\n");

    // A side that is not a record: merged by lines, and still a conflict when the lines
    // merge into something that does not read.
    let broken = base.replace("language: en\n", "language: [en\n");
    let (out, merged) = drive(&env, &store, &rel, &b, &o, &broken);
    out.failed();
    assert!(out.stderr.contains("does not read as a statement"), "{out}");
    assert!(!merged.is_empty());
}

#[test]
fn the_driver_refuses_a_merge_that_would_not_pass_check() {
    let env = Env::new();
    let store = env.store("s");
    let r = env.record(&store, "2025-03-01", "Ada", &["One", "Two"]);
    let rel = record_path(&r);
    let base = std::fs::read_to_string(store.join(&rel)).unwrap();
    // Each side gives a different priority the same key: fine alone, not merged.
    let o = base.replace("  - text: One\n", "  - key: k\n    text: One\n");
    let t = base.replace("  - text: Two\n", "  - key: k\n    text: Two\n");
    let (out, merged) = drive(&env, &store, &rel, &base, &o, &t);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("used twice"), "{out}");
    assert!(merged.contains("<<<<<<<"), "{merged}");
}

#[test]
fn the_driver_merges_an_annotation_field_by_field() {
    let env = Env::new();
    let store = env.store("s");
    let r = env.record(&store, "2025-03-01", "Ada", &[]);
    let (ini, id) = r.split_once('/').unwrap();
    let rel = format!("{ini}/annotations/{id}/2026-01-02-3f2a9c1b.yaml");
    let base = format!(
        "id: \"2026-01-02-3f2a9c1b\"\nstatement: {r}\nblob: {}\nnote: Checked against the source.\ndate: \"2026-01-02\"\n",
        "a".repeat(40)
    );
    let o = base.replace(
        "note: Checked against the source.",
        "assessment: confirmed\nnote: Checked against the source.",
    );
    let t = base.replace(
        "note: Checked against the source.",
        "tags:\n  - wording\nnote: Checked against the source.",
    );
    let (out, merged) = drive(&env, &store, &rel, &base, &o, &t);
    out.ok();
    assert!(
        merged.contains("assessment: confirmed") && merged.contains("- wording"),
        "{merged}"
    );
    let t2 = base.replace("Checked against the source.", "Not in the source.");
    let o2 = base.replace("Checked against the source.", "Only in a summary.");
    let (out, merged) = drive(&env, &store, &rel, &base, &o2, &t2);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        merged.contains("<<<<<<< ") && merged.contains("Not in the source."),
        "{merged}"
    );
}

// ---------------------------------------------------------------------------------------
// dossier sync
// ---------------------------------------------------------------------------------------

use crate::common::server;
use crate::sync::{conflicted, file_url, hub_main, stop_on_conflict, sync, Team};

/// `dossier edit REF -m MESSAGE` with an editor running `sed -i SCRIPT`.
fn edit_with(env: &Env, dir: &Path, reference: &str, sed: &str, message: &str) {
    let editor = script(
        &env.path("sed-editor.sh"),
        &format!("#!/bin/sh\nset -e\nsed -i -e '{sed}' \"$1\"\n"),
    );
    run(env
        .dossier_in(dir)
        .args(["edit", reference, "-m", message])
        .env("EDITOR", &editor))
    .ok();
}

/// Ada and Bo change different parts of one statement and sync: no conflict, both
/// changes everywhere, each commit with its author and message.
fn different_fields_merge_through_sync(team: &Team) {
    let Team { ada, bo, hub, a, b } = team;
    let shared = ada.record(a, "2025-03-01", "Shared Source", &FIVE);
    sync(ada, a, &[]).ok();
    sync(bo, b, &[]).ok();

    edit_with(
        ada,
        a,
        &shared,
        "s/^language: en$/venue: Minsk\\nlanguage: en/",
        "Ada: the venue",
    );
    edit_with(
        ada,
        a,
        &shared,
        "s/- text: Training of military personnel/- text: Joint training of military personnel/",
        "Ada: priority 3 as the source words it",
    );
    sync(ada, a, &[]).ok();
    edit_with(
        bo,
        b,
        &shared,
        "s/^date: \\(.*\\)$/date: \\1\\nkind: speech/",
        "Bo: it was a speech",
    );
    // Bo also moves priority 2 to the bottom.
    edit_with(
        bo,
        b,
        &shared,
        "/- text: Joint communications system/d; s/^\\(  - text: Countering international terrorism\\)$/\\1\\n  - text: Joint communications system/",
        "Bo: communications last",
    );
    let out = sync(bo, b, &[]);
    out.ok();
    assert!(!out.stdout.contains("conflict"), "{out}");
    assert!(out.stdout.contains("pushed"), "{out}");
    sync(ada, a, &[]).ok();
    team.assert_agree();

    let st = show_json(ada, a, &shared);
    assert_eq!(st["venue"], "Minsk", "{st}");
    assert_eq!(st["kind"], "speech", "{st}");
    assert_eq!(
        texts(&st["priorities"]),
        [
            FIVE[0],
            "Joint training of military personnel",
            FIVE[3],
            FIVE[4],
            FIVE[1]
        ]
    );
    // Bo's commits went out under Bo's name with Bo's messages; the one that settled the
    // record says what it merged with.
    let log = ada.git(hub, &["log", "--format=%an|%s|%b", "refs/heads/main"]);
    assert!(log.contains("Bo Analyst|Bo: it was a speech|"), "{log}");
    assert!(log.contains("Bo Analyst|Bo: communications last|"), "{log}");
    assert!(log.contains("Ada Analyst|Ada: the venue|"), "{log}");
    assert!(
        log.contains(&format!("Dossier-Merged: {}", record_path(&shared))),
        "no trailer names the merge\n{log}"
    );
    assert!(!log.contains("sync: resolve"), "{log}");
    dossier(ada, a, &["check"]).ok();
}

#[test]
fn sync_merges_different_fields_of_one_statement_over_a_file_url() {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let team = Team::new(ada, hub.clone(), &file_url(&hub));
    different_fields_merge_through_sync(&team);
}

#[test]
fn sync_merges_different_fields_of_one_statement_through_git_daemon() {
    let ada = Env::new();
    let base = ada.path("served");
    std::fs::create_dir_all(&base).unwrap();
    let hub = base.join("hub.git");
    bare_hub(&ada, &hub);
    let daemon = server::git_daemon(&ada, &base);
    let url = format!("git://127.0.0.1:{}/hub.git", daemon.port);
    let team = Team::new(ada, hub.clone(), &url);
    different_fields_merge_through_sync(&team);
    assert!(daemon.log().contains("receive-pack"), "{}", daemon.log());
}

#[test]
fn sync_conflicts_show_base_ours_and_theirs_with_their_authors() {
    let c = conflicted();
    // Bo also gives the shared statement a venue: that part merges.
    let Team { bo, b, .. } = &c.team;
    edit_with(
        bo,
        b,
        &c.shared,
        "s/^language: en$/venue: Minsk\\nlanguage: en/",
        "Bo: venue",
    );
    stop_on_conflict(&c);
    let out = sync(bo, b, &[]);
    out.failed();
    let view = &out.stdout;
    for needle in [
        "field `summary`",
        "both sides changed `summary`",
        "base:   A statement.",
        "ours:   Bo reads it as a wish.",
        "theirs: Ada reads it as a commitment.",
        "ours:   Bo Analyst <bo@example.org> at",
        "theirs: Ada Analyst <ada@example.org> at",
        "merged without conflict: venue (ours)",
    ] {
        assert!(
            view.contains(needle),
            "{needle:?} is not in the view\n{out}"
        );
    }
    assert!(!view.contains("from ours to theirs"), "{out}");
    // Settled with ours: the venue stays, Bo's commit keeps its message plus a trailer.
    sync(bo, b, &["--resolve", &c.shared, "--ours"]).ok();
    sync(bo, b, &["--continue"]).ok();
    let log = bo.git(
        &c.team.hub,
        &["log", "--format=%an|%s|%b", "refs/heads/main"],
    );
    assert!(
        log.contains("Bo Analyst|Bo's reading|") || log.contains("Bo Analyst|Bo: venue|"),
        "{log}"
    );
    assert!(
        log.contains("Dossier-Resolved:") && log.contains("ours, against"),
        "{log}"
    );
    assert!(!log.contains("sync: resolve"), "{log}");
    let st = show_json(bo, b, &c.shared);
    assert_eq!(st["summary"], crate::sync::BO_SUMMARY);
    assert_eq!(st["venue"], "Minsk");
    assert_eq!(hub_main(bo, &c.team.hub), crate::sync::head(bo, b));
}

#[test]
fn sync_resolve_edit_marks_only_the_conflicting_fields() {
    let c = conflicted();
    let Team { bo, b, .. } = &c.team;
    edit_with(
        bo,
        b,
        &c.shared,
        "s/^language: en$/venue: Minsk\\nlanguage: en/",
        "Bo: venue",
    );
    stop_on_conflict(&c);
    let seen = bo.path("seen.yaml");
    let editor = script(
        &bo.path("keep-base.sh"),
        &format!(
            "#!/bin/sh\nset -e\ncp \"$1\" '{}'\nsed -i -e '/^<<<<<<< /,/^||||||| /d' -e '/^=======$/,/^>>>>>>> /d' \"$1\"\n",
            seen.display()
        ),
    );
    run(bo
        .dossier_in(b)
        .args(["sync", "--resolve", &c.shared, "--edit"])
        .env("EDITOR", &editor))
    .ok();
    let given = std::fs::read_to_string(&seen).unwrap();
    assert_eq!(given.matches("<<<<<<<").count(), 1, "{given}");
    let outside = given.split("<<<<<<<").next().unwrap();
    assert!(
        outside.contains("venue: Minsk"),
        "the merged venue is not outside the markers:\n{given}"
    );
    sync(bo, b, &["--continue"]).ok();
    let st = show_json(bo, b, &c.shared);
    assert_eq!(
        st["summary"], "A statement.",
        "keeping the base gives the base"
    );
    assert_eq!(st["venue"], "Minsk");
}

#[test]
fn sync_keeps_every_local_commit_message_when_several_touched_the_settled_record() {
    // Bo's first commit changes the summary Ada changed too; a later one adds a venue.
    let c = conflicted();
    let Team { bo, b, hub, .. } = &c.team;
    edit_with(
        bo,
        b,
        &c.shared,
        "s/^language: en$/venue: Minsk\\nlanguage: en/",
        "Bo: venue",
    );
    sync(bo, b, &[]).failed();
    sync(bo, b, &["--resolve", &c.shared, "--theirs"]).ok();
    sync(bo, b, &["--continue"]).ok();
    let log = bo.git(hub, &["log", "--format=%an|%s|%b", "refs/heads/main"]);
    // The summary commit could not apply on its own: it stays, saying where its change went.
    assert!(
        log.contains("Bo Analyst|Bo's reading|Dossier-Deferred:"),
        "{log}"
    );
    assert!(
        log.contains("Bo Analyst|Bo: venue|Dossier-Resolved:"),
        "{log}"
    );
    let st = show_json(bo, b, &c.shared);
    assert_eq!(st["summary"], crate::sync::ADA_SUMMARY);
    assert_eq!(st["venue"], "Minsk");
    crate::sync::assert_clean_clone(bo, b);
}
