//! The key that places clients in hash maps is drawn at random by each caller; no report
//! may depend on it.

use loglens_core::detect::set_client_hash_key;
use loglens_core::{AnalysisOptions, analyze_bytes};

#[test]
fn reports_are_the_same_under_any_client_hash_key() {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../example_logs/");
    for name in ["access_combined.log", "auth.log", "flows_cicids.csv"] {
        let input = std::fs::read(format!("{examples}{name}")).expect("the example is readable");
        set_client_hash_key(1);
        let first = analyze_bytes(&input, AnalysisOptions::default());
        assert!(!first.findings.is_empty(), "{name} has findings");
        for key in [2, 0xDEAD_BEEF_F00D_CAFE, u64::MAX] {
            set_client_hash_key(key);
            assert!(
                analyze_bytes(&input, AnalysisOptions::default()) == first,
                "{name} reads otherwise under key {key:#x}"
            );
        }
    }
}
