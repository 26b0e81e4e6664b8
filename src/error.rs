//! One error type for the whole tool: what went wrong, where, why (causes) and what to
//! do next (a hint), plus the exit code it maps to.

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

/// The error every fallible function of the library returns.
#[derive(Debug)]
pub struct Error {
    pub message: String,
    pub location: Option<Location>,
    pub causes: Vec<String>,
    pub hint: Option<String>,
    pub exit_code: i32,
    /// Nothing to tell the analyst (the reader of our output went away).
    pub silent: bool,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            location: None,
            causes: Vec::new(),
            hint: None,
            exit_code: exit::ERROR,
            silent: false,
        }
    }

    /// Writing the output failed. A closed pipe (`dossier log | head`) is a normal end,
    /// as it is for git: exit 0, say nothing.
    pub fn output(e: std::io::Error) -> Self {
        let broken = e.kind() == std::io::ErrorKind::BrokenPipe;
        let mut err = Error::new("could not write the output").cause(e);
        if broken {
            err.exit_code = exit::OK;
            err.silent = true;
        }
        err
    }

    /// An error about a file, with what the OS said as the cause.
    pub fn io(what: &str, path: &Path, err: std::io::Error) -> Self {
        let hint = match err.kind() {
            std::io::ErrorKind::NotFound => Some("check the path".to_string()),
            std::io::ErrorKind::PermissionDenied => {
                Some("check the file's permissions".to_string())
            }
            _ => None,
        };
        Error {
            hint,
            ..Error::new(format!("could not {what} {}", path.display())).cause(err)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn cause(mut self, cause: impl fmt::Display) -> Self {
        self.causes.push(cause.to_string());
        self
    }

    /// Validation failures exit 1, not 2.
    pub fn invalid(mut self) -> Self {
        self.exit_code = exit::DIFFERENT_OR_INVALID;
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
        if let Some(hint) = &self.hint {
            write!(f, "\nHint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Shorthand for building an error with `format!` arguments.
#[macro_export]
macro_rules! err {
    ($($arg:tt)*) => { $crate::error::Error::new(format!($($arg)*)) };
}
