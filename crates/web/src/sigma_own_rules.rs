//! The Sigma rules an analyst adds (from files dropped, picked or pasted), kept in this
//! browser (localStorage) beside the shipped ones. A rule added again with the same id
//! replaces the one kept, so an edited rule file can simply be added again.

use serde_json::Value;

/// Where the added rules are remembered.
const OWN_RULES: &str = "loglens.sigma.own";

/// The most the added rules may take as JSON: localStorage holds a few megabytes for the
/// whole site, and the chosen rules are kept a second time with the settings.
pub const MAX_KEPT_BYTES: usize = 1 << 20;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The rules this browser keeps.
pub fn load() -> Vec<Value> {
    storage()
        .and_then(|s| s.get_item(OWN_RULES).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Keeps `rules` in this browser, or says why they cannot be kept.
pub fn save(rules: &[Value]) -> Result<(), String> {
    let json = serde_json::to_string(rules).map_err(|e| e.to_string())?;
    if json.len() > MAX_KEPT_BYTES {
        return Err(format!(
            "together they take {} KB, more than the {} KB this page keeps",
            json.len() / 1024,
            MAX_KEPT_BYTES / 1024
        ));
    }
    let storage = storage().ok_or("this browser keeps nothing for the page")?;
    storage
        .set_item(OWN_RULES, &json)
        .map_err(|e| crate::js_error::describe(&e))
}

/// Adds the rule `documents` to `kept`, each replacing a kept rule with its id, and gives
/// their ids. A rule without an id gets one from its title, so that adding it again
/// replaces it too. A document that is not a map of keys cannot be a rule.
pub fn merge(kept: &mut Vec<Value>, documents: Vec<Value>) -> Result<Vec<String>, String> {
    if documents.is_empty() {
        return Err("it holds no rule".to_owned());
    }
    if let Some(n) = documents.iter().position(|d| !d.is_object()) {
        return Err(format!("document {} is not a Sigma rule", n + 1));
    }
    let mut ids = Vec::new();
    for mut document in documents {
        let id = match document.get("id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => id.to_owned(),
            _ => {
                let title = document.get("title").and_then(Value::as_str).unwrap_or("");
                let id = format!("no id: {title}");
                document["id"] = Value::String(id.clone());
                id
            }
        };
        kept.retain(|rule| rule.get("id").and_then(Value::as_str) != Some(id.as_str()));
        kept.push(document);
        ids.push(id);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_rule_added_again_replaces_the_kept_one() {
        let mut kept = vec![json!({"id": "a", "title": "old"}), json!({"id": "b"})];
        let ids = merge(&mut kept, vec![json!({"id": "a", "title": "new"})]).unwrap();
        assert_eq!(ids, ["a"]);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[1]["title"], "new");
    }

    #[test]
    fn a_rule_without_an_id_is_named_by_its_title() {
        let mut kept = Vec::new();
        let rule = json!({"title": "Mine", "detection": {}});
        merge(&mut kept, vec![rule.clone()]).unwrap();
        let ids = merge(&mut kept, vec![rule]).unwrap();
        assert_eq!(ids, ["no id: Mine"]);
        assert_eq!(kept.len(), 1, "the same rule added twice is kept once");
    }

    #[test]
    fn what_is_not_a_rule_is_refused_whole() {
        let mut kept = vec![json!({"id": "a"})];
        assert!(merge(&mut kept, vec![]).is_err());
        let problem = merge(&mut kept, vec![json!({"id": "b"}), json!("text")]).unwrap_err();
        assert_eq!(problem, "document 2 is not a Sigma rule");
        assert_eq!(kept.len(), 1, "nothing was added");
    }
}
