//! What detectors found, kept by each detector's place among them, so that the work of
//! a team's members (see [`super::team`]) comes together in the order one analysis would
//! have given it.

use crate::finding::Finding;
use crate::limits::LeftOut;

/// What the detectors of one member of a team found. It crosses between threads, or as
/// JSON between the page's workers, which have no memory in common.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct MemberFindings {
    pub(super) results: Vec<DetectorResult>,
}

/// What one detector found, by its place among the detectors.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(super) struct DetectorResult {
    pub(super) index: usize,
    pub(super) untracked: Option<LeftOut>,
    pub(super) findings: Vec<Finding>,
}
