"""The command line: help on every level, exit codes, configuration errors, org/user commands."""
import json
import os
import shutil
import tempfile
import unittest

from harness import BACKEND, FreshDatabase, ServerTest, run_cli


class HelpAndUsage(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="coalition-cli-")

    def tearDown(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    def test_version(self):
        result = run_cli(["--version"], self.directory)
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"coalition \d+\.\d+\.\d+")

    def test_help_on_every_level(self):
        for args in (["--help"], ["serve", "--help"], ["migrate", "--help"], ["user", "--help"],
                     ["user", "add", "--help"], ["org", "--help"], ["org", "add", "--help"],
                     ["org", "list", "--help"], ["backup", "--help"], ["demo", "--help"],
                     ["demo", "load", "--help"]):
            result = run_cli(args, self.directory)
            self.assertEqual(result.returncode, 0, args)
            self.assertIn("Usage", result.stdout + result.stderr, args)

    def test_usage_errors_exit_2_with_one_line(self):
        for args in ([], ["no-such-command"], ["user", "add"], ["user", "add", "--email", "a@example.org",
                                                                 "--role", "emperor"], ["backup"]):
            result = run_cli(args, self.directory)
            self.assertEqual(result.returncode, 2, (args, result.stdout, result.stderr))
            self.assertNotIn("terminate called", result.stderr)

    def test_unknown_config_key_is_named(self):
        path = os.path.join(self.directory, "coalition.toml")
        with open(path, "w") as file:
            file.write('[http]\nlisten = "127.0.0.1:8080"\nlisen = "oops"\n')
        result = run_cli(["--config", path, "migrate"], self.directory)
        self.assertEqual(result.returncode, 2)
        self.assertIn("[http] lisen", result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)

    def test_malformed_value_is_named(self):
        path = os.path.join(self.directory, "coalition.toml")
        with open(path, "w") as file:
            file.write('[http]\nlisten = "nowhere"\n')
        result = run_cli(["--config", path, "migrate"], self.directory)
        self.assertEqual(result.returncode, 2)
        self.assertIn("[http] listen", result.stderr)

    def test_environment_overrides_are_checked_too(self):
        result = run_cli(["migrate"], self.directory, env={"COALITION_DATABASE_URL": "mysql://x"})
        self.assertEqual(result.returncode, 2)
        self.assertIn("COALITION_DATABASE_URL", result.stderr)

    def test_broken_toml_reports_line(self):
        path = os.path.join(self.directory, "coalition.toml")
        with open(path, "w") as file:
            file.write('[site\nname = 1\n')
        result = run_cli(["--config", path, "migrate"], self.directory)
        self.assertEqual(result.returncode, 2)
        self.assertIn("coalition.toml:1", result.stderr)

    def test_missing_config_file(self):
        result = run_cli(["--config", "/nonexistent.toml", "migrate"], self.directory)
        self.assertEqual(result.returncode, 2)
        self.assertIn("no such file", result.stderr)

    def test_unreachable_database_is_runtime_failure(self):
        result = run_cli(["migrate"], self.directory,
                         env={"COALITION_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)


class Commands(ServerTest):
    def test_migrate_is_idempotent(self):
        first = self.cli("migrate")
        self.assertEqual(first.returncode, 0, first.stderr)
        second = self.cli("migrate")
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn("up to date", second.stdout)

    def test_org_add_and_list(self):
        self.assertEqual(self.cli("migrate").returncode, 0)
        added = self.cli("org", "add", "--name", "Example Registry", "--short-name", "ExReg", "--country", "NZ",
                         "--stakeholder-group", "technical-community", "--domain", "bücher.example",
                         "--website", "https://registry.example", "--status", "member")
        self.assertEqual(added.returncode, 0, added.stderr)
        listed = self.cli("org", "list", "--json")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        organisations = json.loads(listed.stdout)
        match = [o for o in organisations if o["name"] == "Example Registry"]
        self.assertEqual(len(match), 1)
        self.assertEqual(match[0]["domain"], "bücher.example")
        self.assertEqual(match[0]["region"], "AP")
        duplicate = self.cli("org", "add", "--name", "Another", "--country", "NZ", "--stakeholder-group",
                             "academia", "--domain", "xn--bcher-kva.example")
        self.assertEqual(duplicate.returncode, 1)
        self.assertIn("domain", duplicate.stderr)

    def test_org_add_rejects_bad_country(self):
        self.assertEqual(self.cli("migrate").returncode, 0)
        result = self.cli("org", "add", "--name", "X", "--country", "ZZ", "--stakeholder-group", "academia")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("country", result.stderr)

    def test_user_add(self):
        self.assertEqual(self.cli("demo", "load").returncode, 0)
        added = self.cli("user", "add", "--email", "анна@пример.рф", "--role", "member", "--org", "internetnz")
        self.assertEqual(added.returncode, 0, added.stderr)
        again = self.cli("user", "add", "--email", "АННА@пример.рф", "--role", "member")
        self.assertEqual(again.returncode, 1)
        bad = self.cli("user", "add", "--email", "not an address", "--role", "member")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("e-mail", bad.stderr.lower())

    def test_demo_load_is_idempotent(self):
        for _ in range(2):
            result = self.cli("demo", "load")
            self.assertEqual(result.returncode, 0, result.stderr)
        listed = json.loads(self.cli("org", "list", "--json").stdout)
        names = [o["short_name"] for o in listed if o["status"] == "member"]
        for founder in ("Nominet", "auDA", "CIRA", "InternetNZ"):
            self.assertEqual(names.count(founder), 1, names)
        # The demo list with its public archive, loaded once however often the demo is.
        shown = self.cli("list", "show", "coalition", "--json")
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertEqual(json.loads(shown.stdout)["settings"]["archive_visibility"], "public")
        threads = self.cli("archive", "threads", "coalition", "--json")
        self.assertEqual(threads.returncode, 0, threads.stderr)
        listed_threads = json.loads(threads.stdout)
        self.assertEqual(len(listed_threads), 3, listed_threads)

    @unittest.skipIf(BACKEND != "sqlite", "SQLite online backup")
    def test_backup(self):
        self.assertEqual(self.cli("demo", "load").returncode, 0)
        target = os.path.join(self.directory, "backup.db")
        result = self.cli("backup", "--to", target)
        self.assertEqual(result.returncode, 0, result.stderr)
        import sqlite3
        count = sqlite3.connect(target).execute("SELECT count(*) FROM organisations").fetchone()[0]
        self.assertGreaterEqual(count, 4)

    @unittest.skipIf(BACKEND != "postgresql", "pg_dump advice")
    def test_backup_on_postgresql_prints_pg_dump(self):
        result = self.cli("backup", "--to", "x.sql")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("pg_dump", result.stdout)


if __name__ == "__main__":
    unittest.main()
