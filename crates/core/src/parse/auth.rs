//! Login attempts in the messages of authentication programs (`/var/log/auth.log`,
//! `/var/log/secure`): who tried which account, from where, and how it went.
//!
//! ```text
//! sshd: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2
//! sshd: Failed publickey for root from 203.0.113.9 port 52144 ssh2
//! sshd: Invalid user admin from 203.0.113.9 port 52144
//! sshd: Accepted password for alice from 198.51.100.4 port 50022 ssh2
//! su:   FAILED su for root by alice
//! sudo: alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh
//! ```
//!
//! PAM's `authentication failure; … rhost=… user=…` (from `sshd(pam_unix)` on older
//! systems, or inside sshd's own message on newer ones) is reported as [`AuthOutcome::PamFailed`]:
//! often the same attempt sshd reports as well.

use crate::event::{AuthAttempt, AuthOutcome};

/// The login attempt in `message` from `program`, if it reports one.
pub fn auth_attempt<'a>(program: &str, message: &'a str) -> Option<AuthAttempt<'a>> {
    if program.starts_with("sshd") && message.contains("authentication failure;") {
        return Some(pam_failure(message));
    }
    match program {
        "sshd" => sshd(message),
        "su" => message
            .strip_prefix("FAILED su for ")
            .map(|rest| AuthAttempt {
                outcome: AuthOutcome::Failed,
                user: rest.split_whitespace().next(),
                source: None,
            }),
        "sudo" if message.contains("incorrect password attempt") => Some(AuthAttempt {
            outcome: AuthOutcome::Failed,
            user: message.split(" : ").next().map(str::trim),
            source: None,
        }),
        _ => None,
    }
}

/// `authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root`
fn pam_failure(message: &str) -> AuthAttempt<'_> {
    let field = |name: &str| {
        message
            .split_whitespace()
            .find_map(|word| word.strip_prefix(name))
            .filter(|value| !value.is_empty())
    };
    AuthAttempt {
        outcome: AuthOutcome::PamFailed,
        user: field("user="),
        source: field("rhost="),
    }
}

fn sshd(message: &str) -> Option<AuthAttempt<'_>> {
    let (outcome, rest) = if let Some(rest) = message.strip_prefix("Failed ") {
        (AuthOutcome::Failed, rest.split_once(" for ")?.1)
    } else if let Some(rest) = message.strip_prefix("Accepted ") {
        (AuthOutcome::Accepted, rest.split_once(" for ")?.1)
    } else if let Some(rest) = message.strip_prefix("Invalid user ") {
        (AuthOutcome::InvalidUser, rest)
    } else {
        return None;
    };
    let rest = rest.strip_prefix("invalid user ").unwrap_or(rest);
    // "<user> from <address> port <n> ...": a user name may be empty ("Invalid user  from").
    let (user, after) = match rest.split_once(" from ") {
        Some((user, after)) => (Some(user.trim()).filter(|u| !u.is_empty()), Some(after)),
        None => (rest.split_whitespace().next(), None),
    };
    let source = after.and_then(|a| a.split_whitespace().next());
    Some(AuthAttempt {
        outcome,
        user,
        source,
    })
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
        invalid_user: "sshd", "Invalid user oracle from 203.0.113.9 port 40112"
            => Some((InvalidUser, Some("oracle"), Some("203.0.113.9")));
        invalid_empty_user: "sshd", "Invalid user  from 203.0.113.9"
            => Some((InvalidUser, None, Some("203.0.113.9")));
        accepted_key: "sshd", "Accepted publickey for alice from 198.51.100.4 port 50022 ssh2: RSA SHA256:abc"
            => Some((Accepted, Some("alice"), Some("198.51.100.4")));
        other_sshd_messages: "sshd", "Received disconnect from 203.0.113.9: 11: Bye Bye [preauth]" => None;
                pam_inside_sshd: "sshd", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root"
            => Some((PamFailed, Some("root"), Some("203.0.113.9")));
        pam_as_its_own_program: "sshd(pam_unix)", "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 "
            => Some((PamFailed, None, Some("218.188.2.4")));
        su_failure: "su", "FAILED su for root by alice" => Some((Failed, Some("root"), None));
        sudo_failure: "sudo", "alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh"
            => Some((Failed, Some("alice"), None));
        sudo_success_is_not_a_login: "sudo", "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls" => None;
        other_programs: "cron", "Failed password for root from 1.2.3.4" => None;
    }
}
