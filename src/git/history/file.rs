//! The history index's file, `.git/dossier/history-v3.bin`: binary, so that a lookup
//! reads one path's list without decoding the others, and checked by a SHA-256 of its
//! content, so that a damaged file is found and rebuilt rather than believed.
//!
//! Layout (little-endian): the magic line; the SHA-256 of all that follows it; the tip
//! commit (20 bytes); the counts of commits and paths and the lengths of the names, the
//! lists and the scope; the commits, oldest first (20 bytes each); per path, sorted by
//! name, where its name and its list end; the names; the lists, each the ascending
//! numbers of the commits that changed the path, as varint deltas; the scope the index
//! was built for (`Scope::key`), so that an index of other paths is rebuilt.

use std::collections::HashMap;

use git2::Oid;
use sha2::{Digest, Sha256};

const MAGIC: &[u8] = b"dossier-history-v3\n";
const HEAD: usize = MAGIC.len() + 32 + 20 + 20;

/// The index in memory, as built or updated.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// The commit it was built at.
    pub tip: Option<Oid>,
    /// Every commit walked, oldest first (in the walk's topological order).
    pub commits: Vec<Oid>,
    /// Path -> the numbers (in `commits`) of the commits that changed it, ascending.
    pub paths: HashMap<String, Vec<u32>>,
    /// The key of the scope it records (`Scope::key`).
    pub scope: String,
}

impl Index {
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut names: Vec<&String> = self.paths.keys().collect();
        names.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        let mut table = Vec::with_capacity(names.len() * 8);
        let mut name_bytes = Vec::new();
        let mut lists = Vec::new();
        for name in &names {
            name_bytes.extend_from_slice(name.as_bytes());
            let mut prev = 0u32;
            for (k, &n) in self.paths[*name].iter().enumerate() {
                put_varint(&mut lists, if k == 0 { n } else { n - prev });
                prev = n;
            }
            table.extend_from_slice(&(name_bytes.len() as u32).to_le_bytes());
            table.extend_from_slice(&(lists.len() as u32).to_le_bytes());
        }
        let mut body = Vec::with_capacity(
            40 + self.commits.len() * 20
                + table.len()
                + name_bytes.len()
                + lists.len()
                + self.scope.len(),
        );
        body.extend_from_slice(self.tip.unwrap_or(Oid::ZERO_SHA1).as_bytes());
        for v in [
            self.commits.len(),
            names.len(),
            name_bytes.len(),
            lists.len(),
            self.scope.len(),
        ] {
            body.extend_from_slice(&(v as u32).to_le_bytes());
        }
        for c in &self.commits {
            body.extend_from_slice(c.as_bytes());
        }
        body.extend_from_slice(&table);
        body.extend_from_slice(&name_bytes);
        body.extend_from_slice(&lists);
        body.extend_from_slice(self.scope.as_bytes());
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&Sha256::digest(&body));
        out.extend_from_slice(&body);
        out
    }
}

/// An index file read and checked, looked up without decoding it.
pub(super) struct Saved {
    bytes: Vec<u8>,
    pub tip: Oid,
    pub scope: String,
    commits: usize,
    paths: usize,
    table: usize,
    names: usize,
    lists: usize,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
}

