"""Announcing a joint response on a mailing list, black box (issue #5): an editor freezes the draft
and announces the call for endorsement on a list; the post goes through the list's own pipeline as
the editor (List-Id, delivery to a subscribed member through a real SMTP relay sink, the archive),
and the announce page keeps the history. Members who are not editors get 403, visitors are sent to
sign in; an unknown list is a 422 with the error at its field; a hostile note is escaped on the
page and sent as plain text; a post without its CSRF token is refused; a list that holds the
editor's post says so."""
import datetime
import email
import email.policy
import html
import os
import urllib.parse

from harness import extract_link, wait_for
from test_responses import ResponseTestBase

LIST = "discuss@lists.example.org"
LIST_ID = "<discuss.lists.example.org>"
BOARD = "board@lists.example.org"
BASE_URL = "https://coalition.example.org"
HOSTILE = "<script>alert('note')</script> & <b>bold</b> {title}"


class ResponseAnnounceTest(ResponseTestBase):
    def setUp(self):
        # ResponseTestBase starts the server; the relay and the base URL come from the environment
        # of the test class (start_server reads them here).
        self.sink = None
        super().setUp()

    def start_server(self, extra_env=None, demo=True, args=()):
        if self.sink is None:
            self.sink = self.start_sink()
        env = {"COALITION_MAIL_RELAY": f"smtp://127.0.0.1:{self.sink.port}",
               "COALITION_SITE_BASE_URL": BASE_URL}
        env.update(extra_env or {})
        return super().start_server(extra_env=env, demo=demo, args=args)

    def sign_in(self, server, email_address):
        """The harness's sign-in flow, reading the link from the relay sink (mail goes there)."""
        client = server.client()
        seen = {bytes(m["bytes"]) for m in self.sink.messages()}
        response = client.submit("/signin", fields={"email": email_address})
        self.assertIn(response.status, (200, 303), response.body[:500])

        def new_sign_in_mail():
            return next((m["bytes"] for m in self.sink.messages()
                         if bytes(m["bytes"]) not in seen and b"/signin/" in m["bytes"]
                         and email_address.encode() in b"".join(
                             r.encode() for r in m["rcpt_tos"])), None)
        message = wait_for(new_sign_in_mail, timeout=60, what="sign-in mail")
        link = extract_link(message, "/signin/")
        path = urllib.parse.urlsplit(link).path
        page = client.get(path)
        self.assertEqual(page.status, 200, page.text[:500])
        confirmed = client.post(path, form={"_csrf": client.csrf_from(page.text)})
        self.assertEqual(confirmed.status, 303, confirmed.text[:500])
        return client

    def make_lists(self):
        for address in (LIST, BOARD):
            created = self.cli("list", "create", address, "--owner", "owner@example.org")
            self.assertEqual(created.returncode, 0, created.stderr)
        path = os.path.join(self.directory, "members.txt")
        with open(path, "w", encoding="utf-8") as file:
            file.write("editor@nominet.example\nana@auda.example\n")
        added = self.cli("list", "add-members", "discuss", "--file", path, "--no-welcome")
        self.assertEqual(added.returncode, 0, added.stdout + added.stderr)

    def freeze(self, editor, path):
        tomorrow = (datetime.datetime.now(datetime.timezone.utc)
                    + datetime.timedelta(days=2)).strftime("%Y-%m-%d")
        frozen = self.post_form(editor, path + "/endorsement", path + "/freeze", {
            "deadline_date": tomorrow, "deadline_time": "17:00",
            "deadline_zone": "Europe/Zurich", "based_on": "1"})
        self.assertEqual(frozen.status, 303, frozen.text[:500])

    def sunk(self, subject_part):
        found = []
        for message in self.sink.messages():
            parsed = email.message_from_bytes(message["bytes"], policy=email.policy.default)
            if subject_part in str(parsed.get("Subject", "")):
                found.append((message, parsed))
        return found

    def test_editor_announces_the_call_for_endorsement(self):
        self.make_lists()
        path = self.create_draft()
        announce = path + "/announce"
        editor = self.sign_in(self.server, "editor@nominet.example")
        page = editor.get(announce)
        self.assertEqual(page.status, 200, page.text[:500])
        # Never frozen: the call for endorsement is not offered yet.
        self.assertIn('value="draft"', page.text)
        self.assertNotIn('value="endorsement"', page.text)
        self.assertIn('<option value="discuss"', page.text)
        self.freeze(editor, path)
        page = editor.get(announce)
        self.assertIn('value="endorsement"', page.text)
        self.assertIn("Europe/Zurich", page.text)

        posted = self.post_form(editor, announce, announce, {
            "list": "discuss", "event": "endorsement", "note": HOSTILE})
        self.assertEqual(posted.status, 303, posted.text[:1000])
        self.assertEqual(posted.header("location"), announce + "?outcome=accepted")
        done = editor.get(posted.header("location"))
        self.assertIn("The announcement was posted", done.text)
        self.assertRegex(done.text, r"<td><a href=\"/lists/discuss/archive\">discuss</a></td>"
                                    r"<td>Editor</td>")

        # The member subscribed to the list receives it with the list's headers and the link.
        def delivered():
            messages = [(m, p) for m, p in self.sunk("Call for endorsement: GDC response")
                        if "ana@auda.example" in m["rcpt_tos"]]
            return messages or None
        message, parsed = wait_for(delivered, timeout=60, interval=0.2, what="the announcement")[0]
        self.assertEqual(str(parsed["List-Id"]).split()[-1], LIST_ID)
        self.assertIn("editor@nominet.example", str(parsed["From"]))
        self.assertIn("Europe/Zurich", str(parsed["Subject"]))
        body = parsed.get_body(preferencelist=("plain",))
        self.assertEqual(body.get_content_type(), "text/plain")
        text = body.get_content()
        self.assertIn(BASE_URL + path + "#endorsement", text)
        self.assertIn(HOSTILE, text)  # As typed: plain text, nothing to escape.
        self.assertIsNone(parsed.get_body(preferencelist=("html",)))

        # The archive has it.
        archive = self.admin.get("/lists/discuss/archive")
        self.assertEqual(archive.status, 200, archive.text[:300])
        self.assertIn("Call for endorsement: GDC response", html.unescape(archive.text))

        # The editors' overview links to the announce page.
        self.assertIn(f'href="{announce}"', editor.get(path + "/endorsement").text)

    def test_members_visitors_bad_lists_hostile_notes_and_csrf(self):
        self.make_lists()
        path = self.create_draft()
        announce = path + "/announce"
        editor = self.sign_in(self.server, "editor@nominet.example")
        ana = self.sign_in(self.server, "ana@auda.example")

        # A member who is not an editor: 403 both ways, and nothing is posted.
        self.assertEqual(ana.get(announce).status, 403)
        page = ana.get(path)
        refused = ana.post(announce, form={"_csrf": ana.csrf_from(page.text), "list": "discuss",
                                           "event": "draft", "note": ""})
        self.assertEqual(refused.status, 403)
        # A visitor is sent to sign in.
        visitor = self.server.client()
        redirected = visitor.get(announce)
        self.assertIn(redirected.status, (302, 303))
        self.assertIn("/signin", redirected.header("location"))

        # An unknown list: 422 with the error at the list field; the hostile note is kept, escaped.
        for name in ("no-such-list", "discuss'; DROP TABLE lists; --", ""):
            bad = self.post_form(editor, announce, announce, {
                "list": name, "event": "draft", "note": HOSTILE})
            self.assertEqual(bad.status, 422, name)
            self.assertIn("There is a problem", bad.text)
            self.assertRegex(bad.text, r'<select id="field-list" name="list" aria-required="true"'
                                       r' aria-invalid="true"')
            self.assertIn("Choose a list from the list.", bad.text)
            self.assertNotIn("<script>alert", bad.text)
            self.assertNotIn("<b>bold</b>", bad.text)
            self.assertIn("&lt;script&gt;alert(", bad.text)
        # A note with control characters, and one too long.
        for note in ("bell\x07", "x" * 2001):
            bad = self.post_form(editor, announce, announce, {
                "list": "discuss", "event": "draft", "note": note})
            self.assertEqual(bad.status, 422)
            self.assertRegex(bad.text, r'<textarea id="field-note" name="note" rows="6"'
                                       r' aria-invalid="true"')
        # An event not offered now (nothing frozen), and an unknown one.
        late = self.post_form(editor, announce, announce, {"list": "discuss",
                                                           "event": "endorsement"})
        self.assertEqual(late.status, 409)
        self.assertIn('id="event-error"', late.text)
        self.assertEqual(self.post_form(editor, announce, announce, {
            "list": "discuss", "event": "<everything>"}).status, 422)

        # No CSRF token, or a wrong one: refused before anything is posted.
        self.assertEqual(editor.post(announce, form={"list": "discuss", "event": "draft"}).status,
                         403)
        self.assertEqual(editor.post(announce, form={"_csrf": "forged", "list": "discuss",
                                                     "event": "draft"}).status, 403)
        history = editor.get(announce).text
        self.assertIn("None yet.", history)

    def test_a_list_that_holds_the_editors_post_says_so(self):
        self.make_lists()
        path = self.create_draft()
        announce = path + "/announce"
        editor = self.sign_in(self.server, "editor@nominet.example")
        # The editor is not a member of "board": the nonmember policy holds the post.
        posted = self.post_form(editor, announce, announce, {"list": "board", "event": "draft"})
        self.assertEqual(posted.status, 303, posted.text[:1000])
        self.assertEqual(posted.header("location"), announce + "?outcome=held")
        page = editor.get(posted.header("location")).text
        self.assertIn("The list holds the announcement for a moderator", page)
        self.assertIn("held for a moderator", page)
        self.assertIn("Draft open for comments: GDC response", page)
        # The moderation queue has it.
        queue = self.admin.get("/lists/board/moderation")
        self.assertEqual(queue.status, 200, queue.text[:300])
        self.assertIn("Draft open for comments: GDC response", html.unescape(queue.text))


