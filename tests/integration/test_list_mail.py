"""Mailing-list mail in and out, black box: a real LMTP client (Python's smtplib.LMTP, as an MTA
hands mail over) into `coalition serve`, and a real SMTP relay (tests/support/smtp_sink.py,
aiosmtpd) recording what leaves, envelopes included. Also `coalition inject` and a SIGKILL in
the middle of a 10,000-recipient delivery.
"""
import email
import email.policy
import os
import re
import signal
import smtplib
import socket
import threading
import time
import unittest

from harness import ServerTest, wait_for

LIST = "discuss@lists.example.org"
OWNER = "owner@example.org"
MEMBERS = ["ana@example.org", "bo@example.net", "анна@пример.рф"]
LIST_ID = "<discuss.lists.example.org>"


def verp(address):
    """The VERP envelope sender delivery uses for `address` (A-label domain)."""
    local, _, domain = address.partition("@")
    return f"discuss-bounces+{local}={domain.encode('idna').decode()}@lists.example.org"


def envelope_address(address):
    local, _, domain = address.partition("@")
    return f"{local}@{domain.encode('idna').decode()}"


def post(sender, subject, body="Hello list.\r\n", message_id=True, extra_headers=""):
    headers = f"From: {sender}\r\nTo: {LIST}\r\nSubject: {subject}\r\n"
    if message_id:
        headers += f"Message-ID: <{abs(hash(subject))}.{time.monotonic_ns()}@example.org>\r\n"
    headers += "Date: Thu, 01 Jan 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
    headers += "Content-Type: text/plain; charset=utf-8\r\n" + extra_headers
    return (headers + "\r\n" + body).encode("utf-8")


def dot_stuffed(message):
    """DATA content as it goes on the wire: CRLF line ends, leading dots doubled, CRLF-ended."""
    data = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", message)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def read_reply(sock_file):
    """One (possibly multi-line) SMTP reply from a socket file: (code, [lines])."""
    lines = []
    while True:
        try:
            line = sock_file.readline()
        except ConnectionResetError:  # The server closed with our garbage unread.
            return None, lines
        if not line:
            return None, lines
        lines.append(line.decode("utf-8", "replace").rstrip("\r\n"))
        if len(line) < 4 or line[3:4] != b"-":
            return int(line[:3]), lines


class ListMailTest(ServerTest):
    """A list with three members (one with an internationalised address) behind a relay sink."""

    server_env = {}

    def setUp(self):
        super().setUp()
        self.sink = self.start_sink()
        created = self.cli("list", "create", LIST, "--owner", OWNER)
        self.assertEqual(created.returncode, 0, created.stderr)
        self.add_members(MEMBERS)
        # RFC 8058 one-click needs an https link: the public address the site is known by.
        env = {"COALITION_MAIL_RELAY": f"smtp://127.0.0.1:{self.sink.port}",
               "COALITION_SITE_BASE_URL": "https://coalition.example.org"}
        env.update(self.server_env)
        self.server = self.start_server(extra_env=env, demo=False)
        self.assertIsNotNone(self.server.lmtp_port, "".join(self.server.log))

    def add_members(self, addresses):
        path = os.path.join(self.directory, "members.txt")
        with open(path, "w", encoding="utf-8") as file:
            file.write("\n".join(addresses) + "\n")
        added = self.cli("list", "add-members", "discuss", "--file", path, "--no-welcome")
        self.assertEqual(added.returncode, 0, added.stdout + added.stderr)

    def lmtp_post(self, message, sender="ana@example.org", recipients=(LIST,), smtputf8=False):
        """Hands `message` over; returns one (code, text) per recipient (after DATA)."""
        client = self.server.lmtp()
        try:
            client.ehlo()
            options = ["SMTPUTF8", "BODY=8BITMIME"] if smtputf8 else []
            code, text = client.mail(sender, options)
            self.assertEqual(code, 250, text)
            for recipient in recipients:
                code, text = client.rcpt(recipient)
                self.assertEqual(code, 250, (recipient, text))
            client.putcmd("data")
            code, text = client.getreply()
            self.assertEqual(code, 354, text)
            client.send(dot_stuffed(message) + b".\r\n")
            return [client.getreply() for _ in recipients]
        finally:
            try:
                client.quit()
            except smtplib.SMTPException:
                pass

    def sunk_with_subject(self, subject):
        found = []
        for message in self.sink.messages():
            parsed = email.message_from_bytes(message["bytes"], policy=email.policy.default)
            if subject in str(parsed.get("Subject", "")):
                message["parsed"] = parsed
                found.append(message)
        return found

    def wait_for_members(self, subject, members=MEMBERS, timeout=60):
        expected = {envelope_address(member) for member in members}

        def everyone():
            messages = self.sunk_with_subject(subject)
            received = {rcpt for m in messages for rcpt in m["rcpt_tos"]}
            return messages if expected <= received else None

        return wait_for(everyone, timeout=timeout, interval=0.2,
                        what=f"'{subject}' at every member")

    def assert_server_alive(self):
        self.assertIsNone(self.server.process.poll(), "".join(self.server.log))
        client = self.server.lmtp()
        self.assertEqual(client.ehlo()[0], 250)
        client.quit()


