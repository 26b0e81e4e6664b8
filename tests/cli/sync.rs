//! Sharing a store through ordinary git remotes: `clone`, `remote`, `sync` (fetch,
//! fast-forward or replay, push), conflicts and their resolutions, over a plain path,
//! `file://`, a real `git daemon` and a real `sshd` on 127.0.0.1.
//!
//! Each analyst is their own hermetic environment (`Env`): Ada is the harness's default
//! identity, Bo gets a second gitconfig, so every commit says who made it. Results are
//! checked with the real git CLI (`rev-parse`, `log`, `status`, `fsck`) on every clone
//! and on the hub.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::common::server::{self, Server};
use crate::common::{dossier, run, Env, Out};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// `dossier sync ARGS` in `dir`, without progress output.
pub(crate) fn sync(env: &Env, dir: &Path, args: &[&str]) -> Out {
    run(env.dossier_in(dir).arg("sync").arg("--quiet").args(args))
}

/// The second analyst: a hermetic environment whose git identity is Bo's.
pub(crate) fn analyst_bo() -> Env {
    let env = Env::new();
    std::fs::write(
        env.home.join(".gitconfig"),
        "[user]\n\tname = Bo Analyst\n\temail = bo@example.org\n[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n",
    )
    .unwrap();
    env
}

/// An empty bare repository at `path` (the hub everyone pushes to).
pub(crate) fn bare_hub(env: &Env, path: &Path) {
    env.git(
        env.dir.path(),
        &["init", "--quiet", "--bare", path.to_str().unwrap()],
    );
}

pub(crate) fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A hub with one statement on it, published by Ada through dossier.
pub(crate) struct Published {
    pub(crate) ada: Env,
    pub(crate) hub: PathBuf,
    pub(crate) url: String,
    /// Ada's store, synced with the hub.
    pub(crate) a: PathBuf,
    /// The statement on the hub.
    pub(crate) shared: String,
}

pub(crate) fn published() -> Published {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let url = file_url(&hub);
    let a = ada.store("a");
    let shared = ada.record(&a, "2025-03-01", "Shared Source", &["Joint air defence"]);
    dossier(&ada, &a, &["remote", "add", "origin", &url]).ok();
    sync(&ada, &a, &[]).ok();
    Published {
        ada,
        hub,
        url,
        a,
        shared,
    }
}

/// `git rev-parse REV` in `repo`.
pub(crate) fn rev(env: &Env, repo: &Path, rev: &str) -> String {
    env.git(repo, &["rev-parse", "--verify", rev])
        .trim()
        .to_string()
}

pub(crate) fn head(env: &Env, repo: &Path) -> String {
    rev(env, repo, "HEAD")
}

/// Where the hub's `main` points.
pub(crate) fn hub_main(env: &Env, hub: &Path) -> String {
    rev(env, hub, "refs/heads/main")
}

/// The statements a store lists, as `dossier log --format json` gives them.
pub(crate) fn log_json(env: &Env, dir: &Path) -> Vec<Value> {
    match dossier(env, dir, &["log", "--format", "json"]).ok().json() {
        Value::Array(a) => a,
        other => panic!("log is not a list: {other}"),
    }
}

/// The refs (`INITIATIVE/ID`) a store lists, sorted.
pub(crate) fn log_refs(env: &Env, dir: &Path) -> Vec<String> {
    let mut refs: Vec<String> = log_json(env, dir)
        .iter()
        .map(|s| {
            format!(
                "{}/{}",
                s["initiative"].as_str().unwrap(),
                s["id"].as_str().unwrap()
            )
        })
        .collect();
    refs.sort();
    refs
}

pub(crate) fn show_json(env: &Env, dir: &Path, reference: &str) -> Value {
    dossier(env, dir, &["show", reference, "--format", "json"])
        .ok()
        .json()
}

/// The record file of `INITIATIVE/ID`, relative to the store (= work tree) root.
pub(crate) fn record_path(reference: &str) -> String {
    let (ini, id) = reference.split_once('/').unwrap();
    format!("{ini}/statements/{id}.yaml")
}

/// The authors of the commits reachable from `rev` in `repo`, newest first.
pub(crate) fn authors(env: &Env, repo: &Path, rev: &str) -> Vec<String> {
    env.git(repo, &["log", "--format=%an", rev])
        .lines()
        .map(str::to_string)
        .collect()
}

/// No merge commits: the history is a line.
pub(crate) fn assert_linear(env: &Env, repo: &Path) {
    let merges = env.git(repo, &["log", "--merges", "--oneline", "refs/heads/main"]);
    assert_eq!(merges, "", "merge commits in {}", repo.display());
}

/// A store's clone is clean and whole.
pub(crate) fn assert_clean_clone(env: &Env, dir: &Path) {
    assert_eq!(env.git_status(dir), "", "{} is not clean", dir.display());
    env.fsck(dir);
    assert_linear(env, dir);
}

/// Writes an executable shell script at `path` (for `$EDITOR`).
pub(crate) fn script(path: &Path, body: &str) -> PathBuf {
    crate::common::executable(path, body)
}

