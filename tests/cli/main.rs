//! One integration-test binary, a module per area. Each test drives the built binary in
//! a hermetic environment (see `common`).
// Test and bench code sets up stores, servers and processes: clippy.toml's lists are
// for the library and the binary.
#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod analysis;
mod bounded;
mod browse;
mod bundled_matching;
mod comfort;
mod common;
mod cut_push;
mod diff;
mod escape_audit;
pub(crate) mod failed_sync;
mod fit;
pub(crate) mod hardening;
mod hostile_remote;
mod layout;
mod matching;
mod merge;
mod outputs;
mod provenance;
pub(crate) mod races;
pub(crate) mod recovery;
mod scale;
mod side_by_side;
mod significance;
mod store;
pub(crate) mod sync;
mod trace_stem;
mod wording_structure;