class ListMailIn(ListMailTest):
    def test_accepted_post_reaches_every_member_with_verp_and_list_headers(self):
        replies = self.lmtp_post(post("Ana <ana@example.org>", "Agenda for Geneva"))
        self.assertEqual(replies[0][0], 250, replies)
        self.assertTrue(replies[0][1].startswith(b"2.0.0"), replies)
        messages = self.wait_for_members("Agenda for Geneva")
        by_recipient = {}
        for message in messages:
            self.assertEqual(len(message["rcpt_tos"]), 1, "personalised: one recipient each")
            by_recipient[message["rcpt_tos"][0]] = message
        for member in MEMBERS:
            message = by_recipient[envelope_address(member)]
            self.assertEqual(message["mail_from"], verp(member))
            parsed = message["parsed"]
            self.assertEqual(parsed["List-Id"].split()[-1], LIST_ID)
            unsubscribe = str(parsed["List-Unsubscribe"])
            self.assertIn("<https://coalition.example.org/lists/discuss/unsubscribe/", unsubscribe)
            self.assertIn("mailto:discuss-leave@lists.example.org", unsubscribe)
            self.assertEqual(str(parsed["List-Unsubscribe-Post"]), "List-Unsubscribe=One-Click")
        self.assertTrue(by_recipient[envelope_address("анна@пример.рф")]["smtputf8"])
        # Each member's one-click link is their own.
        links = {str(m["parsed"]["List-Unsubscribe"]) for m in messages}
        self.assertEqual(len(links), len(MEMBERS))

    def test_per_recipient_replies_and_unknown_recipient_refused_at_rcpt(self):
        client = self.server.lmtp()
        client.ehlo()
        for extension in ("pipelining", "8bitmime", "smtputf8", "enhancedstatuscodes", "size"):
            self.assertTrue(client.has_extn(extension), extension)
        self.assertEqual(client.mail("ana@example.org")[0], 250)
        self.assertEqual(client.rcpt(LIST)[0], 250)
        code, text = client.rcpt("nosuchlist@lists.example.org")
        self.assertEqual(code, 550)
        self.assertTrue(text.startswith(b"5.1.1"), text)
        self.assertEqual(client.rcpt("discuss@other.example")[0], 550)
        self.assertEqual(client.rcpt("discuss-owner@lists.example.org")[0], 250)
        code, text = client.data(post("ana@example.org", "Two recipients"))
        self.assertEqual(code, 250, text)
        code, text = client.getreply()  # The second accepted recipient's own reply.
        self.assertEqual(code, 250, text)
        client.quit()

    def test_oversized_message_refused_with_552(self):
        client = self.server.lmtp()
        client.ehlo()
        size = int(client.esmtp_features["size"])
        code, text = client.mail("ana@example.org", [f"SIZE={size + 1}"])
        self.assertEqual(code, 552, text)
        self.assertTrue(text.startswith(b"5.3.4"), text)
        client.quit()
        # Past the list's own maximum (1 MB by default) but under the listener's: the list
        # refuses it (552) or holds it for a moderator (250); it is never delivered.
        big = post("ana@example.org", "Too big for the list") + (b"y" * 998 + b"\r\n") * 1100
        replies = self.lmtp_post(big)
        self.assertIn(replies[0][0], (250, 552), replies)
        if replies[0][0] == 552:
            self.assertTrue(replies[0][1].startswith(b"5.3.4"), replies)
        self.assert_server_alive()

    def test_message_without_message_id_is_accepted_and_gets_one(self):
        replies = self.lmtp_post(post("ana@example.org", "No identifier", message_id=False))
        self.assertEqual(replies[0][0], 250, replies)
        messages = self.wait_for_members("No identifier")
        for message in messages:
            self.assertTrue(str(message["parsed"]["Message-ID"]).startswith("<"))

    def test_malformed_mime_is_accepted_or_clearly_refused_never_a_crash(self):
        cases = [
            b"From: ana@example.org\r\nSubject: Unclosed\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain"
            b"\r\n\r\nno closing boundary\r\n",
            b"From: ana@example.org\r\nSubject: Bad base64\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not*base64\r\n",
            b"this is not a header at all\r\nnor this\r\n\r\nbody\r\n",
            b"From: ana@example.org\r\nSubject: NUL \x00 and \xff\xfe bytes\r\n\r\n\x00\x01\x02\r\n",
            b"From: ana@example.org\r\nContent-Type: multipart/mixed\r\n\r\nno boundary\r\n",
            b"\r\n",
            b"From: ana@example.org\r\nSubject: " + b"x" * 5000 + b"\r\n\r\nlong header\r\n",
            b"From: ana@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
            + b"".join(b"Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n" % (i, i)
                       for i in range(200)) + b"\r\n",
        ]
        for message in cases:
            replies = self.lmtp_post(message)
            self.assertIn(replies[0][0], (250, 554), (message[:80], replies))
            if replies[0][0] == 554:
                self.assertTrue(replies[0][1].startswith(b"5.6.0"), replies)
        self.assert_server_alive()

    def test_eight_bit_headers(self):
        message = ("From: Zoë Ndiaye <ana@example.org>\r\nTo: discuss@lists.example.org\r\n"
                   "Subject: Déclaration commune — 共同声明 — بيان\r\n"
                   "Message-ID: <8bit@example.org>\r\nMIME-Version: 1.0\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
                   "\r\nمرحبا بالجميع\r\n").encode("utf-8")
        replies = self.lmtp_post(message, smtputf8=True)
        self.assertEqual(replies[0][0], 250, replies)
        messages = self.wait_for_members("共同声明")
        for message in messages:
            self.assertIn("Déclaration commune", str(message["parsed"]["Subject"]))

    def test_nonmember_post_is_held_and_the_moderator_told(self):
        replies = self.lmtp_post(post("stranger@example.com", "From outside"),
                                 sender="stranger@example.com")
        self.assertEqual(replies[0][0], 250, replies)
        wait_for(lambda: [m for m in self.sink.envelopes() if OWNER in m["rcpt_tos"]],
                 timeout=60, interval=0.2, what="the moderator's notice")
        self.assertEqual(
            [m for m in self.sunk_with_subject("From outside")
             if set(m["rcpt_tos"]) & {envelope_address(a) for a in MEMBERS}], [],
            "a held post reaches no member")


