//! Files the page saves for the analyst: made in this tab and handed to the browser's
//! downloads through a link to a local Blob; nothing is sent anywhere.

use crate::js_error;
use wasm_bindgen::JsCast;

/// Saves `text` as the file `name` through a temporary link to a local Blob.
pub(crate) fn save(text: &str, name: &str, mime: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let document = window.document().ok_or("there is no document")?;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| js_error::describe(&e))?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js_error::describe(&e))?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| js_error::describe(&e))?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
