//! What the classifier sees of a flow: its volume, shape and service, as numbers.

use crate::event::FlowRecord;

/// The features, in vector order, with the names reports use.
pub const FLOW_CLASS_FEATURES: [&str; 10] = [
    "duration_secs",
    "forward_packets",
    "backward_packets",
    "forward_bytes",
    "backward_bytes",
    "destination_port",
    "protocol",
    "forward_bytes_per_packet",
    "backward_bytes_per_packet",
    "packets_per_second",
];

/// A flow's features; a missing count is 0 (trees split it off if it matters).
pub fn flow_features(flow: &FlowRecord<'_>) -> Vec<f64> {
    let count = |n: Option<u64>| n.unwrap_or(0) as f64;
    let (forward_packets, backward_packets) =
        (count(flow.forward_packets), count(flow.backward_packets));
    let (forward_bytes, backward_bytes) = (count(flow.forward_bytes), count(flow.backward_bytes));
    let duration = flow
        .duration_secs
        .filter(|d| d.is_finite() && *d >= 0.0)
        .unwrap_or(0.0);
    let per = |bytes: f64, packets: f64| if packets > 0.0 { bytes / packets } else { 0.0 };
    vec![
        duration,
        forward_packets,
        backward_packets,
        forward_bytes,
        backward_bytes,
        f64::from(flow.destination_port),
        f64::from(flow.protocol.unwrap_or(0)),
        per(forward_bytes, forward_packets),
        per(backward_bytes, backward_packets),
        (forward_packets + backward_packets) / duration.max(1e-3),
    ]
}