class ListMailServe(ListMailTest):
    def test_serve_prints_the_lmtp_address_and_an_empty_listen_turns_it_off(self):
        self.assertIn(f"LMTP 127.0.0.1:{self.server.lmtp_port}", "".join(self.server.log))
        second = self.start_server(extra_env={"COALITION_LMTP_LISTEN": ""}, demo=False)
        self.assertIsNone(second.lmtp_port)
        self.assertIn("LMTP off", "".join(second.log))

    def test_sigterm_tells_lmtp_clients_and_exits_zero(self):
        client = socket.create_connection((self.server.lmtp_host, self.server.lmtp_port),
                                          timeout=30)
        client_file = client.makefile("rb")
        self.assertEqual(read_reply(client_file)[0], 220)
        self.assertEqual(self.server.stop(signal.SIGTERM), 0, "".join(self.server.log))
        code, lines = read_reply(client_file)
        self.assertIn(code, (421, None), lines)
        client.close()


class ListMailAbuse(ListMailTest):
    server_env = {"COALITION_LMTP_IDLE_TIMEOUT_SECONDS": "2",
                  "COALITION_LMTP_DATA_TIMEOUT_SECONDS": "3"}

    def test_pipelined_garbage_is_refused_then_disconnected_while_a_good_client_works(self):
        good = self.server.lmtp()
        good.ehlo()
        bad = socket.create_connection((self.server.lmtp_host, self.server.lmtp_port), timeout=30)
        bad_file = bad.makefile("rb")
        self.assertEqual(read_reply(bad_file)[0], 220)
        garbage = b"LHLO bad.example\r\n" + b"".join(
            b"\x00\xff GARBAGE %d \x1b[31m\r\n" % i for i in range(100)) + b"X" * 5000 + b"\r\n"
        bad.sendall(garbage)
        codes = []
        while True:
            code, _ = read_reply(bad_file)
            if code is None:
                break
            codes.append(code)
        bad.close()
        self.assertEqual(codes[0], 250, codes)  # LHLO
        self.assertTrue(all(500 <= code < 600 for code in codes[1:-1]), codes)
        self.assertEqual(codes[-1], 421, codes)
        self.assertLess(len(codes), 100, "disconnected before reading it all")
        # The good client, connected all along, is undisturbed.
        self.assertEqual(good.mail("ana@example.org")[0], 250)
        self.assertEqual(good.rcpt(LIST)[0], 250)
        code, text = good.data(post("ana@example.org", "Still fine"))
        self.assertEqual(code, 250, text)
        good.quit()

    def test_client_stalling_mid_data_is_timed_out_while_another_succeeds(self):
        stalled = socket.create_connection((self.server.lmtp_host, self.server.lmtp_port),
                                           timeout=60)
        stalled_file = stalled.makefile("rb")
        self.assertEqual(read_reply(stalled_file)[0], 220)
        for command, expected in ((b"LHLO staller.example", 250), (b"MAIL FROM:<ana@example.org>",
                                   250), (b"RCPT TO:<" + LIST.encode() + b">", 250),
                                  (b"DATA", 354)):
            stalled.sendall(command + b"\r\n")
            self.assertEqual(read_reply(stalled_file)[0], expected, command)
        stalled.sendall(b"From: ana@example.org\r\nSubject: half a mess")  # …and nothing more.

        replies = self.lmtp_post(post("ana@example.org", "Meanwhile"))
        self.assertEqual(replies[0][0], 250, replies)

        code, lines = read_reply(stalled_file)  # Blocks until the server gives up on it.
        self.assertEqual(code, 421, lines)
        self.assertIn("4.4.2", lines[-1])
        self.assertEqual(stalled_file.read(), b"", "then the connection is closed")
        stalled.close()
        self.assertEqual(self.sunk_with_subject("half a mess"), [])
        self.assert_server_alive()

    def test_idle_client_is_disconnected(self):
        idle = socket.create_connection((self.server.lmtp_host, self.server.lmtp_port), timeout=60)
        idle_file = idle.makefile("rb")
        self.assertEqual(read_reply(idle_file)[0], 220)
        code, lines = read_reply(idle_file)
        self.assertEqual(code, 421, lines)
        idle.close()