/// `dossier edit REF -m MESSAGE` with an editor that sets the summary to `summary`.
pub(crate) fn edit_summary(env: &Env, dir: &Path, reference: &str, summary: &str, message: &str) {
    let editor = script(
        &env.path("summary-editor.sh"),
        &format!("#!/bin/sh\nset -e\nsed -i 's/^summary: .*/summary: {summary}/' \"$1\"\n"),
    );
    let out = run(env
        .dossier_in(dir)
        .args(["edit", reference, "-m", message])
        .env("EDITOR", &editor));
    out.ok();
    assert_eq!(
        show_json(env, dir, reference)["summary"],
        summary,
        "the edit did not take"
    );
}

/// Two analysts and a hub: Ada's store is published to the hub at `url`, and Bo has
/// cloned it.
pub(crate) struct Team {
    pub ada: Env,
    pub bo: Env,
    pub hub: PathBuf,
    pub a: PathBuf,
    pub b: PathBuf,
}

impl Team {
    /// Sets up the hub at `hub` (a bare repository) reached at `url`.
    pub(crate) fn new(ada: Env, hub: PathBuf, url: &str) -> Team {
        let bo = analyst_bo();
        let a = ada.store("a");
        dossier(&ada, &a, &["remote", "add", "origin", url]).ok();
        let first = sync(&ada, &a, &[]);
        first.ok();
        assert!(first.stdout.contains("pushed"), "{first}");
        assert_eq!(
            hub_main(&ada, &hub),
            head(&ada, &a),
            "the hub did not get Ada's store"
        );
        let clone = dossier(&bo, bo.dir.path(), &["clone", url, "b", "--quiet"]);
        clone.ok();
        assert!(
            clone.stdout.contains("no problems"),
            "clone did not report its check\n{clone}"
        );
        let b = bo.path("b");
        assert_eq!(
            head(&bo, &b),
            head(&ada, &a),
            "Bo's clone is not Ada's store"
        );
        Team { ada, bo, hub, a, b }
    }

    /// Every clone and the hub are at the same commit, list the same statements, and are
    /// clean, linear and sound.
    pub(crate) fn assert_agree(&self) {
        let tip = hub_main(&self.ada, &self.hub);
        assert_eq!(
            head(&self.ada, &self.a),
            tip,
            "Ada's store is not the hub's"
        );
        assert_eq!(head(&self.bo, &self.b), tip, "Bo's store is not the hub's");
        assert_eq!(
            log_json(&self.ada, &self.a),
            log_json(&self.bo, &self.b),
            "the two stores list different statements"
        );
        assert_clean_clone(&self.ada, &self.a);
        assert_clean_clone(&self.bo, &self.b);
        self.ada.fsck(&self.hub);
        assert_linear(&self.ada, &self.hub);
    }
}

/// Ada and Bo each record a statement in the same initiative and sync (Ada, Bo, Ada):
/// both stores end with both statements, on one line of history, and the hub knows who
/// did what.
fn share_both_ways(team: &Team) {
    let Team { ada, bo, hub, a, b } = team;
    let ra = ada.record(a, "2025-03-01", "Ada Source", &["Joint air defence"]);
    let out = sync(ada, a, &[]);
    out.ok();
    assert!(out.stdout.contains("1 commit(s) pushed"), "{out}");

    let rb = bo.record(b, "2025-04-01", "Bo Source", &["Border security"]);
    let out = sync(bo, b, &[]);
    out.ok();
    assert!(
        out.stdout.contains("in: 1 new"),
        "Bo's sync did not bring Ada's statement\n{out}"
    );
    assert!(out.stdout.contains("1 commit(s) pushed"), "{out}");

    let out = sync(ada, a, &[]);
    out.ok();
    assert!(
        out.stdout.contains("in: 1 new"),
        "Ada's sync did not bring Bo's statement\n{out}"
    );

    let mut want = vec![ra.clone(), rb.clone()];
    want.sort();
    assert_eq!(log_refs(ada, a), want);
    assert_eq!(log_refs(bo, b), want);
    team.assert_agree();

    let hub_authors = authors(ada, hub, "refs/heads/main");
    assert_eq!(hub_authors[0], "Bo Analyst", "{hub_authors:?}");
    assert_eq!(hub_authors[1], "Ada Analyst", "{hub_authors:?}");
    let subjects = ada.git(hub, &["log", "--format=%s", "refs/heads/main"]);
    assert!(
        subjects.contains(&ra) && subjects.contains(&rb),
        "{subjects}"
    );
}

// ---------------------------------------------------------------------------------------
// Sharing over a path, file:// and git://
// ---------------------------------------------------------------------------------------

#[test]
fn two_analysts_share_statements_over_a_file_url() {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let team = Team::new(ada, hub.clone(), &file_url(&hub));
    share_both_ways(&team);
}

#[test]
fn two_analysts_share_statements_over_a_plain_path() {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let team = Team::new(ada, hub.clone(), hub.to_str().unwrap());
    share_both_ways(&team);
}

#[test]
fn two_analysts_share_statements_through_git_daemon() {
    let ada = Env::new();
    let base = ada.path("served");
    std::fs::create_dir_all(&base).unwrap();
    let hub = base.join("hub.git");
    bare_hub(&ada, &hub);
    let daemon: Server = server::git_daemon(&ada, &base);
    let url = format!("git://127.0.0.1:{}/hub.git", daemon.port);
    let team = Team::new(ada, hub.clone(), &url);
    share_both_ways(&team);
    // The transfers really went through the daemon.
    let log = daemon.log();
    assert!(
        log.contains("receive-pack"),
        "the daemon saw no push:\n{log}"
    );
    assert!(
        log.contains("upload-pack"),
        "the daemon saw no fetch:\n{log}"
    );
}

