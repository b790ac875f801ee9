//! The address behind a host name, learned from the other lines of the same connection.
//!
//! With `UseDNS` on, sshd names a client by address (`Invalid user admin from
//! 52.80.34.196`) while PAM, in the same process, names it by host name
//! (`rhost=ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn`). Taken as written, one
//! attacker would be two clients, each with half its attempts. A line whose source is a
//! host name is given the address that its process (its pid) named last.

use crate::event::Event;
use std::net::IpAddr;

/// Processes remembered: sshd's connections are short, and a busy attack interleaves a
/// few dozen.
const REMEMBERED: usize = 256;

/// Recent processes' names for their client, and host names whose address was learned.
#[derive(Debug, Clone, Default)]
pub struct ConnectionAddresses {
    /// (process, the address or host name it last gave), oldest first.
    recent: Vec<(u64, Box<str>)>,
    /// (host name, address), learned when one process gave both; oldest first.
    names: Vec<(Box<str>, Box<str>)>,
}

impl ConnectionAddresses {
    /// Learns from `event` and, when its source is a host name whose address is known
    /// (from its own process, or another that gave both), returns that address. PAM may
    /// speak before sshd names the address: that first line keeps the host name, and the
    /// name is known from then on.
    pub fn address_for(&mut self, event: &Event<'_>) -> Option<Box<str>> {
        let Event::Syslog(record) = event else {
            return None;
        };
        let (source, pid) = (record.auth.and_then(|a| a.source)?, record.pid?);
        let key = connection_key(record.host, pid);
        let before = self.recent.iter().rposition(|(k, _)| *k == key);
        if source.parse::<IpAddr>().is_ok() {
            if let Some(at) = before {
                let said = &self.recent[at].1;
                if said.parse::<IpAddr>().is_err() && !self.names.iter().any(|(n, _)| n == said) {
                    let name = said.clone();
                    remember(&mut self.names, (name, source.into()));
                }
                self.recent[at].1 = source.into();
            } else {
                remember(&mut self.recent, (key, source.into()));
            }
            return None;
        }
        if let Some(at) = before {
            let said = &self.recent[at].1;
            if said.parse::<IpAddr>().is_ok() {
                return Some(said.clone());
            }
        } else {
            remember(&mut self.recent, (key, source.into()));
        }
        self.names
            .iter()
            .rev()
            .find(|(name, _)| &**name == source)
            .map(|(_, address)| address.clone())
    }
}

/// Pushes `entry`, dropping the oldest when [`REMEMBERED`] are kept.
fn remember<T>(entries: &mut Vec<T>, entry: T) {
    if entries.len() == REMEMBERED {
        entries.remove(0);
    }
    entries.push(entry);
}

/// One process of one host.
fn connection_key(host: &str, pid: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    (host, pid).hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{LineParser, LogFormat};
    use crate::time::LogTime;

    #[test]
    fn a_pam_host_name_takes_the_address_of_its_process() {
        let now = LogTime {
            epoch_secs: 1_700_000_000,
            offset_secs: 0,
        };
        let mut parser = LineParser::for_format(LogFormat::Syslog3164, now);
        let mut addresses = ConnectionAddresses::default();
        let mut resolved = |line: &str| match parser.parse(line) {
            Ok((_, event)) => (event.client().to_owned(), addresses.address_for(&event)),
            Err(reason) => panic!("{line}: {reason}"),
        };
        let host = "ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn";
        assert_eq!(
            resolved("Dec 10 07:07:38 LabSZ sshd[24206]: Invalid user test9 from 52.80.34.196"),
            ("52.80.34.196".to_owned(), None)
        );
        let pam = format!(
            "Dec 10 07:07:38 LabSZ sshd[24206]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={host} "
        );
        assert_eq!(
            resolved(&pam),
            (host.to_owned(), Some("52.80.34.196".into()))
        );
        // PAM first, then sshd: the first line keeps the name, which is known from then on.
        let root = "catv-213-222-167-49.catv.fixed.vodafone.hu";
        let pam_first = format!(
            "Aug 11 05:24:55 h sshd[29191]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={root}  user=root"
        );
        assert_eq!(resolved(&pam_first), (root.to_owned(), None));
        resolved(
            "Aug 11 05:24:57 h sshd[29191]: Failed password for root from 213.222.167.49 port 58280 ssh2",
        );
        let next = pam_first.replace("29191", "29388");
        assert_eq!(
            resolved(&next),
            (root.to_owned(), Some("213.222.167.49".into()))
        );
        // A name never tied to an address is left as written.
        let unknown = pam.replace("24206", "999").replace("ec2-52", "ec2-53");
        assert_eq!(resolved(&unknown).1, None);
    }
}
