//! git's commit-graph file (`.git/objects/info/commit-graph`, format documented in git's
//! `gitformat-commit-graph`), read for what libgit2 does not offer: each commit's tree
//! and parents without reading the commit, and the changed-path Bloom filters that say
//! for certain when a commit did *not* change a path. `history REF` without a history
//! index then reads the trees of the few commits that may have changed the path, not
//! every commit's, as `git log -- PATH` does.
//!
//! Only a single graph file is read (not a split chain); anything unexpected in it (a
//! wrong signature, version or hash, chunks out of bounds) makes it unusable and the
//! caller falls back to walking trees.

use git2::Oid;

const NO_PARENT: u32 = 0x7000_0000;
const EXTRA_EDGES: u32 = 0x8000_0000;

/// A commit-graph file, read whole.
pub(super) struct Graph {
    bytes: Vec<u8>,
    count: usize,
    fanout: usize,
    oids: usize,
    data: usize,
    edges: Option<usize>,
    bloom: Option<Bloom>,
}

/// Where the Bloom filters are and how they were made.
struct Bloom {
    index: usize,
    data: usize,
    data_end: usize,
    version: u32,
    hashes: u32,
}

/// A commit as the graph holds it.
pub(super) struct Node {
    pub tree: Oid,
    /// Positions of its parents in the graph, in order.
    pub parents: Vec<u32>,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

impl Graph {
    /// The repository's commit-graph, when it has a single, well-formed one.
    pub(super) fn open(git_dir: &std::path::Path) -> Option<Graph> {
        let file = git_dir.join("objects").join("info").join("commit-graph");
        let bytes = std::fs::read(file).ok()?;
        Graph::parse(bytes)
    }

    pub(super) fn parse(bytes: Vec<u8>) -> Option<Graph> {
        // Header: "CGPH", version 1, hash version 1 (SHA-1), chunk count, base graphs 0.
        if bytes.get(..4)? != b"CGPH" || bytes[4] != 1 || *bytes.get(5)? != 1 {
            return None;
        }
        let chunks = *bytes.get(6)? as usize;
        if *bytes.get(7)? != 0 {
            return None;
        }
        let mut table = Vec::with_capacity(chunks + 1);
        for k in 0..=chunks {
            let at = 8 + 12 * k;
            let id = bytes.get(at..at + 4)?;
            let offset = usize::try_from(be64(&bytes, at + 4)?).ok()?;
            table.push((<[u8; 4]>::try_from(id).ok()?, offset));
        }
        let chunk = |name: &[u8; 4]| -> Option<(usize, usize)> {
            let k = table[..chunks].iter().position(|(id, _)| id == name)?;
            let (start, end) = (table[k].1, table[k + 1].1);
            (start <= end && end <= bytes.len()).then_some((start, end))
        };
        let (fanout, fanout_end) = chunk(b"OIDF")?;
        if fanout_end - fanout != 256 * 4 {
            return None;
        }
        let count = be32(&bytes, fanout + 255 * 4)? as usize;
        let (oids, oids_end) = chunk(b"OIDL")?;
        let (data, data_end) = chunk(b"CDAT")?;
        if oids_end - oids != count * 20 || data_end - data != count * 36 {
            return None;
        }
        let edges = chunk(b"EDGE").map(|(s, _)| s);
        let bloom = match (chunk(b"BIDX"), chunk(b"BDAT")) {
            (Some((index, index_end)), Some((bd, bd_end)))
                if index_end - index == count * 4 && bd_end - bd >= 12 =>
            {
                let version = be32(&bytes, bd)?;
                let hashes = be32(&bytes, bd + 4)?;
                ((1..=2).contains(&version) && (1..=32).contains(&hashes)).then_some(Bloom {
                    index,
                    data: bd + 12,
                    data_end: bd_end,
                    version,
                    hashes,
                })
            }
            _ => None,
        };
        Some(Graph {
            bytes,
            count,
            fanout,
            oids,
            data,
            edges,
            bloom,
        })
    }

    /// Whether it has changed-path filters.
    pub(super) fn has_filters(&self) -> bool {
        self.bloom.is_some()
    }

