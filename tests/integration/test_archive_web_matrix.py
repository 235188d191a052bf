"""The list archives' visibility matrix, black box (archive-web helper; complements
test_archive_web.py): three lists (public, members, none) each with a three-message thread posted
over real LMTP, then EVERY archive path — pages, downloads, /r/, feeds, API, search — requested
by an anonymous visitor, a signed-in non-member, a member, the list's owner and a site admin.
Also paging of the index, the tree's nesting, attachment headers, feeds parsed as Atom XML."""
import email.message
import email.policy
import re
import smtplib
import unittest
import urllib.parse
import xml.etree.ElementTree as ElementTree

from harness import ServerTest
from test_list_mail import dot_stuffed

ATOM = "{http://www.w3.org/2005/Atom}"
DOMAIN = "lists.example.org"
MEMBER = "ana@example.org"
NONMEMBER = "zed@example.org"
ADMIN = "root@example.org"
OWNER = "owner@example.org"
LISTS = ("discuss", "members", "closed")


def message(list_name, subject, body, message_id, in_reply_to=None, attachment=None):
    msg = email.message.EmailMessage(policy=email.policy.SMTP)
    msg["From"] = f"Ana Lima <{MEMBER}>"
    msg["To"] = f"{list_name}@{DOMAIN}"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{message_id}>"
    msg["Date"] = "Thu, 01 Jan 2026 10:00:00 +0000"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
        msg["References"] = f"<{in_reply_to}>"
    msg.set_content(body)
    if attachment:
        data, maintype, subtype, filename = attachment
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


