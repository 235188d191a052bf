"""The mailing lists' web pages against the real binary: subscribe with double opt-in (the
confirmation link's GET only shows a button), the welcome mail, RFC 8058 one-click unsubscribe
without cookies, wrong tokens, CSRF on ordinary forms, and hostile HTML in a list's text."""
import http.client
import re
import unittest
import urllib.parse

from harness import ServerTest, extract_link, wait_for

HOSTILE = "<script>alert('owned')</script><img src=x onerror=alert(1)>"


class ListWeb(ServerTest):
    def setUp(self):
        super().setUp()
        migrated = self.cli("migrate")
        self.assertEqual(migrated.returncode, 0, migrated.stderr)
        created = self.cli("list", "create", "discuss@lists.example.org", "--owner",
                           "owner@example.org", "--display-name", "Discussion",
                           "--description", "GDC talk " + HOSTILE)
        self.assertEqual(created.returncode, 0, created.stderr)
        self.server = self.start_server(demo=False)

    def member_state(self, address):
        result = self.cli("list", "members", "discuss")
        self.assertEqual(result.returncode, 0, result.stderr)
        for line in result.stdout.splitlines():
            fields = line.split("\t")
            if fields[0] == address:
                return fields[1]
        return None

    def mail_with(self, marker, seen=()):
        def find():
            return next((m for m in self.server.outbox_messages()
                         if m not in seen and marker.encode() in m.replace(b"=\r\n", b"")), None)
        return wait_for(find, what="mail with " + marker)

    def bare_post(self, path, body, content_type):
        """A POST as a mail client sends it for RFC 8058: no cookies, no CSRF token."""
        parsed = urllib.parse.urlsplit(self.server.base_url)
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        try:
            connection.request("POST", path, body=body, headers={"Content-Type": content_type})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            connection.close()

    def subscribe(self, address):
        client = self.server.client()
        sent = client.submit("/lists/discuss", "/lists/discuss/subscribe",
                             {"email": address, "name": "Ana", "language": "en"})
        self.assertEqual(sent.status, 202, sent.text[:1000])
        return client, sent

    def test_subscribe_confirm_welcome_then_one_click_unsubscribe(self):
        client, sent = self.subscribe("ana@example.org")
        self.assertIn("Check your e-mail", sent.text)
        confirmation = self.mail_with("/lists/discuss/confirm/")
        path = urllib.parse.urlsplit(extract_link(confirmation, "/lists/discuss/confirm/")).path
        self.assertEqual(self.member_state("ana@example.org"), "pending")

        # Opening the link (as a mail scanner would) shows a button and changes nothing.
        reader = self.server.client()
        page = reader.get(path)
        self.assertEqual(page.status, 200)
        self.assertIn('<button type="submit">', page.text)
        self.assertIn("ana@example.org", page.text)
        self.assertEqual(self.member_state("ana@example.org"), "pending")

        seen = set(self.server.outbox_messages())
        confirmed = reader.post(path, form={"_csrf": reader.csrf_from(page.text)})
        self.assertEqual(confirmed.status, 200, confirmed.text[:1000])
        self.assertEqual(self.member_state("ana@example.org"), "subscribed")
        welcome = self.mail_with("/lists/discuss/preferences/", seen)
        preferences = urllib.parse.urlsplit(
            extract_link(welcome, "/lists/discuss/preferences/")).path

        # The preferences page holds the personal unsubscribe address.
        page = reader.get(preferences)
        self.assertEqual(page.status, 200)
        match = re.search(r'action="(/lists/discuss/unsubscribe/[a-z2-7]{32})"', page.text)
        self.assertIsNotNone(match, page.text[:2000])
        unsubscribe = match.group(1)

        # RFC 8058: a cookie-less one-click POST unsubscribes at once and answers 200.
        status, headers, body = self.bare_post(unsubscribe, "List-Unsubscribe=One-Click",
                                               "application/x-www-form-urlencoded")
        self.assertEqual(status, 200, body[:1000])
        self.assertFalse([v for k, v in headers if k.lower() == "set-cookie"])
        self.assertEqual(self.member_state("ana@example.org"), "unsubscribed")

    def test_one_click_multipart_and_wrong_tokens(self):
        added = self.cli("list", "add-members", "discuss", "--file", "/dev/stdin", "--no-welcome",
                         input_text="bo@example.org\n")
        self.assertEqual(added.returncode, 0, added.stderr)
        # A wrong token is 404, whether it looks like one of ours or not.
        status, _, _ = self.bare_post("/lists/discuss/unsubscribe/" + "a" * 32,
                                      "List-Unsubscribe=One-Click",
                                      "application/x-www-form-urlencoded")
        self.assertEqual(status, 404)
        status, _, _ = self.bare_post("/lists/discuss/unsubscribe/%3Cscript%3E",
                                      "List-Unsubscribe=One-Click",
                                      "application/x-www-form-urlencoded")
        self.assertEqual(status, 404)
        client = self.server.client()
        self.assertEqual(client.get("/lists/discuss/preferences/" + "b" * 32).status, 404)
        self.assertEqual(client.get("/lists/nosuchlist").status, 404)
        expired = client.get("/lists/discuss/confirm/" + "c" * 32)
        self.assertEqual(expired.status, 410)
        self.assertIn("This link no longer works", expired.text)
        # Multipart one-click with a wrong token: 404 as well, never a 400 or 403.
        body = ("--b0undary\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
                "One-Click\r\n--b0undary--\r\n")
        status, _, _ = self.bare_post("/lists/discuss/unsubscribe/" + "d" * 32, body,
                                      "multipart/form-data; boundary=b0undary")
        self.assertEqual(status, 404)
        self.assertEqual(self.member_state("bo@example.org"), "subscribed")

    def test_ordinary_forms_need_their_csrf_token(self):
        client = self.server.client()
        client.get("/lists/discuss")
        for path, fields in (("/lists/discuss/subscribe", {"email": "x@example.org"}),
                             ("/lists/discuss/unsubscribe", {"leave_email": "x@example.org"}),
                             ("/lists/discuss/confirm/" + "a" * 32, {}),
                             ("/lists/discuss/unsubscribe/" + "a" * 32, {"List-Unsubscribe": "No"})):
            response = client.post(path, form=fields)
            self.assertEqual(response.status, 403, path)
        # A token from another visitor does not do either.
        other = self.server.client()
        token = other.csrf_from(other.get("/lists/discuss").text)
        response = client.post("/lists/discuss/subscribe",
                               form={"email": "x@example.org", "_csrf": token})
        self.assertEqual(response.status, 403)
        self.assertIsNone(self.member_state("x@example.org"))

    def test_hostile_html_in_the_description_is_escaped(self):
        client = self.server.client()
        for path in ("/lists", "/lists/discuss"):
            page = client.get(path)
            self.assertEqual(page.status, 200, path)
            self.assertNotIn("<script>alert", page.text, path)
            self.assertNotIn("<img src=x", page.text, path)
            self.assertIn("&lt;script&gt;alert(", page.text, path)
        # What a visitor types comes back escaped too.
        response = client.submit("/lists/discuss", "/lists/discuss/subscribe",
                                 {"email": "<b>bold</b>", "language": "en"})
        self.assertEqual(response.status, 422)
        self.assertNotIn("<b>bold", response.text)
        self.assertIn("&lt;b&gt;bold", response.text)

    def test_same_answer_for_a_member_and_a_stranger(self):
        _, first = self.subscribe("ana@example.org")
        confirmation = self.mail_with("/lists/discuss/confirm/")
        path = urllib.parse.urlsplit(extract_link(confirmation, "/lists/discuss/confirm/")).path
        reader = self.server.client()
        page = reader.get(path)
        self.assertEqual(reader.post(path, form={"_csrf": reader.csrf_from(page.text)}).status, 200)
        _, again = self.subscribe("ana@example.org")
        _, stranger = self.subscribe("zed@example.org")

        def normalise(text, address):
            text = text.replace(address, "ADDRESS")
            return re.sub(r'value="[A-Za-z0-9_-]{43}"', "TOKEN", text)
        self.assertEqual(normalise(again.text, "ana@example.org"),
                         normalise(stranger.text, "zed@example.org"))


if __name__ == "__main__":
    unittest.main()
