//! The work-tree transaction's rollback against concurrent commits, and the first
//! checkout of a store without commits (`worktree.rs`).

use super::*;

/// A repository in a temp folder, and a way to make commits without moving anything.
struct Scratch {
    _dir: crate::fsio::ScratchDir,
    repo: Repo,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = crate::fsio::scratch_dir();
        let repo = Repo::init(dir.path()).unwrap();
        repo.repo.set_head("refs/heads/main").unwrap();
        Scratch { _dir: dir, repo }
    }

    /// A commit whose tree is `parent`'s with `files` set (`None`: removed); the
    /// branch and the work tree are left alone.
    fn commit(&self, parent: Option<Oid>, files: &[(&str, Option<&str>)]) -> Oid {
        let r = &self.repo.repo;
        let base = parent.map(|p| r.find_commit(p).unwrap().tree().unwrap());
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, content) in files {
            match content {
                Some(c) => {
                    let blob = r.blob(c.as_bytes()).unwrap();
                    update.upsert(*path, blob, git2::FileMode::Blob);
                }
                None => {
                    update.remove(*path);
                }
            }
        }
        let empty = r.treebuilder(None).unwrap().write().unwrap();
        let base = base.unwrap_or_else(|| r.find_tree(empty).unwrap());
        let tree = r
            .find_tree(update.create_updated(r, &base).unwrap())
            .unwrap();
        let sig = git2::Signature::now("T", "t@example.org").unwrap();
        let parents: Vec<git2::Commit<'_>> = parent
            .map(|p| r.find_commit(p).unwrap())
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        r.commit(None, &sig, &sig, "c", &tree, &refs).unwrap()
    }

    /// What a concurrent `dossier edit` or `record` does: commit (moving the branch
    /// from `from`), then write its files and stage them.
    fn commit_concurrently(&self, from: Option<Oid>, files: &[(&str, &str)]) -> Oid {
        let set: Vec<(&str, Option<&str>)> = files.iter().map(|(p, c)| (*p, Some(*c))).collect();
        let id = self.commit(from, &set);
        let r = &self.repo.repo;
        match from {
            Some(f) => r.reference_matching("refs/heads/main", id, true, f, "edit"),
            None => r.reference("refs/heads/main", id, false, "record"),
        }
        .unwrap();
        for (p, c) in files {
            self.write(p, c);
        }
        let mut index = r.index().unwrap();
        for (p, _) in files {
            index.add_path(Path::new(p)).unwrap();
        }
        index.write().unwrap();
        id
    }

    fn write(&self, path: &str, content: &str) {
        let abs = self.repo.workdir().join(path);
        std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
        std::fs::write(abs, content).unwrap();
    }

    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.repo.workdir().join(path)).ok()
    }

    fn tip(&self) -> Option<Oid> {
        self.repo.repo.refname_to_id("refs/heads/main").ok()
    }

    fn check_out(&self, id: Oid) {
        let r = &self.repo.repo;
        r.reference("refs/heads/main", id, true, "test").unwrap();
        r.set_head("refs/heads/main").unwrap();
        r.checkout_head(Some(CheckoutBuilder::new().force()))
            .unwrap();
    }
}

#[test]
fn a_commit_made_during_the_checkout_is_never_overwritten_by_the_rollback() {
    let s = Scratch::new();
    let c0 = s.commit(None, &[("a.yaml", Some("0\n"))]);
    s.check_out(c0);
    let incoming = s.commit(
        Some(c0),
        &[("a.yaml", Some("1\n")), ("b.yaml", Some("b\n"))],
    );
    let mut concurrent = None;
    let out = s
        .repo
        .advance_with("refs/heads/main", Some(c0), incoming, &mut || {
            // An `edit` of a.yaml commits and writes its file while the sync checks out.
            concurrent = Some(s.commit_concurrently(Some(c0), &[("a.yaml", "2\n")]));
        });
    assert!(
        out.is_err(),
        "the branch moved, yet the sync moved it again"
    );
    assert_eq!(s.tip(), concurrent, "the concurrent commit is not the tip");
    assert_eq!(
        s.read("a.yaml").as_deref(),
        Some("2\n"),
        "the concurrent edit was overwritten"
    );
    assert_eq!(
        s.read("b.yaml"),
        None,
        "the file this sync wrote was not removed"
    );
    assert!(!s.repo.checkout_note().exists());
}

#[test]
fn a_first_checkout_takes_over_the_analysts_identical_file_and_rolls_back_around_a_concurrent_first_commit(
) {
    let s = Scratch::new();
    s.write("dossier.yaml", "format: 1\n");
    let remote = s.commit(
        None,
        &[
            ("dossier.yaml", Some("format: 1\n")),
            ("s.yaml", Some("s\n")),
        ],
    );
    let mut concurrent = None;
    let out = s
        .repo
        .advance_with("refs/heads/main", None, remote, &mut || {
            // A `record` makes the branch's first commit while the sync checks out.
            concurrent = Some(
                s.commit_concurrently(None, &[("dossier.yaml", "format: 1\n"), ("r.yaml", "r\n")]),
            );
        });
    assert!(
        out.is_err(),
        "the branch was created meanwhile, yet the sync moved it"
    );
    assert_eq!(s.tip(), concurrent);
    assert_eq!(
        s.read("dossier.yaml").as_deref(),
        Some("format: 1\n"),
        "the analyst's file went"
    );
    assert_eq!(
        s.read("r.yaml").as_deref(),
        Some("r\n"),
        "the concurrent record went"
    );
    assert_eq!(
        s.read("s.yaml"),
        None,
        "the file this sync wrote was not removed"
    );

    // Without a concurrent commit the first checkout goes through, the analyst's file
    // taken over as it is.
    let s = Scratch::new();
    s.write("dossier.yaml", "format: 1\n");
    let remote = s.commit(
        None,
        &[
            ("dossier.yaml", Some("format: 1\n")),
            ("s.yaml", Some("s\n")),
        ],
    );
    s.repo.advance("refs/heads/main", None, remote).unwrap();
    assert_eq!(s.tip(), Some(remote));
    assert_eq!(s.read("s.yaml").as_deref(), Some("s\n"));
    let statuses = s.repo.repo.statuses(None).unwrap();
    assert_eq!(
        statuses.len(),
        0,
        "the work tree and the index are not the branch"
    );
}

