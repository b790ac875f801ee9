//! A model file the page keeps: a baseline or a trained classifier. Either is JSON the
//! core checks on reading; the page keeps its text in `localStorage` with a switch saying
//! whether analyses use it. The buttons that load, download, switch and forget one are
//! in `model_actions`.

pub use crate::model_file::ModelFile;
use leptos::prelude::*;

/// Which kind of model a kept file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptModelKind {
    /// A baseline (`loglens learn`).
    Baseline,
    /// A flow classifier (`loglens train`).
    Classifier,
}

impl KeptModelKind {
    fn storage_key(self) -> &'static str {
        match self {
            KeptModelKind::Baseline => "loglens.baseline",
            KeptModelKind::Classifier => "loglens.classifier",
        }
    }

    pub(crate) fn test_id(self) -> &'static str {
        match self {
            KeptModelKind::Baseline => "baseline",
            KeptModelKind::Classifier => "classifier",
        }
    }

    /// Reads a model file's text; the error is a sentence for the page.
    pub fn read(self, json: &str) -> Result<ModelFile, String> {
        match self {
            KeptModelKind::Baseline => crate::baseline_store::read(json),
            KeptModelKind::Classifier => crate::classifier_store::read(json),
        }
    }
}

/// The page's slot for one kind of model.
#[derive(Debug, Clone, Copy)]
pub struct ModelSlot {
    pub which: KeptModelKind,
    pub kept: RwSignal<Option<ModelFile>>,
    pub in_use: RwSignal<bool>,
    pub problem: RwSignal<Option<String>>,
    /// True while a run learns or trains one.
    pub busy: RwSignal<bool>,
}

impl ModelSlot {
    /// The slot as this browser left it.
    pub fn remembered(which: KeptModelKind) -> Self {
        let storage = storage();
        let kept = storage
            .as_ref()
            .and_then(|s| s.get_item(which.storage_key()).ok().flatten())
            .and_then(|json| which.read(&json).ok());
        let in_use = storage
            .and_then(|s| s.get_item(&in_use_key(which)).ok().flatten())
            .as_deref()
            != Some("off");
        Self {
            which,
            kept: RwSignal::new(kept),
            in_use: RwSignal::new(in_use),
            problem: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// The JSON to send with an analysis, when one is kept and in use.
    pub fn json_in_use(&self) -> Option<String> {
        if !self.in_use.get_untracked() {
            return None;
        }
        self.kept
            .with_untracked(|k| k.as_ref().map(|k| k.json.to_string()))
    }

    /// Keeps `model` and uses it from now on.
    pub fn keep(&self, model: ModelFile) {
        self.in_use.set(true);
        self.remember(Some(&model));
        self.kept.set(Some(model));
    }

    /// Uses the kept model, or not, from now on.
    pub fn set_in_use(&self, in_use: bool) {
        self.in_use.set(in_use);
        let kept = self.kept.get_untracked();
        self.remember(kept.as_ref());
    }

    /// Forgets the kept model; returns whether it was in use.
    pub fn forget(&self) -> bool {
        let was_used = self.in_use.get_untracked() && self.kept.with_untracked(Option::is_some);
        self.kept.set(None);
        self.remember(None);
        was_used
    }

    fn remember(&self, model: Option<&ModelFile>) {
        let Some(storage) = storage() else {
            self.problem
                .set(Some("This browser keeps nothing for this page.".to_owned()));
            return;
        };
        let kept = match model {
            Some(model) => storage.set_item(self.which.storage_key(), &model.json),
            None => storage.remove_item(self.which.storage_key()),
        };
        let in_use = if self.in_use.get_untracked() {
            "on"
        } else {
            "off"
        };
        let _ = storage.set_item(&in_use_key(self.which), in_use);
        self.problem
            .set(kept.err().map(|_| {
                "The browser refused to keep it (its storage is full or off).".to_owned()
            }));
    }
}

fn in_use_key(which: KeptModelKind) -> String {
    format!("{}.in_use", which.storage_key())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
