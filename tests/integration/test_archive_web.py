"""The list archives on the web, black box: posts go in over real LMTP (the intake archives every
accepted post), then the archive pages, the thread tree, permalinks, /r/ redirects, raw source,
attachment downloads, mbox exports, Atom feeds, the JSON API and search are read back — and the
archive visibility (public, members, none) is checked on every path for an anonymous visitor, a
signed-in non-member, a member and a site admin.
"""
import email
import email.policy
import html.parser
import mailbox
import os
import re
import smtplib
import tempfile
import unittest
import urllib.parse
import xml.etree.ElementTree as ElementTree

from harness import BACKEND, ServerTest

DOMAIN = "lists.example.org"
POSTER = "ana@example.org"
MEMBER = "member@example.org"
OUTSIDER = "outsider@example.org"
ADMIN = "admin@example.org"
ATOM = "{http://www.w3.org/2005/Atom}"

ROOT = (
    "From: Ana Example <ana@example.org>\r\nSubject: Agenda for Geneva\r\n"
    "Message-ID: <root1@example.org>\r\nDate: Thu, 01 Jan 2026 10:00:00 +0000\r\n"
    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "Here is the agenda for the Geneva meeting.\r\nWrite to ana@example.org with changes.\r\n"
    "-- \r\nAna, coalition secretariat\r\n")
REPLY = (
    "From: Bo <bo@example.net>\r\nSubject: Re: Agenda for Geneva\r\n"
    "Message-ID: <reply1@example.org>\r\nIn-Reply-To: <root1@example.org>\r\n"
    "References: <root1@example.org>\r\nDate: Thu, 01 Jan 2026 11:00:00 +0000\r\n"
    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "> Here is the agenda for the Geneva meeting.\r\n\r\nThanks, looks right to me.\r\n")
HTML_ONLY = (
    "From: Ana Example <ana@example.org>\r\nSubject: Styled note\r\n"
    "Message-ID: <html1@example.org>\r\nDate: Fri, 02 Jan 2026 09:00:00 +0000\r\n"
    "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    "<html><body><p>Hello <b>multistakeholder</b> world</p>"
    "<script>alert('owned')</script><img src=x onerror=alert(1)></body></html>\r\n")
ATTACHED = (
    "From: Ana Example <ana@example.org>\r\nSubject: Draft attached\r\n"
    "Message-ID: <attach1@example.org>\r\nDate: Sat, 03 Jan 2026 09:00:00 +0000\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
    "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe draft is attached.\r\n"
    "--b1\r\nContent-Type: text/html; name=\"../../evil.html\"\r\n"
    "Content-Disposition: attachment; filename=\"../../evil.html\"\r\n\r\n"
    "<script>alert('attachment')</script>\r\n--b1--\r\n")


