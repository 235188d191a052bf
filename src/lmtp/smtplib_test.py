#!/usr/bin/python3
"""Python's smtplib.LMTP, a real LMTP client, against lmtp_echo_server (argv[1]).

smtplib.LMTP reads only the first reply after DATA; the other recipients' replies (RFC 2033 §4.2)
are read here with getreply(), as an MTA does.
"""
import smtplib
import subprocess
import sys
import unittest

SERVER = sys.argv.pop(1) if len(sys.argv) > 1 else None


class LmtpWithSmtplib(unittest.TestCase):
    def setUp(self):
        self.process = subprocess.Popen([SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, encoding="utf-8")
        line = self.process.stdout.readline().split()
        self.assertEqual(line[0], "LISTENING")
        self.port = int(line[1])
        self.client = smtplib.LMTP("127.0.0.1", self.port, timeout=20)

    def tearDown(self):
        try:
            self.client.quit()
        except smtplib.SMTPException:
            pass
        self.process.stdin.close()
        self.assertEqual(self.process.wait(timeout=30), 0)
        self.process.stdout.close()

    def delivered(self):
        words = self.process.stdout.readline().split()
        self.assertEqual(words[0], "DELIVERED")
        return words[1], words[2].split(","), words[3] == "1", bytes.fromhex(words[4])

    def test_lhlo_advertises_the_extensions(self):
        code, _ = self.client.ehlo()
        self.assertEqual(code, 250)
        for extension in ("pipelining", "8bitmime", "smtputf8", "enhancedstatuscodes"):
            self.assertTrue(self.client.has_extn(extension), extension)
        self.assertEqual(self.client.esmtp_features["size"], "100000")

    def test_one_reply_per_recipient_and_unknown_refused_at_rcpt(self):
        self.client.ehlo()
        self.assertEqual(self.client.mail("anna@example.org")[0], 250)
        self.assertEqual(self.client.rcpt("list@lists.example")[0], 250)
        self.assertEqual(self.client.rcpt("nobody@lists.example"),
                         (550, b"5.1.1 No such list here"))
        self.assertEqual(self.client.rcpt("list-owner@lists.example")[0], 250)
        body = b"Subject: hello\r\n\r\n.starts with a dot\r\nbare\nend\r\n"
        self.assertEqual(self.client.data(body), (250, b"2.1.5 Stored"))
        self.assertEqual(self.client.getreply(), (250, b"2.1.5 Stored"))
        sender, recipients, smtputf8, message = self.delivered()
        self.assertEqual(sender, "anna@example.org")
        self.assertEqual(recipients, ["list@lists.example", "list-owner@lists.example"])
        self.assertFalse(smtputf8)
        self.assertEqual(message, b"Subject: hello\r\n\r\n.starts with a dot\r\nbare\r\nend\r\n")
        self.assertEqual(self.client.noop()[0], 250)

    def test_sendmail_with_utf8_addresses_and_headers(self):
        message = "From: Zoë <zoë@exemple.fr>\r\nSubject: Déclaration — 声明\r\n\r\nمرحبا\r\n"
        refused = self.client.sendmail("zoë@exemple.fr", ["list@пример.рф"],
                                       message.encode("utf-8"), mail_options=["SMTPUTF8"])
        self.assertEqual(refused, {})
        sender, recipients, smtputf8, stored = self.delivered()
        self.assertEqual(sender, "zoë@exemple.fr")
        self.assertEqual(recipients, ["list@пример.рф"])
        self.assertTrue(smtputf8)
        self.assertEqual(stored, message.encode("utf-8"))

    def test_oversized_and_unavailable(self):
        self.client.ehlo()
        with self.assertRaises(smtplib.SMTPSenderRefused) as refused:
            self.client.sendmail("a@b.example", ["list@lists.example"], b"x" * 200_000)
        self.assertEqual(refused.exception.smtp_code, 552)
        self.client.rset()
        with self.assertRaises(smtplib.SMTPDataError) as failed:
            self.client.sendmail("a@b.example", ["down@lists.example"], b"Subject: x\r\n\r\nx\r\n")
        self.assertEqual(failed.exception.smtp_code, 451)


if __name__ == "__main__":
    unittest.main()
