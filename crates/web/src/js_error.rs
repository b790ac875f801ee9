//! The one place where JavaScript exceptions become text a person can read.

use wasm_bindgen::{JsCast, JsValue};

/// The message of a thrown `Error`, or the value itself when something else was thrown.
pub fn describe(error: &JsValue) -> String {
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}
