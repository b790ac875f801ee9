//! Classifier files are input too: any text is refused with a reason or accepted, and an
//! accepted one grows its trees and scores flows without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loglens_core::supervised::ClassifierFile;
use loglens_core::{Analysis, AnalysisOptions};
use std::sync::Arc;

const FLOWS: &str = concat!(
    "Flow ID,Source IP,Source Port,Destination IP,Destination Port,Protocol,Timestamp,Flow Duration,Total Fwd Packets,Total Backward Packets,Total Length of Fwd Packets,Total Length of Bwd Packets,Label\n",
    "a,10.0.0.1,40000,10.0.0.2,80,6,2017-07-07 09:00:00,1000,3,2,300,200,BENIGN\n",
    "b,10.0.0.9,40001,10.0.0.2,22,6,2017-07-07 09:00:01,90000,30,20,3000,2000,SSH-Patator\n",
);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = ClassifierFile::from_json(text) else {
        return;
    };
    assert!(ClassifierFile::from_json(&file.to_json()).is_ok());
    let mut analysis = Analysis::new(AnalysisOptions {
        classifier: Some(Arc::new(file)),
        ..AnalysisOptions::default()
    });
    analysis.feed(FLOWS.repeat(5).as_bytes());
    let report = analysis.finish();
    assert_eq!(report.lines, report.parsed + report.rejected);
});
