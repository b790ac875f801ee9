//! The sample logs bundled into the site, one click each.

use crate::js_error;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// A sample: what the button says, its file in `example_logs/`, and the button's test
/// hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    pub label: &'static str,
    pub file: &'static str,
    pub test_id: &'static str,
}

/// Every sample, the web-shop access log first (the "Try a sample" of the first page),
/// then one per further format in `example_logs/`, then two real logs.
pub const SAMPLES: [Sample; 13] = [
    sample("Try a sample", "access_combined.log", "try-sample"),
    sample("auth.log", "auth.log", "try-sample-auth"),
    sample("syslog RFC 5424", "auth_rfc5424.log", "try-sample-rfc5424"),
    sample("JSON lines", "access_caddy.jsonl", "try-sample-json"),
    sample("common", "access_common.log", "try-sample-common"),
    sample("Werkzeug", "access_werkzeug.log", "try-sample-werkzeug"),
    sample("nginx error", "nginx_error.log", "try-sample-nginx-error"),
    sample(
        "Apache error",
        "apache_error.log",
        "try-sample-apache-error",
    ),
    sample("Python logging", "app_python.log", "try-sample-python"),
    sample("timestamped lines", "app_generic.log", "try-sample-generic"),
    sample("network flows", "flows_cicids.csv", "try-sample-flows"),
    // Real logs nobody here wrote (example_logs/real/README.md says whose).
    sample(
        "real auth.log",
        "real/auth_denyusers_2024.log",
        "try-sample-real-auth",
    ),
    sample(
        "real honeypot",
        "real/cowrie_tpot_2022.json",
        "try-sample-real-cowrie",
    ),
];

/// A sample of `example_logs/{file}`; the page names it after the file.
const fn sample(label: &'static str, file: &'static str, test_id: &'static str) -> Sample {
    Sample {
        label,
        file,
        test_id,
    }
}

impl Sample {
    /// Where Trunk's `copy-dir` of `example_logs/` puts the file, relative to the page.
    pub fn url(self) -> String {
        format!("example_logs/{}", self.file)
    }

    /// The name the page shows for it.
    pub fn name(self) -> String {
        format!("{} (sample)", self.file)
    }
}

/// Fetches a sample from the site itself (the page's own origin, nothing else).
pub async fn fetch_sample(sample: Sample) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&sample.url()))
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
