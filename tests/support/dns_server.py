#!/usr/bin/python3
"""A real authoritative DNS server for tests: Debian's nsd on 127.0.0.1, on a free port.

    /usr/bin/python3 tests/support/dns_server.py [--zone NAME]... [--signed-zone NAME]...
        [--record RR]... [--unsigned-record RR]... [--records FILE.json]
        [--dir DIR] [--stop-on-stdin-eof]

Records are zone-file lines with an absolute owner name (a missing final dot is added), e.g.
    --record '_coalition-challenge.example.test. 300 IN TXT "part one" "part two"'
Each record goes into the declared zone that is the longest suffix of its owner; a record under
no declared zone creates an unsigned zone for the last two labels of its owner. Every zone gets
an SOA, an NS and the NS's address.

--signed-zone signs that zone with ldns-keygen/ldns-signzone (ECDSAP256SHA256, NSEC) and adds the
DS record of its key-signing key to the trust anchor file. --unsigned-record adds a record to its
zone *after* signing, so that a validating resolver with the anchor finds it bogus (no RRSIG).

FILE.json holds {"zones": [{"name": "...", "signed": false, "records": ["RR", ...],
"unsigned_records": ["RR", ...]}]}; it adds to what the arguments give.

Once nsd answers it prints one line `LISTENING <port> <anchor-file>` on stdout. The anchor file
(DS records, as libunbound's trust-anchor-file reads them) always exists and is empty when no zone
is signed. The port is found by binding port 0 and handing it to nsd; if another process takes it
in between, nsd fails to bind and the script tries another port.

Records can change while it runs (an organisation publishes its challenge token after reading
it on a page): write one command a line to its stdin, and it answers `OK` (or `ERROR <why>`) on
stdout once nsd serves the change:
    ADD <RR>            add a record (signed with the zone's keys when the zone is signed)
    ADD-UNSIGNED <RR>   add a record without signatures
    REMOVE <owner>      remove every record at that owner name
Zones use TTL 0 and a negative-answer TTL of 0 unless a record says otherwise, so resolvers
under test see changes at once.

It stops (killing nsd and removing its files) on SIGTERM or SIGINT, and with --stop-on-stdin-eof
also when its stdin reaches end of file: a test that spawns it with a pipe on stdin then never
leaves it behind, even when the test itself is killed.

Exit status: 0 after a stop; 2 for bad arguments; 3 when nsd or the ldns tools are missing
(stderr says which Debian package to install: `scripts/install-deps --with-test-tools`);
1 when nsd cannot be started.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

NSD_CANDIDATES = ("/usr/sbin/nsd", "/usr/bin/nsd")
START_ATTEMPTS = 8
READY_TIMEOUT_SECONDS = 15


def fail_missing(tool, package):
    print(f"dns_server.py: {tool} is not installed (Debian package {package}; run "
          f"scripts/install-deps --with-test-tools)", file=sys.stderr)
    sys.exit(3)


def find_nsd():
    for candidate in NSD_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("nsd")
    if not found:
        fail_missing("nsd", "nsd")
    return found


def absolute(name):
    name = name.strip()
    return name if name.endswith(".") else name + "."


class Zone:
    def __init__(self, name, signed=False):
        self.name = absolute(name).lower()
        self.signed = signed
        self.records = []
        self.unsigned_records = []
        self.serial = 1
        self.path = None
        self.keys = None  # (KSK, ZSK) key file base names once signed.


class ZoneSet:
    def __init__(self):
        self.zones = {}

    def declare(self, name, signed=False):
        zone = self.zones.setdefault(absolute(name).lower(), Zone(name))
        zone.signed = zone.signed or signed
        return zone

    def zone_for(self, record):
        owner = absolute(record.split(None, 1)[0]).lower()
        best = None
        for zone in self.zones.values():
            if owner == zone.name or owner.endswith("." + zone.name):
                if best is None or len(zone.name) > len(best.name):
                    best = zone
        if best is None:
            labels = owner.rstrip(".").split(".")
            if len(labels) < 2:
                raise SystemExit(f"dns_server.py: no zone for record {record!r}")
            best = self.declare(".".join(labels[-2:]))
        return best

    def add(self, record, after_signing=False):
        owner, _, rest = record.strip().partition(" ")
        if not rest.strip():
            raise ValueError(f"not a record: {record!r}")
        rest = rest.strip()
        if not rest.split(None, 1)[0].isdigit():
            # An explicit TTL: ldns-signzone does not apply $TTL 0 to the records it signs.
            rest = "0 " + rest
        line = absolute(owner) + " " + rest
        zone = self.zone_for(line)
        (zone.unsigned_records if after_signing else zone.records).append(line)
        return zone

    def remove(self, owner):
        owner = absolute(owner).lower()
        zone = self.zone_for(owner + " TXT x")
        for records in (zone.records, zone.unsigned_records):
            records[:] = [r for r in records if absolute(r.split(None, 1)[0]).lower() != owner]
        return zone


def zone_text(zone):
    origin = zone.name
    lines = [
        f"$ORIGIN {origin}",
        "$TTL 0",
        f"@ 0 IN SOA ns.{origin} hostmaster.{origin} {zone.serial} 3600 900 604800 0",
        f"@ 0 IN NS ns.{origin}",
        f"ns.{origin} 0 IN A 127.0.0.1",
    ]
    lines.extend(zone.records)
    return "\n".join(lines) + "\n"


def run_tool(arguments, directory):
    try:
        return subprocess.run(arguments, cwd=directory, check=True, capture_output=True,
                              text=True).stdout
    except FileNotFoundError:
        fail_missing(arguments[0], "ldnsutils")
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"dns_server.py: {' '.join(arguments)} failed: {error.stderr}")


def write_zone(zone, directory):
    """Writes the zone file, signed with the zone's keys (made on first use) when asked."""
    path = zone.path
    with open(path + ".new", "w") as out:
        out.write(zone_text(zone))
    if zone.signed:
        if zone.keys is None:
            ksk = run_tool(["ldns-keygen", "-a", "ECDSAP256SHA256", "-k", zone.name],
                           directory).strip()
            zsk = run_tool(["ldns-keygen", "-a", "ECDSAP256SHA256", zone.name], directory).strip()
            zone.keys = (ksk, zsk)
        run_tool(["ldns-signzone", "-o", zone.name, "-f", path + ".signed", path + ".new",
                  *zone.keys], directory)
        os.replace(path + ".signed", path + ".new")
    if zone.unsigned_records:
        with open(path + ".new", "a") as out:
            out.write("\n".join(zone.unsigned_records) + "\n")
    # nsd reloads a zone on SIGHUP only when its file's mtime changed: make sure it does.
    previous = os.stat(path).st_mtime if os.path.exists(path) else 0
    os.replace(path + ".new", path)
    stamp = max(time.time(), previous + 1)
    os.utime(path, (stamp, stamp))


