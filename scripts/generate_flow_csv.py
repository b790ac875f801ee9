#!/usr/bin/env python3
"""Writes a realistic network-flow CSV (CIC-IDS2017 column names) with labelled attacks.

Two hours of a small office network as CICFlowMeter would export it: sixty workstations
browsing HTTPS and HTTP, asking the resolver, fetching mail; admins on SSH; a file
server's FTP; and, mixed in, each from its own source:

  DDoS          an HTTP flood on the web server: about 300 short flows a minute for 6 minutes
  PortScan      an nmap-style SYN scan of 1,000 ports of the web server in two minutes
  SSH-Patator   password guessing on SSH: 240 connections in twelve minutes
  FTP-Patator   password guessing on FTP: 180 connections in ten minutes

The Label column carries the ground truth (BENIGN or the attack's name), as in the
dataset: `loglens evaluate FILE` scores the detectors against it. Deterministic.

    python3 scripts/generate_flow_csv.py > example_logs/flows_cicids.csv
"""

import argparse
import datetime as dt
import random
import sys

START = dt.datetime(2017, 7, 7, 9, 0, 0)
WEB_SERVER = "192.168.10.50"
FILE_SERVER = "192.168.10.51"
RESOLVER = "192.168.10.3"
OFFICE = [f"192.168.10.{host}" for host in range(100, 160)]
ADMINS = OFFICE[:3]
EXTERNAL = [f"{a}.{b}.{c}.{d}" for a, b, c, d in [
    (104, 16, 207, 165), (151, 101, 1, 69), (172, 217, 4, 46), (13, 107, 42, 14),
    (52, 84, 150, 39), (23, 45, 112, 7), (142, 250, 74, 110), (185, 199, 108, 153),
]]

HEADER = ["Flow ID", " Source IP", " Source Port", " Destination IP", " Destination Port",
          " Protocol", " Timestamp", " Flow Duration", " Total Fwd Packets",
          " Total Backward Packets", "Total Length of Fwd Packets",
          " Total Length of Bwd Packets", " Label"]


def flow(t, src, sport, dst, dport, proto, micros, fwd, bwd, fwd_bytes, bwd_bytes, label):
    stamp = t.strftime("%Y-%m-%d %H:%M:%S.%f")
    flow_id = f"{src}-{dst}-{sport}-{dport}-{proto}"
    return (t, [flow_id, src, sport, dst, dport, proto, stamp, micros, fwd, bwd,
                fwd_bytes, bwd_bytes, label])


def benign(rng, minutes):
    out = []
    for minute in range(minutes):
        base = START + dt.timedelta(minutes=minute)
        for host in OFFICE:
            # Browsing: a couple of HTTPS flows a minute, some HTTP, each after a DNS query.
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                t = base + dt.timedelta(seconds=rng.uniform(0, 60))
                out.append(flow(t, host, rng.randint(49152, 65535), RESOLVER, 53, 17,
                                rng.randint(200, 40000), 1, 1, rng.randint(30, 60), rng.randint(60, 300), "BENIGN"))
                dst = rng.choice(EXTERNAL)
                port = 443 if rng.random() < 0.85 else 80
                fwd = rng.randint(6, 40)
                bwd = rng.randint(fwd, fwd * 3)
                out.append(flow(t + dt.timedelta(milliseconds=30), host, rng.randint(49152, 65535), dst, port, 6,
                                rng.randint(50_000, 30_000_000), fwd, bwd,
                                rng.randint(300, 4000), rng.randint(2000, 900_000), "BENIGN"))
            # The intranet site, now and then.
            if rng.random() < 0.1:
                t = base + dt.timedelta(seconds=rng.uniform(0, 60))
                out.append(flow(t, host, rng.randint(49152, 65535), WEB_SERVER, 80, 6,
                                rng.randint(20_000, 2_000_000), rng.randint(5, 12), rng.randint(5, 20),
                                rng.randint(300, 1500), rng.randint(1000, 80_000), "BENIGN"))
        # Mail every five minutes per host, spread out.
        for host in OFFICE[minute % 5::5]:
            t = base + dt.timedelta(seconds=rng.uniform(0, 60))
            out.append(flow(t, host, rng.randint(49152, 65535), FILE_SERVER, 143, 6,
                            rng.randint(100_000, 900_000), rng.randint(8, 15), rng.randint(8, 15),
                            rng.randint(400, 900), rng.randint(600, 40_000), "BENIGN"))
        # Admins on SSH and FTP a few times an hour.
        for admin in ADMINS:
            if rng.random() < 0.05:
                t = base + dt.timedelta(seconds=rng.uniform(0, 60))
                out.append(flow(t, admin, rng.randint(49152, 65535), WEB_SERVER, 22, 6,
                                rng.randint(60_000_000, 600_000_000), rng.randint(40, 400), rng.randint(40, 400),
                                rng.randint(4000, 60_000), rng.randint(4000, 200_000), "BENIGN"))
            if rng.random() < 0.03:
                t = base + dt.timedelta(seconds=rng.uniform(0, 60))
                out.append(flow(t, admin, rng.randint(49152, 65535), FILE_SERVER, 21, 6,
                                rng.randint(2_000_000, 20_000_000), rng.randint(10, 30), rng.randint(10, 30),
                                rng.randint(200, 900), rng.randint(400, 2000), "BENIGN"))
    return out


def ddos(rng, at):
    out = []
    for second in range(6 * 60):
        for _ in range(5):
            t = at + dt.timedelta(seconds=second + rng.random())
            out.append(flow(t, "172.16.0.1", rng.randint(1024, 65535), WEB_SERVER, 80, 6,
                            rng.randint(1000, 3_000_000), rng.randint(2, 6), rng.randint(0, 4),
                            rng.choice([0, 20, 20]), rng.choice([0, 0, 11595]), "DDoS"))
    return out


def port_scan(rng, at):
    ports = list(range(1, 1001))
    rng.shuffle(ports)
    return [flow(at + dt.timedelta(seconds=i * 0.12), "172.16.0.2", 60938, WEB_SERVER, port, 6,
                 rng.randint(20, 120), 1, 1, 0, 0, "PortScan") for i, port in enumerate(ports)]


def patator(rng, at, source, port, count, minutes, label):
    out = []
    for i in range(count):
        t = at + dt.timedelta(seconds=i * minutes * 60 / count + rng.random())
        fwd = rng.randint(8, 20)
        out.append(flow(t, source, rng.randint(32768, 60999), WEB_SERVER if port == 22 else FILE_SERVER, port, 6,
                        rng.randint(1_000_000, 6_000_000), fwd, fwd + rng.randint(-2, 4),
                        rng.randint(600, 1400), rng.randint(900, 2600), label))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--minutes", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    at = lambda minutes: START + dt.timedelta(minutes=minutes)
    flows = benign(rng, args.minutes)
    flows += ddos(rng, at(args.minutes * 0.25))
    flows += port_scan(rng, at(args.minutes * 0.45))
    flows += patator(rng, at(args.minutes * 0.6), "172.16.0.3", 22, 240, 12, "SSH-Patator")
    flows += patator(rng, at(args.minutes * 0.8), "172.16.0.4", 21, 180, 10, "FTP-Patator")
    flows.sort(key=lambda f: f[0])
    out = sys.stdout
    out.write(",".join(HEADER) + "\n")
    for _, row in flows:
        out.write(",".join(str(cell) for cell in row) + "\n")


if __name__ == "__main__":
    main()
