//! The settings in force for one invocation and where each came from: a flag, the
//! environment, personal git config (`dossier.*` keys, e.g. `git config --global
//! dossier.pager "less -R"`), the store's `dossier.yaml`, or the built-in default.
//!
//! Precedence, highest first:
//!
//! - store: `--store`, `$DOSSIER_STORE`, the nearest folder upwards holding `dossier.yaml`
//!   (else `./tracked`).
//! - color: `--color always|never`, git config `dossier.color`, `$NO_COLOR` (never),
//!   `$CLICOLOR_FORCE` (always), `$CLICOLOR=0` (never), auto (not with `TERM=dumb`).
//! - pager: `--no-pager`, `$DOSSIER_PAGER`, git config `dossier.pager`, `$PAGER`,
//!   `less -FRX`. An empty value or `cat` means no pager.
//! - default_language: git config `dossier.defaultLanguage`, the store's
//!   `default_language`, none.
//! - match_threshold: `diff --match-threshold`, the store's `match_threshold`, 0.5.
//! - editor: `$VISUAL`, `$EDITOR`.
//!
//! `--color auto` cannot be told apart from no flag: it gives way to `dossier.color`.
//! Personal git config wins over the store's `default_language`: the store's value is the
//! team's default, yours is yours. Nothing here writes; `dossier config` shows the result.

use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::cli::ColorChoice;
use crate::git::config::{dossier_entries, ConfigEntry, Scope};
use crate::record::StoreSettings;

/// The pager used when nothing else is set, as git uses it.
pub const DEFAULT_PAGER: &str = "less -FRX";

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Origin {
    Flag {
        flag: String,
    },
    Environment {
        variable: String,
    },
    GitConfig {
        scope: Scope,
        key: String,
    },
    StoreFile {
        file: String,
    },
    /// The store was found by looking upwards from the current folder.
    Found,
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag { flag } => write!(f, "flag {flag}"),
            Origin::Environment { variable } => write!(f, "environment ${variable}"),
            Origin::GitConfig { scope, key } => write!(f, "git config ({}) {key}", scope.as_str()),
            Origin::StoreFile { file } => write!(f, "store file {file}"),
            Origin::Found => f.write_str("found from the current folder"),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// One setting in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setting {
    pub name: &'static str,
    /// `None`: unset (no pager, no default language...).
    pub value: Option<String>,
    pub origin: Origin,
    /// What it changes, in a few words.
    pub about: &'static str,
    /// A value that was set but could not be used, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl Setting {
    fn new(name: &'static str, about: &'static str, value: Option<String>, origin: Origin) -> Self {
        Setting {
            name,
            value,
            origin,
            about,
            problem: None,
        }
    }
}

/// The personal `dossier.*` git config values.
#[derive(Debug, Clone, Default)]
pub struct Personal {
    entries: Vec<ConfigEntry>,
}

impl Personal {
    /// Reads git config as it applies in `dir` (its repository's, else the user's). A
    /// config that cannot be read counts as empty: personal settings never stop a command.
    pub fn load(dir: Option<&Path>) -> Personal {
        Personal {
            entries: dossier_entries(dir).unwrap_or_default(),
        }
    }

    /// Personal settings from given entries (lowest precedence first), for tests.
    pub fn from_entries(entries: Vec<ConfigEntry>) -> Personal {
        Personal { entries }
    }

    /// The value in force for a key such as `dossier.defaultLanguage` (case-insensitive,
    /// as git's keys are).
    pub fn get(&self, key: &str) -> Option<&ConfigEntry> {
        let key = key.to_ascii_lowercase();
        self.entries.iter().rev().find(|e| e.key == key)
    }

