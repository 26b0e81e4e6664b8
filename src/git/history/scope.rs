//! Which paths the history index records: the caller's patterns (a `*` stands for one
//! whole path segment) and the folders never to open. The walk descends only into a
//! folder that some pattern can reach below and records only the files a pattern
//! matches, so trees that cannot hold a record (a store's `sources/`, its annotations,
//! the rest of the repository) are never read.

/// The paths a history index records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    patterns: Vec<Vec<String>>,
    skip: Vec<String>,
}

impl Scope {
    /// Every path of the repository.
    pub fn everything() -> Scope {
        Scope {
            patterns: Vec::new(),
            skip: Vec::new(),
        }
    }

    /// The files that match one of `patterns` (git paths, `*` for one whole segment, as in
    /// `tracked/*/statements/*`), never looking inside the folders `skip` (git paths).
    pub fn of(patterns: &[String], skip: &[String]) -> Scope {
        Scope {
            patterns: patterns
                .iter()
                .map(|p| p.split('/').map(str::to_string).collect())
                .collect(),
            skip: skip.to_vec(),
        }
    }

    /// The scope as text, saved in the index so that an index of other paths is rebuilt.
    pub(super) fn key(&self) -> String {
        let mut out = String::new();
        for p in &self.patterns {
            out.push_str(&p.join("/"));
            out.push('\n');
        }
        for s in &self.skip {
            out.push('!');
            out.push_str(s);
            out.push('\n');
        }
        out
    }

    fn matches(pattern: &[String], segments: &[&[u8]]) -> bool {
        pattern
            .iter()
            .zip(segments)
            .all(|(p, s)| p == "*" || p.as_bytes() == *s)
    }

    /// Whether the walk may hold a record below the folder `dir` (a git path, no
    /// trailing `/`).
    pub(super) fn descends(&self, dir: &[u8]) -> bool {
        if self.patterns.is_empty() {
            return true;
        }
        if self.skip.iter().any(|s| s.as_bytes() == dir) {
            return false;
        }
        let segments: Vec<&[u8]> = dir.split(|&b| b == b'/').collect();
        self.patterns
            .iter()
            .any(|p| p.len() > segments.len() && Self::matches(p, &segments))
    }

    /// Whether the file `path` (a git path) is recorded.
    pub(super) fn records(&self, path: &[u8]) -> bool {
        if self.patterns.is_empty() {
            return true;
        }
        let segments: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
        self.patterns
            .iter()
            .any(|p| p.len() == segments.len() && Self::matches(p, &segments))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_scope() -> Scope {
        Scope::of(
            &[
                "tracked/*/initiative.yaml".to_string(),
                "tracked/*/statements/*".to_string(),
            ],
            &["tracked/sources".to_string()],
        )
    }

    #[test]
    fn descends_only_where_a_record_can_be() {
        let s = store_scope();
        assert!(s.descends(b"tracked"));
        assert!(s.descends(b"tracked/ini-a"));
        assert!(s.descends(b"tracked/ini-a/statements"));
        assert!(!s.descends(b"tracked/sources"));
        assert!(!s.descends(b"tracked/ini-a/annotations"));
        assert!(!s.descends(b"tracked/ini-a/statements/deeper"));
        assert!(!s.descends(b"seeds"));
        assert!(!s.descends(b"src"));
    }

    #[test]
    fn records_only_record_files() {
        let s = store_scope();
        assert!(s.records(b"tracked/ini-a/initiative.yaml"));
        assert!(s.records(b"tracked/ini-a/statements/2024-01-01-x.yaml"));
        assert!(!s.records(b"tracked/dossier.yaml"));
        assert!(!s.records(b"tracked/ini-a/notes.yaml"));
        assert!(!s.records(b"README.md"));
        let all = Scope::everything();
        assert!(all.records(b"README.md") && all.descends(b"tracked/sources"));
        assert_ne!(s.key(), all.key());
        assert_eq!(s.key(), store_scope().key());
    }
}
