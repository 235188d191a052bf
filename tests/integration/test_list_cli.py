"""`coalition list …`: creating lists (IDN domains), bulk member files, show and members."""
import json
import os
import sqlite3
import sys
import time
import unittest

from harness import BACKEND, ServerTest


DEVANAGARI = "अनुराग@डाटामेल.भारत"
CHINESE = "用户@例子.广告"


class ListCli(ServerTest):
    def setUp(self):
        super().setUp()
        migrated = self.cli("migrate")
        self.assertEqual(migrated.returncode, 0, migrated.stderr)

    def write(self, name, text):
        path = os.path.join(self.directory, name)
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
        return path

    def create(self, address="discuss@lists.example.org", *extra):
        result = self.cli("list", "create", address, "--owner", "owner@example.org", *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def show(self, name):
        result = self.cli("list", "show", name, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def members(self, name):
        result = self.cli("list", "members", name)
        self.assertEqual(result.returncode, 0, result.stderr)
        return [line.split("\t") for line in result.stdout.splitlines()]

    def queued_mail(self):
        """Messages waiting in the outbox (SQLite only: read the file directly)."""
        path = self.database.url[len("sqlite:"):]
        with sqlite3.connect(path) as connection:
            return connection.execute("SELECT recipients, subject FROM mail_outbox").fetchall()

    def test_help_on_every_level(self):
        for args in (["list", "--help"], ["list", "create", "--help"],
                     ["list", "add-members", "--help"], ["list", "remove-members", "--help"],
                     ["list", "show", "--help"], ["list", "members", "--help"]):
            result = self.cli(*args)
            self.assertEqual(result.returncode, 0, args)
            self.assertIn("Usage", result.stdout + result.stderr, args)

    def test_usage_errors_exit_2(self):
        for args in (["list"], ["list", "create"], ["list", "create", "x@example.org"],
                     ["list", "create", "x@example.org", "--owner", "not an address"],
                     ["list", "add-members", "discuss"],
                     ["list", "add-members", "discuss", "--file", "/nonexistent/file"]):
            result = self.cli(*args)
            self.assertEqual(result.returncode, 2, (args, result.stdout, result.stderr))
            self.assertNotIn("terminate called", result.stderr)

    def test_create_idn_list_and_show(self):
        created = self.create("GDC@Bücher.example", "--description", "Global Digital Compact",
                              "--display-name", "GDC", "--moderator", DEVANAGARI)
        self.assertIn("gdc@bücher.example", created.stdout)
        shown = self.show("gdc")
        self.assertEqual(shown["address"], "gdc@bücher.example")
        self.assertEqual(shown["address_ascii"], "gdc@xn--bcher-kva.example")
        self.assertEqual(shown["list_id"], "gdc.xn--bcher-kva.example")
        self.assertEqual(shown["description"], "Global Digital Compact")
        self.assertEqual(shown["owners"], ["owner@example.org"])
        self.assertEqual(shown["moderators"], [DEVANAGARI])
        self.assertEqual(shown["settings"]["subject_prefix"], "[gdc]")
        self.assertEqual(shown["settings"]["posting_policy"], "members")
        self.assertEqual(shown["settings"]["nonmember_policy"], "hold")
        self.assertEqual(shown["members"]["subscribed"], 0)
        # Found by its posting address in either form, too.
        self.assertEqual(self.show("gdc@xn--bcher-kva.example")["name"], "gdc")
        text = self.cli("list", "show", "gdc")
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("posting_policy: members", text.stdout)

        taken = self.cli("list", "create", "gdc@other.example", "--owner", "o@example.org")
        self.assertEqual(taken.returncode, 1)
        self.assertIn("address", taken.stderr)
        reserved = self.cli("list", "create", "gdc-request@example.org", "--owner", "o@example.org")
        self.assertEqual(reserved.returncode, 1)
        self.assertIn("address", reserved.stderr)
        missing = self.cli("list", "show", "nothing")
        self.assertEqual(missing.returncode, 1)

    def test_add_and_remove_members_from_a_file(self):
        self.create()
        path = self.write("members.txt", "\n".join([
            "# coalition members",
            "ana@example.org",
            "",
            "   ",
            "Ana@EXAMPLE.org",
            "not an address",
            DEVANAGARI,
            CHINESE,
            "Ben Lima <ben@bücher.example>",
            "x'); DROP TABLE list_members; --@example.org",
            "  carol@example.org  \r",
        ]) + "\n")
        added = self.cli("list", "add-members", "discuss", "--file", path)
        self.assertEqual(added.returncode, 0, added.stderr)
        self.assertIn("line 5: already a member: Ana@example.org", added.stdout)
        self.assertIn('line 6: invalid: "not an address"', added.stdout)
        self.assertIn("line 10: invalid:", added.stdout)
        self.assertIn("Added 5, already members 1, invalid 2", added.stdout)

        roster = {row[0]: row for row in self.members("discuss")}
        self.assertEqual(set(roster), {"ana@example.org", DEVANAGARI, CHINESE, "ben@bücher.example",
                                       "carol@example.org"})
        self.assertEqual(roster["ben@bücher.example"][1:], ["subscribed", "regular", "Ben Lima"])
        if BACKEND == "sqlite":
            mail = self.queued_mail()
            self.assertEqual(len(mail), 5)
            self.assertTrue(all(subject == "Welcome to discuss" for _, subject in mail), mail)

        # The same people written with A-label domains are already members.
        again = self.write("again.txt", "ana@example.org\nben@xn--bcher-kva.example\n")
        repeated = self.cli("list", "add-members", "discuss@lists.example.org", "--file", again,
                            "--no-welcome")
        self.assertEqual(repeated.returncode, 0, repeated.stderr)
        self.assertIn("Added 0, already members 2", repeated.stdout)

        leaving = self.write("leaving.txt", f"{CHINESE}\nstranger@example.org\n")
        removed = self.cli("list", "remove-members", "discuss", "--file", leaving, "--no-goodbye")
        self.assertEqual(removed.returncode, 0, removed.stderr)
        self.assertIn("line 2: not a member: stranger@example.org", removed.stdout)
        self.assertIn("Removed 1, not members 1", removed.stdout)
        counts = self.show("discuss")["members"]
        self.assertEqual((counts["subscribed"], counts["unsubscribed"]), (4, 1))
        if BACKEND == "sqlite":
            self.assertEqual(len(self.queued_mail()), 5)  # No welcome, no goodbye.

    def test_nothing_valid_is_a_failure(self):
        self.create()
        path = self.write("bad.txt", "# only junk\nnot an address\n\xff\n")
        result = self.cli("list", "add-members", "discuss", "--file", path)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("line 2: invalid", result.stdout)
        empty = self.write("empty.txt", "")
        result = self.cli("list", "remove-members", "discuss", "--file", empty)
        self.assertNotEqual(result.returncode, 0)
        unknown = self.cli("list", "add-members", "nothing", "--file", path)
        self.assertEqual(unknown.returncode, 1)

    def test_ten_thousand_line_file(self):
        self.create()
        lines = [f"member{index}@example{index % 50}.org" for index in range(9990)]
        lines += ["# a comment", "", "bad address"] + [f"idn{index}@bücher.example" for index in range(7)]
        self.assertEqual(len(lines), 10000)
        path = self.write("big.txt", "\n".join(lines) + "\n")
        started = time.monotonic()
        # 10,000 welcome mails composed by the sanitizer build on a busy CI machine: minutes.
        added = self.cli("list", "add-members", "discuss", "--file", path, timeout=300)
        elapsed = time.monotonic() - started
        self.assertEqual(added.returncode, 0, added.stderr)
        self.assertIn("Added 9997, already members 0, invalid 1", added.stdout)
        print(f"\n[lists] add-members, 10,000 lines with welcome mail ({BACKEND}): {elapsed:.2f} s",
              file=sys.stderr)
        self.assertEqual(self.show("discuss")["members"]["subscribed"], 9997)

        self.create("quiet@lists.example.org")
        started = time.monotonic()
        quiet = self.cli("list", "add-members", "quiet", "--file", path, "--no-welcome")
        elapsed = time.monotonic() - started
        self.assertEqual(quiet.returncode, 0, quiet.stderr)
        print(f"[lists] add-members, 10,000 lines, --no-welcome ({BACKEND}): {elapsed:.2f} s",
              file=sys.stderr)
        started = time.monotonic()
        again = self.cli("list", "add-members", "quiet", "--file", path, "--no-welcome")
        elapsed = time.monotonic() - started
        self.assertIn("Added 0, already members 9997", again.stdout)
        print(f"[lists] add-members, 10,000 lines, all already members ({BACKEND}): {elapsed:.2f} s",
              file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
