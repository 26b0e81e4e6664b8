//! A term index of statements: for each normalised word, the statements that hold it, so
//! that a phrase is looked up rather than every text re-tokenised. Pure: it is built from
//! statements and turned into bytes and back; where the bytes are kept (one segment per
//! initiative under `.git/dossier/`) is the store's business.
//!
//! The index is a filter: a statement is a candidate for a phrase when it holds every
//! word of it (the first word in any of the forms [`super::trace`] accepts), and only the
//! candidates are read and searched for the phrase itself. So it can never lose a hit:
//! a statement holding the phrase holds each of its words.
//!
//! Bytes: a header, the records (blob id and what a trace row names), a table of sorted
//! term offsets (so a lookup is a binary search that decodes nothing else), the terms,
//! and their postings as delta-encoded varints.

use std::collections::{BTreeMap, HashMap};

use super::StatementInfo;

const MAGIC: &[u8] = b"dossier-terms-v1\n";

/// One statement in a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedRecord {
    /// The git blob id of the statement's file (hex).
    pub blob: String,
    pub info: StatementInfo,
}

/// A segment being built or changed: records and, for each term, the records holding it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SegmentBuilder {
    pub records: Vec<IndexedRecord>,
    pub postings: BTreeMap<String, Vec<u32>>,
}

impl SegmentBuilder {
    /// Adds a record with its distinct terms.
    pub fn add(&mut self, record: IndexedRecord, terms: impl IntoIterator<Item = String>) {
        let n = self.records.len() as u32;
        self.records.push(record);
        for t in terms {
            let list = self.postings.entry(t).or_default();
            if list.last() != Some(&n) {
                list.push(n);
            }
        }
    }

    /// Keeps only the records for which `keep` is true (renumbering the others).
    pub fn retain(&mut self, keep: impl Fn(&IndexedRecord) -> bool) {
        let mut map = vec![u32::MAX; self.records.len()];
        let mut kept = Vec::new();
        for (i, r) in std::mem::take(&mut self.records).into_iter().enumerate() {
            if keep(&r) {
                map[i] = kept.len() as u32;
                kept.push(r);
            }
        }
        self.records = kept;
        self.postings.retain(|_, list| {
            list.retain_mut(|n| {
                *n = map[*n as usize];
                *n != u32::MAX
            });
            !list.is_empty()
        });
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        let mut records = Vec::new();
        for r in &self.records {
            put_str(&mut records, &r.blob);
            put_str(&mut records, &r.info.initiative);
            put_str(&mut records, &r.info.reference);
            put_str(&mut records, &r.info.date);
            match &r.info.speaker {
                Some(s) => {
                    records.push(1);
                    put_str(&mut records, s);
                }
                None => records.push(0),
            }
        }
        let mut entries = Vec::new();
        let mut table = Vec::with_capacity(self.postings.len() * 4);
        let mut postings = Vec::new();
        for (term, list) in &self.postings {
            table.extend_from_slice(&(entries.len() as u32).to_le_bytes());
            put_str(&mut entries, term);
            put_varint(&mut entries, postings.len() as u64);
            put_varint(&mut entries, list.len() as u64);
            let mut prev = 0u32;
            for (k, &n) in list.iter().enumerate() {
                put_varint(&mut postings, u64::from(if k == 0 { n } else { n - prev }));
                prev = n;
            }
        }
        for v in [
            self.records.len(),
            self.postings.len(),
            records.len(),
            table.len(),
            entries.len(),
        ] {
            out.extend_from_slice(&(v as u32).to_le_bytes());
        }
        out.extend_from_slice(&records);
        out.extend_from_slice(&table);
        out.extend_from_slice(&entries);
        out.extend_from_slice(&postings);
        out
    }
}

/// A segment read from bytes: records decoded, terms looked up on demand.
pub struct Segment {
    bytes: Vec<u8>,
    pub records: Vec<IndexedRecord>,
    terms: usize,
    table: usize,
    entries: usize,
    postings: usize,
}

