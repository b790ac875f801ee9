//! The rule-file worker: reads the Sigma rule files an analyst adds (YAML) into the
//! documents the engine compiles. It is a module of its own (`sigma_yaml_bg.wasm`), loaded
//! only when a file is added, so neither the page nor the analysis worker carries a YAML
//! parser. It answers each message (a file's text) with [`RuleFileAnswer`] as JSON.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// The rule documents a file holds, or why it is not YAML (with the line and column).
pub type RuleFileAnswer = Result<Vec<serde_json::Value>, String>;

/// Installs the message handler; `sigma-yaml-loader.js` replays what came before.
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let answer: RuleFileAnswer = match event.data().as_string() {
            Some(text) => loglens_core::sigma::yaml_documents(&text),
            None => Err("the page sent something other than a file's text".to_owned()),
        };
        let json = serde_json::to_string(&answer)
            .unwrap_or_else(|e| format!(r#"{{"Err":"the rules could not be sent back: {e}"}}"#));
        if let Err(e) = reply_scope.post_message(&JsValue::from_str(&json)) {
            web_sys::console::error_1(&e);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}