// ---------------------------------------------------------------------------------------
// Conflicts
// ---------------------------------------------------------------------------------------

pub(crate) const ADA_SUMMARY: &str = "Ada reads it as a commitment.";
pub(crate) const BO_SUMMARY: &str = "Bo reads it as a wish.";

/// Ada and Bo share a statement; Ada changes its summary (and records another
/// statement) and syncs; Bo changes the same summary (and records a third statement).
pub(crate) struct Conflicted {
    pub team: Team,
    /// The statement both changed.
    pub shared: String,
    /// Ada's and Bo's other statements.
    ada_only: String,
    bo_only: String,
}

pub(crate) fn conflicted() -> Conflicted {
    let Published {
        ada,
        hub,
        url,
        a,
        shared,
    } = published();
    let bo = analyst_bo();
    dossier(&bo, bo.dir.path(), &["clone", &url, "b", "--quiet"]).ok();
    let b = bo.path("b");

    edit_summary(&ada, &a, &shared, ADA_SUMMARY, "Ada's reading");
    let ada_only = ada.record(&a, "2025-05-01", "Ada Source", &["Training"]);
    sync(&ada, &a, &[]).ok();

    let bo_only = bo.record(&b, "2025-06-01", "Bo Source", &["Logistics"]);
    edit_summary(&bo, &b, &shared, BO_SUMMARY, "Bo's reading");
    Conflicted {
        team: Team { ada, bo, hub, a, b },
        shared,
        ada_only,
        bo_only,
    }
}

/// Bo's sync stops on the conflict, shows it, and changes nothing.
pub(crate) fn stop_on_conflict(c: &Conflicted) -> String {
    let Team {
        ada, bo, hub, b, ..
    } = &c.team;
    let file = b.join(record_path(&c.shared));
    let before_head = head(bo, b);
    let before_status = bo.git_status(b);
    let before_bytes = std::fs::read(&file).unwrap();
    let before_hub = hub_main(ada, hub);

    let out = sync(bo, b, &[]);
    out.failed();
    assert!(out.stdout.contains("conflict"), "{out}");
    assert!(
        out.stdout.contains(&c.shared),
        "the conflict does not name the record\n{out}"
    );
    assert!(
        out.stdout.contains("Ada Analyst"),
        "Ada is not named\n{out}"
    );
    assert!(out.stdout.contains("Bo Analyst"), "Bo is not named\n{out}");
    assert!(
        out.stdout.contains("summary"),
        "the changed field is not named\n{out}"
    );
    assert!(
        out.stdout.contains(ADA_SUMMARY),
        "Ada's value is not shown\n{out}"
    );
    assert!(
        out.stdout.contains(BO_SUMMARY),
        "Bo's value is not shown\n{out}"
    );
    assert!(
        !out.stdout.contains(&c.bo_only) && !out.stdout.contains(&c.ada_only),
        "records changed on one side only are not conflicts\n{out}"
    );
    assert!(
        out.stderr.contains("--resolve"),
        "no hint how to go on\n{out}"
    );

    assert_eq!(head(bo, b), before_head, "the branch moved");
    assert_eq!(bo.git_status(b), before_status, "the work tree changed");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before_bytes,
        "the record changed"
    );
    assert_eq!(hub_main(ada, hub), before_hub, "the hub changed");
    bo.fsck(b);
    before_head
}

/// After `--continue`: Bo pushed, Ada synced, everyone agrees, nothing is lost, and the
/// shared statement reads `summary`.
fn settled(c: &Conflicted, bo_before: &str, summary: &str) {
    let Team { ada, bo, a, b, .. } = &c.team;
    let out = sync(bo, b, &["--continue"]);
    out.ok();
    assert!(out.stdout.contains("pushed"), "{out}");
    sync(ada, a, &[]).ok();
    c.team.assert_agree();
    let mut want = vec![c.shared.clone(), c.ada_only.clone(), c.bo_only.clone()];
    want.sort();
    assert_eq!(log_refs(ada, a), want, "a record was lost");
    assert_eq!(show_json(ada, a, &c.shared)["summary"], summary);
    assert_eq!(show_json(bo, b, &c.shared)["summary"], summary);
    // Bo's commits from before the sync stay reachable in Bo's repository.
    bo.git(b, &["cat-file", "-e", &format!("{bo_before}^{{commit}}")]);
    let kept = bo.git(b, &["log", "--all", "--format=%s"]);
    assert!(kept.contains("Bo's reading"), "Bo's edit is gone\n{kept}");
    // Bo's other statement went out under Bo's name.
    let hub_log = ada.git(&c.team.hub, &["log", "--format=%an %s", "refs/heads/main"]);
    assert!(
        hub_log.contains(&format!("Bo Analyst record {}", c.bo_only)),
        "{hub_log}"
    );
}