class ArchiveWebMatrix(ServerTest):
    def setUp(self):
        super().setUp()
        self.assertEqual(self.cli("migrate").returncode, 0)
        for name in LISTS:
            created = self.cli("list", "create", f"{name}@{DOMAIN}", "--owner", OWNER)
            self.assertEqual(created.returncode, 0, created.stderr)
            added = self.cli("list", "add-members", name, "--file", "/dev/stdin", "--no-welcome",
                             input_text=MEMBER + "\n")
            self.assertEqual(added.returncode, 0, added.stderr)
        self.set_visibility("discuss", "public")
        self.set_visibility("members", "members")
        self.set_visibility("closed", "none")
        for address, role in ((MEMBER, "member"), (NONMEMBER, "member"), (OWNER, "member"),
                              (ADMIN, "admin")):
            added = self.cli("user", "add", "--email", address, "--role", role)
            self.assertEqual(added.returncode, 0, added.stderr)
        self.server = self.start_server(demo=False)
        self.assertIsNotNone(self.server.lmtp_port)
        # A thread on each list: a root, a reply quoting it with a signature, and a reply to the
        # reply carrying an HTML attachment with a non-ASCII name.
        for name in LISTS:
            self.post(name, message(name, "Agenda for Geneva", "Shall we meet? Write to "
                                    "bo@example.net.\n", f"root.{name}@example.org"))
            self.post(name, message(name, "Re: Agenda for Geneva",
                                    "> Shall we meet?\n> Second quoted line\n\nYes, on Tuesday.\n"
                                    "-- \nAna, the signature\n", f"reply.{name}@example.org",
                                    in_reply_to=f"root.{name}@example.org"))
            self.post(name, message(name, "Re: Agenda for Geneva", "Minutes attached.\n",
                                    f"attach.{name}@example.org",
                                    in_reply_to=f"reply.{name}@example.org",
                                    attachment=(b"<script>alert(1)</script>", "text", "html",
                                                "r\u00e9sum\u00e9.html")))
        self.anonymous = self.server.client()
        self.admin = self.sign_in(self.server, ADMIN)
        self.ids = {}
        for name in LISTS:
            threads = self.admin.get(f"/api/v1/lists/{name}/threads")
            self.assertEqual(threads.status, 200, threads.text[:500])
            [thread] = threads.json()["threads"]
            self.assertEqual(thread["message_ids"], [f"root.{name}@example.org",
                                                     f"reply.{name}@example.org",
                                                     f"attach.{name}@example.org"])
            detail = self.admin.get(f"/api/v1/lists/{name}/threads/{thread['id']}").json()
            self.ids[name] = (thread["id"], [m["id"] for m in detail["messages"]])

    def set_visibility(self, name, visibility):
        self.database.execute(
            f"UPDATE lists SET archive_visibility = '{visibility}' WHERE name = '{name}'")

    def post(self, list_name, data):
        client = self.server.lmtp()
        try:
            client.ehlo()
            self.assertEqual(client.mail(MEMBER)[0], 250)
            self.assertEqual(client.rcpt(f"{list_name}@{DOMAIN}")[0], 250)
            client.putcmd("data")
            self.assertEqual(client.getreply()[0], 354)
            client.send(dot_stuffed(data) + b".\r\n")
            code, text = client.getreply()
            self.assertEqual(code, 250, text)
        finally:
            try:
                client.quit()
            except smtplib.SMTPException:
                pass

    def paths(self, name):
        thread, (root, reply, attach) = self.ids[name]
        base = f"/lists/{name}"
        return {
            "browser": [f"{base}/archive", f"{base}/archive/2026-01", f"{base}/t/{thread}",
                        f"{base}/t/{thread}/export.mbox", f"{base}/m/{reply}",
                        f"{base}/m/{reply}/raw", f"{base}/m/{attach}/attachments/0",
                        f"{base}/search?q=Tuesday", f"{base}/export.mbox",
                        f"{base}/export.mbox?month=2026-01",
                        "/r/" + urllib.parse.quote(f"<reply.{name}@example.org>")],
            "machine": [f"{base}/feeds/threads.atom", f"{base}/feeds/messages.atom",
                        f"/api/v1/lists/{name}/threads", f"/api/v1/lists/{name}/threads/{thread}",
                        f"/api/v1/messages/{reply}",
                        "/api/v1/messages/" + urllib.parse.quote(f"reply.{name}@example.org"),
                        f"/api/v1/lists/{name}/search?q=Tuesday"],
        }

    def assert_denied(self, client, name, anonymous_members):
        for path in self.paths(name)["browser"]:
            response = client.get(path)
            if anonymous_members:
                self.assertEqual(response.status, 303, path)
                self.assertTrue(response.header("location").startswith("/signin?next="), path)
            else:
                self.assertEqual(response.status, 404, path)
            self.assertNotIn(b"Tuesday", response.body, path)
        for path in self.paths(name)["machine"]:
            response = client.get(path)
            self.assertEqual(response.status, 404, (path, response.body[:300]))
            self.assertNotIn(b"Tuesday", response.body, path)
            self.assertNotIn(b"Geneva", response.body, path)

    def assert_allowed(self, client, name):
        for path in self.paths(name)["browser"] + self.paths(name)["machine"]:
            response = client.get(path)
            expected = 302 if path.startswith("/r/") else 200
            self.assertEqual(response.status, expected, (path, response.body[:300]))

    def test_visibility_on_every_path_for_each_kind_of_visitor(self):
        nonmember = self.sign_in(self.server, NONMEMBER)
        member = self.sign_in(self.server, MEMBER)
        owner = self.sign_in(self.server, OWNER)
        for client in (self.anonymous, nonmember, member, owner, self.admin):
            self.assert_allowed(client, "discuss")
        self.assert_denied(self.anonymous, "members", anonymous_members=True)
        self.assert_denied(nonmember, "members", anonymous_members=False)
        for client in (member, owner, self.admin):
            self.assert_allowed(client, "members")
        for client in (self.anonymous, nonmember, member):
            self.assert_denied(client, "closed", anonymous_members=False)
        # A list's owner reads its archive whatever the visibility, without being subscribed.
        for client in (owner, self.admin):
            self.assert_allowed(client, "closed")
        # The lists the API and the site-wide search offer follow the same rule.
        expected = {self.anonymous: {"discuss"}, nonmember: {"discuss"},
                    member: {"discuss", "members"}, owner: set(LISTS), self.admin: set(LISTS)}
        for client, names in expected.items():
            listed = {each["name"] for each in client.get("/api/v1/lists").json()["lists"]}
            self.assertEqual(listed, names)
            found = client.get("/archive/search?q=Tuesday")
            self.assertEqual(found.status, 200)
            for name in LISTS:
                hit = f"/lists/{name}/m/{self.ids[name][1][1]}"
                self.assertEqual(hit in found.text, name in names, (name, names))

    def test_index_paging_tree_permalink_and_addresses(self):
        thread, (root, reply, attach) = self.ids["discuss"]
        for number in range(50):
            self.post("discuss", message("discuss", f"Topic {number:02d}", "Text.\n",
                                         f"topic.{number}@example.org"))
        first = self.anonymous.get("/lists/discuss/archive")
        self.assertEqual(first.status, 200)
        self.assertEqual(len(re.findall(r'href="/lists/discuss/t/(\d+)"', first.text)), 50)
        self.assertIn("/lists/discuss/archive?page=2", first.text)
        second = self.anonymous.get("/lists/discuss/archive?page=2")
        self.assertEqual(re.findall(r'href="/lists/discuss/t/(\d+)"', second.text), [str(thread)])
        self.assertIn("3 messages", second.text)
        self.assertEqual(self.anonymous.get("/lists/discuss/archive?page=abc").status, 200)
        empty = self.anonymous.get("/lists/discuss/archive/2025-12")
        self.assertEqual(empty.status, 200)
        self.assertEqual(re.findall(r'href="/lists/discuss/t/(\d+)"', empty.text), [])
        self.assertEqual(self.anonymous.get("/lists/discuss/archive/2026-13").status, 404)
        # Another list's thread id under this list's name: 404, not the other thread.
        self.assertEqual(self.admin.get(f"/lists/discuss/t/{self.ids['closed'][0]}").status, 404)
        text = self.anonymous.get(f"/lists/discuss/t/{thread}").text
        # A nested tree: root, its reply one level in, the reply's reply two levels in.
        tree = text[text.index('class="archive-tree"'):]
        first_at, second_at, third_at = (tree.index(f'id="m{i}"') for i in (root, reply, attach))
        self.assertLess(first_at, second_at)
        self.assertLess(second_at, third_at)
        self.assertEqual(tree[first_at:second_at].count("<ul>"), 1)
        self.assertEqual(tree[second_at:third_at].count("<ul>"), 1)
        self.assertIn("&gt; Second quoted line", text)
        self.assertIn(f'href="/lists/discuss/m/{attach}/attachments/0"', text)
        # Visitors of a public archive never see a full address; members do.
        self.assertNotIn("ana@example.org", text)
        self.assertNotIn("bo@example.net", text)
        self.assertIn("a\u2026@example.org", text)
        self.assertIn("bo@example.net", self.admin.get(f"/lists/discuss/t/{thread}").text)
        permalink = self.anonymous.get(f"/lists/discuss/m/{reply}")
        self.assertIn("Yes, on Tuesday.", permalink.text)
        self.assertNotIn("ana@example.org", permalink.text)
        for bad in ("0", "abc", "-1", "99999999999999999999"):
            self.assertEqual(self.anonymous.get(f"/lists/discuss/m/{bad}").status, 404, bad)

    def test_attachment_redirect_feeds_api_and_mbox(self):
        thread, (root, reply, attach) = self.ids["discuss"]
        attachment = self.anonymous.get(f"/lists/discuss/m/{attach}/attachments/0")
        self.assertEqual(attachment.status, 200)
        self.assertEqual(attachment.body, b"<script>alert(1)</script>")
        self.assertEqual(attachment.header("content-type"), "application/octet-stream")
        self.assertEqual(attachment.header("x-content-type-options"), "nosniff")
        self.assertIn("sandbox", attachment.header("content-security-policy"))
        disposition = attachment.header("content-disposition")
        self.assertTrue(disposition.startswith("attachment;"), disposition)
        self.assertIn("filename*=UTF-8''r%C3%A9sum%C3%A9.html", disposition)
        for bad in (f"{attach}/attachments/1", f"{root}/attachments/0",
                    f"{attach}/attachments/01"):
            self.assertEqual(self.anonymous.get(f"/lists/discuss/m/{bad}").status, 404, bad)
        for form in ("<reply.discuss@example.org>", "reply.discuss@example.org"):
            moved = self.anonymous.get("/r/" + urllib.parse.quote(form))
            self.assertEqual(moved.status, 302)
            self.assertEqual(moved.header("location"), f"/lists/discuss/m/{reply}")
        self.assertEqual(self.anonymous.get("/r/nosuch%40example.org").status, 404)
        for feed, count in (("threads", 1), ("messages", 3)):
            response = self.anonymous.get(f"/lists/discuss/feeds/{feed}.atom")
            self.assertTrue(response.header("content-type").startswith("application/atom+xml"))
            document = ElementTree.fromstring(response.body)
            self.assertEqual(document.tag, ATOM + "feed")
            entries = document.findall(ATOM + "entry")
            self.assertEqual(len(entries), count, feed)
            for entry in entries:
                for required in ("id", "title", "updated"):
                    self.assertIsNotNone(entry.find(ATOM + required), required)
            self.assertNotIn(b"ana@example.org", response.body)
        message_json = self.anonymous.get(f"/api/v1/messages/{reply}").json()
        self.assertEqual(message_json["in_reply_to"], "root.discuss@example.org")
        self.assertNotEqual(message_json["author"]["email"], MEMBER)
        self.assertEqual(self.admin.get(f"/api/v1/messages/{reply}").json()["author"]["email"],
                         MEMBER)
        detail = self.anonymous.get(f"/api/v1/lists/discuss/threads/{thread}").json()
        self.assertEqual([m["depth"] for m in detail["messages"]], [0, 1, 2])
        results = self.anonymous.get("/api/v1/lists/discuss/search?q=Tuesday").json()
        self.assertEqual([hit["id"] for hit in results["hits"]], [reply])
        hostile = self.anonymous.get("/lists/discuss/search?q=" +
                                     urllib.parse.quote("<script>alert(1)</script>"))
        self.assertIn(hostile.status, (200, 422))
        self.assertNotIn("<script>alert(1)</script>", hostile.text)
        mbox = self.admin.get("/lists/discuss/export.mbox")
        self.assertEqual(mbox.body.count(b"\nFrom ") + mbox.body.startswith(b"From "), 3)
        self.assertNotIn(b"Message-ID:", self.admin.get("/lists/discuss/export.mbox?month=2025-12")
                         .body)
        self.assertEqual(self.admin.get("/lists/discuss/export.mbox?month=bad").status, 404)
        thread_mbox = self.anonymous.get(f"/lists/discuss/t/{thread}/export.mbox")
        self.assertIn(b"Message-ID: <root.discuss@example.org>", thread_mbox.body)
        self.assertNotIn(b"ana@example.org>", thread_mbox.body)


if __name__ == "__main__":
    unittest.main()
