//! Login attempts in the messages of authentication programs (`/var/log/auth.log`,
//! `/var/log/secure`): who tried which account, from where, and how it went.
//!
//! The forms are those fail2ban's `sshd` filter knows in its `normal`, `ddos` and
//! `aggressive` modes, its `dropbear` filter, and PAM's generic failure line:
//!
//! ```text
//! sshd: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2
//! sshd: Invalid user admin from 203.0.113.9 port 52144
//! sshd: Connection closed by authenticating user root 203.0.113.9 port 52144 [preauth]
//! sshd: Disconnected from invalid user admin 203.0.113.9 port 52144 [preauth]
//! sshd: error: maximum authentication attempts exceeded for root from 203.0.113.9 port 52144 ssh2 [preauth]
//! sshd: User root from 203.0.113.9 not allowed because not listed in AllowUsers
//! sshd: Did not receive identification string from 203.0.113.9 port 52144
//! sshd: Unable to negotiate with 203.0.113.9 port 52144: no matching key exchange method found.
//! sshd: Connection closed by 203.0.113.9 port 52144 [preauth]
//! sshd: message repeated 3 times: [ Failed password for root from 203.0.113.9 port 52144 ssh2]
//! sshd: Accepted publickey for alice from 198.51.100.4 port 50022 ssh2: RSA SHA256:…
//! dropbear: Bad password attempt for 'root' from 203.0.113.9:52144
//! pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root
//! su:   FAILED su for root by alice
//! sudo: alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh
//! ```
//!
//! One connection (one sshd process) often tells one attempt on several lines; how they
//! add up is the detector's business: each outcome says what kind of line it is.

use crate::event::{AuthAttempt, AuthOutcome};

/// The login attempt in `message` from `program`, if it reports one.
pub fn auth_attempt<'a>(program: &str, message: &'a str) -> Option<AuthAttempt<'a>> {
    if message.contains("authentication failure") && message.contains("rhost=") {
        return pam_failure(message);
    }
    if program.starts_with("sshd") {
        return sshd(message);
    }
    match program {
        "dropbear" => dropbear(message),
        "su" => message
            .strip_prefix("FAILED su for ")
            .map(|rest| AuthAttempt::new(AuthOutcome::Failed, rest.split_whitespace().next())),
        "sudo" if message.contains("incorrect password attempt") => Some(AuthAttempt::new(
            AuthOutcome::Failed,
            message.split(" : ").next().map(str::trim),
        )),
        _ => None,
    }
}

/// `authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root`,
/// from any PAM service; `PAM 2 more authentication failures; …` counts those two.
fn pam_failure(message: &str) -> Option<AuthAttempt<'_>> {
    let field = |name: &str| {
        message
            .split_whitespace()
            .find_map(|word| word.strip_prefix(name))
            .filter(|value| !value.is_empty())
    };
    let times = message
        .split_once("PAM ")
        .and_then(|(_, rest)| rest.split_once(" more authentication failures"))
        .and_then(|(n, _)| n.trim().parse().ok())
        .unwrap_or(1);
    Some(AuthAttempt {
        times,
        source: field("rhost="),
        ..AuthAttempt::new(AuthOutcome::PamFailed, field("user="))
    })
}