#[test]
fn a_record_changed_on_both_sides_stops_the_sync_before_anything_changes() {
    let c = conflicted();
    stop_on_conflict(&c);
    // Asking again shows the same conflict: nothing was half done.
    let again = sync(&c.team.bo, &c.team.b, &[]);
    again.failed();
    assert!(again.stdout.contains(&c.shared), "{again}");
    // `--continue` without a settlement does not go on either.
    let cont = sync(&c.team.bo, &c.team.b, &["--continue"]);
    cont.failed();
    assert!(cont.stdout.contains(&c.shared), "{cont}");
    // A record that is not in conflict cannot be settled.
    let wrong = sync(&c.team.bo, &c.team.b, &["--resolve", &c.bo_only, "--ours"]);
    wrong.failed();
    assert!(wrong.stderr.contains("not in conflict"), "{wrong}");
}

#[test]
fn a_conflict_settled_with_theirs_keeps_the_remote_version() {
    let c = conflicted();
    let bo_before = stop_on_conflict(&c);
    let out = sync(&c.team.bo, &c.team.b, &["--resolve", &c.shared, "--theirs"]);
    out.ok();
    assert!(out.stdout.contains("settled"), "{out}");
    settled(&c, &bo_before, ADA_SUMMARY);
}

#[test]
fn a_conflict_settled_with_ours_pushes_our_version() {
    let c = conflicted();
    let bo_before = stop_on_conflict(&c);
    sync(&c.team.bo, &c.team.b, &["--resolve", &c.shared, "--ours"]).ok();
    settled(&c, &bo_before, BO_SUMMARY);
    // The hub holds Bo's version of the file.
    let on_hub = c.team.ada.git(
        &c.team.hub,
        &[
            "show",
            &format!("refs/heads/main:{}", record_path(&c.shared)),
        ],
    );
    assert!(on_hub.contains(BO_SUMMARY), "{on_hub}");
}

#[test]
fn a_conflict_settled_in_the_editor_pushes_the_merged_record() {
    let c = conflicted();
    let bo_before = stop_on_conflict(&c);
    let seen = c.team.bo.path("seen.yaml");
    let editor = script(
        &c.team.bo.path("merge-editor.sh"),
        &format!(
            "#!/bin/sh\nset -e\ncp \"$1\" '{seen}'\nsed -i -e '/^<<<<<<< ours/,/^=======$/d' -e '/^>>>>>>> theirs/d' -e 's/^summary: .*/summary: Merged reading./' \"$1\"\n",
            seen = seen.display()
        ),
    );
    let out = run(c
        .team
        .bo
        .dossier_in(&c.team.b)
        .args(["sync", "--resolve", &c.shared, "--edit"])
        .env("EDITOR", &editor));
    out.ok();
    let given = std::fs::read_to_string(&seen).expect("the editor ran");
    let at = |needle: &str| {
        given
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} is not in the file the editor got:\n{given}"))
    };
    let (ours, split, theirs) = (
        at("\n<<<<<<< ours"),
        at("\n=======\n"),
        at("\n>>>>>>> theirs"),
    );
    // The field's lines (the comment above the markers names both values too).
    let (bo_value, ada_value) = (
        at(&format!("\nsummary: {BO_SUMMARY}")),
        at(&format!("\nsummary: {ADA_SUMMARY}")),
    );
    assert!(
        ours < bo_value && bo_value < split && split < ada_value && ada_value < theirs,
        "ours (Bo's) must sit between `<<<<<<< ours` and `=======`, theirs (Ada's) between `=======` and `>>>>>>> theirs`:\n{given}"
    );
    settled(&c, &bo_before, "Merged reading.");
}

#[test]
fn a_merged_record_that_still_has_markers_is_not_accepted() {
    let c = conflicted();
    stop_on_conflict(&c);
    // An editor that only changes the summary lines, leaving the markers in: the draft
    // is refused each round, and in the end nothing is settled.
    let editor = script(
        &c.team.bo.path("lazy-editor.sh"),
        "#!/bin/sh\nsed -i 's/^summary: .*/summary: Still both./' \"$1\"\n",
    );
    let out = run(c
        .team
        .bo
        .dossier_in(&c.team.b)
        .args(["sync", "--resolve", &c.shared, "--edit"])
        .env("EDITOR", &editor));
    assert_ne!(out.code, 0, "{out}");
    assert!(!out.stderr.contains("panicked"), "{out}");
    let cont = sync(&c.team.bo, &c.team.b, &["--continue"]);
    cont.failed();
    assert!(
        cont.stdout.contains(&c.shared),
        "the conflict was settled anyway\n{cont}"
    );
}

// ---------------------------------------------------------------------------------------
// Commits made with git itself
// ---------------------------------------------------------------------------------------

