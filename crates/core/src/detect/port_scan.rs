//! Port scans in network flows: one source probing many ports of a host, or one port on
//! many hosts.
//!
//! **What it detects:** a source whose probe flows (a client sending at most
//! `max_probe_packets` packets: a SYN, maybe a reset) reach at least `min_ports` distinct
//! ports of one destination (a vertical scan, as `nmap` does by default), or one port on at
//! least `min_hosts` destinations (a horizontal sweep for one service).
//!
//! **Why it matters:** scanning maps what is open before an attack; a sweep for one port is
//! how worms and botnets look for the next victim.
//!
//! **Example lines:** hundreds like these within a minute (CIC-IDS2017 flow CSV):
//! ```text
//! 172.16.0.1-192.168.10.50-60938-3306-6,172.16.0.1,60938,192.168.10.50,3306,6,2017-07-07 14:12:01,41,1,1,0,0,PortScan
//! 172.16.0.1-192.168.10.50-60938-5900-6,172.16.0.1,60938,192.168.10.50,5900,6,2017-07-07 14:12:01,38,1,1,0,0,PortScan
//! ```
//!
//! Replies are not probes: CICFlowMeter sometimes writes a flow from the server's side, a
//! well-known source port talking to a client's ephemeral ones, and a busy server would
//! otherwise look like it scans its clients.

use super::client_map::{ClientKey, ClientMap};
use super::{Detector, Evidence, hash_of, score_with_repetition};
use super::{KeyedMap, KeyedSet, keyed_map, keyed_set};
use crate::display_text::for_display;
use crate::event::{Event, FlowRecord};
use crate::finding::{Finding, FindingKind};

/// Tuning for [`PortScanDetector`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PortScanOptions {
    /// Distinct ports of one destination that make a vertical scan.
    pub min_ports: usize,
    /// Distinct destinations on one port that make a horizontal sweep.
    pub min_hosts: usize,
    /// The most packets a source sends in a probe flow.
    pub max_probe_packets: u64,
}

impl Default for PortScanOptions {
    fn default() -> Self {
        Self {
            min_ports: 20,
            min_hosts: 30,
            max_probe_packets: 3,
        }
    }
}

/// Distinct (destination, port) pairs remembered per source; past it the source has
/// scanned by any measure.
const MAX_PAIRS_PER_SOURCE: usize = 16_384;

#[derive(Debug, Clone)]
struct SourceProbes {
    evidence: Evidence,
    /// (destination hash, port) of each distinct probe.
    pairs: KeyedSet<(u64, u16)>,
    /// A destination's name by its hash, for the description (first few only).
    names: KeyedMap<u64, Box<str>>,
}

/// Counts probe flows per source; see the module docs.
#[derive(Debug, Clone)]
pub struct PortScanDetector {
    options: PortScanOptions,
    max_evidence_lines: usize,
    sources: ClientMap<SourceProbes>,
}

impl PortScanDetector {
    /// A detector listing at most `max_evidence_lines` lines per finding.
    pub fn new(options: PortScanOptions, max_evidence_lines: usize) -> Self {
        Self {
            options,
            max_evidence_lines,
            sources: ClientMap::default(),
        }
    }

    fn is_probe(&self, flow: &FlowRecord<'_>) -> bool {
        let small = flow
            .forward_packets
            .is_none_or(|packets| packets <= self.options.max_probe_packets);
        let reply =
            flow.source_port.is_some_and(|port| port < 1024) && flow.destination_port >= 1024;
        small && !reply
    }
}

impl Detector for PortScanDetector {
    fn untracked(&self) -> Option<crate::limits::LeftOut> {
        Some(crate::limits::LeftOut::clients(
            "port scans",
            self.sources.untracked_lines(),
        ))
    }

    fn observe(&mut self, line_no: u64, event: &Event<'_>, client: &ClientKey<'_>) {
        let Event::Flow(flow) = event else { return };
        if !self.is_probe(flow) {
            return;
        }
        let destination = hash_of(flow.destination);
        let cap = self.max_evidence_lines;
        let known = self.sources.get(client).is_some();
        let Some(source) = self.sources.get_or_insert_with(client, || SourceProbes {
            evidence: Evidence::new(line_no, flow.time, cap),
            pairs: keyed_set(),
            names: keyed_map(),
        }) else {
            return;
        };
        if known {
            source.evidence.add(line_no, flow.time);
        }
        if source.pairs.len() < MAX_PAIRS_PER_SOURCE {
            source.pairs.insert((destination, flow.destination_port));
        }
        if source.names.len() < 64 {
            source
                .names
                .entry(destination)
                .or_insert_with(|| Box::from(flow.destination));
        }
    }