/// Every form of fail2ban's `sshd` filter (`normal`, `ddos`, `aggressive`) that names an
/// address, and the successes.
fn sshd(message: &str) -> Option<AuthAttempt<'_>> {
    let message = message
        .strip_prefix("error: ")
        .or_else(|| message.strip_prefix("fatal: "))
        .unwrap_or(message);
    if let Some(repeated) = message.strip_prefix("message repeated ") {
        // rsyslog folds identical lines: `message repeated 3 times: [ Failed password …]`.
        let (times, inner) = repeated.split_once(" times: [")?;
        let inner = inner
            .trim_start()
            .strip_suffix(']')
            .unwrap_or(inner)
            .trim_end();
        let attempt = sshd(inner)?;
        return Some(AuthAttempt {
            times: times.trim().parse::<u32>().ok()?.max(1),
            ..attempt
        });
    }
    let preauth = message.ends_with("[preauth]");
    use AuthOutcome::*;
    if let Some(rest) = message.strip_prefix("Failed ") {
        // `Failed password for [invalid user ]NAME from ADDR port N ssh2`
        let (_method, rest) = rest.split_once(" for ")?;
        return Some(user_from(Failed, strip_invalid_user(rest)));
    }
    if let Some(rest) = message.strip_prefix("Accepted ") {
        let (_method, rest) = rest.split_once(" for ")?;
        return Some(user_from(Accepted, rest));
    }
    for prefix in ["Invalid user ", "Illegal user ", "invalid user "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return Some(user_from(InvalidUser, rest));
        }
    }
    if let Some(rest) = message.strip_prefix("maximum authentication attempts exceeded for ") {
        return Some(user_from(GaveUp, strip_invalid_user(rest)));
    }
    if let Some(rest) = message.strip_prefix("User ")
        && let Some((user_and_source, _why)) = rest.split_once(" not allowed because ")
    {
        // `User root from 203.0.113.9 not allowed because not listed in AllowUsers`
        return Some(user_from(GaveUp, user_and_source));
    }
    for prefix in [
        "Connection closed by ",
        "Connection reset by ",
        "Disconnected from ",
        "Disconnecting ",
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return closed(rest, preauth);
        }
    }
    if let Some(rest) = message.strip_prefix("Received disconnect from ") {
        // `Received disconnect from ADDR port N:11: Bye Bye [preauth]`; `: 3: …: Auth fail`
        // reports a failure, anything else before login a visit that tried nothing.
        let source = address_at(rest);
        let outcome = if rest.contains("Auth fail") || rest.contains("No supported authentication")
        {
            GaveUp
        } else if preauth {
            Probe
        } else {
            return None;
        };
        return Some(AuthAttempt {
            source,
            port: port_after(rest),
            ..AuthAttempt::new(outcome, None)
        });
    }
    for (prefix, marker) in [
        ("Did not receive identification string from ", ""),
        ("Unable to negotiate with ", ""),
        ("Bad protocol version identification ", " from "),
        ("banner exchange: Connection from ", ""),
        ("ssh_dispatch_run_fatal: Connection from ", ""),
        ("kex_exchange_identification: ", " from "),
        ("Timeout before authentication for ", ""),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let rest = if marker.is_empty() {
                rest
            } else {
                rest.rsplit_once(marker).map_or("", |(_, after)| after)
            };
            return Some(AuthAttempt {
                source: address_at(rest),
                port: port_after(rest),
                ..AuthAttempt::new(Probe, None)
            });
        }
    }
    if message.starts_with("reverse mapping checking getaddrinfo for ")
        || message.starts_with("Address ")
    {
        // `… [203.0.113.9] failed - POSSIBLE BREAK-IN ATTEMPT!`: a name that does not match
        // its address; about the connection, not an attempt.
        if !message.ends_with("POSSIBLE BREAK-IN ATTEMPT!") {
            return None;
        }
        let source = message
            .split_once(" [")
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(address, _)| address)
            .or_else(|| message.strip_prefix("Address ").and_then(first_word));
        return Some(AuthAttempt {
            source: source.filter(|s| looks_like_address(s)),
            ..AuthAttempt::new(Probe, None)
        });
    }
    None
}

/// After `Connection closed by`, `Disconnected from` and the like: `authenticating user
/// NAME ADDR port N [preauth]`, `invalid user NAME ADDR port N`, `user NAME ADDR port N`
/// or just `ADDR port N`.
fn closed(rest: &str, preauth: bool) -> Option<AuthAttempt<'_>> {
    for (prefix, outcome) in [
        ("authenticating user ", AuthOutcome::GaveUp),
        ("invalid user ", AuthOutcome::GaveUp),
        ("user ", AuthOutcome::Closed),
    ] {
        if let Some(rest) = rest.strip_prefix(prefix) {
            // The name may be empty or hold spaces; the address is the word before `port`.
            let (user, source, port) = split_user_address(rest);
            return Some(AuthAttempt {
                source,
                port,
                ..AuthAttempt::new(outcome, user)
            });
        }
    }
    let source = address_at(rest)?;
    Some(AuthAttempt {
        source: Some(source),
        port: port_after(rest),
        ..AuthAttempt::new(
            if preauth {
                AuthOutcome::Probe
            } else {
                AuthOutcome::Closed
            },
            None,
        )
    })
}

