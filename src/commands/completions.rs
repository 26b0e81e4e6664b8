//! `dossier completions SHELL`, `dossier man [COMMAND]` and the hidden
//! `dossier __complete-refs` that completion scripts call.
//!
//! clap_complete writes static scripts (commands, flags, fixed values). For bash and fish
//! a small addition completes initiative ids and statement refs from the store by running
//! `dossier __complete-refs` (honouring `--store` on the line and `$DOSSIER_STORE`):
//!
//! - bash: a wrapper around clap's `_dossier` function takes over positional arguments of
//!   `show`, `edit`, `history`, `diff` and `cite` (refs and initiatives), `log`, `export` and `record`
//!   (initiatives); options and their values are left to clap's script.
//! - fish: extra `complete` lines for the same commands.
//! - zsh, elvish, powershell: commands and flags only.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::emit;
use crate::cli::{Cli, CompleteRefsArgs, CompletionsArgs, ManArgs, RefKind};
use crate::context::Context;
use crate::error::{exit, Error, Result};

const BIN: &str = "dossier";

pub fn run_completions(args: CompletionsArgs, out: &mut dyn Write) -> Result<i32> {
    let mut cmd = visible_command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, BIN, &mut script);
    let mut script = String::from_utf8(script)
        .map_err(|e| Error::new("the completion script is not UTF-8").cause(e))?;
    match args.shell {
        Shell::Bash => {
            script.push_str(&BASH_DYNAMIC.replace("@FLAGS@", &bool_flags(&cmd).join(" ")))
        }
        Shell::Fish => script.push_str(FISH_DYNAMIC),
        Shell::Zsh => script = zsh_dynamic(&script),
        _ => {}
    }
    emit(out, &script)?;
    Ok(exit::OK)
}

/// Completes initiative ids and statement refs for the positional arguments of the commands
/// that take them, and leaves options and their values to clap's `_dossier`. `@FLAGS@` is
/// replaced by every flag that takes no value, so that the values of the others are not
/// counted as positional arguments.
const BASH_DYNAMIC: &str = r#"
# --- dossier: initiative ids and statement refs from the store -------------------------
_dossier_refs() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    local flags=" @FLAGS@ "
    local sub="" kind="" max=1 n=0 i word
    local -a store=()
    for (( i = 1; i < COMP_CWORD; i++ )); do
        word="${COMP_WORDS[i]}"
        if [[ -z "$sub" ]]; then
            case "$word" in
                --store) store=(--store "${COMP_WORDS[i+1]}"); (( i++ )) ;;
                --store=*) store=("$word") ;;
                -*=*) ;;
                -*) [[ "$flags" == *" $word "* ]] || (( i++ )) ;;
                *) sub="$word" ;;
            esac
        elif [[ "$word" == -*=* ]]; then
            :
        elif [[ "$word" == -* ]]; then
            [[ "$flags" == *" $word "* ]] || (( i++ ))
        else
            (( n++ ))
        fi
    done
    case "$sub" in
        show|edit|history|annotate) kind=statements ;;
        diff) kind=all; max=2 ;;
        cite) kind=all; max=1000 ;;
        log|export|record) kind=initiatives ;;
    esac
    # A positional word: not an option, not an option's value, and not one too many.
    if [[ -n "$kind" && "$cur" != -* && $n -lt $max ]] &&
        [[ "$prev" != -* || "$prev" == *=* || "$flags" == *" $prev "* ]]; then
        local IFS=$'\n'
        COMPREPLY=( $(compgen -W "$(command dossier "${store[@]}" __complete-refs "$kind" 2>/dev/null)" -- "$cur") )
        return 0
    fi
    _dossier "$@"
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _dossier_refs -o nosort -o bashdefault -o default dossier
else
    complete -F _dossier_refs -o bashdefault -o default dossier
fi
"#;

/// Helpers for zsh: clap's script calls them for the positional arguments named
/// `reference`, `initiative`, `a` and `b` (see [`zsh_dynamic`]).
const ZSH_HELPERS: &str = r#"
# --- dossier: initiative ids and statement refs from the store -------------------------
_dossier_complete_refs() {
    local -a refs store
    local i=${words[(I)--store]}
    (( i )) && store=(--store "${words[i+1]}")
    refs=(${(f)"$(command dossier "${store[@]}" __complete-refs "$1" 2>/dev/null)"})
    compadd -a refs
}
_dossier_refs_statements() { _dossier_complete_refs statements }
_dossier_refs_initiatives() { _dossier_complete_refs initiatives }
_dossier_refs_all() { _dossier_complete_refs all }
"#;

/// The command line without its hidden parts: clap_complete would otherwise offer
/// `__complete-refs` as a command.
fn visible_command() -> clap::Command {
    let full = Cli::command();
    let mut cmd = clap::Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .args(full.get_arguments().filter(|a| !a.is_hide_set()).cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    cmd
}

/// Every flag, in any command, that takes no value (`--steps`, `-q`...).
fn bool_flags(cmd: &clap::Command) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    collect_bool_flags(cmd, &mut out);
    out.into_iter().collect()
}

