#!/usr/bin/env python3
"""Waits until Postfix's smtp-sink (run by bench/peers/common.sh) has every recipient.

  sink_wait.py SINK_DIR MODE EXPECTED TIMEOUT_SECONDS SINK_PID

SINK_DIR holds `counter` (smtp-sink -c output: "sess=N quit=N mesg=N" lines ended by CR) and, in
bulk mode, `dump/` (smtp-sink -d: one file a transaction, one "X-Rcpt-Args:" line a recipient,
then the "Received:" header smtp-sink writes at DATA). MODE personalised counts completed
transactions (one recipient each); MODE bulk counts RCPT lines of transactions, and is done when
EXPECTED recipients are in and every started transaction has completed its DATA.
Prints "DONE <unix time with ns> <recipients> <messages>" and exits 0; on timeout or when the sink
dies prints "TIMEOUT ..." and exits 1. Polls every 10 ms (reads only new headers).
"""
import os
import re
import sys
import time

COUNTER = re.compile(rb'mesg=(\d+)')


def messages(counter_path):
    try:
        with open(counter_path, 'rb') as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 256))
            tail = f.read()
    except FileNotFoundError:
        return 0
    found = COUNTER.findall(tail)
    return int(found[-1]) if found else 0


def main(argv):
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    sink_dir, mode, expected, timeout, sink_pid = argv[1], argv[2], int(argv[3]), float(argv[4]), int(argv[5])
    counter_path = os.path.join(sink_dir, 'counter')
    dump_dir = os.path.join(sink_dir, 'dump')
    final = {}  # Bulk: dump file -> its recipient count, once its headers are complete.
    deadline = time.monotonic() + timeout
    recipients = mesgs = 0
    while True:
        mesgs = messages(counter_path)
        if mode == 'bulk':
            try:
                names = os.listdir(dump_dir)
            except FileNotFoundError:
                names = []
            for name in names:
                if name in final:
                    continue
                with open(os.path.join(dump_dir, name), 'rb') as f:
                    head = f.read(1 << 22)
                end = head.find(b'\nReceived: ')
                if end >= 0:
                    final[name] = head.count(b'\nX-Rcpt-Args:', 0, end)
            recipients = sum(final.values())
            done = recipients >= expected and mesgs >= len(names) == len(final)
        else:
            recipients = mesgs
            done = recipients >= expected
        if done:
            print(f'DONE {time.time_ns() / 1e9:.6f} {recipients} {mesgs}', flush=True)
            return 0
        if time.monotonic() > deadline or not os.path.exists(f'/proc/{sink_pid}'):
            print(f'TIMEOUT {time.time_ns() / 1e9:.6f} {recipients} {mesgs}', flush=True)
            return 1
        time.sleep(0.01)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
