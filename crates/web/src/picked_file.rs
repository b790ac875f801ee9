//! The text of a file chosen in an `<input type="file">` (a model file, a rules file).

use wasm_bindgen::JsCast;

/// Takes the file chosen in `event`'s input, clears the input (so the same file can be
/// chosen again after a fix), reads its text and hands it to `then`: `None` when it
/// could not be read. Does nothing when no file was chosen.
pub fn read_picked_text(event: &web_sys::Event, then: impl FnOnce(Option<String>) + 'static) {
    let Some(input) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    input.set_value("");
    wasm_bindgen_futures::spawn_local(async move {
        then(file_text(&file).await);
    });
}

/// The text of `file`, or `None` when it could not be read.
pub async fn file_text(file: &web_sys::File) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
}
