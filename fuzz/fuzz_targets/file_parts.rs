//! A summary read in parts, on any input cut into any number of parts fed in pieces of
//! any size: exactly the summary of one analysis, or an overflow said as such.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loglens_core::{
    AnalysisOptions, DetectionOptions, LogFormat, PLAN_SAMPLE_BYTES, PartPlan, PartsError,
    analyze_bytes,
};

fuzz_target!(|data: &[u8]| {
    let Some((&[parts, piece, format], input)) = data.split_first_chunk::<3>() else {
        return;
    };
    let options = AnalysisOptions {
        detection: DetectionOptions::none(),
        // Half the inputs detect their format; the others are read in one chosen.
        format: LogFormat::ALL.get(usize::from(format)).copied(),
        ..AnalysisOptions::default()
    };
    let start = &input[..input.len().min(PLAN_SAMPLE_BYTES)];
    let plan =
        PartPlan::with_min_part_bytes(&options, start, input.len() as u64, usize::from(parts % 8), 1);
    let piece = usize::from(piece).max(1);
    let mut first = None;
    let mut later = Vec::new();
    for index in 0..plan.parts() {
        let mut part = plan.part(options.clone(), index).expect("a part of the plan");
        let (from, end) = (part.first_byte() as usize, part.range().end as usize);
        input[from..end].chunks(piece).for_each(|bytes| part.feed(bytes));
        for bytes in input[end..].chunks(piece) {
            if !part.feed_past_end(bytes) {
                break;
            }
        }
        if index == 0 {
            first = Some(part);
        } else {
            later.push(part.finish());
        }
    }
    let alone = analyze_bytes(input, options);
    match first.expect("a first part").finish_first(later) {
        Ok(outcome) => assert!(outcome.report == alone),
        Err(PartsError::Overflow(_)) => {}
        Err(problem) => panic!("{problem}"),
    }
});