/// `NAME ADDR port N …` where NAME may be empty or hold spaces.
fn split_user_address(rest: &str) -> (Option<&str>, Option<&str>, Option<&str>) {
    let before_port = rest.split_once(" port ").map_or(rest, |(before, _)| before);
    let before_port = before_port
        .split_once(':')
        .filter(|(_, after)| after.starts_with(' '))
        .map_or(before_port, |(before, _)| before);
    let (user, address) = match before_port.trim_end().rsplit_once(' ') {
        Some((user, address)) => (Some(user.trim()).filter(|u| !u.is_empty()), address),
        None => (None, before_port.trim()),
    };
    let source = Some(address).filter(|a| looks_like_address(a));
    (user, source, port_after(rest))
}

/// `invalid user NAME …` → `NAME …`.
fn strip_invalid_user(rest: &str) -> &str {
    rest.strip_prefix("invalid user ").unwrap_or(rest)
}

/// An attempt from `NAME from ADDR port N …` (the name may be empty: `Invalid user  from`).
fn user_from(outcome: AuthOutcome, rest: &str) -> AuthAttempt<'_> {
    match rest.rsplit_once(" from ") {
        Some((user, after)) => AuthAttempt {
            source: address_at(after),
            port: port_after(after),
            ..AuthAttempt::new(outcome, Some(user.trim()).filter(|u| !u.is_empty()))
        },
        None => AuthAttempt::new(outcome, rest.split_whitespace().next()),
    }
}

/// Dropbear's forms: `Bad password attempt for 'root' from 203.0.113.9:52144`, `Login
/// attempt for nonexistent user 'admin' from …`, `Exit before auth from <…>: …`,
/// `Password auth succeeded for 'root' from …`.
fn dropbear(message: &str) -> Option<AuthAttempt<'_>> {
    use AuthOutcome::*;
    let outcome = if message.starts_with("Bad password attempt for ")
        || message.starts_with("Bad PAM password attempt for ")
    {
        Failed
    } else if message.starts_with("Login attempt for nonexistent user") {
        InvalidUser
    } else if message.contains(" auth succeeded for ") {
        Accepted
    } else if message.starts_with("Exit before auth") {
        if message.contains(" fails)") || message.contains("Max auth tries") {
            GaveUp
        } else {
            Probe
        }
    } else {
        return None;
    };
    let user = message
        .split_once('\'')
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(user, _)| user);
    let (_, after) = message.rsplit_once(" from ")?;
    let endpoint = after
        .trim_start_matches('<')
        .split(['>', ' '])
        .next()
        .unwrap_or("");
    let (source, port) = split_host_port(endpoint);
    Some(AuthAttempt {
        source: Some(source).filter(|s| looks_like_address(s)),
        port,
        ..AuthAttempt::new(outcome, user)
    })
}

/// `203.0.113.9:52144` → address and port; `[2001:db8::1]:22` too; a bare IPv6 has no port.
fn split_host_port(endpoint: &str) -> (&str, Option<&str>) {
    if let Some(rest) = endpoint.strip_prefix('[')
        && let Some((host, port)) = rest.split_once("]:")
    {
        return (host, Some(port));
    }
    match endpoint.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            (host, Some(port))
        }
        _ => (endpoint, None),
    }
}

/// The address that starts `text` (`203.0.113.9 port 52144 …`, `203.0.113.9: 11: …`).
fn address_at(text: &str) -> Option<&str> {
    let word = text.split([' ', ',']).next()?;
    let word = word.strip_suffix(':').unwrap_or(word);
    let word = word.trim_start_matches('[').trim_end_matches(']');
    looks_like_address(word).then_some(word)
}

fn first_word(text: &str) -> Option<&str> {
    text.split_whitespace().next()
}

/// The port after ` port ` in `text`, if any.
fn port_after(text: &str) -> Option<&str> {
    let (_, after) = text.split_once("port ")?;
    let digits = after.split(|c: char| !c.is_ascii_digit()).next()?;
    (!digits.is_empty()).then_some(digits)
}

