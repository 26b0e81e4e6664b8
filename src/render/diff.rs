//! Renderers for diffs.
