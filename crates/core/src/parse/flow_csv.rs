//! Network flows as CSV with a header row, as CICFlowMeter writes them (the CIC-IDS2017
//! and CSE-CIC-IDS2018 datasets and their "improved" re-releases).
//!
//! Spec: the feature list at <https://www.unb.ca/cic/datasets/ids-2017.html> and
//! CICFlowMeter's `FlowFeature.java`
//! (<https://github.com/ahlashkari/CICFlowMeter/blob/master/src/main/java/cic/cs/unb/ca/jnetpcap/FlowFeature.java>).
//!
//! ```text
//! Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Total Fwd Packets, …, Label
//! 192.168.10.5-104.16.207.165-54865-443-6,192.168.10.5,54865,104.16.207.165,443,6,7/7/2017 3:30,3,2,0,…,BENIGN
//! ```
//!
//! Columns are found by name in the header, whatever their order: names are trimmed
//! (CIC-IDS2017 starts most with a space), compared without case, and both spellings are
//! known (`Source IP` / `Src IP`, `Total Fwd Packets` / `Total Fwd Packet`…). Only
//! `Destination Port` is required; a `Label` column is kept as ground truth. `Flow
//! Duration` is in microseconds. Times are `yyyy-mm-dd hh:mm:ss[.ffffff]`, CIC's
//! `d/m/yyyy h:mm[:ss]` (both read as UTC) or epoch numbers; a file without a `Timestamp`
//! column has its rows placed a second apart from the epoch. Addresses coded as numbers
//! are read as the names they are. Cells are split on commas;
//! surrounding double quotes are removed (flow files never quote commas).
//!
//! A header row is counted as such, not as an unreadable line; a repeated header (files
//! joined with `cat`) is read again.

use super::RejectReason;
use super::timestamp::{iso_time, number};
use crate::event::{Event, FlowRecord};
use crate::time::LogTime;

/// The header and rows of the "improved CIC-IDS2017" release (Engelen et al., 2022),
/// shortened to the columns read here, and a CIC-IDS2017 row in its original spelling.
pub const SAMPLES: &[&str] = &[
    "id,Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Total Fwd Packet,Total Bwd packets,Total Length of Fwd Packet,Total Length of Bwd Packet,Label",
    "227157,192.168.10.9-208.185.118.105-1065-80-6,192.168.10.9,1065,208.185.118.105,80,6,2017-07-03 11:58:14.639177,60088216,6,7,201,6889,BENIGN",
    "228025,172.16.0.1-192.168.10.51-50122-9081-6,172.16.0.1,50122,192.168.10.51,9081,6,2017-07-06 17:00:31.836160,25,1,1,0,0,Infiltration - Portscan",
    "Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd Packets, Label",
    "192.168.10.5-104.16.207.165-54865-443-6,104.16.207.165,443,192.168.10.5,54865,6,7/7/2017 3:30,3,2,0,12,0,BENIGN",
];

/// What a column holds, for the columns read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Time,
    Source,
    SourcePort,
    Destination,
    DestinationPort,
    Protocol,
    DurationMicros,
    ForwardPackets,
    BackwardPackets,
    ForwardBytes,
    BackwardBytes,
    Label,
}

/// The column a header name stands for, in either CIC spelling.
fn column_named(name: &str) -> Option<Column> {
    let name = name.trim().trim_matches('"').to_ascii_lowercase();
    Some(match name.as_str() {
        "timestamp" => Column::Time,
        "src ip" | "source ip" | "src_ip" | "srcip" => Column::Source,
        "src port" | "source port" | "src_port" | "srcport" => Column::SourcePort,
        "dst ip" | "destination ip" | "dst_ip" | "dstip" => Column::Destination,
        "dst port" | "destination port" | "dst_port" | "dstport" => Column::DestinationPort,
        "protocol" => Column::Protocol,
        "flow duration" => Column::DurationMicros,
        "total fwd packets" | "total fwd packet" | "tot fwd pkts" => Column::ForwardPackets,
        "total backward packets" | "total bwd packets" | "tot bwd pkts" => Column::BackwardPackets,
        "total length of fwd packets" | "total length of fwd packet" | "totlen fwd pkts" => {
            Column::ForwardBytes
        }
        "total length of bwd packets" | "total length of bwd packet" | "totlen bwd pkts" => {
            Column::BackwardBytes
        }
        "label" => Column::Label,
        _ => return None,
    })
}

/// Reads flow rows once it has seen a header.
#[derive(Debug, Clone, Default)]
pub struct FlowCsvParser {
    /// For each cell of a row, what it holds (`None`: a column not read).
    columns: Option<Vec<Option<Column>>>,
    /// Rows read since the header, for placing rows of a file without times.
    rows: i64,
}