def write_zones(zone_set, directory):
    """Writes every zone file; returns the DS records of the signed zones' KSKs."""
    anchors = []
    for index, zone in enumerate(sorted(zone_set.zones.values(), key=lambda z: z.name)):
        zone.path = os.path.join(directory, f"zone{index}.zone")
        write_zone(zone, directory)
        if zone.signed:
            with open(os.path.join(directory, zone.keys[0] + ".ds")) as ds:
                anchors.append(ds.read().strip())
    return anchors


def nsd_config(zone_set, directory, port):
    lines = [
        "server:",
        "    ip-address: 127.0.0.1",
        f"    port: {port}",
        "    do-ip6: no",
        "    server-count: 1",
        "    reuseport: no",
        '    username: ""',
        '    chroot: ""',
        f'    zonesdir: "{directory}"',
        f'    pidfile: "{directory}/nsd.pid"',
        f'    logfile: "{directory}/nsd.log"',
        '    database: ""',
        f'    zonelistfile: "{directory}/zone.list"',
        f'    xfrdfile: "{directory}/xfrd.state"',
        f'    xfrdir: "{directory}"',
        "    verbosity: 1",
        # Response rate limiting (on by default) drops answers to a test's bursts of queries.
        "    rrl-ratelimit: 0",
        "    rrl-whitelist-ratelimit: 0",
        "remote-control:",
        "    control-enable: no",
    ]
    for zone in zone_set.zones.values():
        lines += ["zone:", f'    name: "{zone.name}"', f'    zonefile: "{zone.path}"']
    return "\n".join(lines) + "\n"