    fn origin(&self, entry: &ConfigEntry, key: &str) -> Origin {
        Origin::GitConfig {
            scope: entry.scope,
            key: key.to_string(),
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Time allowed for each wording diff: `DOSSIER_DIFF_DEADLINE` (seconds, e.g. `0.5`; `0`
/// gives every changed passage up at once, as the tests do), else 2 s. Past it a diff
/// shows the passages left as replaced whole and says so in a note.
pub fn diff_deadline() -> std::time::Duration {
    env("DOSSIER_DIFF_DEADLINE")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(
            std::time::Duration::from_secs(2),
            std::time::Duration::from_secs_f64,
        )
}

/// Where the store is, and why there.
pub fn store(explicit: Option<&Path>, located: Option<&Path>) -> Setting {
    const ABOUT: &str = "the store commands work on";
    let shown = located.map(|p| p.display().to_string());
    match explicit {
        Some(given) => {
            let from_env =
                std::env::var_os("DOSSIER_STORE").is_some_and(|v| Path::new(&v) == given);
            let origin = if from_env {
                Origin::Environment {
                    variable: "DOSSIER_STORE".into(),
                }
            } else {
                Origin::Flag {
                    flag: "--store".into(),
                }
            };
            let mut s = Setting::new("store", ABOUT, shown, origin);
            if located.is_none() {
                s.value = Some(given.display().to_string());
                s.problem = Some("not a dossier store (no dossier.yaml)".into());
            }
            s
        }
        None => {
            let mut s = Setting::new("store", ABOUT, shown, Origin::Found);
            if located.is_none() {
                s.origin = Origin::Default;
                s.problem = Some("no store here: create one with `dossier init DIR`".into());
            }
            s
        }
    }
}

/// The colour choice in force: the flag (unless `auto`), then `dossier.color`, then
/// `NO_COLOR`, `CLICOLOR_FORCE`, `CLICOLOR=0`, then auto (colour on a terminal unless
/// `TERM=dumb`).
pub fn color(flag: ColorChoice, personal: &Personal) -> (ColorChoice, Setting) {
    const ABOUT: &str = "colour in output: auto, always or never";
    let word = |c: ColorChoice| match c {
        ColorChoice::Auto => "auto",
        ColorChoice::Always => "always",
        ColorChoice::Never => "never",
    };
    if flag != ColorChoice::Auto {
        let origin = Origin::Flag {
            flag: "--color".into(),
        };
        return (
            flag,
            Setting::new("color", ABOUT, Some(word(flag).into()), origin),
        );
    }
    let mut problem = None;
    if let Some(entry) = personal.get("dossier.color") {
        let choice = match entry.value.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(ColorChoice::Auto),
            "always" | "true" | "on" => Some(ColorChoice::Always),
            "never" | "false" | "off" => Some(ColorChoice::Never),
            _ => None,
        };
        match choice {
            Some(c) => {
                let origin = personal.origin(entry, "dossier.color");
                return (
                    c,
                    Setting::new("color", ABOUT, Some(word(c).into()), origin),
                );
            }
            None => {
                problem = Some(format!(
                    "git config dossier.color is `{}`: use auto, always or never",
                    entry.value
                ))
            }
        }
    }
    // The conventions of no-color.org and bixense.com/clicolors, in anstream's order.
    let from = |variable: &str| Origin::Environment {
        variable: variable.into(),
    };
    let (choice, origin) = if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        (ColorChoice::Never, from("NO_COLOR"))
    } else if env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty()) {
        (ColorChoice::Always, from("CLICOLOR_FORCE"))
    } else if env("CLICOLOR").is_some_and(|v| v == "0") {
        (ColorChoice::Never, from("CLICOLOR"))
    } else {
        (ColorChoice::Auto, Origin::Default)
    };
    let mut s = Setting::new("color", ABOUT, Some(word(choice).into()), origin);
    s.problem = problem;
    (choice, s)
}

/// The pager command in force (`value: None`: no pager). An empty value or `cat` turns
/// paging off, as in git.
pub fn pager(no_pager: bool, personal: &Personal) -> Setting {
    const ABOUT: &str = "pages long output (diff, log, show, timeline...) on a terminal";
    if no_pager {
        let origin = Origin::Flag {
            flag: "--no-pager".into(),
        };
        return Setting::new("pager", ABOUT, None, origin);
    }
    let off = |cmd: String| {
        let t = cmd.trim();
        (!t.is_empty() && t != "cat").then(|| t.to_string())
    };
    if let Some(v) = env("DOSSIER_PAGER") {
        let origin = Origin::Environment {
            variable: "DOSSIER_PAGER".into(),
        };
        return Setting::new("pager", ABOUT, off(v), origin);
    }
    if let Some(entry) = personal.get("dossier.pager") {
        let origin = personal.origin(entry, "dossier.pager");
        return Setting::new("pager", ABOUT, off(entry.value.clone()), origin);
    }
    if let Some(v) = env("PAGER") {
        let origin = Origin::Environment {
            variable: "PAGER".into(),
        };
        return Setting::new("pager", ABOUT, off(v), origin);
    }
    Setting::new("pager", ABOUT, Some(DEFAULT_PAGER.into()), Origin::Default)
}

/// The language `record` assumes when `--lang` is not given: `dossier.defaultLanguage`,
/// then the store's `default_language`.
pub fn default_language(personal: &Personal, store: Option<&StoreSettings>) -> Setting {
    const ABOUT: &str = "the language `record` assumes without --lang";
    if let Some(entry) = personal.get("dossier.defaultLanguage") {
        let value = entry.value.trim().to_string();
        let origin = personal.origin(entry, "dossier.defaultLanguage");
        let problem = crate::record::language_problem(&value);
        let mut s = Setting::new("default_language", ABOUT, Some(value), origin);
        if let Some(p) = problem {
            s.problem = Some(format!("not a language tag: {p}"));
        }
        return s;
    }
    match store.and_then(|s| s.default_language.clone()) {
        Some(lang) => Setting::new(
            "default_language",
            ABOUT,
            Some(lang),
            Origin::StoreFile {
                file: crate::store::SETTINGS_FILE.into(),
            },
        ),
        None => Setting::new("default_language", ABOUT, None, Origin::Default),
    }
}

/// The language `record` uses without `--lang` in `store` (personal git config first).
pub fn record_language(store: &crate::store::Store) -> Option<String> {
    let personal = Personal::load(Some(store.root()));
    default_language(&personal, Some(&store.settings))
        .value
        .filter(|v| !v.is_empty())
}

/// The similarity below which `diff` does not match two items.
pub fn match_threshold(store: Option<&StoreSettings>) -> Setting {
    const ABOUT: &str = "similarity (0 to 1) below which diff does not match two items";
    match store.and_then(|s| s.match_threshold) {
        Some(t) => Setting::new(
            "match_threshold",
            ABOUT,
            Some(t.to_string()),
            Origin::StoreFile {
                file: crate::store::SETTINGS_FILE.into(),
            },
        ),
        None => Setting::new(
            "match_threshold",
            ABOUT,
            Some(crate::diff::DEFAULT_MATCH_THRESHOLD.to_string()),
            Origin::Default,
        ),
    }
}

/// How `diff` shows the wording in its table output: `inline` (one text, words marked)
/// or `side-by-side` (two columns aligned by sentence). `--side-by-side` and `--inline`
/// win, then git config `dossier.diff.view`, then inline. True for side by side.
pub fn diff_view(side_by_side: bool, inline: bool, personal: &Personal) -> (bool, Setting) {
    const ABOUT: &str = "how diff shows the wording: inline or side-by-side";
    let word = |sbs: bool| if sbs { "side-by-side" } else { "inline" };
    if side_by_side || inline {
        let flag = if side_by_side {
            "--side-by-side"
        } else {
            "--inline"
        };
        let origin = Origin::Flag { flag: flag.into() };
        return (
            side_by_side,
            Setting::new("diff.view", ABOUT, Some(word(side_by_side).into()), origin),
        );
    }
    if let Some(entry) = personal.get("dossier.diff.view") {
        let origin = personal.origin(entry, "dossier.diff.view");
        match entry.value.trim().to_ascii_lowercase().as_str() {
            v @ ("inline" | "side-by-side") => {
                let sbs = v == "side-by-side";
                return (
                    sbs,
                    Setting::new("diff.view", ABOUT, Some(word(sbs).into()), origin),
                );
            }
            _ => {
                let mut s =
                    Setting::new("diff.view", ABOUT, Some("inline".into()), Origin::Default);
                s.problem = Some(format!(
                    "git config dossier.diff.view is `{}`: use inline or side-by-side",
                    entry.value
                ));
                return (false, s);
            }
        }
    }
    (
        false,
        Setting::new("diff.view", ABOUT, Some("inline".into()), Origin::Default),
    )
}

/// The editor `record --edit` and `edit` open.
pub fn editor() -> Setting {
    const ABOUT: &str = "the editor for `record --edit` and `edit`";
    for variable in ["VISUAL", "EDITOR"] {
        if let Some(v) = env(variable).filter(|v| !v.trim().is_empty()) {
            let origin = Origin::Environment {
                variable: variable.into(),
            };
            return Setting::new("editor", ABOUT, Some(v), origin);
        }
    }
    let mut s = Setting::new("editor", ABOUT, None, Origin::Default);
    s.problem = Some("set one, e.g. `export EDITOR=nano`".into());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, value: &str, scope: Scope) -> ConfigEntry {
        ConfigEntry {
            key: key.to_ascii_lowercase(),
            value: value.into(),
            scope,
        }
    }

