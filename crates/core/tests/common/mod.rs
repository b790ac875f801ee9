//! What several test files read: the bundled example logs.

/// The bundled example log `name` (in `example_logs/`).
pub fn example(name: &str) -> Vec<u8> {
    let path = format!("{}/../../example_logs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path} is unreadable: {e}"))
}

/// Every bundled example log, with its name: not the README, licences or label files.
pub fn examples() -> Vec<(String, Vec<u8>)> {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../example_logs"))
        .expect("example_logs is readable")
        .map(|entry| entry.expect("a directory entry"))
        // The real logs in `real/` have their own test (`real_corpus.rs`).
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            !(name.ends_with(".md") || name.ends_with(".txt") || name.ends_with(".labels.csv"))
        })
        .map(|name| {
            let input = example(&name);
            (name, input)
        })
        .collect()
}
