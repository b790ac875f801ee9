//! One login attempt told on several lines, counted once.
//!
//! sshd tells one guess as `Invalid user admin from …`, PAM's `authentication failure`,
//! `Failed password for invalid user admin …` and `Disconnected from invalid user admin
//! … [preauth]`, all from one process. Counting lines would count that guess four times;
//! counting only `Failed` lines misses the servers that never log one (key-only servers
//! log `Connection closed by authenticating user root … [preauth]` and nothing else). So
//! the lines of one connection (its process id, or a honeypot's session) are added up as
//! fail2ban does: each `Failed` line is an attempt, and a connection that failed in any
//! other way is at least one. A connection that only connected and left is a probe, until
//! it tries an account.

use crate::event::AuthOutcome;

/// The connections of one client still open to more lines: a bot's parallel connections
/// interleave, and most are done within seconds.
const RECENT_CONNECTIONS: usize = 16;

/// What the lines of one client's recent connections added up to so far.
#[derive(Debug, Clone, Default)]
pub struct LoginConnections {
    /// (connection id's hash, its tally), oldest first.
    recent: Vec<(u64, Tally)>,
    /// Attempts to log in that failed.
    pub attempts: u64,
    /// Connections that left without trying an account (and did not try one later).
    pub probes: u64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    failed_lines: u64,
    failed_otherwise: bool,
    probed: bool,
}

impl Tally {
    fn attempts(self) -> u64 {
        self.failed_lines.max(u64::from(self.failed_otherwise))
    }
}

/// What a line changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// New failed attempts it adds (0 when it retells one counted already).
    pub new_attempts: u64,
}

impl LoginConnections {
    /// Adds one line of `outcome`, told `times` times, of the connection `connection`
    /// (`None` when the log does not say, and the line stands alone).
    pub fn count(&mut self, connection: Option<&str>, outcome: AuthOutcome, times: u32) -> Counted {
        let mut alone = Tally::default();
        let tally = match connection {
            Some(id) => self.tally_of(id),
            None => &mut alone,
        };
        let before = tally.attempts();
        let was_probe = tally.probed && before == 0;
        match outcome {
            AuthOutcome::Failed => tally.failed_lines += u64::from(times.max(1)),
            AuthOutcome::InvalidUser | AuthOutcome::PamFailed | AuthOutcome::GaveUp => {
                tally.failed_otherwise = true;
            }
            AuthOutcome::Probe => tally.probed = true,
            AuthOutcome::Accepted | AuthOutcome::Closed => {}
        }
        let after = tally.attempts();
        let is_probe = tally.probed && after == 0;
        let new_attempts = after - before;
        self.attempts += new_attempts;
        match (was_probe, is_probe) {
            (false, true) => self.probes += 1,
            (true, false) => self.probes -= 1,
            _ => {}
        }
        Counted { new_attempts }
    }

    fn tally_of(&mut self, id: &str) -> &mut Tally {
        let key = super::hash_of(id);
        let at = match self.recent.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                if self.recent.len() == RECENT_CONNECTIONS {
                    self.recent.remove(0);
                }
                self.recent.push((key, Tally::default()));
                self.recent.len() - 1
            }
        };
        &mut self.recent[at].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AuthOutcome::*;

    #[test]
    fn one_guess_told_four_ways_counts_once() {
        let mut logins = LoginConnections::default();
        let pid = Some("24200");
        for outcome in [Probe, InvalidUser, PamFailed, Failed, Probe] {
            logins.count(pid, outcome, 1);
        }
        assert_eq!((logins.attempts, logins.probes), (1, 0));
        // A second password in the same connection is a second attempt.
        logins.count(pid, Failed, 1);
        assert_eq!(logins.attempts, 2);
    }

    #[test]
    fn key_only_servers_count_each_closed_connection() {
        let mut logins = LoginConnections::default();
        for pid in ["1", "2", "3"] {
            logins.count(Some(pid), GaveUp, 1);
        }
        assert_eq!(logins.attempts, 3);
    }

    #[test]
    fn probes_are_connections_that_never_tried() {
        let mut logins = LoginConnections::default();
        logins.count(Some("1"), Probe, 1);
        logins.count(Some("2"), Probe, 1);
        logins.count(Some("2"), Probe, 1);
        assert_eq!((logins.attempts, logins.probes), (0, 2));
        logins.count(Some("2"), InvalidUser, 1);
        assert_eq!((logins.attempts, logins.probes), (1, 1));
    }

    #[test]
    fn lines_without_a_connection_stand_alone() {
        let mut logins = LoginConnections::default();
        logins.count(None, InvalidUser, 1);
        logins.count(None, Failed, 3);
        assert_eq!(logins.attempts, 4);
    }

    #[test]
    fn old_connections_make_room_for_new_ones() {
        let mut logins = LoginConnections::default();
        for pid in 0..100 {
            logins.count(Some(&pid.to_string()), GaveUp, 1);
        }
        assert_eq!(logins.attempts, 100);
        assert_eq!(logins.recent.len(), RECENT_CONNECTIONS);
    }
}
