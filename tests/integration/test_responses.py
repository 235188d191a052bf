"""Joint responses against the real binary (issue #5, drafting): an admin starts a draft and picks
its editor; representatives of three member organisations read it, comment, reply (the first
author is mailed) and propose wording; the editor accepts and rejects amendments, each accepted
change a new version with a word diff; a candidate organisation's representative, a user without
an organisation and anonymous visitors never see the draft (403, or sign in first); hostile
Markdown is not rendered as HTML."""
import datetime
import html
import re

from harness import ServerTest, wait_for

DRAFT = """# Response to the Global Digital Compact

The coalition welcomes the consultation.

## Principles

We support the multistakeholder model of internet governance.

<script>alert('draft')</script>

## Requests

We ask the co-facilitators to consult the technical community.
"""


def main_of(html):
    match = re.search(r"<main\b.*?</main>", html, re.S)
    return match.group(0) if match else ""


def text_of(html):
    return re.sub(r"<[^>]+>", "", html)


class ResponseTestBase(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        users = [("editor@nominet.example", "nominet"), ("ana@auda.example", "auda"),
                 ("bo@cira.example", "cira"), ("chen@internetnz.example", "internetnz"),
                 ("olga@centr.example", "centr")]
        for address, organisation in users:
            added = self.cli("user", "add", "--email", address, "--role", "member",
                             "--org", organisation, "--name", address.split("@")[0].title())
            self.assertEqual(added.returncode, 0, added.stderr)
        added = self.cli("user", "add", "--email", "lee@nowhere.example", "--role", "member")
        self.assertEqual(added.returncode, 0, added.stderr)
        self.admin = self.sign_in(self.server, "admin@coalition.example")

    def create_draft(self, markdown=DRAFT, title="GDC response"):
        form = self.admin.get("/admin/responses/new")
        self.assertEqual(form.status, 200, form.text[:300])
        match = re.search(r'id="editor-(\d+)" name="editors" value="\d+"> <label for="editor-\d+">'
                          r'Editor</label>', form.text)
        self.assertIsNotNone(match, "the editor's checkbox")
        created = self.admin.post("/admin/responses", form={
            "_csrf": self.admin.csrf_from(form.text), "title": title, "markdown": markdown,
            "editors": [match.group(1)], "deadline_date": "2026-03-24", "deadline_time": "17:00",
            "deadline_zone": "Europe/Zurich", "link": "https://www.un.org/global-digital-compact"})
        self.assertEqual(created.status, 303,
                         re.findall(r'class="error-message".*?</p>', created.text, re.S))
        return created.header("location")

    def set_deadline_past(self):
        """Moves the open round's deadline into the past (the server's clock cannot be moved)."""
        self.database.execute(
            "UPDATE response_rounds SET deadline_date = '2020-01-02', deadline_utc = 1577984400")

    def post_form(self, client, page_path, action, fields):
        page = client.get(page_path)
        self.assertEqual(page.status, 200, page.text[:300])
        fields = dict(fields)
        fields["_csrf"] = client.csrf_from(page.text)
        return client.post(action, form=fields)


class ResponsePages(ResponseTestBase):
    def test_the_milestone_links_to_its_response_for_those_who_may_read_it(self):
        anonymous = self.server.client()
        process_page = anonymous.get("/processes/igf").text
        milestone = re.search(r'id="milestone-(\d+)"', process_page).group(1)
        form = self.admin.get("/admin/responses/new")
        editor_box = re.search(r'id="editor-(\d+)" name="editors" value="\d+"> <label for="editor-\d+">'
                               r'Editor</label>', form.text)
        created = self.admin.post("/admin/responses", form={
            "_csrf": self.admin.csrf_from(form.text), "title": "IGF <i>input</i>",
            "markdown": DRAFT, "editors": [editor_box.group(1)], "milestone_id": milestone})
        self.assertEqual(created.status, 303, created.text[:500])
        path = created.header("location")
        ana = self.sign_in(self.server, "ana@auda.example")
        page = main_of(ana.get("/processes/igf").text)
        self.assertIn(f'href="{path}"', page)
        self.assertIn("IGF &lt;i&gt;input&lt;/i&gt;", page)
        self.assertIn("draft, members only", page)
        # Visitors never learn of a draft.
        self.assertNotIn(path, anonymous.get("/processes/igf").text)

    def test_members_draft_together_and_outsiders_are_refused(self):
        path = self.create_draft()
        self.assertEqual(path, "/responses/gdc-response")
        ana = self.sign_in(self.server, "ana@auda.example")
        bo = self.sign_in(self.server, "bo@cira.example")
        chen = self.sign_in(self.server, "chen@internetnz.example")
        editor = self.sign_in(self.server, "editor@nominet.example")

        for client in (ana, bo, chen, editor, self.admin):
            listing = client.get("/responses")
            self.assertEqual(listing.status, 200)
            self.assertIn('href="/responses/gdc-response"', listing.text)
            page = client.get(path)
            self.assertEqual(page.status, 200)
            main = main_of(page.text)
            for anchor in ("s-1", "p-2", "s-3", "p-4", "p-5", "s-6", "p-7"):
                self.assertIn(f'id="{anchor}"', main)
            # Raw HTML in the Markdown is not rendered (cmark-gfm with raw HTML off).
            self.assertNotIn("<script>alert", page.text)
            # Each paragraph links to its own page, where the discussion and the forms are.
            self.assertIn('href="/responses/gdc-response/paragraphs/p-4"', main)
            self.assertNotIn('name="body"', main)
        self.assertEqual(ana.get("/responses/nope").status, 404)

        # Outsiders: a candidate's representative and a user without an organisation.
        olga = self.sign_in(self.server, "olga@centr.example")
        lee = self.sign_in(self.server, "lee@nowhere.example")
        for client in (olga, lee):
            for url in ("/responses", path, path + "/versions", path + "/diff?from=1&to=1"):
                refused = client.get(url)
                self.assertEqual(refused.status, 403, url)
                self.assertNotIn("co-facilitators", refused.text)
            token = client.csrf_from(client.get("/").text)
            posted = client.post(path + "/comments",
                                 form={"_csrf": token, "anchor": "p-4", "body": "Let me in"})
            self.assertEqual(posted.status, 403)
        anonymous = self.server.client()
        for url in ("/responses", path):
            page = anonymous.get(url)
            self.assertIn(page.status, (303, 401, 403), url)
            self.assertNotIn("co-facilitators", page.text)

        # A comment, a reply (the first author is mailed), and one more voice.
        commented = self.post_form(ana, path, path + "/comments",
                                   {"anchor": "p-4", "body": "Name the IGF here? <b>bold</b>"})
        self.assertEqual(commented.status, 303, commented.text[:500])
        self.assertEqual(commented.header("location"), path + "#p-4")
        page = ana.get(path).text
        self.assertIn("Name the IGF here? &lt;b&gt;bold&lt;/b&gt;", page)
        page = ana.get(path + "/paragraphs/p-4").text
        comment_id = re.search(r'name="reply_to"><option value="" selected>[^<]*</option>'
                               r'<option value="(\d+)">', page).group(1)
        before = set(self.server.outbox_messages())
        replied = self.post_form(bo, path, path + "/comments",
                                 {"anchor": "p-4", "reply_to": comment_id, "body": "Yes, and WSIS."})
        self.assertEqual(replied.status, 303, replied.text[:500])

        def reply_notice():
            return next((m for m in self.server.outbox_messages()
                         if m not in before and b"ana@auda.example" in m), None)
        notice = wait_for(reply_notice, what="the reply notice")
        self.assertIn(b"/responses/gdc-response#p-4", notice)
        empty = self.post_form(chen, path, path + "/comments", {"anchor": "p-4", "body": "  "})
        self.assertEqual(empty.status, 422)
        unknown = self.post_form(chen, path, path + "/comments", {"anchor": "p-99", "body": "x"})
        self.assertEqual(unknown.status, 404)

        # Amendments: proposed by members, decided by the editor only.
        proposed = self.post_form(chen, path, path + "/amendments", {
            "anchor": "p-4", "reason": "Stronger.",
            "wording": "We firmly support the multistakeholder model of internet governance."})
        self.assertEqual(proposed.status, 303, proposed.text[:500])
        other = self.post_form(bo, path, path + "/amendments",
                               {"anchor": "p-7", "reason": "Scope.", "wording": "We ask for more."})
        self.assertEqual(other.status, 303)
        page = editor.get(path).text
        self.assertEqual(len(re.findall(r'/amendments/\d+/reject"', page)), 0)
        self.assertEqual(len(re.findall(r'action="/responses/gdc-response/amendments/\d+/accept"',
                                        page)), 2)
        ids = [re.search(r'action="/responses/gdc-response/amendments/(\d+)/reject"',
                         editor.get(f"{path}/paragraphs/{anchor}").text).group(1)
               for anchor in ("p-4", "p-7")]
        first, second = sorted(ids, key=int)
        token = ana.csrf_from(ana.get(path).text)
        self.assertEqual(ana.post(f"{path}/amendments/{first}/accept",
                                  form={"_csrf": token}).status, 403)
        token = editor.csrf_from(page)
        accepted = editor.post(f"{path}/amendments/{first}/accept", form={"_csrf": token})
        self.assertEqual(accepted.status, 303, accepted.text[:500])
        again = editor.post(f"{path}/amendments/{first}/accept", form={"_csrf": token})
        self.assertEqual(again.status, 409)
        rejected = editor.post(f"{path}/amendments/{second}/reject",
                               form={"_csrf": token, "note": "Out of scope."})
        self.assertEqual(rejected.status, 303)

        page = bo.get(path).text
        self.assertIn("We firmly support", page)
        self.assertNotIn("Out of scope.", page)  # Decided amendments are on the paragraph page.
        self.assertIn("Out of scope.", bo.get(path + "/paragraphs/p-7").text)
        versions = bo.get(path + "/versions")
        self.assertEqual(versions.status, 200)
        self.assertEqual(len(re.findall(r'class="response-hash">[0-9a-f]{64}<', versions.text)), 2)
        diff = bo.get(path + "/diff?from=1&to=2")
        self.assertEqual(diff.status, 200)
        main = main_of(diff.text)
        self.assertIn('<ins class="text-inserted"><span class="visually-hidden">[inserted: </span>'
                      'firmly', main)
        self.assertIn("[Changed]", text_of(main))
        self.assertEqual(bo.get(path + "/diff?from=1&to=9").status, 404)
        self.assertEqual(bo.get(path + "/diff?from=x&to=1").status, 404)

    def test_only_admins_start_responses_and_bad_input_is_refused(self):
        ana = self.sign_in(self.server, "ana@auda.example")
        self.assertEqual(ana.get("/admin/responses/new").status, 403)
        form = self.admin.get("/admin/responses/new")
        token = self.admin.csrf_from(form.text)
        for fields in ({"title": "", "markdown": "Text."},
                       {"title": "T", "markdown": "bad \x01 control"},
                       {"title": "T", "markdown": ""},
                       {"title": "T" * 301, "markdown": "Text."},
                       {"title": "T", "markdown": "Text.", "link": "javascript:alert(1)"},
                       {"title": "T", "markdown": "Text.", "editors": ["99999"]},
                       {"title": "T", "markdown": "Text.", "deadline_date": "2026-03-24",
                        "deadline_time": "17:00", "deadline_zone": "Mars/Olympus"}):
            refused = self.admin.post("/admin/responses", form=dict(fields, _csrf=token))
            self.assertEqual(refused.status, 422, fields)
            self.assertIn("There is a problem", refused.text)
        self.assertEqual(ana.get("/responses").status, 200)  # A member sees an empty list.
        self.assertIn("There is no draft response yet.", ana.get("/responses").text)
        path = self.create_draft(title="Réponse <conjointe>")
        self.assertEqual(path, "/responses/reponse-conjointe")
        page = ana.get(path).text
        self.assertIn("Réponse &lt;conjointe&gt;", page)

    def test_paragraph_page_holds_the_whole_discussion(self):
        path = self.create_draft()
        paragraph = path + "/paragraphs/p-4"
        ana = self.sign_in(self.server, "ana@auda.example")
        bo = self.sign_in(self.server, "bo@cira.example")
        editor = self.sign_in(self.server, "editor@nominet.example")

        # Visitors are sent to sign in; outsiders are refused; unknown anchors are not found.
        anonymous = self.server.client().get(paragraph)
        self.assertEqual(anonymous.status, 303)
        self.assertIn("/signin", anonymous.header("location"))
        olga = self.sign_in(self.server, "olga@centr.example")
        refused = olga.get(paragraph)
        self.assertEqual(refused.status, 403)
        self.assertNotIn("multistakeholder model of internet", refused.text)
        for anchor in ("p-99", "p-0", "x-4", "p-4x", "%3Cscript%3E", "p-" + "9" * 40):
            self.assertEqual(ana.get(f"{path}/paragraphs/{anchor}").status, 404, anchor)
        self.assertEqual(ana.get("/responses/nope/paragraphs/p-4").status, 404)

        # A comment posted from the paragraph page comes back to it, at the comment.
        page = ana.get(paragraph)
        self.assertEqual(page.status, 200)
        main = main_of(page.text)
        self.assertIn("multistakeholder model", main)
        self.assertIn(f'href="{path}#p-4"', main)
        self.assertIn('name="return_to" value="p-4"', main)
        posted = ana.post(path + "/comments", form={
            "_csrf": ana.csrf_from(page.text), "anchor": "p-4", "return_to": "p-4",
            "body": "First <i>thought</i>"})
        self.assertEqual(posted.status, 303, posted.text[:500])
        location = posted.header("location")
        self.assertRegex(location, r"^/responses/gdc-response/paragraphs/p-4#comment-\d+$")
        first_id = location.rsplit("-", 1)[1]
        page = bo.get(paragraph).text
        self.assertIn(f'id="comment-{first_id}"', page)
        self.assertIn("First &lt;i&gt;thought&lt;/i&gt;", page)
        reply = bo.post(path + "/comments", form={
            "_csrf": bo.csrf_from(page), "anchor": "p-4", "return_to": "p-4",
            "reply_to": first_id, "body": "A reply."})
        self.assertEqual(reply.status, 303)
        self.assertTrue(reply.header("location").startswith(paragraph + "#comment-"))

        # A bad comment from the paragraph page is shown there, with what was typed kept.
        page = ana.get(paragraph).text
        too_long = ana.post(path + "/comments", form={
            "_csrf": ana.csrf_from(page), "anchor": "p-4", "return_to": "p-4",
            "body": "Kept <text> " + "x" * 10_001})
        self.assertEqual(too_long.status, 422)
        self.assertIn("There is a problem", too_long.text)
        self.assertIn('name="return_to" value="p-4"', too_long.text)
        self.assertIn("Kept &lt;text&gt; xxx", too_long.text)
        nul = ana.post(path + "/comments", form={
            "_csrf": ana.csrf_from(page), "anchor": "p-4", "return_to": "p-4", "body": "a\x00b"})
        self.assertEqual(nul.status, 400)  # The form parser refuses NUL bytes.

        # return_to is an anchor or nothing: never a redirect elsewhere, and nothing is stored.
        for hostile in ("https://evil.example/", "//evil.example", "/admin", "p-4\r\nX: y",
                        "../p-4", "p-4#x", "p-4/../../x", "' OR 1=1 --", "\u00e9", "p-" + "1" * 30):
            refused = ana.post(path + "/comments", form={
                "_csrf": ana.csrf_from(page), "anchor": "p-4", "return_to": hostile,
                "body": "Should not be stored " + hostile})
            self.assertEqual(refused.status, 400, hostile)
            self.assertIsNone(refused.header("location"))
            amended = ana.post(path + "/amendments", form={
                "_csrf": ana.csrf_from(page), "anchor": "p-4", "return_to": hostile,
                "wording": "Other words.", "reason": "Hostile."})
            self.assertEqual(amended.status, 400, hostile)
        self.assertNotIn("Should not be stored", ana.get(paragraph).text)
        self.assertNotIn("Hostile.", ana.get(paragraph).text)

        # An amendment proposed there; the editor rejects it there and comes back.
        proposed = ana.post(path + "/amendments", form={
            "_csrf": ana.csrf_from(page), "anchor": "p-4", "return_to": "p-4",
            "wording": "We strongly support the multistakeholder model.", "reason": "Clearer."})
        self.assertEqual(proposed.status, 303, proposed.text[:500])
        self.assertRegex(proposed.header("location"),
                         r"^/responses/gdc-response/paragraphs/p-4#amendment-\d+$")
        page = editor.get(paragraph).text
        self.assertIn('<ins class="text-inserted">', page)
        amendment = re.search(r'action="/responses/gdc-response/amendments/(\d+)/reject"',
                              page).group(1)
        self.assertEqual(ana.post(f"{path}/amendments/{amendment}/reject", form={
            "_csrf": ana.csrf_from(page), "return_to": "p-4"}).status, 403)
        self.assertEqual(editor.post(f"{path}/amendments/{amendment}/reject", form={
            "_csrf": editor.csrf_from(page), "return_to": "//evil.example",
            "note": "No."}).status, 400)
        rejected = editor.post(f"{path}/amendments/{amendment}/reject", form={
            "_csrf": editor.csrf_from(page), "return_to": "p-4", "note": "Not now."})
        self.assertEqual(rejected.status, 303)
        self.assertEqual(rejected.header("location"), f"{paragraph}#amendment-{amendment}")
        self.assertIn("Not now.", editor.get(paragraph).text)
        self.assertNotIn("/reject", ana.get(paragraph).text)  # Decision forms: editors only.

    def test_draft_page_shows_a_bounded_preview_and_editors_an_announce_link(self):
        path = self.create_draft()
        ana = self.sign_in(self.server, "ana@auda.example")
        editor = self.sign_in(self.server, "editor@nominet.example")
        token = ana.csrf_from(ana.get(path).text)
        for number in range(1, 6):
            posted = ana.post(path + "/comments", form={
                "_csrf": token, "anchor": "p-7", "body": f"Comment number {number}."})
            self.assertEqual(posted.status, 303)
        long_body = "Word " * 200
        self.assertEqual(ana.post(path + "/comments", form={
            "_csrf": token, "anchor": "p-5", "body": long_body}).status, 303)
        main = main_of(ana.get(path).text)
        # The newest three of five, the count, and the link to the rest.
        for number in (3, 4, 5):
            self.assertIn(f"Comment number {number}.", main)
        for number in (1, 2):
            self.assertNotIn(f"Comment number {number}.", main)
        self.assertIn("5 comments", main)
        self.assertIn('href="/responses/gdc-response/paragraphs/p-7"', main)
        self.assertIn("1 comment", main)
        self.assertIn("0 open amendments", main)
        self.assertNotIn(long_body.strip(), main)  # Shortened on the draft page …
        self.assertIn("Word Word", main)
        self.assertIn(long_body.strip(), ana.get(path + "/paragraphs/p-5").text)  # … whole here.
        thread = ana.get(path + "/paragraphs/p-7").text
        for number in range(1, 6):
            self.assertIn(f"Comment number {number}.", thread)
        # Every anchor keeps its id on the draft page.
        for anchor in ("s-1", "p-2", "s-3", "p-4", "p-5", "s-6", "p-7"):
            self.assertIn(f'id="{anchor}"', main)

        # "Announce on a list" for editors (and admins), not for members.
        self.assertNotIn(path + "/announce", ana.get(path).text)
        self.assertIn(f'href="{path}/announce"', editor.get(path).text)
        self.assertIn("Announce on a list", editor.get(path).text)

        # An accept button in the preview comes back to its paragraph on the draft page.
        proposed = ana.post(path + "/amendments", form={
            "_csrf": token, "anchor": "p-7", "wording": "We ask for more.", "reason": "Scope."})
        self.assertEqual(proposed.status, 303)
        page = editor.get(path).text
        self.assertIn("1 open amendment", main_of(page))
        action = re.search(r'action="(/responses/gdc-response/amendments/\d+/accept)"', page)
        accepted = editor.post(action.group(1), form={"_csrf": editor.csrf_from(page),
                                                      "anchor": "p-7"})
        self.assertEqual(accepted.status, 303, accepted.text[:300])
        self.assertEqual(accepted.header("location"), path + "#p-7")
        self.assertIn("We ask for more.", ana.get(path).text)


class ResponseEndorsement(ResponseTestBase):
    """The endorsement half: an editor freezes the draft; representatives of three member
    organisations endorse, object, abstain and withdraw; outsiders and answers for another
    organisation are refused (403, audited); a new frozen version asks earlier answers again; after
    the deadline the editor publishes, and the public page and exports show the endorsers only."""

    def panel(self, client, path):
        page = client.get(path)
        self.assertEqual(page.status, 200, page.text[:300])
        organisation = re.search(r'name="organisation" value="(\d+)"', page.text)
        digest = re.search(r'name="version_hash" value="([0-9a-f]{64})"', page.text)
        return page.text, (organisation.group(1) if organisation else None), \
            (digest.group(1) if digest else None)

    def answer(self, client, path, answer, reason="", organisation=None, digest=None):
        page, own, shown = self.panel(client, path)
        return client.post(path + "/answer", form={
            "_csrf": client.csrf_from(page), "organisation": organisation or own,
            "version_hash": digest or shown, "answer": answer, "reason": reason})


    def test_freeze_answer_refreeze_publish(self):
        path = self.create_draft()
        ana = self.sign_in(self.server, "ana@auda.example")
        bo = self.sign_in(self.server, "bo@cira.example")
        chen = self.sign_in(self.server, "chen@internetnz.example")
        editor = self.sign_in(self.server, "editor@nominet.example")
        # An amendment proposed while drafting, accepted during the window below.
        proposed = self.post_form(chen, path, path + "/amendments", {
            "anchor": "p-4", "reason": "Stronger.",
            "wording": "We firmly support the multistakeholder model of internet governance."})
        self.assertEqual(proposed.status, 303)

        # Freezing: editors only, with a valid future deadline.
        overview = path + "/endorsement"
        self.assertEqual(ana.get(overview).status, 403)
        refused = self.post_form(ana, path, path + "/freeze", {
            "deadline_date": "2099-01-01", "deadline_time": "17:00",
            "deadline_zone": "UTC", "based_on": "1"})
        self.assertEqual(refused.status, 403)
        tomorrow = (datetime.datetime.now(datetime.timezone.utc)
                    + datetime.timedelta(days=2)).strftime("%Y-%m-%d")
        for date, time, zone in ((tomorrow, "17:00", "Mars/Olympus"),
                                 ("2020-01-01", "17:00", "UTC"), (tomorrow, "99:00", "UTC")):
            bad = self.post_form(editor, overview, path + "/freeze", {
                "deadline_date": date, "deadline_time": time, "deadline_zone": zone,
                "based_on": "1"})
            self.assertEqual(bad.status, 422, (date, time, zone))
            self.assertIn("There is a problem", bad.text)
        frozen = self.post_form(editor, overview, path + "/freeze", {
            "deadline_date": tomorrow, "deadline_time": "17:00",
            "deadline_zone": "Europe/Zurich", "based_on": "1"})
        self.assertEqual(frozen.status, 303, frozen.text[:500])

        # Three organisations answer; double submissions are harmless; a withdrawal.
        page, organisation_auda, first_hash = self.panel(ana, path)
        self.assertIn("Open for endorsement until", page)
        self.assertIn("<fieldset>", page)
        self.assertEqual(len(re.findall(r'type="radio" id="answer-\w+" name="answer"', page)), 3)
        self.assertIn(first_hash, page)
        for _ in range(2):
            endorsed = self.answer(ana, path, "endorse")
            self.assertEqual(endorsed.status, 303, endorsed.text[:500])
            self.assertEqual(endorsed.header("location"), path + "#endorsement")
        self.assertEqual(self.answer(bo, path, "object", "Secret objection").status, 303)
        self.assertEqual(self.answer(chen, path, "abstain").status, 303)
        page, organisation_inz, _ = self.panel(chen, path)
        self.assertIn("[Abstain]", page)
        withdrawn = chen.post(path + "/withdraw", form={
            "_csrf": chen.csrf_from(page), "organisation": organisation_inz})
        self.assertEqual(withdrawn.status, 303)
        self.assertNotIn("[Abstain]", chen.get(path).text)

        # Refusals: another organisation's answer, a candidate's representative, no organisation,
        # a stale form.
        self.assertEqual(self.answer(bo, path, "endorse", organisation=organisation_auda).status,
                         403)
        olga = self.sign_in(self.server, "olga@centr.example")
        lee = self.sign_in(self.server, "lee@nowhere.example")
        for client in (olga, lee):
            token = client.csrf_from(client.get("/").text)
            refused = client.post(path + "/answer", form={
                "_csrf": token, "organisation": organisation_auda, "version_hash": first_hash,
                "answer": "endorse"})
            self.assertEqual(refused.status, 403)
        self.assertIn("response.refused", self.admin.get("/admin/audit").text)
        stale = self.answer(ana, path, "endorse", digest="0" * 64)
        self.assertEqual(stale.status, 409)
        self.assertEqual(self.answer(ana, path, "maybe").status, 422)

        # The overview: who answered what, reasons for the editors only.
        page = editor.get(overview).text
        self.assertIn("Secret objection", page)
        self.assertIn("No answer yet", page)
        self.assertNotIn("Secret objection", ana.get(path).text)

        # The text changes during the window: a new version, frozen again; earlier answers are
        # asked to answer again.
        page = editor.get(path).text
        amendment = re.search(r'action="/responses/gdc-response/amendments/(\d+)/accept"', page)
        accepted = editor.post(f"{path}/amendments/{amendment.group(1)}/accept",
                               form={"_csrf": editor.csrf_from(page)})
        self.assertEqual(accepted.status, 303, accepted.text[:300])
        before = set(self.server.outbox_messages())
        refrozen = self.post_form(editor, overview, path + "/freeze", {
            "deadline_date": tomorrow, "deadline_time": "17:00",
            "deadline_zone": "Europe/Zurich", "based_on": "2"})
        self.assertEqual(refrozen.status, 303, refrozen.text[:500])

        def asked():
            fresh = [m for m in self.server.outbox_messages() if m not in before]
            return fresh if len(fresh) >= 2 else None
        mails = wait_for(asked, what="the requests to answer again")
        self.assertTrue(any(b"ana@auda.example" in m for m in mails))
        self.assertTrue(any(b"bo@cira.example" in m for m in mails))
        page, _, second_hash = self.panel(ana, path)
        self.assertNotEqual(first_hash, second_hash)
        self.assertIn("endorsed an earlier version", page)
        self.assertEqual(self.answer(ana, path, "endorse", digest=first_hash).status, 409)
        self.assertEqual(self.answer(ana, path, "endorse").status, 303)
        self.assertEqual(self.post_form(editor, overview, path + "/publish", {}).status, 409)

        # The deadline passes; answers stop; the editor publishes.
        self.set_deadline_past()
        page = chen.get(path).text
        self.assertIn("The endorsement period ended on", page)
        self.assertEqual(self.answer(chen, path, "endorse", organisation=organisation_inz,
                                     digest=second_hash).status, 409)
        anonymous = self.server.client()
        self.assertEqual(anonymous.get(path).status, 303)  # Still a draft: sign in first.
        self.assertEqual(anonymous.get(path + ".md").status, 404)
        self.assertEqual(ana.post(path + "/publish",
                                  form={"_csrf": ana.csrf_from(ana.get(path).text)}).status, 403)
        published = self.post_form(editor, overview, path + "/publish", {})
        self.assertEqual(published.status, 303, published.text[:500])
        self.assertEqual(published.header("location"), path)

        public = anonymous.get(path)
        self.assertEqual(public.status, 200)
        main = main_of(public.text)
        self.assertIn("We firmly support", main)
        self.assertIn(".au Domain Administration", main)  # auDA's name in the demo data.
        self.assertIn(second_hash, main)
        for hidden in ("CIRA", "Canadian Internet", "Secret objection", "Abstain", "Object"):
            self.assertNotIn(hidden, main)
        self.assertIn("/api/v1/log/entries?start=", main)
        self.assertNotIn("<script>alert", public.text)
        markdown = anonymous.get(path + ".md")
        self.assertEqual(markdown.status, 200)
        self.assertIn("text/markdown", markdown.header("content-type"))
        self.assertIn("## Endorsing organisations", markdown.text)
        self.assertIn("- \\.au Domain Administration (Australia, Technical community)",
                      markdown.text)
        text = anonymous.get(path + ".txt")
        self.assertEqual(text.status, 200)
        self.assertIn("- .au Domain Administration (Australia, Technical community)", text.text)
        self.assertNotIn("## ", text.text)
        plain = anonymous.get(path + "/plain.txt")
        self.assertEqual(plain.status, 200)
        self.assertIn("\n\nWe firmly support", plain.text)
        self.assertTrue(plain.text.rstrip().endswith("Endorsed by: .au Domain Administration."), plain.text[-200:])
        # The print-ready PDF (headless Chromium through publications::render_pdf).
        pdf = anonymous.get(path + ".pdf")
        self.assertEqual(pdf.status, 200, pdf.body[:300])
        self.assertEqual(pdf.header("content-type"), "application/pdf")
        self.assertIn("attachment", pdf.header("content-disposition"))
        self.assertTrue(pdf.body.startswith(b"%PDF-"))
        self.assertEqual(anonymous.get("/responses/no-such-response.pdf").status, 404)
        # The publications index and its feed list the published response.
        index = anonymous.get("/publications")
        self.assertEqual(index.status, 200)
        self.assertIn(f'href="{path}"', index.text)
        self.assertIn(path, anonymous.get("/publications/feed.atom").text)
        entries = anonymous.get("/api/v1/log/entries?start=0&end=50").text
        self.assertIn("response.endorsed", entries)
        self.assertIn("gdc-response", entries)
        self.assertEqual(self.answer(ana, path, "object", organisation=organisation_auda,
                                     digest=second_hash).status, 409)


    def test_editors_choose_the_endorsers_order(self):
        path = self.create_draft()
        editor = self.sign_in(self.server, "editor@nominet.example")
        ana = self.sign_in(self.server, "ana@auda.example")
        chen = self.sign_in(self.server, "chen@internetnz.example")
        overview = path + "/endorsement"
        tomorrow = (datetime.datetime.now(datetime.timezone.utc)
                    + datetime.timedelta(days=2)).strftime("%Y-%m-%d")
        frozen = self.post_form(editor, overview, path + "/freeze", {
            "deadline_date": tomorrow, "deadline_time": "17:00", "deadline_zone": "UTC",
            "based_on": "1"})
        self.assertEqual(frozen.status, 303, frozen.text[:500])
        for client in (editor, ana, chen):
            self.assertEqual(self.answer(client, path, "endorse").status, 303)
        self.set_deadline_past()
        self.assertEqual(self.post_form(editor, overview, path + "/publish", {}).status, 303)
        anonymous = self.server.client()

        def endorsers():
            text = anonymous.get(path + ".txt").text
            return re.findall(r"^- (.+?) \(", text, re.M)

        alphabetical = endorsers()
        self.assertEqual(len(alphabetical), 3, alphabetical)
        self.assertEqual(alphabetical, sorted(alphabetical, key=str.casefold))
        self.assertIn("Listed alphabetically.", anonymous.get(path).text)

        page = editor.get(overview)
        self.assertEqual(page.status, 200)
        places = re.findall(r'name="position-(\d+)" value="(\d+)"', page.text)
        self.assertEqual([place for _, place in places], ["1", "2", "3"])
        ids = [identifier for identifier, _ in places]
        reversed_order = {f"position-{identifier}": str(3 - index)
                          for index, identifier in enumerate(ids)}
        # Representatives who are not editors may not reorder; nor may anyone before a place is
        # a whole number within the list.
        self.assertEqual(ana.post(path + "/endorser-order", form=dict(
            reversed_order, _csrf=ana.csrf_from(ana.get(path).text), order="chosen")).status, 403)
        for wrong in ("0", "4", "first", ""):
            bad = self.post_form(editor, overview, path + "/endorser-order",
                                 dict(reversed_order, order="chosen", **{f"position-{ids[0]}": wrong}))
            self.assertEqual(bad.status, 422, wrong)
            self.assertIn("a whole number from 1 to the number of endorsers", bad.text)
            # The form comes back with what was typed, marked invalid, to be corrected.
            self.assertIn(f'name="position-{ids[0]}" value="{html.escape(wrong)}"', bad.text)
            self.assertIn('aria-invalid="true"', bad.text)
        self.assertEqual(endorsers(), alphabetical)

        saved = self.post_form(editor, overview, path + "/endorser-order",
                               dict(reversed_order, order="chosen"))
        self.assertEqual(saved.status, 303, saved.text[:500])
        self.assertEqual(endorsers(), list(reversed(alphabetical)))
        public = anonymous.get(path).text
        self.assertIn("Listed in the order the editors chose.", public)
        names = [re.sub(r"<[^>]+>", "", cell) for cell in
                 re.findall(r'<tr><th scope="row"><a href="[^"]*">(.*?)</a></th>', public)]
        self.assertEqual([html.unescape(name) for name in names], list(reversed(alphabetical)))
        plain = anonymous.get(path + "/plain.txt").text
        self.assertIn("Endorsed by: " + "; ".join(reversed(alphabetical)) + ".", plain)
        self.assertIn("response.order_endorsers", self.admin.get("/admin/audit").text)

        back = self.post_form(editor, overview, path + "/endorser-order", {"order": "alphabetical"})
        self.assertEqual(back.status, 303)
        self.assertEqual(endorsers(), alphabetical)


if __name__ == "__main__":
    import unittest
    unittest.main()