impl FlowCsvParser {
    /// Parses one line: a header (remembered, then rejected as [`RejectReason::HeaderRow`])
    /// or a flow.
    pub fn parse<'a>(&mut self, line: &'a str) -> Result<Event<'a>, RejectReason> {
        if line.trim().is_empty() {
            return Err(RejectReason::Empty);
        }
        let columns: Vec<Option<Column>> = line.split(',').map(column_named).collect();
        if columns.contains(&Some(Column::DestinationPort)) {
            self.columns = Some(columns);
            self.rows = 0;
            return Err(RejectReason::HeaderRow);
        }
        let columns = self.columns.as_ref().ok_or(RejectReason::NoCsvHeader)?;
        let timed = columns.contains(&Some(Column::Time));
        self.rows += 1;
        let mut row = Row::default();
        let mut cells = 0;
        for (cell, column) in line.split(',').zip(columns) {
            cells += 1;
            let cell = cell.trim().trim_matches('"');
            match column {
                Some(Column::Time) => row.time = Some(cell),
                Some(Column::Source) => row.source = Some(cell),
                Some(Column::SourcePort) => row.source_port = cell.parse().ok(),
                Some(Column::Destination) => row.destination = Some(cell),
                Some(Column::DestinationPort) => row.port = Some(cell),
                Some(Column::Protocol) => row.protocol = cell.parse().ok(),
                Some(Column::DurationMicros) => {
                    row.duration_secs = cell
                        .parse::<f64>()
                        .ok()
                        .filter(|d| d.is_finite() && *d >= 0.0)
                        .map(|micros| micros / 1e6);
                }
                Some(Column::ForwardPackets) => row.forward_packets = cell.parse().ok(),
                Some(Column::BackwardPackets) => row.backward_packets = cell.parse().ok(),
                Some(Column::ForwardBytes) => row.forward_bytes = count(cell),
                Some(Column::BackwardBytes) => row.backward_bytes = count(cell),
                Some(Column::Label) => row.label = Some(cell).filter(|l| !l.is_empty()),
                None => {}
            }
        }
        if cells < columns.len() {
            return Err(RejectReason::ShortCsvRow);
        }
        // Without a Timestamp column (CIC-IDS2017's "MachineLearningCVE" files), rows are
        // placed a second apart in file order, from the epoch: their order is all there is.
        let time = if timed {
            row.time
                .and_then(flow_time)
                .ok_or(RejectReason::BadFlowTime)?
        } else {
            LogTime {
                epoch_secs: self.rows,
                offset_secs: 0,
            }
        };
        let destination_port = row
            .port
            .and_then(|p| p.parse().ok())
            .ok_or(RejectReason::BadFlowPort)?;
        Ok(Event::Flow(FlowRecord {
            time,
            source: row.source.filter(|s| !s.is_empty()).unwrap_or("-"),
            source_port: row.source_port,
            destination: row.destination.filter(|s| !s.is_empty()).unwrap_or("-"),
            destination_port,
            protocol: row.protocol,
            duration_secs: row.duration_secs,
            forward_packets: row.forward_packets,
            backward_packets: row.backward_packets,
            forward_bytes: row.forward_bytes,
            backward_bytes: row.backward_bytes,
            label: row.label,
        }))
    }
}

/// The cells of a row that are read, before checking.
#[derive(Default)]
struct Row<'a> {
    time: Option<&'a str>,
    source: Option<&'a str>,
    source_port: Option<u16>,
    destination: Option<&'a str>,
    port: Option<&'a str>,
    protocol: Option<u8>,
    duration_secs: Option<f64>,
    forward_packets: Option<u64>,
    backward_packets: Option<u64>,
    forward_bytes: Option<u64>,
    backward_bytes: Option<u64>,
    label: Option<&'a str>,
}

/// A byte count, which some releases write as a float (`201.0`).
fn count(cell: &str) -> Option<u64> {
    cell.parse::<u64>().ok().or_else(|| {
        cell.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1.8e19)
            .map(|v| v as u64)
    })
}

/// `yyyy-mm-dd hh:mm:ss[.ffffff]`, CIC's `d/m/yyyy h:mm[:ss]` (read as UTC), or a number:
/// seconds since the epoch (milliseconds or microseconds when too large to be seconds),
/// as preprocessed releases code it.
fn flow_time(cell: &str) -> Option<LogTime> {
    if let Ok(number) = cell.parse::<f64>()
        && number.is_finite()
        && number >= 0.0
    {
        let mut secs = number;
        while secs >= 1e11 {
            secs /= 1000.0;
        }
        return Some(LogTime {
            epoch_secs: secs as i64,
            offset_secs: 0,
        });
    }
    if let Some((time, used)) = iso_time(cell) {
        return (used == cell.len()).then_some(time);
    }
    let (date, clock) = cell.split_once(' ')?;
    let mut date_parts = date.split('/');
    let day = small_number(date_parts.next()?)?;
    let month = small_number(date_parts.next()?)?;
    let year = date_parts.next()?;
    let year = number(year.as_bytes(), 0..4).filter(|_| year.len() == 4)?;
    let mut clock_parts = clock.split(':');
    let hour = small_number(clock_parts.next()?)?;
    let minute = small_number(clock_parts.next()?)?;
    let second = clock_parts.next().map_or(Some(0), small_number)?;
    if date_parts.next().is_some() || clock_parts.next().is_some() {
        return None;
    }
    LogTime::from_civil(year, month, day, hour, minute, second, 0)
}

