//! The page's side of the rule-file worker ([`crate::sigma_yaml_worker`]): a worker started
//! for each file added and let go once it answers.

use crate::js_error;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Where Trunk's `copy-file` puts the loader, next to the unhashed `sigma_yaml.js`.
const LOADER_URL: &str = "./sigma-yaml-loader.js";

/// The Sigma rule documents in a rule file's `text`, or why it is not YAML.
pub async fn rule_documents(text: String) -> Result<Vec<serde_json::Value>, String> {
    let worker = Worker::new(LOADER_URL).map_err(|e| {
        format!(
            "the rule-file reader could not start: {}",
            js_error::describe(&e)
        )
    })?;
    let answer: Rc<RefCell<Option<String>>> = Rc::default();
    let mut handlers = None;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let heard = Rc::clone(&answer);
        let resolve_message = resolve.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            *heard.borrow_mut() = message.data().as_string();
            let _ = resolve_message.call0(&JsValue::NULL);
        });
        let failed = Rc::clone(&answer);
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |error: ErrorEvent| {
            let problem = format!("the rule-file reader stopped: {}", error.message());
            *failed.borrow_mut() = serde_json::to_string(&Err::<(), _>(problem)).ok();
            let _ = resolve.call0(&JsValue::NULL);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers = Some((on_message, on_error));
    });
    if let Err(e) = worker.post_message(&JsValue::from_str(&text)) {
        worker.terminate();
        return Err(js_error::describe(&e));
    }
    let _ = JsFuture::from(promise).await;
    worker.terminate();
    drop(handlers);
    let json = answer
        .take()
        .ok_or("the rule-file reader answered nothing")?;
    serde_json::from_str::<crate::sigma_yaml_worker::RuleFileAnswer>(&json)
        .map_err(|e| format!("the rule-file reader's answer is unreadable: {e}"))?
}
