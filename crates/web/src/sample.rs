//! The sample logs bundled into the site, one click each.

use crate::js_error;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// A sample: what the button says, where Trunk's `copy-dir` of `example_logs/` puts the
/// file, the name the page gives it, and the button's test hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    pub label: &'static str,
    pub url: &'static str,
    pub name: &'static str,
    pub test_id: &'static str,
}

/// Every sample, the web-shop access log first (the "Try a sample" of the first page).
pub const SAMPLES: [Sample; 3] = [
    Sample {
        label: "Try a sample",
        url: "example_logs/access_combined.log",
        name: "access_combined.log (sample)",
        test_id: "try-sample",
    },
    Sample {
        label: "auth.log sample",
        url: "example_logs/auth.log",
        name: "auth.log (sample)",
        test_id: "try-sample-auth",
    },
    Sample {
        label: "JSON lines sample",
        url: "example_logs/access_caddy.jsonl",
        name: "access_caddy.jsonl (sample)",
        test_id: "try-sample-json",
    },
];

/// Fetches a sample from the site itself (the page's own origin, nothing else).
pub async fn fetch_sample(sample: Sample) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(sample.url))
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
