#!/usr/bin/env python3
"""Writes a realistic /var/log/auth.log (Debian, RFC 3164) with labelled password attacks.

Three days of one server: cron sessions every ten minutes, admins logging in with keys
from the office, sudo, the odd mistyped password followed by a success; and, mixed in:

  brute_force   a burst of guesses (Invalid user, PAM failure, Failed password for each)
                that ends in a successful root login
  brute_force   a low-and-slow campaign: thirty guesses spread over a day

With --labels FILE, writes `line,client,kind` for every attack line. Deterministic.

    python3 scripts/generate_auth_log.py --labels example_logs/auth.labels.csv > example_logs/auth.log
"""

import argparse
import datetime as dt
import random
import sys

START = dt.datetime(2024, 3, 11, 0, 0, 0)
HOST = "web1"
OFFICE = "198.51.100.4"
ADMINS = ["alice", "bob", "deploy"]
USERNAMES = ["admin", "test", "oracle", "postgres", "ubuntu", "user", "guest", "git", "pi", "ftp"]


# RFC 3164 by default; --rfc5424 switches to the structured layout (authpriv.info: <86>).
RFC5424 = False


def line(t, program, pid, message, client=None, label=None):
    if RFC5424:
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00")
        return (t, f"<86>1 {stamp} {HOST} {program} {pid} - - {message}", client, label)
    stamp = t.strftime("%b %d %H:%M:%S").replace(" 0", "  ", 1) if t.day < 10 else t.strftime("%b %d %H:%M:%S")
    return (t, f"{stamp} {HOST} {program}[{pid}]: {message}", client, label)


def routine(rng, days):
    out = []
    pid = 2000
    for minute in range(0, days * 24 * 60, 10):
        t = START + dt.timedelta(minutes=minute)
        pid += 1
        out.append(line(t, "CRON", pid, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"))
        out.append(line(t + dt.timedelta(seconds=1), "CRON", pid, "pam_unix(cron:session): session closed for user root"))
    for day in range(days):
        for admin in ADMINS:
            t = START + dt.timedelta(days=day, hours=rng.randint(8, 17), minutes=rng.randint(0, 59))
            pid += 1
            port = rng.randint(40000, 60000)
            if rng.random() < 0.2:
                out.append(line(t, "sshd", pid, f"Failed password for {admin} from {OFFICE} port {port} ssh2"))
                t += dt.timedelta(seconds=5)
            out.append(line(t, "sshd", pid, f"Accepted publickey for {admin} from {OFFICE} port {port} ssh2: ED25519 SHA256:q2Z0"))
            out.append(line(t, "sshd", pid, f"pam_unix(sshd:session): session opened for user {admin}(uid=1000) by (uid=0)"))
            sudo_at = t + dt.timedelta(minutes=rng.randint(1, 30))
            out.append(line(sudo_at, "sudo", pid + 1, f"{admin} : TTY=pts/0 ; PWD=/home/{admin} ; USER=root ; COMMAND=/usr/bin/systemctl restart shop"))
            out.append(line(sudo_at + dt.timedelta(minutes=40), "sshd", pid, f"pam_unix(sshd:session): session closed for user {admin}"))
    return out


def guess(t, pid, ip, user, label):
    """One guess, as sshd and PAM log it: three lines."""
    port = 30000 + pid % 30000
    return [
        line(t, "sshd", pid, f"Invalid user {user} from {ip} port {port}", ip, label),
        line(t + dt.timedelta(seconds=1), "sshd", pid,
             f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}", ip, label),
        line(t + dt.timedelta(seconds=2), "sshd", pid, f"Failed password for invalid user {user} from {ip} port {port} ssh2", ip, label),
    ]


def burst(rng):
    ip = "203.0.113.9"
    t = START + dt.timedelta(days=1, hours=3, minutes=12)
    out = []
    for i in range(40):
        out += guess(t, 9000 + i, ip, rng.choice(USERNAMES), "brute_force")
        t += dt.timedelta(seconds=rng.randint(3, 8))
    out.append(line(t, "sshd", 9100, f"Accepted password for root from {ip} port 51022 ssh2", ip, "brute_force"))
    return out


def low_and_slow(rng):
    ip = "192.0.2.77"
    t = START + dt.timedelta(hours=6)
    out = []
    for i in range(30):
        out += guess(t, 7000 + i, ip, rng.choice(USERNAMES), "brute_force")
        t += dt.timedelta(minutes=rng.randint(35, 60))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--labels", help="write line,client,kind for every attack line to this file")
    parser.add_argument("--rfc5424", action="store_true", help="write RFC 5424 syslog lines")
    args = parser.parse_args()
    global RFC5424
    RFC5424 = args.rfc5424
    rng = random.Random(args.seed)
    records = routine(rng, args.days) + burst(rng) + low_and_slow(rng)
    records.sort(key=lambda r: r[0])
    sys.stdout.write("".join(text + "\n" for _, text, _, _ in records))
    if args.labels:
        with open(args.labels, "w", encoding="utf-8") as labels:
            labels.write("line,client,kind\n")
            for number, (_, _, client, label) in enumerate(records, start=1):
                if label:
                    labels.write(f"{number},{client},{label}\n")


if __name__ == "__main__":
    main()