impl Segment {
    /// Reads a segment; `None` when the bytes are not a sound one (it is then rebuilt).
    pub fn decode(bytes: Vec<u8>) -> Option<Segment> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let mut head = [0usize; 5];
        for (k, h) in head.iter_mut().enumerate() {
            *h = u32::from_le_bytes(rest.get(k * 4..k * 4 + 4)?.try_into().ok()?) as usize;
        }
        let [nrec, terms, rec_len, table_len, entries_len] = head;
        let base = MAGIC.len() + 20;
        let table = base.checked_add(rec_len)?;
        let entries = table.checked_add(table_len)?;
        let postings = entries.checked_add(entries_len)?;
        if postings > bytes.len() || table_len != terms * 4 {
            return None;
        }
        let mut at = base;
        let mut records = Vec::with_capacity(nrec);
        for _ in 0..nrec {
            let blob = get_str(&bytes, &mut at, table)?.to_string();
            let initiative = get_str(&bytes, &mut at, table)?.to_string();
            let reference = get_str(&bytes, &mut at, table)?.to_string();
            let date = get_str(&bytes, &mut at, table)?.to_string();
            let speaker = match *bytes.get(at)? {
                0 => {
                    at += 1;
                    None
                }
                _ => {
                    at += 1;
                    Some(get_str(&bytes, &mut at, table)?.to_string())
                }
            };
            records.push(IndexedRecord {
                blob,
                info: StatementInfo {
                    reference,
                    initiative,
                    date,
                    speaker,
                },
            });
        }
        Some(Segment {
            bytes,
            records,
            terms,
            table,
            entries,
            postings,
        })
    }

    /// The term at `k` of the sorted table, and where its postings are.
    fn entry(&self, k: usize) -> Option<(&str, u64, u64)> {
        let off = self.table + k * 4;
        let rel = u32::from_le_bytes(self.bytes.get(off..off + 4)?.try_into().ok()?) as usize;
        let mut at = self.entries.checked_add(rel)?;
        let term = get_str(&self.bytes, &mut at, self.postings)?;
        let start = get_varint(&self.bytes, &mut at)?;
        let count = get_varint(&self.bytes, &mut at)?;
        Some((term, start, count))
    }

    /// The records holding `term`, in order.
    pub fn lookup(&self, term: &str) -> Vec<u32> {
        let (mut lo, mut hi) = (0, self.terms);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.entry(mid) {
                Some((t, start, count)) => match t.cmp(term) {
                    std::cmp::Ordering::Less => lo = mid + 1,
                    std::cmp::Ordering::Greater => hi = mid,
                    std::cmp::Ordering::Equal => return self.postings_at(start, count),
                },
                None => return Vec::new(),
            }
        }
        Vec::new()
    }

    fn postings_at(&self, start: u64, count: u64) -> Vec<u32> {
        let mut at = self.postings.saturating_add(start as usize);
        let mut out = Vec::with_capacity(count as usize);
        let mut n = 0u64;
        for k in 0..count {
            let Some(d) = get_varint(&self.bytes, &mut at) else {
                break;
            };
            n = if k == 0 { d } else { n.saturating_add(d) };
            if n as usize >= self.records.len() {
                break;
            }
            out.push(n as u32);
        }
        out
    }

    /// Everything back into a builder, to change it.
    pub fn into_builder(self) -> SegmentBuilder {
        let mut postings = BTreeMap::new();
        for k in 0..self.terms {
            if let Some((term, start, count)) = self.entry(k) {
                postings.insert(term.to_string(), self.postings_at(start, count));
            }
        }
        SegmentBuilder {
            records: self.records,
            postings,
        }
    }

    /// The records holding every one of `words`, where the first may be any of
    /// `first_forms`.
    pub fn candidates(&self, first_forms: &[String], rest: &[String]) -> Vec<u32> {
        let mut set: Vec<u32> = first_forms.iter().flat_map(|f| self.lookup(f)).collect();
        set.sort_unstable();
        set.dedup();
        for w in rest {
            if set.is_empty() {
                break;
            }
            let other = self.lookup(w);
            set.retain(|n| other.binary_search(n).is_ok());
        }
        set
    }

    /// The record number of each blob.
    pub fn by_blob(&self) -> HashMap<&str, u32> {
        self.records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.blob.as_str(), i as u32))
            .collect()
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn get_str<'a>(bytes: &'a [u8], at: &mut usize, end: usize) -> Option<&'a str> {
    let len = get_varint(bytes, at)? as usize;
    let stop = at.checked_add(len)?;
    if stop > end {
        return None;
    }
    let s = std::str::from_utf8(bytes.get(*at..stop)?).ok()?;
    *at = stop;
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(blob: &str) -> IndexedRecord {
        IndexedRecord {
            blob: blob.into(),
            info: StatementInfo {
                reference: format!("ini/{blob}"),
                initiative: "ini".into(),
                date: "2024-01-01".into(),
                speaker: (blob == "b").then(|| "Ада".to_string()),
            },
        }
    }

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lookups_after_a_round_trip_and_changes() {
        let mut b = SegmentBuilder::default();
        b.add(rec("a"), terms(&["air", "defence", "the"]));
        b.add(rec("b"), terms(&["the", "air"]));
        b.add(rec("c"), terms(&["defence", "air", "والدفاع"]));
        let seg = Segment::decode(b.encode()).expect("sound");
        assert_eq!(seg.records, b.records);
        assert_eq!(seg.lookup("air"), [0, 1, 2]);
        assert_eq!(seg.lookup("defence"), [0, 2]);
        assert_eq!(seg.lookup("nothing"), Vec::<u32>::new());
        assert_eq!(seg.lookup("والدفاع"), [2]);
        assert_eq!(
            seg.candidates(&terms(&["air"]), &terms(&["defence"])),
            [0, 2]
        );
        assert_eq!(
            seg.candidates(&terms(&["x", "the"]), &terms(&["air"])),
            [0, 1]
        );
        let mut back = seg.into_builder();
        assert_eq!(back, b);
        back.retain(|r| r.blob != "a");
        back.add(rec("d"), terms(&["defence"]));
        let seg = Segment::decode(back.encode()).expect("sound");
        assert_eq!(seg.lookup("defence"), [1, 2]);
        assert_eq!(seg.records[2].blob, "d");
        // Damaged bytes are refused or read as nothing, never a panic.
        let bytes = back.encode();
        for cut in [0, 5, MAGIC.len() + 3, bytes.len() / 2, bytes.len() - 1] {
            if let Some(s) = Segment::decode(bytes[..cut].to_vec()) {
                let _ = s.lookup("defence");
            }
        }
        let mut flipped = bytes.clone();
        let k = flipped.len() - 2;
        flipped[k] ^= 0xff;
        if let Some(s) = Segment::decode(flipped) {
            let _ = s.candidates(&terms(&["air"]), &terms(&["defence"]));
        }
    }
}