/// An IPv4 or IPv6 address, or a host name (sshd logs names when `UseDNS` is on): a word
/// of letters, digits, dots, colons and dashes that holds a dot or a colon.
fn looks_like_address(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 255
        && word.contains(['.', ':'])
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b':' | b'-' | b'%' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! attempts {
        ($($name:ident: $program:expr, $message:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                let got = auth_attempt($program, $message).map(|a| (a.outcome, a.user, a.source));
                assert_eq!(got, $expected);
            }
        )*};
    }

    use AuthOutcome::*;
    attempts! {
        failed_password: "sshd", "Failed password for root from 203.0.113.9 port 52144 ssh2"
            => Some((Failed, Some("root"), Some("203.0.113.9")));
        failed_invalid_user: "sshd", "Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2"
            => Some((Failed, Some("admin"), Some("203.0.113.9")));
        failed_none: "sshd", "Failed none for invalid user guest from 2001:db8::7 port 22 ssh2"
            => Some((Failed, Some("guest"), Some("2001:db8::7")));
        failed_keyboard_interactive: "sshd", "Failed keyboard-interactive/pam for invalid user ftp from 203.0.113.9 port 5512 ssh2"
            => Some((Failed, Some("ftp"), Some("203.0.113.9")));
        failed_user_named_from: "sshd", "Failed password for invalid user from from 203.0.113.9 port 1 ssh2"
            => Some((Failed, Some("from"), Some("203.0.113.9")));
        new_sshd_session_program: "sshd-session", "Failed password for root from 203.0.113.9 port 52144 ssh2"
            => Some((Failed, Some("root"), Some("203.0.113.9")));
        invalid_user: "sshd", "Invalid user oracle from 203.0.113.9 port 40112"
            => Some((InvalidUser, Some("oracle"), Some("203.0.113.9")));
        invalid_user_old_form: "sshd", "Invalid user webmaster from 173.234.31.186"
            => Some((InvalidUser, Some("webmaster"), Some("173.234.31.186")));
        illegal_user: "sshd", "Illegal user test from 203.0.113.9"
            => Some((InvalidUser, Some("test"), Some("203.0.113.9")));
        invalid_empty_user: "sshd", "Invalid user  from 203.0.113.9"
            => Some((InvalidUser, None, Some("203.0.113.9")));
        accepted_key: "sshd", "Accepted publickey for alice from 198.51.100.4 port 50022 ssh2: RSA SHA256:abc"
            => Some((Accepted, Some("alice"), Some("198.51.100.4")));
        closed_authenticating: "sshd", "Connection closed by authenticating user root 203.0.113.9 port 33330 [preauth]"
            => Some((GaveUp, Some("root"), Some("203.0.113.9")));
        disconnected_invalid: "sshd", "Disconnected from invalid user admin 203.0.113.9 port 33330 [preauth]"
            => Some((GaveUp, Some("admin"), Some("203.0.113.9")));
        closed_invalid_empty_name: "sshd", "Connection closed by invalid user  203.0.113.9 port 33330 [preauth]"
            => Some((GaveUp, None, Some("203.0.113.9")));
        disconnecting_too_many: "sshd", "Disconnecting authenticating user root 203.0.113.9 port 4410: Too many authentication failures [preauth]"
            => Some((GaveUp, Some("root"), Some("203.0.113.9")));
        disconnected_after_login: "sshd", "Disconnected from user alice 198.51.100.4 port 50022"
            => Some((Closed, Some("alice"), Some("198.51.100.4")));
        max_attempts: "sshd", "error: maximum authentication attempts exceeded for invalid user admin from 203.0.113.9 port 4410 ssh2 [preauth]"
            => Some((GaveUp, Some("admin"), Some("203.0.113.9")));
        not_allowed: "sshd", "User root from 203.0.113.9 not allowed because not listed in AllowUsers"
            => Some((GaveUp, Some("root"), Some("203.0.113.9")));
        closed_preauth_is_a_probe: "sshd", "Connection closed by 203.0.113.9 port 33330 [preauth]"
            => Some((Probe, None, Some("203.0.113.9")));
        closed_preauth_old_form: "sshd", "Connection closed by 173.234.31.186 [preauth]"
            => Some((Probe, None, Some("173.234.31.186")));
        reset_preauth: "sshd", "Connection reset by 203.0.113.9 port 33330 [preauth]"
            => Some((Probe, None, Some("203.0.113.9")));
        received_disconnect_preauth: "sshd", "Received disconnect from 203.0.113.9 port 33330:11: Bye Bye [preauth]"
            => Some((Probe, None, Some("203.0.113.9")));
        received_disconnect_old: "sshd", "Received disconnect from 203.0.113.9: 11: Bye Bye [preauth]"
            => Some((Probe, None, Some("203.0.113.9")));
        received_disconnect_auth_fail: "sshd", "Received disconnect from 203.0.113.9: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]"
            => Some((GaveUp, None, Some("203.0.113.9")));
        received_disconnect_after_session: "sshd", "Received disconnect from 198.51.100.4 port 50022:11: disconnected by user"
            => None;
        no_identification: "sshd", "Did not receive identification string from 203.0.113.9 port 41234"
            => Some((Probe, None, Some("203.0.113.9")));
        unable_to_negotiate: "sshd", "Unable to negotiate with 203.0.113.9 port 41234: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]"
            => Some((Probe, None, Some("203.0.113.9")));
        bad_protocol: "sshd", "Bad protocol version identification 'GET / HTTP/1.1' from 203.0.113.9 port 41234"
            => Some((Probe, None, Some("203.0.113.9")));
        banner_exchange: "sshd", "banner exchange: Connection from 203.0.113.9 port 41234: invalid format"
            => Some((Probe, None, Some("203.0.113.9")));
        dispatch_fatal: "sshd", "ssh_dispatch_run_fatal: Connection from 203.0.113.9 port 41234: Connection corrupted [preauth]"
            => Some((Probe, None, Some("203.0.113.9")));
        kex_without_address: "sshd", "error: kex_exchange_identification: Connection closed by remote host"
            => Some((Probe, None, None));
        possible_break_in: "sshd", "reverse mapping checking getaddrinfo for ns.example.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!"
            => Some((Probe, None, Some("173.234.31.186")));
        repeated: "sshd", "message repeated 3 times: [ Failed password for root from 203.0.113.9 port 52144 ssh2]"
            => Some((Failed, Some("root"), Some("203.0.113.9")));
        other_sshd_messages: "sshd", "Server listening on 0.0.0.0 port 22." => None;
        pam_inside_sshd: "sshd", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root"
            => Some((PamFailed, Some("root"), Some("203.0.113.9")));
        pam_as_its_own_program: "sshd(pam_unix)", "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 "
            => Some((PamFailed, None, Some("218.188.2.4")));
        pam_of_another_service: "vsftpd", "pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=anonymous rhost=203.0.113.9"
            => Some((PamFailed, None, Some("203.0.113.9")));
        dropbear_bad_password: "dropbear", "Bad password attempt for 'root' from 203.0.113.9:52144"
            => Some((Failed, Some("root"), Some("203.0.113.9")));
        dropbear_nonexistent: "dropbear", "Login attempt for nonexistent user 'admin' from 203.0.113.9:52144"
            => Some((InvalidUser, Some("admin"), Some("203.0.113.9")));
        dropbear_exit_before_auth: "dropbear", "Exit before auth from <203.0.113.9:52144>: Exited normally"
            => Some((Probe, None, Some("203.0.113.9")));
        dropbear_max_tries: "dropbear", "Exit before auth (user 'root', 10 fails): Max auth tries reached - user 'root' from 203.0.113.9:52144"
            => Some((GaveUp, Some("root"), Some("203.0.113.9")));
        dropbear_success: "dropbear", "Password auth succeeded for 'root' from 203.0.113.9:52144"
            => Some((Accepted, Some("root"), Some("203.0.113.9")));
        su_failure: "su", "FAILED su for root by alice" => Some((Failed, Some("root"), None));
        sudo_failure: "sudo", "alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh"
            => Some((Failed, Some("alice"), None));
        sudo_success_is_not_a_login: "sudo", "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls" => None;
        other_programs: "cron", "Failed password for root from 1.2.3.4" => None;
    }

    #[test]
    fn repeats_and_pam_tallies_count_their_attempts() {
        let repeated = auth_attempt(
            "sshd",
            "message repeated 5 times: [ Failed password for root from 203.0.113.9 port 1 ssh2]",
        );
        assert_eq!(repeated.map(|a| a.times), Some(5));
        let more = auth_attempt(
            "sshd",
            "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root",
        );
        assert_eq!(
            more.map(|a| (a.times, a.source)),
            Some((2, Some("203.0.113.9")))
        );
    }

    #[test]
    fn ports_are_read() {
        let port = |message| auth_attempt("sshd", message).and_then(|a| a.port);
        assert_eq!(
            port("Invalid user a from 203.0.113.9 port 40112"),
            Some("40112")
        );
        assert_eq!(
            port("Connection closed by authenticating user root 203.0.113.9 port 33330 [preauth]"),
            Some("33330")
        );
        assert_eq!(
            auth_attempt(
                "dropbear",
                "Bad password attempt for 'root' from 203.0.113.9:52144"
            )
            .and_then(|a| a.port),
            Some("52144")
        );
    }
}
