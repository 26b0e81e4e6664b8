//! One error type for the whole tool: what kind of failure (for callers to match on),
//! what went wrong, where, why (context lines and the source error's chain) and what to
//! do next (hints, in order), plus the exit code it maps to.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit codes, kept in one place. The diff convention: 0 same or ok, 1 different (only
/// when asked) or validation failed, 2 trouble.
pub mod exit {
    pub const OK: i32 = 0;
    pub const DIFFERENT_OR_INVALID: i32 = 1;
    pub const ERROR: i32 = 2;
}

/// A place in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<PathBuf>, line: u32, column: u32) -> Self {
        Location {
            file: file.into(),
            line: (line > 0).then_some(line),
            column: (column > 0).then_some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// What kind of failure an error is, for callers to match on (never on message text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Anything not more specific below.
    Other,
    /// A record or an input failed validation (exit 1).
    Invalid,
    /// A file could not be read or written; the source is the `std::io::Error`.
    Io,
    /// Writing our own output failed (a closed pipe is a normal end).
    Output,
    /// git (libgit2) failed.
    Git,
    /// No store where one was looked for.
    NoStore,
    /// An initiative that the store does not hold.
    UnknownInitiative,
    /// A statement reference that matches nothing.
    UnknownStatement,
    /// A revision that does not exist, or a record that did not exist at it.
    UnknownRevision,
    /// A record in the store that does not read (the problems are the message and hints).
    BrokenRecord,
}

/// The error every fallible function of the library returns.
#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// Boxed, as the source is, to keep `Result<T, Error>` small.
    pub location: Option<Box<Location>>,
    /// Context lines shown as `Caused by:` before the source chain.
    pub causes: Vec<String>,
    /// What to try next, in order; each is shown on a `Hint:` line.
    pub hints: Vec<String>,
    pub exit_code: i32,
    /// Nothing to tell the analyst (the reader of our output went away).
    pub silent: bool,
    /// What the error is about (an id, a reference), for the command layer's wording.
    pub subject: Option<Box<str>>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Other,
            message: message.into(),
            location: None,
            causes: Vec::new(),
            hints: Vec::new(),
            exit_code: exit::ERROR,
            silent: false,
            subject: None,
            source: None,
        }
    }

    /// Writing the output failed. A closed pipe (`dossier log | head`) is a normal end,
    /// as it is for git: exit 0, say nothing.
    pub fn output(e: std::io::Error) -> Self {
        let broken = e.kind() == std::io::ErrorKind::BrokenPipe;
        let mut err = Error::new("could not write the output")
            .kind(ErrorKind::Output)
            .source(e);
        if broken {
            err.exit_code = exit::OK;
            err.silent = true;
        }
        err
    }

    /// An error about a file, with what the OS said as the source.
    pub fn io(what: &str, path: &Path, err: std::io::Error) -> Self {
        let hint = match err.kind() {
            std::io::ErrorKind::NotFound => Some("check the path"),
            std::io::ErrorKind::PermissionDenied => Some("check the file's permissions"),
            _ => None,
        };
        let mut e = Error::new(format!("could not {what} {}", path.display()))
            .kind(ErrorKind::Io)
            .source(err);
        e.hints.extend(hint.map(str::to_string));
        e
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// Adds a hint after those already given.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        if !hint.is_empty() && !self.hints.contains(&hint) {
            self.hints.push(hint);
        }
        self
    }

    /// Adds a hint before those already given (the command layer's wording, say).
    pub fn hint_first(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        if !hint.is_empty() && !self.hints.contains(&hint) {
            self.hints.insert(0, hint);
        }
        self
    }

    /// A line of context shown as `Caused by:` (for an error value, prefer [`Error::source`]).
    pub fn cause(mut self, cause: impl fmt::Display) -> Self {
        self.causes.push(cause.to_string());
        self
    }

    /// The error this one comes from; its own chain is shown too, and kept for callers
    /// (`std::error::Error::source`).
    pub fn source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    pub fn kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// What the error is about (an id, a reference).
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into().into_boxed_str());
        self
    }

    /// Whether this is an error of `kind`.
    pub fn is(&self, kind: ErrorKind) -> bool {
        self.kind == kind
    }

    /// The I/O error kind at the root of this error, if it comes from one.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        let mut next = self
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static));
        while let Some(e) = next {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                return Some(io.kind());
            }
            next = e.source();
        }
        None
    }

    /// The first hint, if any.
    pub fn first_hint(&self) -> Option<&str> {
        self.hints.first().map(String::as_str)
    }

    /// Validation failures exit 1, not 2.
    pub fn invalid(mut self) -> Self {
        self.exit_code = exit::DIFFERENT_OR_INVALID;
        if self.kind == ErrorKind::Other {
            self.kind = ErrorKind::Invalid;
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{}", self.message)?;
        for cause in &self.causes {
            write!(f, "\nCaused by: {cause}")?;
        }
        let mut next = self
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static));
        while let Some(e) = next {
            match e.downcast_ref::<Error>() {
                // Ours shows its own chain and hints: take its message and context only.
                Some(ours) => {
                    write!(f, "\nCaused by: {}", ours.message)?;
                    for cause in &ours.causes {
                        write!(f, "\nCaused by: {cause}")?;
                    }
                }
                None => write!(f, "\nCaused by: {e}")?,
            }
            next = e.source();
        }
        for hint in &self.hints {
            write!(f, "\nHint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Shorthand for building an error with `format!` arguments.
#[macro_export]
macro_rules! err {
    ($($arg:tt)*) => { $crate::error::Error::new(format!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_causes_the_source_chain_and_every_hint() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = Error::io("read", Path::new("a.txt"), io)
            .cause("while importing")
            .hint("or pass another file")
            .hint("check the path")
            .hint_first("`dossier import FILE`");
        assert!(e.is(ErrorKind::Io));
        assert_eq!(e.io_kind(), Some(std::io::ErrorKind::NotFound));
        assert_eq!(
            e.to_string(),
            "could not read a.txt\nCaused by: while importing\nCaused by: no such file\n\
             Hint: `dossier import FILE`\nHint: check the path\nHint: or pass another file"
        );
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn a_nested_error_keeps_its_chain() {
        let inner = Error::new("inner").source(std::io::Error::other("root"));
        let outer = Error::new("outer").source(inner);
        assert_eq!(
            outer.to_string(),
            "outer\nCaused by: inner\nCaused by: root"
        );
        assert_eq!(outer.io_kind(), Some(std::io::ErrorKind::Other));
    }

    #[test]
    fn a_closed_pipe_is_silent_and_ok() {
        let e = Error::output(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(e.silent && e.exit_code == exit::OK && e.is(ErrorKind::Output));
        let e = Error::new("bad").invalid();
        assert_eq!(
            (e.kind, e.exit_code),
            (ErrorKind::Invalid, exit::DIFFERENT_OR_INVALID)
        );
    }
}