class DeliveredStatementNamesAResponse(ResponseTestBase):
    """Publications (issue #5): a delivered statement may name a published joint response; the
    admin form offers only published ones, and the public listing links to it."""

    def test_delivery_links_to_the_published_response(self):
        path = self.create_draft()
        slug = path.rsplit("/", 1)[-1]
        editor = self.sign_in(self.server, "editor@nominet.example")
        form = self.admin.get("/admin/publications/delivered/new")
        self.assertEqual(form.status, 200, form.text[:300])
        self.assertNotIn(f'<option value="{slug}"', form.text)  # A draft is not offered.
        tomorrow = (datetime.datetime.now(datetime.timezone.utc)
                    + datetime.timedelta(days=2)).strftime("%Y-%m-%d")
        frozen = self.post_form(editor, path + "/endorsement", path + "/freeze", {
            "deadline_date": tomorrow, "deadline_time": "17:00", "deadline_zone": "UTC",
            "based_on": "1"})
        self.assertEqual(frozen.status, 303, frozen.text[:500])
        self.set_deadline_past()
        published = self.post_form(editor, path + "/endorsement", path + "/publish", {})
        self.assertEqual(published.status, 303, published.text[:500])

        created = self.admin.submit("/admin/publications/new", "/admin/publications", {
            "kind": "position-paper", "title": "Our statement", "slug": "our-statement",
            "language": "en", "process": "", "summary": "", "markdown": "We said this."})
        self.assertEqual(created.status, 303, created.text[:500])
        made_public = self.post_form(self.admin, "/admin/publications",
                                     "/admin/publications/our-statement/publish", {})
        self.assertEqual(made_public.status, 303)
        form = self.admin.get("/admin/publications/delivered/new")
        self.assertIn(f'<option value="{slug}">GDC response</option>', form.text)
        fields = {"publication": "our-statement", "speaker": "Riley Ngata", "milestone": "",
                  "meeting": "IGF 2026 main session", "date": "2026-06-23"}
        for bad in ("not-published", "x' OR '1'='1"):
            refused = self.admin.submit("/admin/publications/delivered/new",
                                        "/admin/publications/delivered",
                                        dict(fields, response=bad))
            self.assertEqual(refused.status, 422)
            self.assertIn('href="#field-response"', refused.text)
        recorded = self.admin.submit("/admin/publications/delivered/new",
                                     "/admin/publications/delivered", dict(fields, response=slug))
        self.assertEqual(recorded.status, 303, recorded.text[:500])
        listing = self.server.client().get("/publications/delivered")
        self.assertEqual(listing.status, 200)
        self.assertIn(f'<a href="/responses/{slug}">GDC response</a>', listing.text)
