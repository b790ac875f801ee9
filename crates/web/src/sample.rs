//! The sample log bundled into the site, one click away.

use crate::js_error;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// Where Trunk's `copy-dir` of `example_logs/` puts the sample.
const SAMPLE_URL: &str = "example_logs/access_combined.log";
/// How the sample is named on the page.
pub const SAMPLE_NAME: &str = "access_combined.log (sample)";

/// Fetches the sample from the site itself (the page's own origin, nothing else).
pub async fn fetch_sample() -> Result<Blob, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(SAMPLE_URL))
        .await
        .map_err(|e| js_error::describe(&e))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!(
            "the sample could not be loaded (HTTP {})",
            response.status()
        ));
    }
    let blob = JsFuture::from(response.blob().map_err(|e| js_error::describe(&e))?)
        .await
        .map_err(|e| js_error::describe(&e))?;
    Ok(blob.unchecked_into())
}
