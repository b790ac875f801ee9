//! Trained flow classifiers as the page keeps them (see [`crate::kept_model`]): read and
//! checked by the core, named after the file they were trained on.

use crate::model_file::{ModelFile, file_name};
use loglens_core::supervised::ClassifierFile;

/// Reads a classifier file's text; the error is a sentence for the page.
pub fn read(json: &str) -> Result<ModelFile, String> {
    let file = ClassifierFile::from_json(json)
        .map_err(|e| format!("This file cannot be used as a classifier: {e}."))?;
    Ok(kept(&file, json.to_owned()))
}

/// A classifier just trained on `source`, named after it.
pub fn trained(mut file: ClassifierFile, source: &str) -> ModelFile {
    file.trained_on = source.to_owned();
    let json = file.to_json();
    kept(&file, json)
}

fn kept(file: &ClassifierFile, json: String) -> ModelFile {
    ModelFile {
        json: json.into(),
        summary: format!(
            "Classifier: trained on {} ({} rows).",
            loglens_core::display_text::for_display(&file.trained_on, 80),
            loglens_core::figures::group_thousands(file.rows.len() as u64)
        ),
        file_name: file_name("classifier", &file.trained_on),
    }
}
