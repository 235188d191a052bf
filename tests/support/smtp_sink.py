#!/usr/bin/python3
"""A real SMTP server for tests: accepts mail on loopback and writes each message to a directory.

Run it with Debian's interpreter, /usr/bin/python3 (a pyenv `python3` earlier on PATH cannot
import Debian's python3-aiosmtpd):

    /usr/bin/python3 tests/support/smtp_sink.py --dir DIR [--host 127.0.0.1] [--port 0]
        [--fail-rcpt-4xx REGEX] [--fail-rcpt-5xx REGEX] [--auth USER:PASSWORD]
        [--stop-on-stdin-eof] [--no-smtputf8] [--no-pipelining]
        [--fail-data-5xx REGEX] [--close-after N]

Once it listens it prints one line `LISTENING <port>` on stdout (with --port 0 the kernel picks
the port; read it from that line). It stops on SIGTERM or SIGINT, and with --stop-on-stdin-eof
also when its stdin reaches end of file: a test that spawns it with a pipe on stdin then never
leaves it behind, even when the test itself is killed.

Each accepted message N (1, 2, …, in order of arrival) becomes two files:
    DIR/N.eml    the message exactly as received (bytes after the SMTP DATA, dot-unstuffed)
    DIR/N.json   {"mail_from", "rcpt_tos", "smtputf8", "mail_options", "size", "connection",
                  "authenticated_as", "pipelined"}
N.json is written last and atomically (temp file + rename): once it exists both files are whole.
"connection" numbers the TCP connections from 1, so equal numbers mean a reused connection.
"pipelined" says the client had already sent more commands when the message ended (RFC 2920).

It offers 8BITMIME, SMTPUTF8 (not with --no-smtputf8), SIZE and PIPELINING (RFC 2920; not with
--no-pipelining: aiosmtpd reads commands one line at a time, so it copes with pipelined clients
either way). --fail-rcpt-4xx / --fail-rcpt-5xx answer RCPT TO for a recipient matching the
regular expression (re.search) with 451 4.3.0 / 550 5.1.1; the 4xx pattern is tried first.
--fail-data-5xx answers the end of DATA with 554 5.7.1 when a recipient matches (nothing is
written). --close-after N answers the command after the Nth message of a connection with
421 4.7.0 and closes it, as relays with a per-connection message limit do. --auth offers AUTH PLAIN and LOGIN without TLS and accepts only that pair; mail
is accepted without AUTH too (the json then says "authenticated_as": null).

Exit status: 0 after a stop, 2 for bad arguments; a missing aiosmtpd prints
`aiosmtpd is not installed` on stderr and exits 3 (a test turns that into a skip).
"""

import argparse
import asyncio
import itertools
import json
import os
import re
import signal
import sys
import warnings

# aiosmtpd 1.4 itself touches its deprecated Session.login_data during AUTH.
warnings.filterwarnings("ignore", message="Session.login_data is deprecated")

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:
    print("aiosmtpd is not installed (apt-get install python3-aiosmtpd)", file=sys.stderr)
    sys.exit(3)


class SinkHandler:
    def __init__(self, directory, arguments):
        self.directory = directory
        self.fail_4xx = re.compile(arguments.fail_rcpt_4xx) if arguments.fail_rcpt_4xx else None
        self.fail_5xx = re.compile(arguments.fail_rcpt_5xx) if arguments.fail_rcpt_5xx else None
        self.fail_data = re.compile(arguments.fail_data_5xx) if arguments.fail_data_5xx else None
        self.pipelining = not arguments.no_pipelining
        self.message_numbers = itertools.count(1)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.fail_4xx and self.fail_4xx.search(address):
            return "451 4.3.0 Mailbox temporarily unavailable"
        if self.fail_5xx and self.fail_5xx.search(address):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        server.messages_on_connection += 1
        if self.fail_data and any(self.fail_data.search(to) for to in envelope.rcpt_tos):
            return "554 5.7.1 Message refused by policy"
        number = next(self.message_numbers)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        eml_path = os.path.join(self.directory, f"{number}.eml")
        with open(eml_path, "wb") as eml:
            eml.write(content)
        authenticated = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "smtputf8": bool(envelope.smtp_utf8),
            "mail_options": envelope.mail_options,
            "size": len(content),
            "connection": server.connection_number,
            # The client's next commands already waiting when this message ended: it pipelines.
            "pipelined": bool(getattr(server._reader, "_buffer", b"")),
            "authenticated_as": authenticated.decode("utf-8", "replace") if authenticated else None,
        }
        json_path = os.path.join(self.directory, f"{number}.json")
        with open(json_path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.rename(json_path + ".tmp", json_path)
        return f"250 2.0.0 Ok: queued as {number}"


class NumberedSMTP(SMTP):
    """Numbers its connections so tests can see whether a client reused one."""

    connection_numbers = itertools.count(1)
    close_after = 0

    def connection_made(self, transport):
        self.connection_number = next(NumberedSMTP.connection_numbers)
        self.messages_on_connection = 0
        super().connection_made(transport)

    async def smtp_MAIL(self, arg):
        if self.close_after and self.messages_on_connection >= self.close_after:
            await self.push("421 4.7.0 Too many messages on this connection, closing")
            self.transport.close()
            return
        await super().smtp_MAIL(arg)


def make_authenticator(expected):
    user, _, password = expected.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    return authenticate


async def serve(arguments):
    os.makedirs(arguments.dir, exist_ok=True)
    handler = SinkHandler(arguments.dir, arguments)
    NumberedSMTP.close_after = arguments.close_after
    options = {"enable_SMTPUTF8": not arguments.no_smtputf8, "decode_data": False, "hostname": "sink.test"}
    if arguments.auth:
        options.update(authenticator=make_authenticator(arguments.auth), auth_require_tls=False,
                       auth_required=False)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: NumberedSMTP(handler, **options),
                                      host=arguments.host, port=arguments.port)
    port = server.sockets[0].getsockname()[1]
    print(f"LISTENING {port}", flush=True)

    stopped = asyncio.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stopped.set)

    def stdin_readable():
        if not os.read(sys.stdin.fileno(), 4096):
            loop.remove_reader(sys.stdin.fileno())
            stopped.set()

    if arguments.stop_on_stdin_eof:
        loop.add_reader(sys.stdin.fileno(), stdin_readable)

    await stopped.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description="SMTP sink for Coalition's tests.")
    parser.add_argument("--dir", required=True, help="where N.eml and N.json are written")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 lets the kernel choose")
    parser.add_argument("--fail-rcpt-4xx", metavar="REGEX", help="answer 451 to matching RCPT TO")
    parser.add_argument("--fail-rcpt-5xx", metavar="REGEX", help="answer 550 to matching RCPT TO")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="offer AUTH PLAIN/LOGIN")
    parser.add_argument("--stop-on-stdin-eof", action="store_true",
                        help="stop when stdin reaches end of file (spawn with a pipe)")
    parser.add_argument("--no-smtputf8", action="store_true",
                        help="do not offer SMTPUTF8 (a relay without RFC 6531)")
    parser.add_argument("--no-pipelining", action="store_true",
                        help="do not offer PIPELINING (RFC 2920)")
    parser.add_argument("--fail-data-5xx", metavar="REGEX",
                        help="answer 554 to the end of DATA when a recipient matches")
    parser.add_argument("--close-after", metavar="N", type=int, default=0,
                        help="answer 421 and close after N messages on a connection")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