    #[test]
    fn the_last_git_config_value_wins() {
        let p = Personal::from_entries(vec![
            entry("dossier.defaultLanguage", "ru", Scope::Global),
            entry("dossier.defaultLanguage", "ar", Scope::Local),
        ]);
        let s = default_language(&p, None);
        assert_eq!(s.value.as_deref(), Some("ar"));
        assert_eq!(
            s.origin,
            Origin::GitConfig {
                scope: Scope::Local,
                key: "dossier.defaultLanguage".into()
            }
        );
    }

    #[test]
    fn personal_language_wins_over_the_store_file() {
        let store = StoreSettings {
            default_language: Some("ru".into()),
            ..StoreSettings::default()
        };
        let none = Personal::default();
        let s = default_language(&none, Some(&store));
        assert_eq!(s.value.as_deref(), Some("ru"));
        assert!(matches!(s.origin, Origin::StoreFile { .. }));
        let p = Personal::from_entries(vec![entry("dossier.defaultlanguage", "en", Scope::Global)]);
        assert_eq!(
            default_language(&p, Some(&store)).value.as_deref(),
            Some("en")
        );
    }

    #[test]
    fn a_color_flag_wins_and_bad_config_is_reported() {
        let p = Personal::from_entries(vec![entry("dossier.color", "sometimes", Scope::Global)]);
        let (c, s) = color(ColorChoice::Never, &p);
        assert_eq!(c, ColorChoice::Never);
        assert!(matches!(s.origin, Origin::Flag { .. }));
        let (_, s) = color(ColorChoice::Auto, &p);
        assert!(s.problem.unwrap().contains("sometimes"));
        let p = Personal::from_entries(vec![entry("dossier.color", "always", Scope::Local)]);
        assert_eq!(color(ColorChoice::Auto, &p).0, ColorChoice::Always);
    }

    #[test]
    fn diff_view_from_flags_then_git_config() {
        let p = Personal::from_entries(vec![entry(
            "dossier.diff.view",
            "side-by-side",
            Scope::Global,
        )]);
        assert!(diff_view(false, false, &p).0);
        assert!(!diff_view(false, true, &p).0);
        assert!(diff_view(true, false, &Personal::default()).0);
        assert!(!diff_view(false, false, &Personal::default()).0);
        let bad = Personal::from_entries(vec![entry("dossier.diff.view", "columns", Scope::Local)]);
        let (sbs, s) = diff_view(false, false, &bad);
        assert!(!sbs && s.problem.unwrap().contains("columns"));
    }

    #[test]
    fn no_pager_flag_turns_paging_off() {
        let p = Personal::from_entries(vec![entry("dossier.pager", "most", Scope::Global)]);
        assert_eq!(pager(true, &p).value, None);
    }
}
