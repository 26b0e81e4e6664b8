//! A file's history, from a history index: for every path, the commits that changed it,
//! kept under `.git/dossier/history-v3.bin` (see `file.rs`) and brought up to date
//! incrementally (only the commits made since it was last written are read).
//! `dossier history` then answers with one lookup, as git does with its commit-graph's
//! changed-path filters.
//!
//! Building it reads each commit's trees only where they differ from its parents'
//! (`walk.rs`), so its cost grows with the number of changed entries, not with commits
//! times records. It is rebuilt from scratch when the branch no longer descends from the
//! commit it was built at, and when the file is cut or damaged (its checksum or its
//! layout does not hold); it is derived data, never committed.

mod file;
mod graph;
mod scope;
mod walk;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use git2::Oid;

use super::{blob_id, git_err, git_path, Repo};
use crate::error::Result;
use file::{Index, Saved};
pub use scope::Scope;

const FILE: &str = "history-v3.bin";

/// One revision of a file, as `history` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Revision {
    pub commit: String,
    pub author: String,
    pub email: String,
    /// Seconds since the epoch and the author's offset in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    pub message: String,
    /// The file's path in that revision (differs from today's after a rename).
    pub path: String,
}

/// When a path was first changed and which commit changed it last, from the history index.
#[derive(Debug, Clone)]
pub struct PathChanges {
    /// The author time of the oldest commit that changed the path (seconds since the
    /// epoch, offset in minutes).
    pub first_time: (i64, i32),
    /// The newest commit that changed it (full hex id).
    pub last: String,
}

/// The index as a command reads it: the saved file when it is current, else the index
/// just built or updated.
enum View {
    Saved(Saved),
    Built(Index),
    /// No index yet, but git's commit-graph with changed-path filters: one path is
    /// answered from it without building the index.
    Graph(graph::Graph),
    Empty,
}

/// Where reading the index starts (see `Repo::saved_start`).
enum Start {
    /// Nothing to build: the saved index is current, or there is no commit.
    Ready(View),
    /// Build up to HEAD, from the saved index when HEAD descends from its tip.
    From(Oid, Option<Index>),
}

impl View {
    /// The commits that changed `path`, newest first.
    fn changes(&self, path: &str) -> Option<Vec<Oid>> {
        match self {
            View::Saved(s) => s.lookup(path)?.iter().rev().map(|&n| s.commit(n)).collect(),
            View::Built(index) => Some(
                index
                    .paths
                    .get(path)
                    .map(|l| l.iter().rev().map(|&n| index.commits[n as usize]).collect())
                    .unwrap_or_default(),
            ),
            View::Empty => Some(Vec::new()),
            View::Graph(_) => None,
        }
    }
}

impl Repo {
    fn history_file(&self) -> std::path::PathBuf {
        self.git_dir().join("dossier").join(FILE)
    }

    /// The history index of `scope`, up to date with HEAD (and saved when it changed).
    /// An index saved for another scope is rebuilt.
    fn history_index(&self, scope: &Scope) -> Result<View> {
        match self.saved_start(scope) {
            Start::Ready(view) => Ok(view),
            Start::From(head, base) => self.rebuilt(head, base, scope),
        }
    }

    /// Where an index of `scope` starts: the saved one when it is current (or nothing to
    /// index: no commit yet), else HEAD and the saved index to bring up to it, if HEAD
    /// descends from its tip.
    fn saved_start(&self, scope: &Scope) -> Start {
        let Some(head) = self.repo.head().ok().and_then(|h| h.target()) else {
            return Start::Ready(View::Empty);
        };
        let saved = std::fs::read(self.history_file())
            .ok()
            .and_then(Saved::decode)
            .filter(|s| s.scope == scope.key());
        let base = match saved {
            Some(s) if s.tip == head => return Start::Ready(View::Saved(s)),
            Some(s) if self.repo.graph_descendant_of(head, s.tip).unwrap_or(false) => {
                s.into_index()
            }
            _ => None,
        };
        Start::From(head, base)
    }