class FormFields(html.parser.HTMLParser):
    """The successful controls of the form whose action ends with `action`."""

    def __init__(self, action):
        super().__init__()
        self.action = action
        self.inside = False
        self.fields = {}
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action", "").endswith(self.action)
        if not self.inside:
            return
        if tag == "input" and attrs.get("name"):
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.fields[self.textarea] = ""

    def handle_data(self, data):
        if self.inside and self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def dot_stuffed(message):
    data = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", message)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class ArchiveWeb(ServerTest):
    """Three lists holding the same four posts: pub (public archive), mem (members), priv (none)."""

    def setUp(self):
        super().setUp()
        self.assertEqual(self.cli("migrate").returncode, 0)
        for name in ("priv", "mem", "pub"):
            created = self.cli("list", "create", f"{name}@{DOMAIN}", "--owner", "owner@example.org")
            self.assertEqual(created.returncode, 0, created.stderr)
            members = [POSTER, "bo@example.net"] + ([MEMBER] if name != "pub" else [])
            added = self.cli("list", "add-members", name, "--file", "/dev/stdin", "--no-welcome",
                             input_text="\n".join(members) + "\n")
            self.assertEqual(added.returncode, 0, added.stdout + added.stderr)
        for address, role in ((MEMBER, "member"), (OUTSIDER, "member"), (ADMIN, "admin")):
            added = self.cli("user", "add", "--email", address, "--role", role)
            self.assertEqual(added.returncode, 0, added.stderr)
        self.server = self.start_server(demo=False)
        self.admin = self.sign_in(self.server, ADMIN)
        self.set_visibility("pub", "public")
        self.set_visibility("priv", "none")
        # priv and mem first: /r/ must still choose the list the viewer may read.
        for message in (ROOT, REPLY, HTML_ONLY, ATTACHED):
            self.lmtp_post(message.encode(), [f"priv@{DOMAIN}", f"mem@{DOMAIN}", f"pub@{DOMAIN}"])

    def set_visibility(self, name, visibility):
        page = self.admin.get(f"/lists/{name}/admin")
        self.assertEqual(page.status, 200, page.text[:500])
        parser = FormFields(f"/lists/{name}/admin")
        parser.feed(page.text)
        fields = parser.fields
        fields["archive_visibility"] = visibility
        saved = self.admin.post(f"/lists/{name}/admin", form=fields)
        self.assertIn(saved.status, (200, 303), saved.text[:2000])
        shown = self.cli("list", "show", name)
        self.assertIn(visibility, shown.stdout)

    def lmtp_post(self, message, recipients):
        client = smtplib.LMTP(self.server.lmtp_host, self.server.lmtp_port, timeout=30)
        try:
            client.ehlo()
            self.assertEqual(client.mail(POSTER)[0], 250)
            for recipient in recipients:
                self.assertEqual(client.rcpt(recipient)[0], 250, recipient)
            client.putcmd("data")
            self.assertEqual(client.getreply()[0], 354)
            client.send(dot_stuffed(message) + b".\r\n")
            replies = [client.getreply() for _ in recipients]
            for code, text in replies:
                self.assertEqual(code, 250, text)
        finally:
            client.quit()

    def ids(self, client, name):
        """{message_id: (archive id, thread id)} of list `name`, through the API."""
        threads = client.get(f"/api/v1/lists/{name}/threads")
        self.assertEqual(threads.status, 200, threads.text[:500])
        found = {}
        for thread in threads.json()["threads"]:
            detail = client.get(f"/api/v1/lists/{name}/threads/{thread['id']}").json()
            for message in detail["messages"]:
                found[message["message_id"]] = (message["id"], thread["id"])
        return found

    # ---- a public archive, read by an anonymous visitor ----

    def test_public_archive_pages(self):
        anonymous = self.server.client()
        info = anonymous.get("/lists/pub")
        self.assertIn('href="/lists/pub/archive"', info.text)
        index = anonymous.get("/lists/pub/archive")
        self.assertEqual(index.status, 200, index.text[:1000])
        for subject in ("Agenda for Geneva", "Styled note", "Draft attached"):
            self.assertIn(subject, index.text)
        self.assertIn("2 messages", index.text)
        self.assertIn('href="/lists/pub/archive/2026-01"', index.text)
        self.assertIn('<time datetime="', index.text)
        month = anonymous.get("/lists/pub/archive/2026-01")
        self.assertEqual(month.status, 200)
        self.assertIn("Agenda for Geneva", month.text)
        self.assertEqual(anonymous.get("/lists/pub/archive/2025-12").status, 200)
        self.assertNotIn("Agenda for Geneva", anonymous.get("/lists/pub/archive/2025-12").text)
        for bad in ("2026-13", "26-01", "%3Cscript%3E"):
            self.assertEqual(anonymous.get("/lists/pub/archive/" + bad).status, 404, bad)
        self.assertEqual(anonymous.get("/lists/nosuchlist/archive").status, 404)

        ids = self.ids(anonymous, "pub")
        root_id, thread_id = ids["root1@example.org"]
        reply_id, reply_thread = ids["reply1@example.org"]
        self.assertEqual(thread_id, reply_thread)
        thread = anonymous.get(f"/lists/pub/t/{thread_id}")
        self.assertEqual(thread.status, 200)
        text = thread.text
        # A real nested list: the reply's <li> sits in a <ul> inside the root's <li>.
        self.assertRegex(text, r'(?s)<ul class="archive-tree">\s*<li>.*?id="m%d".*?<ul><li>.*?id="m%d"'
                         % (root_id, reply_id))
        self.assertIn('<details class="archive-quote">', text)
        self.assertIn('class="archive-signature', text)
        self.assertIn("mailto:pub@lists.example.org?In-Reply-To=%3Croot1%40example.org%3E"
                      "&amp;subject=Re%3A%20Agenda%20for%20Geneva", text)
        # Addresses are obscured for visitors of a public archive, in headers and text.
        self.assertNotIn("ana@example.org", text)
        self.assertIn("a\u2026@example.org", text)
        self.assertEqual(anonymous.get("/lists/pub/t/999999").status, 404)
        self.assertEqual(anonymous.get("/lists/pub/t/abc").status, 404)

        permalink = anonymous.get(f"/lists/pub/m/{reply_id}")
        self.assertEqual(permalink.status, 200)
        self.assertIn("Message 2 of 2 in the thread", permalink.text)
        self.assertIn(f'href="/lists/pub/m/{root_id}" rel="prev"', permalink.text)
        self.assertIn(f'href="/lists/pub/m/{reply_id}/raw"', permalink.text)
        self.assertIn('aria-current="page"', permalink.text)
        # Another list's message under this list's name is not found.
        mem_ids = self.ids(self.admin, "mem")
        self.assertEqual(anonymous.get(f"/lists/pub/m/{mem_ids['root1@example.org'][0]}").status,
                         404)

        raw = anonymous.get(f"/lists/pub/m/{root_id}/raw")
        self.assertEqual(raw.status, 200)
        self.assertTrue(raw.header("content-type").startswith("text/plain"))
        self.assertEqual(raw.header("x-content-type-options"), "nosniff")
        self.assertIn("sandbox", raw.header("content-security-policy"))
        self.assertIn("Subject: Agenda for Geneva", raw.text)
        self.assertIn("Message-ID: <root1@example.org>", raw.text)
        self.assertNotIn("ana@example.org", raw.text)
        # A member sees the bytes as they came.
        full = self.admin.get(f"/lists/pub/m/{root_id}/raw")
        self.assertIn("From: Ana Example <ana@example.org>", full.text)
        self.assertIn("ana@example.org", self.admin.get(f"/lists/pub/t/{thread_id}").text)

    def test_html_only_mail_and_hostile_attachment(self):
        anonymous = self.server.client()
        ids = self.ids(anonymous, "pub")
        html_id = ids["html1@example.org"][0]
        page = anonymous.get(f"/lists/pub/m/{html_id}")
        self.assertEqual(page.status, 200)
        self.assertIn("multistakeholder", page.text)
        self.assertNotIn("<script>alert", page.text)
        self.assertNotIn("onerror=alert", page.text.replace("onerror=alert(1)&gt;", ""))
        self.assertNotIn("<b>multistakeholder", page.text)

        attach_id = ids["attach1@example.org"][0]
        page = anonymous.get(f"/lists/pub/m/{attach_id}")
        match = re.search(r'href="(/lists/pub/m/%d/attachments/(\d+))"' % attach_id, page.text)
        self.assertIsNotNone(match, page.text[:3000])
        download = anonymous.get(match.group(1))
        self.assertEqual(download.status, 200)
        disposition = download.header("content-disposition")
        self.assertTrue(disposition.startswith("attachment;"), disposition)
        self.assertNotIn("..", disposition)
        self.assertNotIn("/", disposition)
        self.assertIn("filename*=UTF-8''", disposition)
        self.assertEqual(download.header("content-type"), "application/octet-stream")
        self.assertEqual(download.header("x-content-type-options"), "nosniff")
        self.assertIn("sandbox", download.header("content-security-policy"))
        self.assertIn(b"<script>alert('attachment')</script>", download.body)
        self.assertEqual(anonymous.get(f"/lists/pub/m/{attach_id}/attachments/7").status, 404)
        self.assertEqual(anonymous.get(f"/lists/pub/m/{attach_id}/attachments/-1").status, 404)

        api = anonymous.get(f"/api/v1/messages/{attach_id}").json()
        self.assertEqual(api["subject"], "Draft attached")
        self.assertEqual(len(api["attachments"]), 1)
        self.assertNotIn("/", api["attachments"][0]["filename"])

    def test_redirects_by_message_id(self):
        anonymous = self.server.client()
        ids = self.ids(anonymous, "pub")
        root_id = ids["root1@example.org"][0]
        for path in ("/r/root1@example.org", "/r/%3Croot1%40example.org%3E",
                     "/r/%3Croot1@example.org%3E"):
            response = anonymous.get(path)
            self.assertIn(response.status, (301, 302), path)
            self.assertEqual(response.header("location"), f"/lists/pub/m/{root_id}", path)
        self.assertEqual(anonymous.get("/r/unknown@example.org").status, 404)
        self.assertEqual(anonymous.get("/r/%3C%3E").status, 404)

    def test_mbox_exports(self):
        anonymous = self.server.client()
        ids = self.ids(anonymous, "pub")
        thread_id = ids["root1@example.org"][1]

        def messages_of(response):
            self.assertEqual(response.status, 200, response.text[:500])
            self.assertTrue(response.header("content-type").startswith("application/mbox"))
            self.assertTrue(response.header("content-disposition").startswith("attachment;"))
            with tempfile.NamedTemporaryFile(suffix=".mbox", delete=False) as file:
                file.write(response.body)
            try:
                return [m["Message-ID"] for m in mailbox.mbox(file.name)]
            finally:
                os.unlink(file.name)

        everything = messages_of(self.admin.get("/lists/pub/export.mbox"))
        self.assertEqual(sorted(everything), sorted(["<root1@example.org>", "<reply1@example.org>",
                                                     "<html1@example.org>", "<attach1@example.org>"]))
        self.assertEqual(len(messages_of(anonymous.get("/lists/pub/export.mbox?month=2026-01"))), 4)
        self.assertEqual(len(messages_of(anonymous.get("/lists/pub/export.mbox?month=2025-01"))), 0)
        self.assertEqual(anonymous.get("/lists/pub/export.mbox?month=2026-1").status, 404)
        thread = messages_of(anonymous.get(f"/lists/pub/t/{thread_id}/export.mbox"))
        self.assertEqual(sorted(thread), ["<reply1@example.org>", "<root1@example.org>"])
        # Visitors' exports keep identifiers but not the addresses.
        visitor = anonymous.get("/lists/pub/export.mbox").text
        self.assertNotIn("ana@example.org", visitor)
        self.assertIn("<root1@example.org>", visitor)
        self.assertIn("ana@example.org", self.admin.get("/lists/pub/export.mbox").text)

    def test_atom_feeds(self):
        anonymous = self.server.client()
        for path, expected in (("/lists/pub/feeds/threads.atom", 3),
                               ("/lists/pub/feeds/messages.atom", 4)):
            response = anonymous.get(path)
            self.assertEqual(response.status, 200, path)
            self.assertTrue(response.header("content-type").startswith("application/atom+xml"))
            feed = ElementTree.fromstring(response.body)
            self.assertEqual(feed.tag, ATOM + "feed")
            for required in ("id", "title", "updated", "author"):
                self.assertIsNotNone(feed.find(ATOM + required), required)
            entries = feed.findall(ATOM + "entry")
            self.assertEqual(len(entries), expected, path)
            for entry in entries:
                for required in ("id", "title", "updated"):
                    self.assertTrue(entry.find(ATOM + required).text, required)
                self.assertTrue(entry.find(ATOM + "id").text.startswith("http"))
                self.assertRegex(entry.find(ATOM + "updated").text, r"^\d{4}-\d\d-\d\dT")
            titles = [entry.find(ATOM + "title").text for entry in entries]
            self.assertIn("Styled note", titles)
            self.assertNotIn(b"ana@example.org", response.body)
        messages = ElementTree.fromstring(anonymous.get("/lists/pub/feeds/messages.atom").body)
        contents = [e.find(ATOM + "content").text or "" for e in messages.findall(ATOM + "entry")]
        self.assertTrue(any("multistakeholder" in c for c in contents))

    def test_api_and_search(self):
        anonymous = self.server.client()
        lists = anonymous.get("/api/v1/lists")
        self.assertEqual(lists.status, 200)
        self.assertEqual([item["name"] for item in lists.json()["lists"]], ["pub"])
        admin_lists = self.admin.get("/api/v1/lists").json()["lists"]
        self.assertEqual(sorted(item["name"] for item in admin_lists), ["mem", "priv", "pub"])
        threads = anonymous.get("/api/v1/lists/pub/threads").json()["threads"]
        groups = sorted(sorted(thread["message_ids"]) for thread in threads)
        self.assertEqual(groups, [["attach1@example.org"], ["html1@example.org"],
                                  ["reply1@example.org", "root1@example.org"]])
        by_message_id = anonymous.get("/api/v1/messages/%3Croot1%40example.org%3E")
        self.assertEqual(by_message_id.status, 200)
        self.assertEqual(by_message_id.json()["list"], "pub")
        self.assertNotIn("ana@example.org", by_message_id.text)
        missing = anonymous.get("/api/v1/lists/nosuchlist/threads")
        self.assertEqual(missing.status, 404)
        self.assertTrue(missing.header("content-type").startswith("application/problem+json"))
        self.assertEqual(anonymous.get("/api/v1/lists/pub/threads/999999").status, 404)
        self.assertEqual(anonymous.get("/api/v1/lists/pub/threads?month=bad").status, 422)

        found = anonymous.get("/api/v1/lists/pub/search?q=Geneva").json()
        self.assertGreaterEqual(found["total"], 1)
        self.assertIn("<mark>", found["hits"][0]["snippet_html"])
        self.assertEqual(anonymous.get("/api/v1/lists/pub/search?q=").status, 422)

        page = anonymous.get("/lists/pub/search?q=Geneva")
        self.assertEqual(page.status, 200)
        self.assertIn("<mark>", page.text)
        self.assertIn("Agenda for Geneva", page.text)
        hostile = anonymous.get("/lists/pub/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
        self.assertNotIn("<script>alert(1)", hostile.text)
        self.assertEqual(anonymous.get("/lists/pub/search?q=Geneva&from=2026-99-01").status, 422)
        filtered = anonymous.get("/lists/pub/search?q=draft&attachments=1")
        self.assertIn("Draft attached", filtered.text)
        none_yet = anonymous.get("/lists/pub/search?q=Geneva&until=2025-12-31")
        self.assertNotIn("Agenda for Geneva</bdi></a></h3>", none_yet.text)
        site_wide = anonymous.get("/archive/search?q=Geneva")
        self.assertEqual(site_wide.status, 200)
        self.assertEqual(set(re.findall(r'href="/lists/(\w+)/m/', site_wide.text)), {"pub"})
        admin_wide = self.admin.get("/archive/search?q=Geneva")
        self.assertEqual(set(re.findall(r'href="/lists/(\w+)/m/', admin_wide.text)),
                         {"pub", "mem", "priv"})

    # ---- visibility on every path ----

    def paths(self, name, ids):
        root_id, thread_id = ids["root1@example.org"]
        attach_id = ids["attach1@example.org"][0]
        browser = [f"/lists/{name}/archive", f"/lists/{name}/archive/2026-01",
                   f"/lists/{name}/t/{thread_id}", f"/lists/{name}/m/{root_id}",
                   f"/lists/{name}/m/{root_id}/raw", f"/lists/{name}/m/{attach_id}/attachments/0",
                   f"/lists/{name}/search?q=Geneva", f"/lists/{name}/export.mbox",
                   f"/lists/{name}/export.mbox?month=2026-01",
                   f"/lists/{name}/t/{thread_id}/export.mbox"]
        machine = [f"/lists/{name}/feeds/threads.atom", f"/lists/{name}/feeds/messages.atom",
                   f"/api/v1/lists/{name}/threads", f"/api/v1/lists/{name}/threads/{thread_id}",
                   f"/api/v1/messages/{root_id}", f"/api/v1/lists/{name}/search?q=Geneva"]
        return browser, machine

    def assert_access(self, who, client, name, ids, readable, anonymous_members=False):
        browser, machine = self.paths(name, ids)
        for path in browser + machine:
            response = client.get(path)
            if readable:
                self.assertEqual(response.status, 200, f"{who} {path}")
            elif anonymous_members and path in browser:
                self.assertEqual(response.status, 303, f"{who} {path}")
                self.assertTrue(response.header("location").startswith("/signin?next="), path)
            else:
                self.assertEqual(response.status, 404, f"{who} {path}")
                self.assertNotIn(b"Geneva", response.body, f"{who} {path}")
        listed = [item["name"] for item in client.get("/api/v1/lists").json()["lists"]]
        self.assertEqual(name in listed, readable, f"{who} /api/v1/lists")
        wide = client.get("/archive/search?q=Geneva").text
        self.assertEqual(f'href="/lists/{name}/m/' in wide, readable, f"{who} /archive/search")
        redirect = client.get("/r/root1@example.org")
        location = redirect.header("location") or ""
        if not readable:
            self.assertFalse(location.startswith(f"/lists/{name}/"), f"{who} /r/")

    def test_search_shows_the_address_of_a_nameless_author(self):
        nameless = (ROOT.replace("root1@", "nameless1@")
                    .replace("From: Ana Example <ana@example.org>", "From: ana@example.org")
                    .replace("Agenda for Geneva", "Zanzibar minutes")
                    .replace("Here is the agenda for the Geneva meeting.", "Minutes of the Zanzibar call."))
        self.lmtp_post(nameless.encode(), [f"pub@{DOMAIN}"])
        for client, shown in ((self.server.client(), "a…@example.org"), (self.admin, "ana@example.org")):
            page = client.get("/lists/pub/search?q=Zanzibar")
            self.assertEqual(page.status, 200)
            meta = re.search(r'<p class="archive-thread-meta">(.*?)</p>', page.text, re.S).group(1)
            # The author line names somebody: the address (obscured for visitors), never "· date".
            self.assertTrue(meta.startswith(f"<bdi>{shown}</bdi> · "), meta)

    def test_visibility_on_every_path(self):
        mem = self.ids(self.admin, "mem")
        priv = self.ids(self.admin, "priv")
        self.assertEqual(len(mem), 4)
        self.assertEqual(len(priv), 4)
        anonymous = self.server.client()
        outsider = self.sign_in(self.server, OUTSIDER)
        member = self.sign_in(self.server, MEMBER)
        # Members archive: members and admins read it; visitors are asked to sign in (pages) or
        # get 404 (feeds, API); signed-in non-members get 404.
        self.assert_access("anonymous", anonymous, "mem", mem, False, anonymous_members=True)
        self.assert_access("outsider", outsider, "mem", mem, False)
        self.assert_access("member", member, "mem", mem, True)
        self.assert_access("admin", self.admin, "mem", mem, True)
        # No archive: owners, moderators and admins only — not even members.
        self.assert_access("anonymous", anonymous, "priv", priv, False)
        self.assert_access("outsider", outsider, "priv", priv, False)
        self.assert_access("member", member, "priv", priv, False)
        self.assert_access("admin", self.admin, "priv", priv, True)
        # /r/ picks the list each viewer may read, though priv and mem archived it first.
        self.assertTrue(anonymous.get("/r/root1@example.org").header("location")
                        .startswith("/lists/pub/m/"))
        self.assertTrue(member.get("/r/root1@example.org").header("location")
                        .startswith("/lists/mem/m/"))
        self.assertTrue(self.admin.get("/r/root1@example.org").header("location")
                        .startswith("/lists/priv/m/"))
        # A message only a members archive holds: visitors are sent to sign in, outsiders 404.
        self.lmtp_post(ROOT.replace("root1@", "only-mem@").encode(), [f"mem@{DOMAIN}"])
        self.assertEqual(anonymous.get("/r/only-mem@example.org").status, 303)
        self.assertEqual(outsider.get("/r/only-mem@example.org").status, 404)
        self.assertEqual(member.get("/r/only-mem@example.org").status, 302)
        # Members see full addresses in a members archive.
        root_id = mem["root1@example.org"][0]
        self.assertIn("ana@example.org", member.get(f"/lists/mem/m/{root_id}").text)

    # ---- thread pages are kept rendered (issue #7) ----

    def archive_late_reply(self, name, subject="Late reply from Carla"):
        """Archives a reply to root1 in list `name` from another process (the CLI), so only the
        database can tell a running server that its kept thread page is stale."""
        path = os.path.join(self.directory, f"late-{name}.mbox")
        message = (
            "From carla@example.com Fri Jan 02 09:00:00 2026\n"
            f"From: Carla <carla@example.com>\nSubject: {subject}\n"
            "Message-ID: <late1@example.org>\nIn-Reply-To: <reply1@example.org>\n"
            "References: <root1@example.org> <reply1@example.org>\n"
            "Date: Fri, 02 Jan 2026 08:00:00 +0000\n\nCarla agrees; write to carla@example.com.\n\n")
        with open(path, "w", encoding="utf-8") as out:
            out.write(message)
        imported = self.cli("archive", "import", name, path)
        self.assertEqual(imported.returncode, 0, imported.stdout + imported.stderr)

    def test_kept_thread_page_changes_when_a_reply_is_archived_Issue7(self):
        anonymous = self.server.client()
        thread_id = self.ids(anonymous, "pub")["root1@example.org"][1]
        path = f"/lists/pub/t/{thread_id}"
        first = anonymous.get(path)
        self.assertEqual(first.status, 200)
        self.assertIn("2 messages", first.text)
        self.assertEqual(anonymous.get(path).text, first.text)  # Served from what was kept.
        self.archive_late_reply("pub")
        after = anonymous.get(path)
        self.assertEqual(after.status, 200)
        self.assertIn("3 messages", after.text)
        self.assertIn("Late reply from Carla", after.text)
        self.assertIn("Carla agrees", after.text)
        self.assertNotIn("carla@example.com", after.text)  # Still obscured for a visitor.
        self.assertIn("c\u2026@example.com", after.text)

    def test_kept_thread_variants_do_not_leak_Issue7(self):
        anonymous = self.server.client()
        thread_id = self.ids(anonymous, "pub")["root1@example.org"][1]
        path = f"/lists/pub/t/{thread_id}"
        # A member's view (full addresses) is made first; a visitor's stays obscured.
        self.assertIn("ana@example.org", self.admin.get(path).text)
        visitor = anonymous.get(path).text
        self.assertNotIn("ana@example.org", visitor)
        self.assertIn("a\u2026@example.org", visitor)
        self.assertIn("ana@example.org", self.admin.get(path).text)
        # Each language its own body: French after English, then English again.
        self.assertIn(">Permalink<", visitor)
        french = self.server.client().get(path + "?lang=fr").text
        self.assertIn(">Lien permanent<", french)
        self.assertNotIn(">Permalink<", french)
        self.assertIn(">Permalink<", self.server.client().get(path).text)

    def test_members_archive_refuses_visitors_after_a_member_read_it_Issue7(self):
        mem = self.ids(self.admin, "mem")
        thread_id = mem["root1@example.org"][1]
        path = f"/lists/mem/t/{thread_id}"
        member = self.sign_in(self.server, MEMBER)
        self.assertEqual(member.get(path).status, 200)
        self.assertEqual(member.get(path).status, 200)
        anonymous = self.server.client().get(path)
        self.assertEqual(anonymous.status, 303)
        self.assertNotIn(b"Geneva", anonymous.body)
        outsider = self.sign_in(self.server, OUTSIDER).get(path)
        self.assertEqual(outsider.status, 404)
        self.assertNotIn(b"Geneva", outsider.body)
        # A list made members-only after its pages were kept refuses visitors at once.
        public = self.server.client()
        pub_thread = self.ids(public, "pub")["root1@example.org"][1]
        self.assertEqual(public.get(f"/lists/pub/t/{pub_thread}").status, 200)
        self.set_visibility("pub", "members")
        refused = self.server.client().get(f"/lists/pub/t/{pub_thread}")
        self.assertEqual(refused.status, 303)
        self.assertNotIn(b"Geneva", refused.body)

    def test_kept_months_follow_new_mail_Issue7(self):
        """The months beside the thread index are kept between requests (counting them reads every
        message of the list), but never past the next archived message."""
        anonymous = self.server.client()
        self.assertNotIn('href="/lists/pub/archive/2025-11"', anonymous.get("/lists/pub/archive").text)
        november = (ROOT.replace("root1@", "november1@")
                    .replace("Thu, 01 Jan 2026", "Sat, 01 Nov 2025")
                    .replace("Agenda for Geneva", "November notes"))
        self.lmtp_post(november.encode(), [f"pub@{DOMAIN}"])

        def lists_the_month():
            index = anonymous.get("/lists/pub/archive")
            self.assertIn('href="/lists/pub/archive/2025-11"', index.text)
            self.assertIn("November notes", anonymous.get("/lists/pub/archive/2025-11").text)

        self.assert_soon(lists_the_month)

    @unittest.skipIf(BACKEND != "postgresql", "two servers share a database on PostgreSQL")
    def test_kept_thread_page_changes_when_another_server_archives_Issue7(self):
        second = self.start_server(demo=False)
        anonymous = self.server.client()
        thread_id = self.ids(anonymous, "pub")["root1@example.org"][1]
        path = f"/lists/pub/t/{thread_id}"
        self.assertIn("2 messages", anonymous.get(path).text)
        # The reply comes in over the second server's LMTP; the first server's page shows it.
        late = REPLY.replace("reply1@", "late2@").replace("Bo <bo@example.net>",
                                                          "Ana Example <ana@example.org>")
        late = late.replace("Thanks, looks right to me.", "Seen on the other server.")
        first_server = self.server
        self.server = second
        try:
            self.lmtp_post(late.encode(), [f"pub@{DOMAIN}"])
        finally:
            self.server = first_server
        def shows_the_reply():
            after = anonymous.get(path)
            self.assertIn("3 messages", after.text)
            self.assertIn("Seen on the other server.", after.text)

        self.assert_soon(shows_the_reply)


if __name__ == "__main__":
    unittest.main()
