"""Two servers on one PostgreSQL database; relay delivery; database outage and recovery."""
import os
import subprocess
import threading
import unittest

from harness import BACKEND, ServerTest, wait_for


class RelayDelivery(ServerTest):
    def test_mail_goes_through_the_smtp_relay(self):
        sink = self.start_sink()
        server = self.start_server({"COALITION_MAIL_RELAY": f"smtp://127.0.0.1:{sink.port}"})
        self.assertEqual(self.cli("user", "add", "--email", "анна@пример.рф", "--role", "member").returncode, 0)
        client = server.client()
        client.submit("/signin", fields={"email": "анна@пример.рф"})
        messages = wait_for(lambda: sink.messages(), what="relayed mail")
        self.assertEqual(messages[0]["rcpt_tos"], ["анна@xn--e1afmkfd.xn--p1ai"])
        self.assertTrue(messages[0]["smtputf8"])
        self.assertEqual(server.outbox_messages(), [])

    def test_permanent_failure_is_kept_with_reply(self):
        sink = self.start_sink("--fail-rcpt-5xx", "refused@")
        server = self.start_server({"COALITION_MAIL_RELAY": f"smtp://127.0.0.1:{sink.port}"})
        self.assertEqual(self.cli("user", "add", "--email", "refused@example.org", "--role", "admin").returncode, 0)
        server.client().submit("/signin", fields={"email": "refused@example.org"})
        admin = self.sign_in_via_sink(server, sink)
        page = wait_for(lambda: (p := admin.get("/admin/outbox")) and "failed" in p.text.lower() and p,
                        what="failed row on the outbox page")
        self.assertIn("550", page.text)

    def sign_in_via_sink(self, server, sink):
        import urllib.parse
        from harness import extract_link
        client = server.client()
        before = len(sink.messages())
        client.submit("/signin", fields={"email": "admin@coalition.example"})
        message = wait_for(lambda: len(sink.messages()) > before and sink.messages()[-1], what="admin mail")
        path = urllib.parse.urlsplit(extract_link(message["bytes"], "/signin/")).path
        page = client.get(path)
        self.assertEqual(client.post(path, form={"_csrf": client.csrf_from(page.text)}).status, 303)
        return client


@unittest.skipIf(BACKEND != "postgresql", "scale-out needs PostgreSQL")
class TwoServersOnePostgres(ServerTest):
    def test_sessions_shared_and_no_mail_sent_twice(self):
        sink = self.start_sink()
        env = {"COALITION_MAIL_RELAY": f"smtp://127.0.0.1:{sink.port}"}
        first = self.start_server(env)
        second = self.start_server(env, demo=False)
        # A session made on one server is valid on the other.
        client = self.sign_in_on(first, sink)
        client.base_url = second.base_url
        self.assertEqual(client.get("/admin/outbox").status, 200)
        # Many sign-in requests spread over both servers: each mail is delivered exactly once.
        count = 40
        for index in range(count):
            self.assertEqual(self.cli("user", "add", "--email", f"user{index}@example.org",
                                      "--role", "member").returncode, 0)

        def request(index):
            server = first if index % 2 == 0 else second
            server.client().submit("/signin", fields={"email": f"user{index}@example.org"})

        threads = [threading.Thread(target=request, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wait_for(lambda: len([m for m in sink.messages() if m["rcpt_tos"][0].startswith("user")]) >= count,
                 timeout=60, what="all mail")
        recipients = [m["rcpt_tos"][0] for m in sink.messages() if m["rcpt_tos"][0].startswith("user")]
        self.assertEqual(len(recipients), count, "a message was sent twice or lost")
        self.assertEqual(len(set(recipients)), count)

    def sign_in_on(self, server, sink):
        import urllib.parse
        from harness import extract_link
        client = server.client()
        client.submit("/signin", fields={"email": "admin@coalition.example"})
        message = wait_for(lambda: sink.messages() and sink.messages()[-1], what="admin mail")
        path = urllib.parse.urlsplit(extract_link(message["bytes"], "/signin/")).path
        page = client.get(path)
        self.assertEqual(client.post(path, form={"_csrf": client.csrf_from(page.text)}).status, 303)
        return client


@unittest.skipIf(BACKEND != "postgresql", "outage simulation stops the PostgreSQL server")
class DatabaseOutage(ServerTest):
    # It stops and restarts the PostgreSQL cluster every class of this run shares.
    PARALLEL_ALONE = True

    def pg_ctl(self, *args):
        # scripts/with-postgres's pg_ctl wrapper logs to a file, so no pipe is left open by the
        # restarted server (a captured pipe would never reach end-of-file).
        subprocess.run([os.environ["COALITION_TEST_POSTGRES_CTL"]] + list(args), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def test_503_then_recovers(self):
        server = self.start_server()
        client = server.client()
        self.assertEqual(client.get("/members").status, 200)
        self.pg_ctl("stop", "-m", "fast")
        try:
            down = client.get("/members")
            self.assertEqual(down.status, 503)
            health = client.get("/healthz")
            self.assertEqual(health.status, 503)
        finally:
            self.pg_ctl("start")
        wait_for(lambda: client.get("/members").status == 200, timeout=30, what="recovery")
        self.assertIsNone(server.process.poll(), "server must keep running")


if __name__ == "__main__":
    unittest.main()