    /// The position of `id` in the graph, when it is there.
    pub(super) fn position(&self, id: Oid) -> Option<u32> {
        let id = id.as_bytes();
        let first = id[0] as usize;
        let lo = if first == 0 {
            0
        } else {
            be32(&self.bytes, self.fanout + 4 * (first - 1))? as usize
        };
        let hi = (be32(&self.bytes, self.fanout + 4 * first)? as usize).min(self.count);
        let (mut lo, mut hi) = (lo.min(hi), hi);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let at = self.oids + 20 * mid;
            match self.bytes[at..at + 20].cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    /// The commit at `pos`: its tree and parents' positions.
    pub(super) fn node(&self, pos: u32) -> Option<Node> {
        let pos = pos as usize;
        if pos >= self.count {
            return None;
        }
        let at = self.data + 36 * pos;
        let tree = Oid::from_bytes(self.bytes.get(at..at + 20)?).ok()?;
        let (p1, p2) = (be32(&self.bytes, at + 20)?, be32(&self.bytes, at + 24)?);
        let mut parents = Vec::new();
        if p1 != NO_PARENT {
            parents.push(p1);
        }
        if p2 & EXTRA_EDGES != 0 {
            // An octopus merge: the rest of the parents are in the EDGE chunk, the last
            // one marked by the high bit.
            let mut k = (p2 & !EXTRA_EDGES) as usize;
            loop {
                let e = be32(&self.bytes, self.edges? + 4 * k)?;
                parents.push(e & !EXTRA_EDGES);
                if e & EXTRA_EDGES != 0 || parents.len() > 1 << 16 {
                    break;
                }
                k += 1;
            }
        } else if p2 != NO_PARENT {
            parents.push(p2);
        }
        if parents.iter().any(|&p| p as usize >= self.count) {
            return None;
        }
        Some(Node { tree, parents })
    }

    /// The commit id at `pos`.
    pub(super) fn id(&self, pos: u32) -> Option<Oid> {
        let at = self.oids + 20 * pos as usize;
        Oid::from_bytes(self.bytes.get(at..at + 20)?).ok()
    }

    /// `false` only when the commit at `pos` certainly did not change `path` against its
    /// first parent (its filter says so); `true` when it may have, or nothing is known.
    pub(super) fn may_change(&self, pos: u32, path: &[u8]) -> bool {
        let Some(b) = &self.bloom else {
            return true;
        };
        // Version 1 hashed bytes above 0x7f as signed: not trusted for such paths.
        if b.version == 1 && !path.is_ascii() {
            return true;
        }
        let pos = pos as usize;
        let end = match be32(&self.bytes, b.index + 4 * pos) {
            Some(e) => e as usize,
            None => return true,
        };
        let start = if pos == 0 {
            0
        } else {
            match be32(&self.bytes, b.index + 4 * (pos - 1)) {
                Some(s) => s as usize,
                None => return true,
            }
        };
        let (Some(from), Some(to)) = (b.data.checked_add(start), b.data.checked_add(end)) else {
            return true;
        };
        if from >= to || to > b.data_end {
            return true; // no filter (or an empty one): unknown
        }
        let filter = &self.bytes[from..to];
        let bits = filter.len() as u64 * 8;
        let h0 = murmur3(0x293a_e76f, path);
        let h1 = murmur3(0x7e64_6e2c, path);
        (0..b.hashes).all(|i| {
            let bit = u64::from(h0.wrapping_add(i.wrapping_mul(h1))) % bits;
            filter[(bit / 8) as usize] & (1 << (bit % 8)) != 0
        })
    }
}

/// murmur3's 32-bit hash with a seed, as git's `murmur3_seeded_v2`.
fn murmur3(mut h: u32, data: &[u8]) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let mut k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        h ^= k;
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, &b) in tail.iter().enumerate() {
            k ^= u32::from(b) << (8 * i);
        }
        k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        h ^= k;
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur3_as_git_computes_it() {
        // git's t/t0095-bloom.sh (`test-tool bloom get_murmur3`).
        assert_eq!(murmur3(0, b""), 0x0000_0000);
        assert_eq!(murmur3(0, b"Hello world!"), 0x627b_0c2c);
        assert_eq!(
            murmur3(0, b"The quick brown fox jumps over the lazy dog"),
            0x2e4f_f723
        );
    }

    #[test]
    fn a_damaged_graph_is_refused() {
        assert!(Graph::parse(Vec::new()).is_none());
        assert!(Graph::parse(b"CGPH\x01\x01\x05\x00".to_vec()).is_none());
        let mut bytes = b"CGPH\x01\x01\x01\x00".to_vec();
        bytes.extend_from_slice(b"OIDF");
        bytes.extend_from_slice(&(1_000_000u64).to_be_bytes());
        bytes.extend_from_slice(&[0; 12]);
        assert!(Graph::parse(bytes).is_none());
    }
}