    fn finish(self: Box<Self>) -> Vec<Finding> {
        let options = self.options;
        self.sources
            .into_iter()
            .filter_map(|(source, probes)| {
                let mut ports_per_host: KeyedMap<u64, usize> = keyed_map();
                let mut hosts_per_port: KeyedMap<u16, usize> = keyed_map();
                for &(host, port) in &probes.pairs {
                    *ports_per_host.entry(host).or_default() += 1;
                    *hosts_per_port.entry(port).or_default() += 1;
                }
                let (widest_host, ports) = ports_per_host
                    .into_iter()
                    .max_by_key(|&(host, ports)| (ports, std::cmp::Reverse(host)))?;
                let (widest_port, hosts) = hosts_per_port
                    .into_iter()
                    .max_by_key(|&(port, hosts)| (hosts, std::cmp::Reverse(port)))?;
                let vertical = ports >= options.min_ports;
                let horizontal = hosts >= options.min_hosts;
                if !vertical && !horizontal {
                    return None;
                }
                let target = probes
                    .names
                    .get(&widest_host)
                    .map_or_else(|| "one host".to_owned(), |name| for_display(name, 64));
                let description = match (vertical, horizontal) {
                    (true, false) => format!(
                        "{} probed {ports} distinct ports of {target} ({} probe flows)",
                        for_display(&source, 64),
                        probes.evidence.count()
                    ),
                    (false, _) => format!(
                        "{} probed port {widest_port} on {hosts} hosts ({} probe flows)",
                        for_display(&source, 64),
                        probes.evidence.count()
                    ),
                    (true, true) => format!(
                        "{} probed {ports} distinct ports of {target} and port {widest_port} on {hosts} hosts ({} probe flows)",
                        for_display(&source, 64),
                        probes.evidence.count()
                    ),
                };
                let breadth = ports.max(hosts) as u64;
                let score = score_with_repetition(60, breadth, 20);
                Some(probes.evidence.into_finding(
                    FindingKind::PortScan,
                    &source,
                    score,
                    0.85,
                    description,
                    Vec::new(),
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DetectionOptions;
    use crate::{AnalysisOptions, LogFormat, analyze_bytes};

    const HEADER: &str =
        "Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Total Fwd Packet,Label\n";

    fn scan_only(rows: &str) -> Vec<Finding> {
        let options = AnalysisOptions {
            format: Some(LogFormat::FlowCsv),
            detection: DetectionOptions {
                port_scan: Some(PortScanOptions::default()),
                ..DetectionOptions::none()
            },
            ..AnalysisOptions::default()
        };
        analyze_bytes(format!("{HEADER}{rows}").as_bytes(), options).findings
    }

    fn row(source: &str, source_port: u16, destination: &str, port: u16, packets: u64) -> String {
        format!(
            "{source},{source_port},{destination},{port},6,2017-07-07 14:12:01,40,{packets},x\n"
        )
    }

    #[test]
    fn finds_a_vertical_scan() {
        let rows: String = (1..=40)
            .map(|port| row("172.16.0.1", 60938, "192.168.10.50", port, 1))
            .collect();
        let findings = scan_only(&rows);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].kind, FindingKind::PortScan);
        assert_eq!(findings[0].client, "172.16.0.1");
        assert_eq!(findings[0].evidence_count, 40);
        assert!(
            findings[0]
                .description
                .contains("40 distinct ports of 192.168.10.50")
        );
    }

    #[test]
    fn finds_a_horizontal_sweep() {
        let rows: String = (1..=35)
            .map(|host| row("203.0.113.9", 40000, &format!("10.0.0.{host}"), 445, 2))
            .collect();
        let findings = scan_only(&rows);
        assert_eq!(findings.len(), 1);
        assert!(findings[0].description.contains("port 445 on 35 hosts"));
    }

    #[test]
    fn ignores_real_connections_replies_and_narrow_probing() {
        // Many ports with full conversations: a busy client, not a scan.
        let mut rows: String = (1..=40)
            .map(|port| row("10.0.0.2", 50000, "10.0.0.3", 8000 + port, 20))
            .collect();
        // A server's small flows back to a client's ephemeral ports.
        rows += &(1..=40)
            .map(|port| row("104.16.207.165", 443, "192.168.10.5", 50000 + port, 1))
            .collect::<String>();
        // Probes of a few ports.
        rows += &(1..=10)
            .map(|port| row("10.0.0.9", 50000, "10.0.0.3", port, 1))
            .collect::<String>();
        assert!(scan_only(&rows).is_empty());
    }
}
