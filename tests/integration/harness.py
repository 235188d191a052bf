"""Black-box harness: starts the real build/coalition binary in a temp dir on ephemeral ports.

Each test gets a fresh database: a SQLite file in its temp dir, or (when the suite runs under
scripts/with-postgres with COALITION_IT_BACKEND=postgresql) a fresh PostgreSQL database.
Mail goes to the file transport (var/mail/outbox) unless a test starts an SMTP sink.
"""
import atexit
import http.client
import http.cookiejar
import json
import os
import re
import secrets
import sqlite3
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BINARY = os.environ.get("COALITION_BINARY", os.path.join(ROOT, "build", "coalition"))
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, which has aiosmtpd; a pyenv shim may not.
BACKEND = os.environ.get("COALITION_IT_BACKEND", "sqlite")


def postgres_admin_url():
    return os.environ["COALITION_TEST_POSTGRES_URL"]


def psql(*statements, database="postgres"):
    """Runs each statement as its own -c, outside any transaction block (CREATE DATABASE may
    not run in one), stopping at the first error."""
    socket_dir = os.environ["COALITION_TEST_POSTGRES_SOCKET_DIR"]
    command = ["psql", "-h", socket_dir, "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt"]
    for statement in statements:
        command += ["-c", statement]
    subprocess.run(command, check=True, capture_output=True)


class FreshDatabase:
    """A database URL for one test: SQLite in `directory`, or a new PostgreSQL database."""

    def __init__(self, directory):
        self.name = None
        self.directory = directory
        if BACKEND == "postgresql":
            self.name = "it_" + secrets.token_hex(6)
            psql(f"CREATE DATABASE {self.name}")
            socket_dir = os.environ["COALITION_TEST_POSTGRES_SOCKET_DIR"]
            self._url = f"postgresql://postgres@/{self.name}?host={socket_dir}"
        else:
            self._url = "sqlite:" + os.path.join(directory, "var", "coalition.db")
        self.touched = False

    @property
    def url(self):
        # Whoever has the URL may have written to the database: from then on it is not replaced
        # by a copy of the demo template.
        self.touched = True
        return self._url

    def load_demo(self):
        """`demo load --no-statement` into this database, as a copy of the process's template
        while nothing else has used the database (a test class's tests all start from the same
        demo data, and loading it — migrations and all — costs a second of CPU under the
        sanitizers), or by running the command when something has."""
        if self.touched:
            check_loaded(run_cli(["demo", "load", "--no-statement"], self.directory,
                                 env={"COALITION_DATABASE_URL": self._url}))
            return
        template = DemoTemplate.get()
        check_loaded(template.loaded)
        template.copy_to(self)
        self.touched = True

    def execute(self, sql):
        """Runs one statement without parameters (a test's direct change) on either backend."""
        if self.name:
            psql(sql, database=self.name)
            return
        connection = sqlite3.connect(self.url[len("sqlite:"):], timeout=30)
        try:
            connection.execute(sql)
            connection.commit()
        finally:
            connection.close()

    def drop(self):
        if self.name:
            psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


class DemoTemplate:
    """The demo data loaded once per test process (one test class under parallel.py): a SQLite
    file or a PostgreSQL template database, plus the files `demo load` writes under var/ (the
    log's signing key, which signed the empty log's head in the database)."""

    _instance = None

    @classmethod
    def get(cls):
        if cls._instance is None:
            cls._instance = cls()
            atexit.register(cls._instance.remove)
        return cls._instance

    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="coalition-it-template-")
        os.makedirs(os.path.join(self.directory, "var"))
        self.database = FreshDatabase(self.directory)
        loaded = run_cli(["demo", "load", "--no-statement"], self.directory,
                         env={"COALITION_DATABASE_URL": self.database.url})
        self.loaded = loaded
        if not self.database.name:
            # Fold the write-ahead log into the file, so that copying the file copies it all.
            connection = sqlite3.connect(self.database.url[len("sqlite:"):])
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()

    def copy_to(self, database):
        source_var = os.path.join(self.directory, "var")
        target_var = os.path.join(database.directory, "var")
        os.makedirs(target_var, exist_ok=True)
        for name in os.listdir(source_var):
            if not name.endswith(("-wal", "-shm")) and os.path.isfile(os.path.join(source_var, name)):
                shutil.copy2(os.path.join(source_var, name), os.path.join(target_var, name))
        if database.name:
            psql(f"DROP DATABASE {database.name}",
                 f"CREATE DATABASE {database.name} TEMPLATE {self.database.name} STRATEGY FILE_COPY")

    def remove(self):
        try:
            self.database.drop()
        except (subprocess.CalledProcessError, KeyError):
            pass  # The cluster may be gone already at exit.
        shutil.rmtree(self.directory, ignore_errors=True)