fn collect_bool_flags(cmd: &clap::Command, out: &mut std::collections::BTreeSet<String>) {
    for arg in cmd.get_arguments() {
        if arg.is_positional() || arg.get_action().takes_values() {
            continue;
        }
        if let Some(long) = arg.get_long() {
            out.insert(format!("--{long}"));
        }
        if let Some(short) = arg.get_short() {
            out.insert(format!("-{short}"));
        }
    }
    // clap adds --help and --version when building; they take no value either.
    out.extend(["--help", "-h", "--version", "-V"].map(String::from));
    for sub in cmd.get_subcommands() {
        collect_bool_flags(sub, out);
    }
}

/// clap's zsh script with the positional refs and initiatives completed from the store:
/// the helpers go after the `#compdef` line (so they exist when the autoloaded function
/// first runs) and the `_default` action of those arguments is replaced.
fn zsh_dynamic(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + ZSH_HELPERS.len());
    let mut lines = script.lines();
    if let Some(first) = lines.next() {
        out.push_str(first);
        out.push('\n');
        out.push_str(ZSH_HELPERS);
    }
    for line in lines {
        let helper = [
            ("':reference -- ", "_dossier_refs_statements"),
            ("':initiative -- ", "_dossier_refs_initiatives"),
            ("'::initiative -- ", "_dossier_refs_initiatives"),
            ("':a -- ", "_dossier_refs_all"),
            ("'::b -- ", "_dossier_refs_statements"),
        ]
        .iter()
        .find(|(prefix, _)| line.starts_with(prefix))
        .map(|(_, helper)| *helper);
        match helper {
            Some(h) if line.ends_with(":_default' \\") => {
                let cut = line.len() - ":_default' \\".len();
                out.push_str(&line[..cut]);
                out.push_str(&format!(":{h}' \\"));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Extra fish completions for positional refs and initiatives.
const FISH_DYNAMIC: &str = r#"
# --- dossier: initiative ids and statement refs from the store -------------------------
complete -c dossier -n "__fish_seen_subcommand_from show edit history annotate" -f -a "(dossier __complete-refs statements 2>/dev/null)"
complete -c dossier -n "__fish_seen_subcommand_from diff cite" -f -a "(dossier __complete-refs all 2>/dev/null)"
complete -c dossier -n "__fish_seen_subcommand_from log export record" -f -a "(dossier __complete-refs initiatives 2>/dev/null)"
"#;

/// `dossier man [COMMAND]`: the roff page of dossier or of `dossier-COMMAND`.
pub fn run_man(args: ManArgs, out: &mut dyn Write) -> Result<i32> {
    let mut root = Cli::command();
    // Building sets each command's full name (`dossier show`) for its synopsis.
    root.build();
    let page = match &args.command {
        None => root,
        Some(name) => {
            let found = root
                .get_subcommands()
                .find(|c| {
                    !c.is_hide_set()
                        && (c.get_name() == name || c.get_all_aliases().any(|a| a == name))
                })
                .cloned();
            match found {
                Some(sub) => {
                    let page_name = format!("{BIN}-{}", sub.get_name());
                    sub.display_name(page_name)
                }
                None => {
                    let names: Vec<&str> = root
                        .get_subcommands()
                        .filter(|c| !c.is_hide_set())
                        .map(|c| c.get_name())
                        .collect();
                    let hint = match crate::store::codec::did_you_mean(name, &names) {
                        Some(close) => format!("did you mean `dossier man {close}`?"),
                        None => format!("the commands are: {}", names.join(", ")),
                    };
                    return Err(Error::new(format!("there is no command `{name}`"))
                        .hint(hint)
                        .invalid());
                }
            }
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .map_err(|e| Error::new("could not write the manual page").cause(e))?;
    let roff =
        String::from_utf8(roff).map_err(|e| Error::new("the manual page is not UTF-8").cause(e))?;
    emit(out, &roff)?;
    Ok(exit::OK)
}

/// Initiative ids and statement refs (and bare statement ids), one a line, from the
/// layout alone (no record is read). Outside a store it prints nothing: completion must
/// never fail loudly.
pub fn run_complete_refs(
    ctx: &Context,
    args: CompleteRefsArgs,
    out: &mut dyn Write,
) -> Result<i32> {
    let Ok(store) = ctx.store() else {
        return Ok(exit::OK);
    };
    let ids = store.initiative_ids().unwrap_or_default();
    let mut lines = Vec::new();
    if matches!(args.kind, RefKind::Initiatives | RefKind::All) {
        lines.extend(ids.iter().cloned());
    }
    if matches!(args.kind, RefKind::Statements | RefKind::All) {
        let mut bare = Vec::new();
        for ini in &ids {
            for path in store.statement_paths(ini).unwrap_or_default() {
                if let Some((i, id)) = store.statement_ref(&path) {
                    lines.push(format!("{i}/{id}"));
                    bare.push(id);
                }
            }
        }
        bare.sort();
        bare.dedup();
        lines.extend(bare);
    }
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    emit(out, &text)?;
    Ok(exit::OK)
}