#[test]
fn a_first_checkout_with_a_different_file_of_the_analysts_changes_nothing() {
    let s = Scratch::new();
    s.write("dossier.yaml", "format: 1\n# mine\n");
    let remote = s.commit(
        None,
        &[
            ("dossier.yaml", Some("format: 1\n")),
            ("s.yaml", Some("s\n")),
        ],
    );
    let e = s.repo.advance("refs/heads/main", None, remote).unwrap_err();
    assert!(e.to_string().contains("dossier clone"), "{e}");
    assert_eq!(
        s.read("dossier.yaml").as_deref(),
        Some("format: 1\n# mine\n")
    );
    assert_eq!(s.read("s.yaml"), None);
    assert_eq!(s.tip(), None);
}

#[test]
fn a_killed_first_checkout_is_undone_by_the_next_run_keeping_the_analysts_file() {
    let s = Scratch::new();
    s.write("dossier.yaml", "format: 1\n");
    let remote = s.commit(
        None,
        &[
            ("dossier.yaml", Some("format: 1\n")),
            ("s.yaml", Some("s\n")),
        ],
    );
    // What a run killed after its checkout and before creating the branch leaves:
    // its note (a pid that is gone), the files written, the index updated.
    let mut co = CheckoutBuilder::new();
    co.safe().path("s.yaml");
    let target = s.repo.repo.find_commit(remote).unwrap();
    s.repo
        .repo
        .checkout_tree(target.as_object(), Some(&mut co))
        .unwrap();
    let mut index = s.repo.repo.index().unwrap();
    index.add_path(Path::new("dossier.yaml")).unwrap();
    index.write().unwrap();
    let note = Note {
        pid: u32::MAX - 1,
        branch_ref: "refs/heads/main".into(),
        old: Oid::ZERO_SHA1.to_string(),
        new: remote.to_string(),
        paths: vec!["dossier.yaml".into(), "s.yaml".into()],
        kept: vec!["dossier.yaml".into()],
    };
    std::fs::create_dir_all(s.repo.checkout_note().parent().unwrap()).unwrap();
    std::fs::write(s.repo.checkout_note(), serde_json::to_vec(&note).unwrap()).unwrap();
    s.repo.recover_interrupted_sync().unwrap();
    assert_eq!(s.read("dossier.yaml").as_deref(), Some("format: 1\n"));
    assert_eq!(s.read("s.yaml"), None);
    assert_eq!(s.tip(), None);
    assert!(!s.repo.checkout_note().exists());
    assert_eq!(s.repo.repo.index().unwrap().len(), 0, "index entries left");
    // And the next sync's checkout goes through.
    s.repo.advance("refs/heads/main", None, remote).unwrap();
    assert_eq!(s.read("s.yaml").as_deref(), Some("s\n"));
}

#[test]
fn a_file_a_killed_checkout_cut_short_is_put_back_but_the_analysts_own_content_is_not() {
    let s = Scratch::new();
    let c0 = s.commit(
        None,
        &[("a.yaml", Some("old a\n")), ("b.yaml", Some("old b\n"))],
    );
    s.check_out(c0);
    let long = "new a: ".repeat(1000);
    let incoming = s.commit(
        Some(c0),
        &[
            ("a.yaml", Some(long.as_str())),
            ("b.yaml", Some("new b\n")),
            ("c.yaml", Some("new c\n")),
        ],
    );
    // A run killed in the middle of writing a.yaml (its first bytes written in place),
    // after writing c.yaml; meanwhile the analyst changed b.yaml by hand.
    s.write("a.yaml", &long[..100]);
    s.write("c.yaml", "new c\n");
    s.write("b.yaml", "the analyst's b\n");
    let note = Note {
        pid: u32::MAX - 1,
        branch_ref: "refs/heads/main".into(),
        old: c0.to_string(),
        new: incoming.to_string(),
        paths: vec!["a.yaml".into(), "b.yaml".into(), "c.yaml".into()],
        kept: vec![],
    };
    std::fs::create_dir_all(s.repo.checkout_note().parent().unwrap()).unwrap();
    std::fs::write(s.repo.checkout_note(), serde_json::to_vec(&note).unwrap()).unwrap();
    s.repo.recover_interrupted_sync().unwrap();
    assert_eq!(
        s.read("a.yaml").as_deref(),
        Some("old a\n"),
        "the cut-short file stayed"
    );
    assert_eq!(
        s.read("c.yaml"),
        None,
        "the file the killed run added stayed"
    );
    assert_eq!(
        s.read("b.yaml").as_deref(),
        Some("the analyst's b\n"),
        "the analyst's edit went"
    );
}