/// One or two digits.
fn small_number(text: &str) -> Option<i32> {
    (1..=2)
        .contains(&text.len())
        .then(|| number(text.as_bytes(), 0..text.len()))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn flows(lines: &[&'static str]) -> Vec<Result<FlowRecord<'static>, RejectReason>> {
        let mut parser = FlowCsvParser::default();
        lines
            .iter()
            .map(|line| match parser.parse(line) {
                Ok(Event::Flow(flow)) => Ok(flow),
                Ok(other) => panic!("{other:?}"),
                Err(reason) => Err(reason),
            })
            .collect()
    }

    #[test]
    fn reads_the_improved_release() {
        let rows = flows(&SAMPLES[..3]);
        assert_eq!(rows[0], Err(RejectReason::HeaderRow));
        let flow = rows[1].clone().unwrap();
        assert_eq!(
            (
                flow.time.to_string().as_str(),
                flow.source,
                flow.destination,
                flow.destination_port,
                flow.protocol,
                flow.forward_packets,
                flow.backward_bytes,
                flow.label
            ),
            (
                "2017-07-03T11:58:14+00:00",
                "192.168.10.9",
                "208.185.118.105",
                80,
                Some(6),
                Some(6),
                Some(6889),
                Some("BENIGN")
            )
        );
        assert!((flow.duration_secs.unwrap() - 60.088216).abs() < 1e-9);
        assert!(!flow.is_labelled_attack());
        assert!(rows[2].as_ref().unwrap().is_labelled_attack());
    }

    #[test]
    fn reads_the_original_spelling_with_spaces_and_day_first_dates() {
        let rows = flows(&SAMPLES[3..]);
        let flow = rows[1].clone().unwrap();
        assert_eq!(
            (
                flow.time.to_string().as_str(),
                flow.source,
                flow.destination_port,
                flow.backward_packets,
                flow.forward_bytes
            ),
            (
                "2017-07-07T03:30:00+00:00",
                "104.16.207.165",
                54865,
                Some(0),
                Some(12)
            )
        );
    }

    #[test]
    fn says_what_is_wrong_with_a_row() {
        let header = "Src IP,Dst Port,Timestamp,Label";
        for (line, reason) in [
            ("10.0.0.1,80,2017-07-03 11:58:14", RejectReason::ShortCsvRow),
            (
                "10.0.0.1,http,2017-07-03 11:58:14,BENIGN",
                RejectReason::BadFlowPort,
            ),
            ("10.0.0.1,80,yesterday,BENIGN", RejectReason::BadFlowTime),
            (
                "10.0.0.1,80,31/2/2017 10:00,BENIGN",
                RejectReason::BadFlowTime,
            ),
        ] {
            let rows = flows(&[header, line]);
            assert_eq!(rows[1].clone().map(|_| ()), Err(reason), "{line}");
        }
        assert_eq!(
            flows(&["10.0.0.1,80"])[0].clone().map(|_| ()),
            Err(RejectReason::NoCsvHeader)
        );
    }

    #[test]
    fn issue_22_integer_coded_and_missing_times_and_addresses_are_still_flows() {
        let coded = flows(&[
            "Src IP,Dst Port,Timestamp,Label",
            "3232238085,22,1499432400,SSH-Patator",
            "17,80,1499432400123,BENIGN",
        ]);
        let coded: Vec<(i64, &str)> = coded[1..]
            .iter()
            .map(|f| f.clone().map(|f| (f.time.epoch_secs, f.source)).unwrap())
            .collect();
        assert_eq!(
            coded,
            [(1_499_432_400, "3232238085"), (1_499_432_400, "17")]
        );
        // CIC-IDS2017's MachineLearningCVE files: no addresses, no times.
        let untimed = flows(&[
            " Destination Port, Flow Duration, Label",
            "22,3,BENIGN",
            "80,5,DDoS",
        ]);
        let placed: Vec<(i64, &str, u16)> = untimed[1..]
            .iter()
            .map(|f| {
                f.clone()
                    .map(|f| (f.time.epoch_secs, f.source, f.destination_port))
                    .unwrap()
            })
            .collect();
        assert_eq!(placed, [(1, "-", 22), (2, "-", 80)]);
    }

    proptest! {
        #[test]
        fn never_panics(cells in proptest::collection::vec("[0-9a-zA-Z ./:-]{0,12}", 0..8)) {
            let mut parser = FlowCsvParser::default();
            let _ = parser.parse("Src IP,Dst Port,Timestamp,Flow Duration,Total Fwd Packet,Label");
            let _ = parser.parse(&cells.join(","));
        }
    }
}
