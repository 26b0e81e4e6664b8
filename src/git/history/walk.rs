//! The paths each commit changed, read from the raw tree objects: two trees are compared
//! entry by entry, and only into the entries whose ids differ, so a commit that changed
//! one record costs the few trees on that record's path, not the whole store (libgit2's
//! tree diff expands every subtree and re-reads each tree per commit).
//!
//! A commit changes a path when the path's entry (id or mode) differs from its first
//! parent's; for a merge, from every parent's (git's TREESAME rule).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use git2::{ObjectType, Oid};

use super::super::git_err;
use super::Scope;
use crate::error::Result;

/// Tree objects kept between commits: the trees of a commit are those its parent's
/// comparison read as the new side, so most are read once. Two generations of about
/// this many bytes each (the older one dropped when the newer fills).
const CACHE_BYTES: usize = 32 << 20;
const TREE_MODE: u32 = 0o040000;

/// One entry of a raw tree: mode, name, id.
#[derive(Clone, Copy)]
struct Entry<'a> {
    mode: u32,
    name: &'a [u8],
    id: &'a [u8],
}

impl Entry<'_> {
    fn is_tree(&self) -> bool {
        self.mode == TREE_MODE
    }
}

/// The entries of a raw tree object, in the order git stores them; `None` for bytes that
/// are not a tree (the walk then reports an error rather than a wrong history).
fn entries(raw: &[u8]) -> Option<Vec<Entry<'_>>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < raw.len() {
        let space = at + raw[at..].iter().position(|&b| b == b' ')?;
        let mode = std::str::from_utf8(&raw[at..space]).ok()?;
        let mode = u32::from_str_radix(mode, 8).ok()?;
        let nul = space + 1 + raw[space + 1..].iter().position(|&b| b == 0)?;
        let id = raw.get(nul + 1..nul + 21)?;
        out.push(Entry {
            mode,
            name: &raw[space + 1..nul],
            id,
        });
        at = nul + 21;
    }
    Some(out)
}

/// git's order of tree entries: by name, a tree's name compared as if it ended in `/`.
fn order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    let key = |e: &Entry| (e.is_tree()).then_some(b'/');
    let (an, bn) = (a.name, b.name);
    let n = an.len().min(bn.len());
    match an[..n].cmp(&bn[..n]) {
        std::cmp::Ordering::Equal => {}
        o => return o,
    }
    let next = |name: &[u8], e: &Entry| name.get(n).copied().or(key(e));
    next(an, a).cmp(&next(bn, b))
}

/// A tree object as read, shared between the cache and a comparison.
type Raw<'o> = Rc<git2::OdbObject<'o>>;

/// Reads trees for one walk, keeping recent ones.
pub(super) struct Walker<'o> {
    odb: &'o git2::Odb<'o>,
    scope: &'o Scope,
    young: HashMap<Oid, Raw<'o>>,
    old: HashMap<Oid, Raw<'o>>,
    young_bytes: usize,
}