impl Saved {
    /// `None` when the bytes are not a sound index (wrong magic, cut, damaged).
    pub(super) fn decode(bytes: Vec<u8>) -> Option<Saved> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let (sum, body) = (rest.get(..32)?, rest.get(32..)?);
        if Sha256::digest(body).as_slice() != sum {
            return None;
        }
        let at = MAGIC.len() + 32;
        let tip = Oid::from_bytes(bytes.get(at..at + 20)?).ok()?;
        let count = |k: usize| u32_at(&bytes, at + 20 + 4 * k);
        let (commits, paths, names_len, lists_len) = (count(0)?, count(1)?, count(2)?, count(3)?);
        let scope_len = count(4)?;
        let table = HEAD.checked_add(commits.checked_mul(20)?)?;
        let names = table.checked_add(paths.checked_mul(8)?)?;
        let lists = names.checked_add(names_len)?;
        let scope_at = lists.checked_add(lists_len)?;
        if scope_at.checked_add(scope_len)? != bytes.len() {
            return None;
        }
        let scope = String::from_utf8(bytes[scope_at..].to_vec()).ok()?;
        Some(Saved {
            bytes,
            tip,
            scope,
            commits,
            paths,
            table,
            names,
            lists,
        })
    }

    pub(super) fn commit(&self, n: u32) -> Option<Oid> {
        let n = n as usize;
        if n >= self.commits {
            return None;
        }
        Oid::from_bytes(&self.bytes[HEAD + 20 * n..HEAD + 20 * n + 20]).ok()
    }

    /// Where path `k` (of the sorted table) has its name and its list.
    fn ends(&self, k: usize) -> Option<(usize, usize, usize, usize)> {
        let end = |k: usize| -> Option<(usize, usize)> {
            Some((
                u32_at(&self.bytes, self.table + 8 * k)?,
                u32_at(&self.bytes, self.table + 8 * k + 4)?,
            ))
        };
        let (n0, l0) = if k == 0 { (0, 0) } else { end(k - 1)? };
        let (n1, l1) = end(k)?;
        (n0 <= n1
            && l0 <= l1
            && self.names + n1 <= self.lists
            && self.lists + l1 <= self.bytes.len() - self.scope.len())
        .then_some((
            self.names + n0,
            self.names + n1,
            self.lists + l0,
            self.lists + l1,
        ))
    }

    fn name(&self, k: usize) -> Option<&[u8]> {
        let (a, b, _, _) = self.ends(k)?;
        Some(&self.bytes[a..b])
    }

    fn list(&self, k: usize) -> Option<Vec<u32>> {
        let (_, _, a, b) = self.ends(k)?;
        let mut at = a;
        let mut out = Vec::new();
        let mut prev = 0u32;
        while at < b {
            let v = get_varint(&self.bytes[..b], &mut at)?;
            let n = if out.is_empty() {
                v
            } else {
                prev.checked_add(v)?
            };
            if (n as usize) >= self.commits {
                return None;
            }
            out.push(n);
            prev = n;
        }
        Some(out)
    }

    /// The commit numbers that changed `path`, ascending; empty for a path no commit
    /// changed, `None` when the file turns out unsound.
    pub(super) fn lookup(&self, path: &str) -> Option<Vec<u32>> {
        let (mut lo, mut hi) = (0, self.paths);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.name(mid)?.cmp(path.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return self.list(mid),
            }
        }
        Some(Vec::new())
    }

    /// The whole index, to be brought up to date.
    pub(super) fn into_index(self) -> Option<Index> {
        let commits = (0..self.commits as u32)
            .map(|n| self.commit(n))
            .collect::<Option<Vec<Oid>>>()?;
        let mut paths = HashMap::with_capacity(self.paths);
        for k in 0..self.paths {
            let name = String::from_utf8(self.name(k)?.to_vec()).ok()?;
            paths.insert(name, self.list(k)?);
        }
        Some(Index {
            tip: Some(self.tip),
            commits,
            paths,
            scope: self.scope,
        })
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut v: u64 = 0;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return u32::try_from(v).ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap()
    }

    fn sample() -> Index {
        let mut paths = HashMap::new();
        paths.insert("b/x.yaml".to_string(), vec![0, 2, 300]);
        paths.insert("a.yaml".to_string(), vec![1]);
        paths.insert("ы/ع.yaml".to_string(), vec![5, 6]);
        Index {
            tip: Some(oid(9)),
            commits: (0..301).map(|n| oid((n % 250) as u8)).collect(),
            paths,
            scope: "s/*/initiative.yaml\n".to_string(),
        }
    }

    #[test]
    fn round_trip_and_lookup() {
        let bytes = sample().encode();
        let saved = Saved::decode(bytes).expect("sound");
        assert_eq!(saved.tip, oid(9));
        assert_eq!(saved.scope, "s/*/initiative.yaml\n");
        assert_eq!(saved.lookup("b/x.yaml"), Some(vec![0, 2, 300]));
        assert_eq!(saved.lookup("ы/ع.yaml"), Some(vec![5, 6]));
        assert_eq!(saved.lookup("a.yaml"), Some(vec![1]));
        assert_eq!(saved.lookup("nope"), Some(vec![]));
        assert_eq!(saved.commit(300), Some(oid(50)));
        assert_eq!(saved.commit(301), None);
        let back = saved.into_index().unwrap();
        assert_eq!(back.paths, sample().paths);
        assert_eq!(back.commits.len(), 301);
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let bytes = sample().encode();
        for cut in [
            0,
            5,
            MAGIC.len() + 10,
            HEAD,
            bytes.len() / 2,
            bytes.len() - 1,
        ] {
            assert!(
                Saved::decode(bytes[..cut].to_vec()).is_none(),
                "cut at {cut}"
            );
        }
        for at in [MAGIC.len() + 1, HEAD + 3, bytes.len() - 1] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x10;
            assert!(Saved::decode(flipped).is_none(), "flipped at {at}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Saved::decode(longer).is_none());
        assert!(Saved::decode(Index::default().encode()).is_some());
    }
}