def free_port():
    """A port free for both UDP and TCP on 127.0.0.1 at the time of asking."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port


def skip_name(message, offset):
    while True:
        length = message[offset]
        if length & 0xC0 == 0xC0:
            return offset + 2
        offset += 1 + length
        if length == 0:
            return offset


def soa_query(zone_name):
    query_id = random.randrange(65536)
    header = struct.pack("!HHHHHH", query_id, 0x0000, 1, 0, 0, 0)
    question = b"".join(bytes([len(label)]) + label.encode("ascii")
                        for label in zone_name.rstrip(".").split(".")) + b"\x00"
    return query_id, header + question + struct.pack("!HH", 6, 1)


def served_serial(port, zone_name):
    """The SOA serial an authoritative server for `zone_name` on 127.0.0.1:port serves, or None."""
    query_id, query = soa_query(zone_name)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.settimeout(0.2)
        try:
            udp.sendto(query, ("127.0.0.1", port))
            reply = udp.recv(4096)
        except OSError:
            return None
    try:
        reply_id, flags, _, answer_count = struct.unpack("!HHHH", reply[:8])
        if reply_id != query_id or not flags & 0x0400 or flags & 0x000F or answer_count < 1:
            return None
        offset = skip_name(reply, 12) + 4  # The question: name, type, class.
        offset = skip_name(reply, offset) + 10  # The answer's owner, type, class, TTL, length.
        offset = skip_name(reply, skip_name(reply, offset))  # SOA MNAME and RNAME.
        return struct.unpack("!I", reply[offset:offset + 4])[0]
    except (IndexError, struct.error):
        return None


def start_nsd(nsd, zone_set, directory):
    """Starts nsd on a free port; returns (process, port) once it answers."""
    probe_zone = sorted(zone_set.zones)[0]
    last_log = ""
    for _ in range(START_ATTEMPTS):
        port = free_port()
        config = os.path.join(directory, "nsd.conf")
        with open(config, "w") as out:
            out.write(nsd_config(zone_set, directory, port))
        log_path = os.path.join(directory, "nsd.log")
        if os.path.exists(log_path):
            os.remove(log_path)
        process = subprocess.Popen([nsd, "-d", "-c", config], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            if served_serial(port, probe_zone) is not None:
                return process, port
            time.sleep(0.02)
        if process.poll() is None:
            process.kill()
        process.wait()
        if os.path.exists(log_path):
            with open(log_path) as log:
                last_log = log.read()
    print(f"dns_server.py: nsd did not start:\n{last_log}", file=sys.stderr)
    sys.exit(1)


def server_processes(root_pid):
    """The live leaf processes under `root_pid`: nsd's server children, which answer queries."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry)] = int(fields[1])
    descendants, frontier = set(), {root_pid}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - descendants
        descendants |= frontier
    return {pid for pid in descendants if pid not in parents.values()}


def run_command(command, zone_set, directory, process, port):
    """Applies one stdin command; returns the line to answer once nsd serves the change."""
    verb, _, argument = command.partition(" ")
    try:
        if verb == "ADD":
            zone = zone_set.add(argument)
        elif verb == "ADD-UNSIGNED":
            zone = zone_set.add(argument, after_signing=True)
        elif verb == "REMOVE":
            zone = zone_set.remove(argument)
        else:
            return f"ERROR unknown command {verb!r} (ADD, ADD-UNSIGNED, REMOVE)"
        if zone.path is None:
            return f"ERROR no zone for {argument!r} was declared at start"
        zone.serial += 1
        write_zone(zone, directory)
    except (ValueError, SystemExit) as error:
        return f"ERROR {error}"
    # On SIGHUP nsd forks new server processes with the new zone and retires the old ones, which
    # may answer a last query or two: the change is served once the new serial is seen and every
    # old server has gone.
    old_servers = server_processes(process.pid)
    process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if (served_serial(port, zone.name) == zone.serial
                and not old_servers & server_processes(process.pid)):
            return "OK"
        time.sleep(0.02)
    return "ERROR nsd did not load the change"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zone", action="append", default=[])
    parser.add_argument("--signed-zone", action="append", default=[])
    parser.add_argument("--record", action="append", default=[])
    parser.add_argument("--unsigned-record", action="append", default=[])
    parser.add_argument("--records", help="a JSON file of zones and records")
    parser.add_argument("--dir", help="where to write nsd's files (default: a new temp dir)")
    parser.add_argument("--stop-on-stdin-eof", action="store_true")
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    nsd = find_nsd()
    zone_set = ZoneSet()
    for name in arguments.zone:
        zone_set.declare(name)
    for name in arguments.signed_zone:
        zone_set.declare(name, signed=True)
    pending = [(record, False) for record in arguments.record]
    pending += [(record, True) for record in arguments.unsigned_record]
    if arguments.records:
        with open(arguments.records) as source:
            document = json.load(source)
        for zone in document.get("zones", []):
            zone_set.declare(zone["name"], signed=bool(zone.get("signed")))
            pending += [(record, False) for record in zone.get("records", [])]
            pending += [(record, True) for record in zone.get("unsigned_records", [])]
    for record, after_signing in pending:
        zone_set.add(record, after_signing)
    if not zone_set.zones:
        zone_set.declare("example.test")

    own_directory = arguments.dir is None
    directory = arguments.dir or tempfile.mkdtemp(prefix="coalition-dns-")
    os.makedirs(directory, exist_ok=True)
    anchor_path = os.path.join(directory, "trust-anchor.ds")
    with open(anchor_path, "w") as out:
        anchors = write_zones(zone_set, directory)
        out.write("".join(anchor + "\n" for anchor in anchors))

    process, port = start_nsd(nsd, zone_set, directory)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def read_commands():
        for line in sys.stdin:
            print(run_command(line.strip(), zone_set, directory, process, port), flush=True)
        if arguments.stop_on_stdin_eof:
            stop.set()
    threading.Thread(target=read_commands, daemon=True).start()

    print(f"LISTENING {port} {anchor_path}", flush=True)
    while not stop.is_set() and process.poll() is None:
        stop.wait(0.2)
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if own_directory:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
