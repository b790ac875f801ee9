//! The analyst's settings as this browser remembers them (localStorage): the detectors'
//! settings and the sensitivity. Read once when the page opens, written as they change.

use loglens_core::DetectionOptions;

/// Where the detectors' settings are remembered.
const DETECTION: &str = "loglens.detection";
/// Where the sensitivity is remembered.
const SENSITIVITY: &str = "loglens.sensitivity";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The detectors' settings remembered in this browser, or the defaults.
pub fn detection() -> DetectionOptions {
    storage()
        .and_then(|s| s.get_item(DETECTION).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn remember_detection(options: &DetectionOptions) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(options)) {
        let _ = storage.set_item(DETECTION, &json);
    }
}

/// The sensitivity remembered in this browser, or the default.
pub fn sensitivity() -> u8 {
    storage()
        .and_then(|s| s.get_item(SENSITIVITY).ok().flatten())
        .and_then(|value| value.parse::<u8>().ok())
        .filter(|&value| value <= 100)
        .unwrap_or(loglens_core::DEFAULT_SENSITIVITY)
}

pub fn remember_sensitivity(sensitivity: u8) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(SENSITIVITY, &sensitivity.to_string());
    }
}