    /// What `history` of one path reads: the saved index when it is current or can be
    /// brought up to date; else, when the repository has git's commit-graph with
    /// changed-path filters, that graph (so the first `history` in a fresh clone reads
    /// only the commits that may have changed the path, and builds nothing); else the
    /// index, built.
    fn one_path_view(&self, scope: &Scope) -> Result<View> {
        let (head, base) = match self.saved_start(scope) {
            Start::Ready(view) => return Ok(view),
            Start::From(head, base) => (head, base),
        };
        if base.is_none() {
            if let Some(g) = graph::Graph::open(self.repo.path()).filter(|g| g.has_filters()) {
                return Ok(View::Graph(g));
            }
        }
        self.rebuilt(head, base, scope)
    }

    /// The index built from `base` (or from nothing) up to `head`, and saved.
    fn rebuilt(&self, head: Oid, base: Option<Index>, scope: &Scope) -> Result<View> {
        let index = self.build_index(head, base, scope)?;
        let _ = crate::fsio::write_derived(&self.history_file(), &index.encode());
        Ok(View::Built(index))
    }

    /// The commits that changed `path`, newest first. A saved index whose lists turn out
    /// unsound (its checksum held, so this is not expected) is rebuilt from nothing.
    fn changes(&self, view: &mut View, path: &str, scope: &Scope) -> Result<Vec<Oid>> {
        if let View::Graph(g) = view {
            return self.changes_by_graph(g, path);
        }
        if let Some(list) = view.changes(path) {
            return Ok(list);
        }
        let head = self.repo.head().ok().and_then(|h| h.target());
        *view = match head {
            Some(head) => self.rebuilt(head, None, scope)?,
            None => View::Empty,
        };
        Ok(view.changes(path).unwrap_or_default())
    }

    /// `base` brought up to `head` (or built from nothing): the commits since its tip,
    /// newest first as the walk gives them, numbered after its own. The trees are
    /// compared on every core, each thread a contiguous run of commits (whose trees are
    /// mostly their neighbours').
    fn build_index(&self, head: Oid, base: Option<Index>, scope: &Scope) -> Result<Index> {
        let mut index = base.unwrap_or_default();
        index.scope = scope.key();
        let sorting = git2::Sort::TOPOLOGICAL | git2::Sort::TIME;
        let mut walked: Vec<(Oid, Oid, Vec<Oid>)> = Vec::new();
        for commit in self.commits(head, index.tip, sorting)? {
            let c = commit?;
            walked.push((c.id(), c.tree_id(), c.parent_ids().collect()));
        }
        let trees: HashMap<Oid, Oid> = walked.iter().map(|(c, t, _)| (*c, *t)).collect();
        let mut jobs: Vec<(Oid, Vec<Oid>)> = Vec::with_capacity(walked.len());
        for (_, tree, parents) in &walked {
            let mut of_parents = Vec::with_capacity(parents.len());
            for p in parents {
                match trees.get(p) {
                    Some(t) => of_parents.push(*t),
                    None => match self.repo.find_commit(*p) {
                        Ok(c) => of_parents.push(c.tree_id()),
                        // A shallow clone's boundary: the parent is not here.
                        Err(e) if e.code() == git2::ErrorCode::NotFound => {}
                        Err(e) => return Err(git_err("read a commit", e)),
                    },
                }
            }
            jobs.push((*tree, of_parents));
        }
        let git_dir = self.repo.path();
        let runs = crate::parallel::runs(&jobs, 512, |run| -> Result<Vec<Vec<String>>> {
            let repo = git2::Repository::open(git_dir)
                .map_err(|e| git_err("open the git repository", e))?;
            let odb = repo
                .odb()
                .map_err(|e| git_err("open the object database", e))?;
            let mut walker = walk::Walker::new(&odb, scope);
            run.iter()
                .map(|(tree, parents)| walker.commit_changes(*tree, parents))
                .collect()
        });
        let mut changed = Vec::with_capacity(jobs.len());
        for run in runs {
            changed.extend(run?);
        }
        for ((id, _, _), paths) in walked.into_iter().zip(changed).rev() {
            let n = index.commits.len() as u32;
            index.commits.push(id);
            for p in paths {
                index.paths.entry(p).or_default().push(n);
            }
        }
        index.tip = Some(head);
        Ok(index)
    }