class InjectCommand(ListMailTest):
    def inject(self, *args, input_bytes=b"", env=None):
        import subprocess
        from harness import BINARY
        full_env = dict(os.environ)
        full_env["COALITION_DATABASE_URL"] = self.database.url
        full_env.update(env or {})
        return subprocess.run([BINARY, "inject"] + list(args), cwd=self.directory, env=full_env,
                              input=input_bytes, capture_output=True, timeout=60)

    def test_exit_codes_as_pipe_transports_expect(self):
        message = post("ana@example.org", "Injected by pipe").replace(b"\r\n", b"\n")
        accepted = self.inject("discuss", "--sender", "ana@example.org",
                               input_bytes=b"From ana@example.org Thu Jan  1 10:00:00 2026\n"
                               + message)
        self.assertEqual(accepted.returncode, 0, accepted.stderr)
        self.assertEqual(len(accepted.stderr.decode().strip().splitlines()), 1, accepted.stderr)

        by_address = self.inject(LIST, input_bytes=post("ana@example.org", "By address"))
        self.assertEqual(by_address.returncode, 0, by_address.stderr)

        unknown = self.inject("nosuchlist", input_bytes=message)
        self.assertEqual(unknown.returncode, 67, unknown.stderr)
        self.assertIn(b"nosuchlist", unknown.stderr)
        unknown = self.inject("nosuch@lists.example.org", input_bytes=message)
        self.assertEqual(unknown.returncode, 67, unknown.stderr)

        empty = self.inject("discuss", input_bytes=b"")
        self.assertEqual(empty.returncode, 65, empty.stderr)
        huge = self.inject("discuss", input_bytes=b"x" * (26 * 1024 * 1024))
        self.assertEqual(huge.returncode, 65, huge.stderr)

        away = self.inject("discuss", input_bytes=message,
                           env={"COALITION_DATABASE_URL":
                                "postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2"})
        self.assertEqual(away.returncode, 75, away.stderr)
        for result in (unknown, empty, huge, away):
            self.assertEqual(len(result.stderr.decode().strip().splitlines()), 1, result.stderr)
        # The same pipeline as LMTP: the injected post reaches the members.
        self.wait_for_members("Injected by pipe")