def check_loaded(loaded):
    """Stops the test with the command's own message when `demo load` failed."""
    if loaded.returncode != 0:
        raise AssertionError(f"demo load failed ({loaded.returncode}): {loaded.stderr}")


def run_cli(args, directory, env=None, input_text=None, timeout=60):
    """Runs `coalition ARGS` in `directory`; returns the CompletedProcess (text mode)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([BINARY] + list(args), cwd=directory, env=full_env, input=input_text,
                          capture_output=True, text=True, timeout=timeout)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name)


class Client:
    """An HTTP client with a cookie jar that never follows redirects (tests look at them)."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, form=None, json_body=None):
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers.setdefault("Content-Type", "application/json")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        parsed = urllib.parse.urlsplit(self.base_url)
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            data = raw.read()
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if "max-age=0" in value.lower() or cookie_value == "":
                        self.cookies.pop(cookie_name, None)
                    else:
                        self.cookies[cookie_name] = cookie_value
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def csrf_from(self, page_text):
        match = re.search(r'name="_csrf" value="([^"]+)"', page_text)
        if not match:
            raise AssertionError("no _csrf field on the page")
        return match.group(1)

    def submit(self, form_path, action=None, fields=None):
        """GETs the form page, copies its CSRF token, POSTs `fields` to `action`."""
        page = self.get(form_path)
        fields = dict(fields or {})
        fields["_csrf"] = self.csrf_from(page.text)
        return self.post(action or form_path, form=fields)