    /// The commits that changed `path`, newest first (in the index's order: topological,
    /// then by time), from git's commit-graph: a commit whose changed-path filter rules
    /// the path out is passed over unread; the others (and the commits made since the
    /// graph was written) compare the path's entry with their parents'. The same rule as
    /// the index's walk (differs from every parent).
    fn changes_by_graph(&self, g: &graph::Graph, path: &str) -> Result<Vec<Oid>> {
        let head = match self.repo.head().ok().and_then(|h| h.target()) {
            Some(h) => h,
            None => return Ok(Vec::new()),
        };
        let order = match self.linear_order(g, head)? {
            Some(list) => list,
            None => {
                let walk_err = |e| git_err("walk the history", e);
                let mut walk = self.repo.revwalk().map_err(walk_err)?;
                walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
                    .map_err(walk_err)?;
                walk.push(head).map_err(walk_err)?;
                walk.map(|id| id.map_err(walk_err))
                    .collect::<Result<Vec<Oid>>>()?
            }
        };
        let mut out = Vec::new();
        let mut entries: HashMap<Oid, Option<(Oid, i32)>> = HashMap::new();
        let mut entry = |tree: Oid| -> Result<Option<(Oid, i32)>> {
            if let Some(e) = entries.get(&tree) {
                return Ok(*e);
            }
            let t = self
                .repo
                .find_tree(tree)
                .map_err(|e| git_err("read a tree", e))?;
            let e = t
                .get_path(Path::new(path))
                .ok()
                .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
                .map(|e| (e.id(), e.filemode_raw()));
            entries.insert(tree, e);
            Ok(e)
        };
        for id in order {
            let (tree, parents) = match g.position(id).and_then(|p| g.node(p).map(|n| (p, n))) {
                Some((pos, node)) => {
                    if !g.may_change(pos, path.as_bytes()) {
                        continue;
                    }
                    let parents = node
                        .parents
                        .iter()
                        .map(|&p| g.node(p).map(|n| n.tree))
                        .collect::<Option<Vec<Oid>>>();
                    match parents {
                        Some(p) => (node.tree, p),
                        None => self.trees_of(id)?,
                    }
                }
                None => self.trees_of(id)?,
            };
            let mine = entry(tree)?;
            let mut changed = true;
            for p in parents {
                if entry(p)? == mine {
                    changed = false;
                    break;
                }
            }
            if changed {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The commits from `head` back to the root when the history is one line (no merge):
    /// the order any walk gives, read from the graph without reading a commit (the
    /// commits made since the graph was written are read). `None` at the first merge.
    fn linear_order(&self, g: &graph::Graph, head: Oid) -> Result<Option<Vec<Oid>>> {
        let mut out = Vec::new();
        let mut at = head;
        loop {
            if let Some(mut pos) = g.position(at) {
                loop {
                    let Some(node) = g.node(pos) else {
                        return Ok(None);
                    };
                    let Some(id) = g.id(pos) else {
                        return Ok(None);
                    };
                    out.push(id);
                    match node.parents[..] {
                        [] => return Ok(Some(out)),
                        [p] => pos = p,
                        _ => return Ok(None),
                    }
                }
            }
            let c = match self.repo.find_commit(at) {
                Ok(c) => c,
                Err(e) if e.code() == git2::ErrorCode::NotFound && !out.is_empty() => {
                    return Ok(Some(out)); // a shallow clone's boundary
                }
                Err(e) => return Err(git_err("read a commit", e)),
            };
            out.push(at);
            match c.parent_ids().collect::<Vec<_>>()[..] {
                [] => return Ok(Some(out)),
                [p] => at = p,
                _ => return Ok(None),
            }
        }
    }

    /// A commit's tree and its parents' trees (a parent missing from a shallow clone
    /// left out).
    fn trees_of(&self, id: Oid) -> Result<(Oid, Vec<Oid>)> {
        let c = self
            .repo
            .find_commit(id)
            .map_err(|e| git_err("read a commit", e))?;
        let mut parents = Vec::new();
        for p in c.parent_ids() {
            match self.repo.find_commit(p) {
                Ok(pc) => parents.push(pc.tree_id()),
                Err(e) if e.code() == git2::ErrorCode::NotFound => {}
                Err(e) => return Err(git_err("read a commit", e)),
            }
        }
        Ok((c.tree_id(), parents))
    }

    /// The revisions of `path` from newest to oldest, following renames: every commit
    /// whose version of the file differs from each of its parents' (from the history
    /// index of `scope`, which must hold `path`, or from git's commit-graph).
    pub fn history(&self, path: &Path, scope: &Scope) -> Result<Vec<Revision>> {
        if !self.has_commits() {
            return Ok(Vec::new());
        }
        let mut index = self.one_path_view(scope)?;
        let mut path = git_path(path);
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        // After a rename, only the old path's commits that lead up to it count.
        let mut before: Option<Oid> = None;
        loop {
            let mut renamed = None;
            for id in self.changes(&mut index, &path, scope)? {
                if let Some(b) = before {
                    if id != b && !self.repo.graph_descendant_of(b, id).unwrap_or(false) {
                        continue;
                    }
                }
                if !seen.insert(id) {
                    continue;
                }
                let commit = self
                    .repo
                    .find_commit(id)
                    .map_err(|e| git_err("read a commit", e))?;
                let tree = commit.tree().map_err(|e| git_err("read a tree", e))?;
                if blob_id(&tree, &path).is_none() {
                    continue; // the file was deleted here
                }
                out.push(revision(&commit, &path));
                let mut parents = commit.parents().peekable();
                let added = parents.peek().is_some()
                    && parents.all(|p| p.tree().ok().and_then(|t| blob_id(&t, &path)).is_none());
                if added {
                    renamed = self.renamed_from(&commit, &path)?.map(|old| (old, id));
                    break;
                }
            }
            match renamed {
                Some((old, at)) => {
                    path = old;
                    before = Some(at);
                }
                None => break,
            }
        }
        Ok(out)
    }

    fn renamed_from(&self, commit: &git2::Commit, path: &str) -> Result<Option<String>> {
        let Ok(parent) = commit.parent(0) else {
            return Ok(None);
        };
        let old_tree = parent.tree().map_err(|e| git_err("read a tree", e))?;
        let new_tree = commit.tree().map_err(|e| git_err("read a tree", e))?;
        let mut opts = git2::DiffOptions::new();
        if let Some(dir) = path.rsplit_once('/').map(|(d, _)| d) {
            // Renames within the store: limit the diff to the store's folders.
            let top = dir.split('/').next().unwrap_or(dir);
            opts.pathspec(top);
        }
        let mut diff = self
            .repo
            .diff_tree_to_tree(Some(&old_tree), Some(&new_tree), Some(&mut opts))
            .map_err(|e| git_err("compare two revisions", e))?;
        let mut find = git2::DiffFindOptions::new();
        find.renames(true);
        diff.find_similar(Some(&mut find))
            .map_err(|e| git_err("find renames", e))?;
        for delta in diff.deltas() {
            if delta.status() == git2::Delta::Renamed
                && delta.new_file().path().map(git_path).as_deref() == Some(path)
            {
                return Ok(delta.old_file().path().map(git_path));
            }
        }
        Ok(None)
    }

    /// For each of `paths` (git paths) that some commit changed: when it was first
    /// changed, and the commit that changed it last. One history-index read and one commit
    /// lookup per path, however many paths. `scope` must hold the paths.
    pub fn path_changes(
        &self,
        paths: &[String],
        scope: &Scope,
    ) -> Result<HashMap<String, PathChanges>> {
        let mut index = self.history_index(scope)?;
        let mut out = HashMap::new();
        for path in paths {
            let list = self.changes(&mut index, path, scope)?;
            let (Some(newest), Some(oldest)) = (list.first(), list.last()) else {
                continue;
            };
            let commit = self
                .repo
                .find_commit(*oldest)
                .map_err(|e| git_err("read a commit", e))?;
            let when = commit.author().when();
            out.insert(
                path.clone(),
                PathChanges {
                    first_time: (when.seconds(), when.offset_minutes()),
                    last: newest.to_string(),
                },
            );
        }
        Ok(out)
    }
}

fn revision(commit: &git2::Commit, path: &str) -> Revision {
    let author = commit.author();
    Revision {
        commit: commit.id().to_string(),
        author: author.name().unwrap_or("?").to_string(),
        email: author.email().unwrap_or("").to_string(),
        time: author.when().seconds(),
        offset_minutes: author.when().offset_minutes(),
        message: commit.message().unwrap_or("").trim_end().to_string(),
        path: path.to_string(),
    }
}