#[test]
fn a_commit_made_with_plain_git_comes_in_and_a_bad_record_is_named() {
    let Published {
        ada,
        hub,
        url,
        a,
        shared,
    } = published();

    // A colleague without dossier: git clone, sed, git commit, git push.
    let carol = analyst_bo();
    let plain = carol.path("plain");
    carol.git(carol.dir.path(), &["clone", "--quiet", &url, "plain"]);
    let file = record_path(&shared);
    carol.git(&plain, &["config", "user.name", "Carol Git"]);
    let sed = std::process::Command::new("sed")
        .arg("-i")
        .arg("s/^summary: .*/summary: Edited by hand./")
        .arg(plain.join(&file))
        .status()
        .unwrap();
    assert!(sed.success());
    carol.git(
        &plain,
        &["commit", "--quiet", "-am", "fix the summary by hand"],
    );
    carol.git(&plain, &["push", "--quiet", "origin", "main"]);

    let out = sync(&ada, &a, &[]);
    out.ok();
    assert!(out.stdout.contains("1 edited"), "{out}");
    assert_eq!(head(&ada, &a), hub_main(&ada, &hub));
    assert_eq!(show_json(&ada, &a, &shared)["summary"], "Edited by hand.");
    let shown = dossier(&ada, &a, &["show", &shared]);
    assert!(shown.ok().stdout.contains("Edited by hand."), "{shown}");
    assert_eq!(log_json(&ada, &a)[0]["summary"], "Edited by hand.");
    assert_eq!(authors(&ada, &a, "HEAD")[0], "Carol Git");
    assert_clean_clone(&ada, &a);

    // Now two bad records the same way: an unknown field, and YAML that does not parse.
    let unknown = "cis-2030/statements/2025-07-01-unknown-field.yaml";
    let broken = "cis-2030/statements/2025-07-02-broken-yaml.yaml";
    std::fs::write(
        plain.join(unknown),
        "id: \"2025-07-01-unknown-field\"\ninitiative: cis-2030\ndate: \"2025-07-01\"\nspeaker:\n  name: Some One\nlanguage: en\nsummary: Fine so far.\ncolour: blue\n",
    )
    .unwrap();
    std::fs::write(
        plain.join(broken),
        "id: \"2025-07-02-broken-yaml\"\ninitiative: cis-2030\nsummary: [never closed\n  date: : :\n",
    )
    .unwrap();
    carol.git(&plain, &["add", "."]);
    carol.git(&plain, &["commit", "--quiet", "-m", "two bad records"]);
    carol.git(&plain, &["push", "--quiet", "origin", "main"]);

    let out = sync(&ada, &a, &[]);
    out.failed();
    assert_eq!(
        out.code, 1,
        "bad incoming records are a validation failure\n{out}"
    );
    assert!(
        out.stderr.contains("2025-07-01-unknown-field.yaml"),
        "{out}"
    );
    assert!(
        out.stderr.contains("colour"),
        "the unknown field is not named\n{out}"
    );
    assert!(out.stderr.contains("2025-07-02-broken-yaml.yaml"), "{out}");
    assert!(
        !out.stderr.contains(&record_path(&shared)),
        "a good record was reported\n{out}"
    );
    // They did come in (nothing is lost), and the store says so when checked.
    assert_eq!(head(&ada, &a), hub_main(&ada, &hub));
    assert!(a.join(unknown).is_file() && a.join(broken).is_file());
    assert_eq!(ada.git_status(&a), "");
    let check = dossier(&ada, &a, &["check"]);
    check.failed();
}

// ---------------------------------------------------------------------------------------
// Failures that must change nothing
// ---------------------------------------------------------------------------------------

#[test]
fn an_unreachable_remote_fails_fast_naming_it_and_changes_nothing() {
    let ada = Env::new();
    let a = ada.store("a");
    ada.record(&a, "2025-03-01", "Some Source", &["Joint air defence"]);
    // A port that was just free on 127.0.0.1: nothing listens there.
    let port = server::free_port();
    let url = format!("git://127.0.0.1:{port}/hub.git");
    dossier(&ada, &a, &["remote", "add", "origin", &url]).ok();
    let before = (head(&ada, &a), ada.git_status(&a));
    let refs_before = ada.git(&a, &["for-each-ref"]);

    let out = sync(&ada, &a, &[]);
    out.failed();
    assert!(out.elapsed < Duration::from_secs(10), "too slow\n{out}");
    assert!(out.stderr.contains("error:"), "{out}");
    assert!(
        out.stderr.contains("`origin`"),
        "the remote is not named\n{out}"
    );
    assert!(out.stderr.contains(&url), "the URL is not named\n{out}");
    assert!(out.stdout.trim().is_empty(), "{out}");
    assert_eq!((head(&ada, &a), ada.git_status(&a)), before);
    assert_eq!(ada.git(&a, &["for-each-ref"]), refs_before, "refs changed");

    // The same for a clone: it fails fast and leaves no folder behind.
    let out = dossier(&ada, ada.dir.path(), &["clone", &url, "c"]);
    out.failed();
    assert!(out.elapsed < Duration::from_secs(10), "too slow\n{out}");
    assert!(out.stderr.contains(&url), "{out}");
    assert!(
        !ada.path("c").join(".git").exists(),
        "a failed clone left a repository behind"
    );
}

#[test]
fn a_missing_remote_name_is_refused() {
    let ada = Env::new();
    let a = ada.store("a");
    let before = head(&ada, &a);
    let out = sync(&ada, &a, &[]);
    out.failed();
    assert!(out.stderr.contains("remote add"), "{out}");
    let out = sync(&ada, &a, &["upstream"]);
    out.failed();
    assert!(out.stderr.contains("upstream"), "{out}");
    assert_eq!(head(&ada, &a), before);
}

// ---------------------------------------------------------------------------------------
// The remote moved on
// ---------------------------------------------------------------------------------------