impl<'o> Walker<'o> {
    pub(super) fn new(odb: &'o git2::Odb<'o>, scope: &'o Scope) -> Walker<'o> {
        Walker {
            odb,
            scope,
            young: HashMap::new(),
            old: HashMap::new(),
            young_bytes: 0,
        }
    }

    fn tree(&mut self, id: Oid) -> Result<Raw<'o>> {
        if let Some(t) = self.young.get(&id) {
            return Ok(t.clone());
        }
        let raw: Raw<'o> = match self.old.remove(&id) {
            Some(t) => t,
            None => {
                let obj = self.odb.read(id).map_err(|e| git_err("read a tree", e))?;
                if obj.kind() != ObjectType::Tree {
                    return Err(not_a_tree(id));
                }
                Rc::new(obj)
            }
        };
        self.young_bytes += raw.len();
        if self.young_bytes > CACHE_BYTES {
            self.old = std::mem::take(&mut self.young);
            self.young_bytes = raw.len();
        }
        self.young.insert(id, raw.clone());
        Ok(raw)
    }

    /// The paths (git paths) in the scope whose entries differ between the trees `old`
    /// and `new` (either may be absent), each once, in tree order. Only the folders the
    /// scope can reach are opened.
    pub(super) fn changed(&mut self, old: Option<Oid>, new: Option<Oid>) -> Result<Vec<String>> {
        let mut out = Vec::new();
        self.compare(old, new, &mut Vec::new(), &mut out)?;
        Ok(out)
    }

    fn compare(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        prefix: &mut Vec<u8>,
        out: &mut Vec<String>,
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let read =
            |w: &mut Self, id: Option<Oid>| id.map(|i| w.tree(i).map(|t| (i, t))).transpose();
        let (a, b) = (read(self, old)?, read(self, new)?);
        let differing = differing(&parse(&a)?, &parse(&b)?);
        drop((a, b));
        for (name, x, y) in differing {
            let len = prefix.len();
            prefix.extend_from_slice(&name);
            let sub = |s: &Option<Side>| s.filter(|s| s.tree).map(|s| s.id);
            let blob = |s: &Option<Side>| s.is_some_and(|s| !s.tree);
            if (blob(&x) || blob(&y)) && self.scope.records(prefix) {
                out.push(String::from_utf8_lossy(prefix).into_owned());
            }
            let (tx, ty) = (sub(&x), sub(&y));
            if (tx.is_some() || ty.is_some()) && self.scope.descends(prefix) {
                prefix.push(b'/');
                self.compare(tx, ty, prefix, out)?;
            }
            prefix.truncate(len);
        }
        Ok(())
    }

    /// The paths `commit` changed by the TREESAME rule, given its tree and its parents'
    /// trees (none for a root commit; a parent that cannot be read, as in a shallow
    /// clone, counts as absent).
    pub(super) fn commit_changes(&mut self, tree: Oid, parents: &[Oid]) -> Result<Vec<String>> {
        if parents.contains(&tree) {
            return Ok(Vec::new());
        }
        let Some((first, rest)) = parents.split_first() else {
            return self.changed(None, Some(tree));
        };
        let mut changed = self.changed(Some(*first), Some(tree))?;
        for p in rest {
            let other: HashSet<String> = self.changed(Some(*p), Some(tree))?.into_iter().collect();
            changed.retain(|path| other.contains(path));
        }
        Ok(changed)
    }
}

/// What differs between two trees' entries (merged in git's order): each name, with its
/// old and new side (absent on one side when added or removed). Owned, so the trees'
/// bytes can be released before the walk goes down (the cache may drop them).
fn differing(ea: &[Entry], eb: &[Entry]) -> Vec<(Vec<u8>, Option<Side>, Option<Side>)> {
    let mut differing: Vec<(Vec<u8>, Option<Side>, Option<Side>)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < ea.len() || j < eb.len() {
        let ord = match (ea.get(i), eb.get(j)) {
            (Some(x), Some(y)) => order(x, y),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match ord {
            std::cmp::Ordering::Less => {
                differing.push((ea[i].name.to_vec(), Some(Side::of(&ea[i])), None));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                differing.push((eb[j].name.to_vec(), None, Some(Side::of(&eb[j]))));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let (x, y) = (&ea[i], &eb[j]);
                if x.id != y.id || x.mode != y.mode {
                    differing.push((x.name.to_vec(), Some(Side::of(x)), Some(Side::of(y))));
                }
                i += 1;
                j += 1;
            }
        }
    }
    differing
}

fn parse<'a>(t: &'a Option<(Oid, Raw<'_>)>) -> Result<Vec<Entry<'a>>> {
    match t {
        Some((id, raw)) => entries(raw.data()).ok_or_else(|| not_a_tree(*id)),
        None => Ok(Vec::new()),
    }
}

#[derive(Clone, Copy)]
struct Side {
    id: Oid,
    tree: bool,
}

impl Side {
    fn of(e: &Entry) -> Side {
        Side {
            id: Oid::from_bytes(e.id).unwrap_or(Oid::ZERO_SHA1),
            tree: e.is_tree(),
        }
    }
}

fn not_a_tree(id: Oid) -> crate::error::Error {
    crate::error::Error::new(format!("could not read the tree {id}"))
        .kind(crate::error::ErrorKind::Git)
        .cause("the object is not a well-formed tree")
        .hint("run `git fsck` to check the repository")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(list: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in list {
            out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    #[test]
    fn entries_and_git_order() {
        let t = raw(&[
            ("100644", "a.yaml", 1),
            ("40000", "a", 2),
            ("100644", "a0", 3),
        ]);
        let e = entries(&t).unwrap();
        assert_eq!(e.len(), 3);
        assert!(e[1].is_tree() && !e[0].is_tree());
        // git's order: "a.yaml" < "a/" < "a0"
        assert_eq!(order(&e[0], &e[1]), std::cmp::Ordering::Less);
        assert_eq!(order(&e[1], &e[2]), std::cmp::Ordering::Less);
        assert_eq!(order(&e[1], &e[1]), std::cmp::Ordering::Equal);
        assert!(entries(b"100644 cut\0short").is_none());
        assert!(entries(b"not a tree").is_none());
    }
}
