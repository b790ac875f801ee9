//! Queries asked from elsewhere on the page ("everything this client did", a value of a
//! profile, a range's lines): the query view takes them, runs them and comes into sight.

use leptos::prelude::*;

/// The query asked, until the query view takes it. The app provides it as a context.
#[derive(Debug, Clone, Copy)]
pub struct AskQuery(pub RwSignal<Option<String>>);

impl AskQuery {
    /// Runs `client="CLIENT"` in the query view: the client's profile and its lines.
    pub fn about_client(self, client: &str) {
        self.0.set(Some(term("client", client)));
    }
}

/// `field="value"`, quoted as the query language reads it.
pub fn term(field: &str, value: &str) -> String {
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("{field}=\"{quoted}\"")
}