class Server:
    """A running `coalition serve` in a temp dir, with its own database and mail outbox."""

    def __init__(self, directory, database_url, extra_env=None, config_text=None):
        self.directory = directory
        self.database_url = database_url
        self.env = {
            "COALITION_DATABASE_URL": database_url,
            "COALITION_HTTP_LISTEN": "127.0.0.1:0",
            "COALITION_LMTP_LISTEN": "127.0.0.1:0",
            "COALITION_MAIL_OUTBOX_DIR": os.path.join(directory, "var", "mail", "outbox"),
        }
        self.env.update(extra_env or {})
        self.config_text = config_text
        self.process = None
        self.base_url = None
        self.lmtp_host = None
        self.lmtp_port = None  # From the start-up line ("LMTP 127.0.0.1:PORT"); None when off.
        self.log = []

    def start(self, args=()):
        os.makedirs(os.path.join(self.directory, "var"), exist_ok=True)
        command = [BINARY, "serve"] + list(args)
        env = dict(os.environ)
        env.update(self.env)
        if "COALITION_SITE_BASE_URL" not in self.env:
            env.pop("COALITION_SITE_BASE_URL", None)
        self.process = subprocess.Popen(command, cwd=self.directory, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.log.append(line)
            match = re.search(r"serving (http://[0-9.]+:\d+)", line)
            if match:
                self.base_url = match.group(1)
                lmtp = re.search(r"LMTP ([0-9.]+):(\d+)", line)
                if lmtp:
                    self.lmtp_host, self.lmtp_port = lmtp.group(1), int(lmtp.group(2))
                break
        if not self.base_url:
            self.process.kill()
            raise AssertionError("server did not start:\n" + "".join(self.log) + self.process.stdout.read())
        # Keep draining the log so the server never blocks on a full pipe.
        import threading
        self._drain = threading.Thread(target=self._drain_log, daemon=True)
        self._drain.start()
        return self

    def _drain_log(self):
        for line in self.process.stdout:
            self.log.append(line)

    def client(self):
        return Client(self.base_url)

    def lmtp(self, timeout=30):
        """A connected smtplib.LMTP client (after DATA it reads only the first recipient's reply:
        read the others with getreply())."""
        import smtplib
        return smtplib.LMTP(self.lmtp_host, self.lmtp_port, timeout=timeout)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode if self.process else None

    def outbox_dir(self):
        return self.env["COALITION_MAIL_OUTBOX_DIR"]

    def outbox_messages(self):
        directory = self.outbox_dir()
        if not os.path.isdir(directory):
            return []
        messages = []
        for name in sorted(os.listdir(directory)):
            if name.endswith(".eml"):
                with open(os.path.join(directory, name), "rb") as file:
                    messages.append(file.read())
        return messages


def wait_for(predicate, timeout=20, interval=0.05, what="condition"):
    """Polls `predicate` until it returns a truthy value (mail delivery is asynchronous)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


class SmtpSink:
    """tests/support/smtp_sink.py: a real SMTP server that stores what it receives."""

    def __init__(self, directory, extra_args=()):
        self.directory = os.path.join(directory, "sink")
        os.makedirs(self.directory, exist_ok=True)
        script = os.path.join(ROOT, "tests", "support", "smtp_sink.py")
        self.process = subprocess.Popen([SYSTEM_PYTHON, script, "--port", "0", "--dir", self.directory]
                                        + list(extra_args), stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"LISTENING (\d+)", line)
        if not match:
            self.process.kill()
            raise AssertionError("smtp sink did not start: " + line)
        self.port = int(match.group(1))

    def messages(self):
        found = []
        for name in sorted(os.listdir(self.directory)):
            if name.endswith(".json"):
                meta = json.load(open(os.path.join(self.directory, name)))
                meta["bytes"] = open(os.path.join(self.directory, name[:-5] + ".eml"), "rb").read()
                found.append(meta)
        return found

    def count(self):
        """Messages received so far (cheap: counts the .json files)."""
        return sum(1 for name in os.listdir(self.directory) if name.endswith(".json"))

    def envelopes(self):
        """Every received message's envelope (N.json), in order of arrival; parsed once each."""
        cache = self.__dict__.setdefault("_envelopes", {})
        names = [name for name in os.listdir(self.directory) if name.endswith(".json")]
        for name in names:
            if name not in cache:
                with open(os.path.join(self.directory, name), encoding="utf-8") as file:
                    cache[name] = json.load(file)
        return [cache[name] for name in sorted(names, key=lambda n: int(n[:-5]))]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class ServerTest(unittest.TestCase):
    """Base class: a temp dir, a fresh database, and helpers to start servers in it."""

    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="coalition-it-")
        os.makedirs(os.path.join(self.directory, "var"), exist_ok=True)
        self.database = FreshDatabase(self.directory)
        self.servers = []
        self.sinks = []

    def run(self, result=None):
        """Runs the test; when it fails, prints each server's log, which holds the reason for a
        500 or 503 (the server writes it to stderr) that the response itself never shows."""
        result = result if result is not None else self.defaultTestResult()
        problems_before = len(result.failures) + len(result.errors)
        self._server_logs = []
        outcome = super().run(result)
        if len(result.failures) + len(result.errors) > problems_before:
            for index, log in enumerate(self._server_logs):
                sys.stderr.write(f"\n--- server {index} log of {self.id()} ---\n" + "".join(log))
        return outcome

    def tearDown(self):
        self._server_logs = [list(server.log) for server in self.servers]
        for server in self.servers:
            server.stop(signal.SIGKILL)
        for sink in self.sinks:
            sink.stop()
        self.database.drop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def assert_soon(self, check, timeout=5):
        """Runs the assertions in `check` until they hold: on PostgreSQL a server hears of another
        process's commit when its notification arrives, a few milliseconds later (store/
        query_memoised); on SQLite they hold at once."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return check()
            except AssertionError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    def cli(self, *args, env=None, input_text=None, timeout=60):
        full_env = {"COALITION_DATABASE_URL": self.database.url}
        full_env.update(env or {})
        return run_cli(args, self.directory, env=full_env, input_text=input_text, timeout=timeout)

    def start_server(self, extra_env=None, demo=True, args=()):
        if demo:
            self.database.load_demo()
        server = Server(self.directory, self.database.url, extra_env=extra_env).start(args)
        self.servers.append(server)
        return server

    def start_sink(self, *args):
        sink = SmtpSink(self.directory, args)
        self.sinks.append(sink)
        return sink

    def sign_in(self, server, email):
        """Signs in through the real flow: request a link, read the mail, confirm the link."""
        client = server.client()
        seen = set(server.outbox_messages())
        response = client.submit("/signin", fields={"email": email})
        self.assertIn(response.status, (200, 303), response.body[:500])
        # Other mail (receipts of the demo's signatures, say) may be written meanwhile: wait for
        # the new message that carries a sign-in link.
        def new_sign_in_mail():
            return next((m for m in server.outbox_messages()
                         if m not in seen and b"/signin/" in m), None)
        message = wait_for(new_sign_in_mail, what="sign-in mail")
        link = extract_link(message, "/signin/")
        path = urllib.parse.urlsplit(link).path
        page = client.get(path)
        self.assertEqual(page.status, 200, page.text[:500])
        confirmed = client.post(path, form={"_csrf": client.csrf_from(page.text)})
        self.assertEqual(confirmed.status, 303, confirmed.text[:500])
        return client


def extract_link(message_bytes, marker):
    """The first URL containing `marker` in a (possibly quoted-printable) message."""
    import email
    import email.policy
    parsed = email.message_from_bytes(message_bytes, policy=email.policy.default)
    body = parsed.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S*" + re.escape(marker) + r"\S+", body)
    if not match:
        raise AssertionError("no link with " + marker + " in:\n" + body)
    return match.group(0)


class DnsServer:
    """tests/support/dns_server.py: a real authoritative DNS server (Debian's nsd) on 127.0.0.1.

    `zones` are served unsigned, `signed_zones` DNSSEC-signed; `records` are zone-file lines with
    an absolute owner ('_coalition-challenge.example.test. TXT "token"'). Start the server with
    `extra_env=dns.env()` so its [dns] resolver is 127.0.0.1@PORT and its trust anchor validates
    the signed zones. `add()`/`remove()` change records while it runs (TTL 0: seen at once).
    In a ServerTest: `dns = DnsServer(...)`, then `self.addCleanup(dns.stop)`.
    """

    def __init__(self, zones=(), signed_zones=(), records=(), unsigned_records=()):
        script = os.path.join(ROOT, "tests", "support", "dns_server.py")
        arguments = [SYSTEM_PYTHON, script, "--stop-on-stdin-eof"]
        for flag, values in (("--zone", zones), ("--signed-zone", signed_zones),
                             ("--record", records), ("--unsigned-record", unsigned_records)):
            for value in values:
                arguments += [flag, value]
        self.process = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.match(r"LISTENING (\d+) (\S+)", line)
        if not match:
            self.process.kill()
            raise AssertionError("DNS server did not start (nsd and ldnsutils come with "
                                 "scripts/install-deps --with-test-tools): "
                                 + line + self.process.stderr.read())
        self.port = int(match.group(1))
        self.trust_anchor_file = match.group(2)

    @property
    def resolver(self):
        return f"127.0.0.1@{self.port}"

    def env(self):
        """Environment for `Server`: [dns] resolver and trust_anchor pointing here."""
        return {"COALITION_DNS_RESOLVER": self.resolver,
                "COALITION_DNS_TRUST_ANCHOR": self.trust_anchor_file}

    def _command(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline().strip()
        if reply != "OK":
            raise AssertionError(f"DNS server: {line!r}: {reply}")

    def add(self, record, signed=True):
        """Publishes `record` (signed when its zone is, unless signed=False: then bogus)."""
        self._command(("ADD " if signed else "ADD-UNSIGNED ") + record)

    def remove(self, owner):
        self._command("REMOVE " + owner)

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()  # It stops nsd at end of file on its stdin.
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
