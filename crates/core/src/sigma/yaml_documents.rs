//! Sigma rule files as the documents the set compiles: YAML read into JSON values. Behind
//! the `yaml` feature, so that only the builds that read rule files (the command line and
//! the page's small rule-file worker) carry a YAML parser; the analysis worker gets the
//! documents already read.

use serde::Deserialize;

/// The documents of one rule file's `text` (a file may hold several, `---` apart; empty
/// ones are dropped), or why it is not YAML, with the line and column.
pub fn yaml_documents(text: &str) -> Result<Vec<serde_json::Value>, String> {
    let mut documents = Vec::new();
    for document in serde_norway::Deserializer::from_str(text) {
        let value = serde_json::Value::deserialize(document).map_err(|e| e.to_string())?;
        if !value.is_null() {
            documents.push(value);
        }
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_several_rules_gives_each_and_drops_empty_documents() {
        let text = "title: one\ndetection:\n  keywords: [a]\n---\n---\ntitle: two\n";
        let documents = yaml_documents(text).unwrap();
        let titles: Vec<&str> = documents
            .iter()
            .filter_map(|d| d["title"].as_str())
            .collect();
        assert_eq!(titles, ["one", "two"]);
    }

    #[test]
    fn text_that_is_not_yaml_says_where() {
        let problem = yaml_documents("title: one\ndetection: [a\n").unwrap_err();
        assert!(problem.contains("line"), "{problem}");
    }
}
