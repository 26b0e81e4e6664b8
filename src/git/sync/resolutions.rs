//! Resolutions saved between `sync --resolve` and `sync --continue`, under
//! `.git/dossier/sync-resolutions.json`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Choice;
use crate::error::{Error, Result};
use crate::git::{git_err, Repo};

/// Resolutions saved between `sync --resolve` and `sync --continue`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct SavedResolutions {
    /// The remote tip the resolutions were made against.
    pub remote_tip: String,
    /// The local branch's tip they were made against: a decision taken before a later
    /// local commit is stale.
    #[serde(default)]
    pub local_tip: String,
    /// path -> (choice, blob id of the chosen content, or empty for a deletion)
    pub resolutions: BTreeMap<String, (Choice, String)>,
}

impl Repo {
    pub(super) fn resolutions_path(&self) -> PathBuf {
        self.git_dir().join("dossier").join("sync-resolutions.json")
    }

    pub(super) fn load_resolutions(&self) -> SavedResolutions {
        std::fs::read(self.resolutions_path())
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Settles one conflicting record for the next `sync --continue`: `content` is the
    /// chosen version (`None`: the record is deleted).
    pub fn save_resolution(
        &self,
        remote_tip: &str,
        path: &str,
        choice: Choice,
        content: Option<&[u8]>,
    ) -> Result<()> {
        let local_tip = self
            .repo
            .refname_to_id(&self.branch_ref()?)
            .map_err(|e| git_err("read the branch", e))?
            .to_string();
        let mut saved = self.load_resolutions();
        if saved.remote_tip != remote_tip || saved.local_tip != local_tip {
            saved = SavedResolutions {
                remote_tip: remote_tip.to_string(),
                local_tip,
                ..Default::default()
            };
        }
        let blob = match content {
            Some(c) => self
                .repo
                .blob(c)
                .map_err(|e| git_err("store a resolution", e))?
                .to_string(),
            None => String::new(),
        };
        saved.resolutions.insert(path.to_string(), (choice, blob));
        let file = self.resolutions_path();
        let json = serde_json::to_vec_pretty(&saved)
            .map_err(|e| Error::new("could not save the resolution").cause(e))?;
        crate::fsio::write_atomic(&file, &json)
    }

    /// The remote tip that pending conflicts are against, from the last fetch.
    pub fn remote_tip(&self, remote: Option<&str>) -> Result<(String, String)> {
        let branch = self.current_branch()?;
        let remote = self.pick_remote(remote, &branch)?;
        let id = self
            .repo
            .refname_to_id(&format!("refs/remotes/{remote}/{branch}"))
            .map_err(|_| Error::new("nothing was fetched yet").hint("run `dossier sync` first"))?;
        Ok((remote, id.to_string()))
    }
}