class SigkillMidDelivery(ListMailTest):
    # Enough members that the kill lands mid-delivery (bench/fanout.sh measures 10,000 and more).
    COUNT = 3_000
    PARALLEL_WEIGHT = 20  # One long test: start it first when classes run side by side.
    CONNECTIONS = 4
    BATCH = 500  # lists::DeliverySettings::batch_size
    server_env = {"COALITION_LISTS_DELIVERY_CONNECTIONS": str(CONNECTIONS)}

    def test_every_remaining_recipient_gets_the_post_after_a_restart(self):
        members = [f"member{n:05d}@example.org" for n in range(self.COUNT)]
        self.add_members(members)
        replies = self.lmtp_post(post("ana@example.org", "Three thousand"))
        self.assertEqual(replies[0][0], 250, replies)
        expected = {envelope_address(m) for m in members + MEMBERS}

        wait_for(lambda: self.sink.count() >= 50, timeout=300, interval=0.05,
                 what="the first deliveries")
        self.server.process.send_signal(signal.SIGKILL)
        self.server.process.wait()
        at_kill = self.sink.count()
        if at_kill >= len(expected):
            self.skipTest("delivery finished before the kill; nothing to resume")

        restarted = self.start_server(
            extra_env={"COALITION_MAIL_RELAY": f"smtp://127.0.0.1:{self.sink.port}",
                       **self.server_env}, demo=False)
        self.assertIsNotNone(restarted.lmtp_port)

        def everyone():
            received = [r for m in self.sink.envelopes() for r in m["rcpt_tos"]]
            return received if expected <= set(received) else None

        received = wait_for(everyone, timeout=900, interval=1, what="every recipient")
        missing = expected - set(received)
        self.assertEqual(missing, set())
        list_copies = [r for r in received if r in expected]
        duplicates = len(list_copies) - len(set(list_copies))
        self.assertLessEqual(duplicates, self.CONNECTIONS * self.BATCH,
                             f"{duplicates} duplicates; {at_kill} delivered at the kill")


if __name__ == "__main__":
    unittest.main()