#[test]
fn when_the_remote_moved_dry_run_and_no_push_change_what_they_promise() {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let team = Team::new(ada, hub.clone(), &file_url(&hub));
    let Team { ada, bo, a, b, .. } = &team;

    // Bo pushes after Ada's last sync; Ada has a statement of her own.
    let rb = bo.record(b, "2025-04-01", "Bo Source", &["Border security"]);
    sync(bo, b, &[]).ok();
    let ra = ada.record(a, "2025-03-01", "Ada Source", &["Joint air defence"]);
    let hub_before = hub_main(ada, &hub);
    let a_before = head(ada, a);

    // --dry-run: says what would come in and go out, changes nothing.
    let out = sync(ada, a, &["--dry-run"]);
    out.ok();
    assert!(out.stdout.contains("dry run"), "{out}");
    assert!(out.stdout.contains("in: 1 new"), "{out}");
    assert!(out.stdout.contains("1 commit(s) to push"), "{out}");
    assert_eq!(head(ada, a), a_before, "--dry-run moved the branch");
    assert_eq!(ada.git_status(a), "", "--dry-run touched the work tree");
    assert_eq!(hub_main(ada, &hub), hub_before, "--dry-run pushed");
    assert_eq!(log_refs(ada, a), vec![ra.clone()]);

    // --no-push: integrates (Ada's commit replayed on Bo's), leaves the hub alone.
    let out = sync(ada, a, &["--no-push"]);
    out.ok();
    assert!(out.stdout.contains("in: 1 new"), "{out}");
    assert_eq!(hub_main(ada, &hub), hub_before, "--no-push pushed");
    let mut both = vec![ra.clone(), rb.clone()];
    both.sort();
    assert_eq!(log_refs(ada, a), both);
    assert_clean_clone(ada, a);
    assert_eq!(
        rev(ada, a, "HEAD~1"),
        hub_before,
        "Ada's commit was not replayed on top of Bo's"
    );
    let subjects = ada.git(a, &["log", "--format=%an %s", "-2"]);
    assert_eq!(
        subjects,
        format!("Ada Analyst record {ra}\nBo Analyst record {rb}\n")
    );

    // A plain sync pushes it.
    let out = sync(ada, a, &[]);
    out.ok();
    assert!(out.stdout.contains("1 commit(s) pushed"), "{out}");
    assert_eq!(hub_main(ada, &hub), head(ada, a));
    sync(bo, b, &[]).ok();
    team.assert_agree();
}

#[test]
fn a_sync_replays_local_work_when_the_remote_moved() {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let team = Team::new(ada, hub.clone(), &file_url(&hub));
    let Team { ada, bo, a, b, .. } = &team;
    let rb1 = bo.record(b, "2025-04-01", "Bo Source", &["Border security"]);
    let rb2 = bo.record(b, "2025-04-02", "Bo Other", &["Cyber"]);
    sync(bo, b, &[]).ok();
    let ra1 = ada.record(a, "2025-03-01", "Ada Source", &["Joint air defence"]);
    let ra2 = ada.record(a, "2025-03-02", "Ada Other", &["Training"]);
    let bo_tip = hub_main(ada, &hub);

    let out = sync(ada, a, &[]);
    out.ok();
    assert!(out.stdout.contains("in: 2 new"), "{out}");
    assert!(out.stdout.contains("2 commit(s) pushed"), "{out}");
    let tip = hub_main(ada, &hub);
    assert_eq!(tip, head(ada, a));
    // Bo's commits are untouched ancestors; Ada's two sit on top, in order.
    assert_eq!(rev(ada, &hub, "refs/heads/main~2"), bo_tip);
    let subjects = ada.git(&hub, &["log", "--format=%an %s", "-4", "refs/heads/main"]);
    assert_eq!(
        subjects,
        format!(
            "Ada Analyst record {ra2}\nAda Analyst record {ra1}\nBo Analyst record {rb2}\nBo Analyst record {rb1}\n"
        )
    );
    sync(bo, b, &[]).ok();
    team.assert_agree();
    assert_eq!(log_refs(bo, b).len(), 4);
}

