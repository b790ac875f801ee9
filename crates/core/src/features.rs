//! The features the two forests score (see `detect::line_model` and
//! `detect::client_model`), in vector order, with the names explanations use. A baseline
//! keeps vectors of them, and checks their length against these.

/// The per-line model's features, in vector order.
pub const LINE_FEATURES: [&str; 8] = [
    "template_rarity",
    "length",
    "special_characters",
    "digit_share",
    "status_class",
    "response_size",
    "method",
    "query_length",
];

/// The features of a flow, in the same vector slots: a flow has no text, so its template
/// is its service (destination port and protocol) and the rest measures its volume.
pub const FLOW_FEATURES: [&str; 8] = [
    "service_rarity",
    "duration",
    "forward_packets",
    "backward_packets",
    "forward_bytes",
    "backward_bytes",
    "port_class",
    "protocol",
];

/// The per-client model's features, in vector order.
pub const CLIENT_FEATURES: [&str; 9] = [
    "requests",
    "distinct_path_share",
    "refused_share",
    "server_error_share",
    "post_share",
    "mean_response_size",
    "busiest_minute",
    "user_agents",
    "query_share",
];