#[test]
fn uncommitted_changes_to_a_record_the_remote_changed_stop_a_fast_forward() {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let team = Team::new(ada, hub.clone(), &file_url(&hub));
    let Team { ada, bo, a, b, .. } = &team;
    let shared = ada.record(a, "2025-03-01", "Shared Source", &["Joint air defence"]);
    sync(ada, a, &[]).ok();
    sync(bo, b, &[]).ok();

    // Bo edits and pushes; Ada (nothing to push) hand-edits the same file, uncommitted.
    edit_summary(bo, b, &shared, BO_SUMMARY, "Bo's reading");
    sync(bo, b, &[]).ok();
    let file = a.join(record_path(&shared));
    let mut text = std::fs::read_to_string(&file).unwrap();
    text = text.replace("summary: A statement.", "summary: Ada is still typing.");
    assert!(text.contains("Ada is still typing."));
    std::fs::write(&file, &text).unwrap();
    let before = (head(ada, a), ada.git_status(a));
    assert!(before.1.contains(&record_path(&shared)), "{}", before.1);

    let out = sync(ada, a, &[]);
    out.failed();
    assert!(
        out.stderr.contains(&record_path(&shared)),
        "the file is not named\n{out}"
    );
    assert!(out.stderr.contains("uncommitted"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "the uncommitted work is gone"
    );
    assert_eq!((head(ada, a), ada.git_status(a)), before);

    // Once set aside, the sync goes through.
    ada.git(a, &["stash", "--quiet"]);
    sync(ada, a, &[]).ok();
    assert_eq!(show_json(ada, a, &shared)["summary"], BO_SUMMARY);
    team.assert_agree();
}

#[test]
fn uncommitted_changes_elsewhere_do_not_stop_a_fast_forward() {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let team = Team::new(ada, hub.clone(), &file_url(&hub));
    let Team { ada, bo, a, b, .. } = &team;
    let mine = ada.record(a, "2025-03-01", "Ada Source", &["Joint air defence"]);
    sync(ada, a, &[]).ok();
    let theirs = bo.record(b, "2025-04-01", "Bo Source", &["Border security"]);
    sync(bo, b, &[]).ok();
    let file = a.join(record_path(&mine));
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("summary: A statement.", "summary: Work in progress.");
    std::fs::write(&file, &text).unwrap();

    let out = sync(ada, a, &[]);
    out.ok();
    assert!(out.stdout.contains("in: 1 new"), "{out}");
    assert_eq!(head(ada, a), hub_main(ada, &hub));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(
        ada.git_status(a).trim(),
        format!("M {}", record_path(&mine)),
        "only the uncommitted file differs"
    );
    assert!(a.join(record_path(&theirs)).is_file());
}

// ---------------------------------------------------------------------------------------
// Over ssh
// ---------------------------------------------------------------------------------------

/// Gives `env` an ssh key at `~/.ssh/id_ed25519` (where the authenticator looks for
/// default keys); returns the public key line.
fn ssh_key(env: &Env) -> String {
    server::keygen(&env.home.join(".ssh").join("id_ed25519"))
}

/// Trusts the test server's host key in `env`'s `~/.ssh/known_hosts` (libgit2 refuses
/// an unknown host key when no certificate callback is set).
fn trust_host(env: &Env, port: u16, host_pub: &str) {
    let mut fields = host_pub.split_whitespace();
    let (kind, key) = (fields.next().unwrap(), fields.next().unwrap());
    std::fs::write(
        env.home.join(".ssh").join("known_hosts"),
        format!("[127.0.0.1]:{port} {kind} {key}\n"),
    )
    .unwrap();
}

/// An sshd on 127.0.0.1 serving Ada's hub, letting in the keys of `analysts`; returns
/// the server, its host key line, the authorized_keys file and the hub's ssh:// URL.
/// `None` (after saying so) when sshd is not installed.
fn ssh_hub(ada: &Env, analysts: &[&Env]) -> Option<(Server, String, PathBuf, String)> {
    if !server::sshd_available() {
        crate::common::skip_unless_ci(
            "the ssh transport",
            &format!(
                "{} is not installed (apt-get install openssh-server)",
                server::SSHD
            ),
        );
        return None;
    }
    let hub = ada.path("hub.git");
    bare_hub(ada, &hub);
    let keys = ada.path("sshd/authorized_keys");
    std::fs::create_dir_all(keys.parent().unwrap()).unwrap();
    let authorized: String = analysts.iter().map(|e| ssh_key(e)).collect();
    std::fs::write(&keys, authorized).unwrap();
    let (sshd, host_pub) = server::sshd(&ada.path("sshd"), &keys);
    for env in analysts {
        trust_host(env, sshd.port, &host_pub);
    }
    let url = format!(
        "ssh://{}@127.0.0.1:{}{}",
        server::current_user(),
        sshd.port,
        hub.display()
    );
    Some((sshd, host_pub, keys, url))
}

#[test]
fn two_analysts_share_statements_over_ssh() {
    let ada = Env::new();
    let bo = analyst_bo();
    let Some((sshd, host_pub, keys, url)) = ssh_hub(&ada, &[&ada, &bo]) else {
        return;
    };
    let hub = ada.path("hub.git");
    let a = ada.store("a");
    dossier(&ada, &a, &["remote", "add", "origin", &url]).ok();
    let first = sync(&ada, &a, &[]);
    assert_eq!(first.code, 0, "{first}\n--- sshd ---\n{}", sshd.log());
    assert_eq!(hub_main(&ada, &hub), head(&ada, &a));
    let clone = dossier(&bo, bo.dir.path(), &["clone", &url, "b", "--quiet"]);
    assert_eq!(clone.code, 0, "{clone}\n--- sshd ---\n{}", sshd.log());
    assert!(clone.stdout.contains("no problems"), "{clone}");
    let b = bo.path("b");
    let team = Team { ada, bo, hub, a, b };
    share_both_ways(&team);
    let log = sshd.log();
    assert!(
        log.contains("Accepted publickey"),
        "sshd saw no login:\n{log}"
    );

    // A key the server does not know: a clear, quick failure, and nothing cloned.
    let carol = Env::new();
    ssh_key(&carol);
    trust_host(&carol, sshd.port, &host_pub);
    let out = dossier(&carol, carol.dir.path(), &["clone", &url, "c"]);
    out.failed();
    assert!(out.elapsed < Duration::from_secs(10), "too slow\n{out}");
    assert!(out.stderr.contains(&url), "the remote is not named\n{out}");
    assert!(
        out.stderr.contains("authentication") && out.stderr.contains("key"),
        "the failure does not say it was about the key\n{out}"
    );
    assert!(!carol.path("c").join(".git").exists());

    // The same for a sync from a store whose key is wrong: quick, clear, nothing changed.
    let (team_a, ada) = (&team.a, &team.ada);
    std::fs::remove_file(ada.home.join(".ssh/id_ed25519")).unwrap();
    std::fs::remove_file(ada.home.join(".ssh/id_ed25519.pub")).unwrap();
    ssh_key(ada);
    ada.record(team_a, "2025-08-01", "Late Source", &["Logistics"]);
    let before = (
        head(ada, team_a),
        ada.git_status(team_a),
        hub_main(ada, &team.hub),
    );
    let out = sync(ada, team_a, &[]);
    out.failed();
    assert!(out.elapsed < Duration::from_secs(10), "too slow\n{out}");
    assert!(
        out.stderr.contains("`origin`") && out.stderr.contains(&url),
        "{out}"
    );
    assert_eq!(
        (
            head(ada, team_a),
            ada.git_status(team_a),
            hub_main(ada, &team.hub)
        ),
        before
    );
    let _ = keys;
}

#[test]
fn an_unknown_ssh_host_key_is_refused_quickly() {
    let ada = Env::new();
    let dan = Env::new();
    let Some((_sshd, _host_pub, _keys, url)) = ssh_hub(&ada, &[&ada, &dan]) else {
        return;
    };
    let a = ada.store("a");
    dossier(&ada, &a, &["remote", "add", "origin", &url]).ok();
    sync(&ada, &a, &[]).ok();
    // Dan's key is authorised, but Dan has never seen this server.
    std::fs::remove_file(dan.home.join(".ssh/known_hosts")).unwrap();
    let out = dossier(&dan, dan.dir.path(), &["clone", &url, "d"]);
    out.failed();
    assert!(out.elapsed < Duration::from_secs(10), "too slow\n{out}");
    assert!(out.stderr.contains(&url), "{out}");
    assert!(
        out.stderr.contains("hostkey") || out.stderr.contains("host key"),
        "{out}"
    );
    assert!(!dan.path("d").join(".git").exists());
}

#[test]
fn an_unknown_ssh_host_key_gets_a_hint_about_known_hosts() {
    let ada = Env::new();
    let dan = Env::new();
    let Some((_sshd, _host_pub, _keys, url)) = ssh_hub(&ada, &[&ada, &dan]) else {
        return;
    };
    let a = ada.store("a");
    dossier(&ada, &a, &["remote", "add", "origin", &url]).ok();
    sync(&ada, &a, &[]).ok();
    std::fs::remove_file(dan.home.join(".ssh/known_hosts")).unwrap();
    let out = dossier(&dan, dan.dir.path(), &["clone", &url, "d"]);
    out.failed();
    assert!(
        out.stderr.contains("known_hosts"),
        "the hint does not say how to trust the host\n{out}"
    );
    assert!(
        !out.stderr.contains("credentials tried"),
        "a host key problem is blamed on credentials\n{out}"
    );
}

/// A genuine push race: while Ada's push is in flight, Bo's commit lands on the hub (a
/// pre-receive hook pushes it), so the server cannot update the branch. Ada's sync
/// fetches again, replays on top of Bo's commit and pushes: both statements end on the hub.
#[test]
fn a_push_that_races_another_is_retried_and_loses_nothing() {
    let ada = Env::new();
    let base = ada.path("served");
    std::fs::create_dir_all(&base).unwrap();
    let hub = base.join("hub.git");
    bare_hub(&ada, &hub);
    let daemon: Server = server::git_daemon(&ada, &base);
    let url = format!("git://127.0.0.1:{}/hub.git", daemon.port);
    let a = ada.store("a");
    dossier(&ada, &a, &["remote", "add", "origin", &url]).ok();
    sync(&ada, &a, &[]).ok();
    // Bo works with the plain git CLI in his own clone.
    let other = ada.path("other");
    ada.git(
        ada.dir.path(),
        &[
            "clone",
            "-q",
            hub.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    let marker = ada.path("raced");
    let hook = hub.join("hooks/pre-receive");
    script(
        &hook,
        &format!(
            "#!/bin/sh\n[ -e '{m}' ] && exit 0\ntouch '{m}'\n\
             unset GIT_DIR GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES\n\
             cd '{o}' && mkdir -p cis-2030/statements && \
             printf 'id: 2024-01-05-bo\\ninitiative: cis-2030\\ndate: \"2024-01-05\"\\nlanguage: en\\nsummary: Bo.\\n' \
             > cis-2030/statements/2024-01-05-bo.yaml && git add . && \
             git -c user.name=Bo -c user.email=bo@example.org commit -qm 'record cis-2030/2024-01-05-bo' && \
             git push -q origin HEAD:main\nexit 0\n",
            m = marker.display(),
            o = other.display()
        ),
    );
    let mine = ada.record(&a, "2024-01-01", "Ada", &[]);
    let out = sync(&ada, &a, &[]);
    out.ok();
    assert!(marker.exists(), "the race did not happen\n{out}");
    let log = ada.git(&hub, &["log", "--format=%an %s", "main"]);
    assert!(log.contains("Bo record cis-2030/2024-01-05-bo"), "{log}");
    assert!(log.contains(&format!("record {mine}")), "{log}");
    assert_eq!(ada.git(&hub, &["log", "--merges", "--oneline", "main"]), "");
    assert_eq!(hub_main(&ada, &hub), head(&ada, &a));
    ada.fsck(&hub);
}
