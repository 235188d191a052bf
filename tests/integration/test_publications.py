"""Publications against the real binary (issue #5): an admin writes a news post and a position
paper, keeps them as drafts (invisible to visitors, the index and the feed), publishes, edits
(an "Updated" date and the revisions), unpublishes; visitors read the index with its filters, the
page, the Atom feed (parsed) and the PDF, Markdown and plain-text exports; delivered statements
are recorded and listed; non-admins get 403 or the sign-in page, forged forms 403, bad input 422
with the fields named, and hostile Markdown is never rendered as HTML."""
import re
import xml.etree.ElementTree as ET

from harness import ServerTest

ATOM = "{http://www.w3.org/2005/Atom}"

PAPER = """# Summary

We support the **multistakeholder** model.

<script>alert('paper')</script>

[click](javascript:alert(1))

نحن ندعم نموذج أصحاب المصلحة المتعددين.

我们支持多利益相关方互联网治理模式。
"""


def main_of(html):
    match = re.search(r"<main\b.*?</main>", html, re.S)
    return match.group(0) if match else html


class PublicationPages(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.admin = self.sign_in(self.server, "admin@coalition.example")
        self.visitor = self.server.client()

    def create(self, title, kind="news", markdown="Some *news*.", process="", slug="",
               summary="A summary.", expect=303):
        response = self.admin.submit("/admin/publications/new", "/admin/publications", {
            "kind": kind, "title": title, "slug": slug, "language": "en", "process": process,
            "summary": summary, "markdown": markdown})
        self.assertEqual(response.status, expect, response.text[:800])
        return response

    def action(self, path):
        page = self.admin.get("/admin/publications")
        self.assertEqual(page.status, 200)
        return self.admin.post(path, form={"_csrf": self.admin.csrf_from(page.text)})

    def feed_titles(self):
        feed = self.visitor.get("/publications/feed.atom")
        self.assertEqual(feed.status, 200)
        self.assertTrue(feed.header("content-type").startswith("application/atom+xml"))
        root = ET.fromstring(feed.body)
        self.assertEqual(root.tag, ATOM + "feed")
        for required in ("id", "title", "updated"):
            self.assertIsNotNone(root.find(ATOM + required), required)
        return [entry.find(ATOM + "title").text for entry in root.findall(ATOM + "entry")]

    def test_draft_publish_edit_unpublish(self):
        created = self.create("Coalition news one", slug="news-one")
        self.assertEqual(created.header("location"), "/admin/publications/news-one/edit")
        # A draft: visitors, the index and the feed know nothing of it.
        self.assertEqual(self.visitor.get("/publications/news-one").status, 404)
        self.assertEqual(self.visitor.get("/publications/news-one.pdf").status, 404)
        self.assertNotIn("Coalition news one", self.visitor.get("/publications").text)
        self.assertNotIn("Coalition news one", self.feed_titles())
        self.assertIn("Draft", self.admin.get("/admin/publications").text)

        published = self.action("/admin/publications/news-one/publish")
        self.assertEqual(published.status, 303)
        page = self.visitor.get("/publications/news-one")
        self.assertEqual(page.status, 200)
        self.assertIn("Coalition news one", page.text)
        self.assertIn("<em>news</em>", page.text)
        self.assertNotIn("Updated", main_of(page.text))
        self.assertIn("Coalition news one", self.visitor.get("/publications").text)
        self.assertIn("Coalition news one", self.feed_titles())
        # Publishing twice lands on the page again.
        self.assertEqual(self.action("/admin/publications/news-one/publish").status, 303)

        edited = self.admin.submit("/admin/publications/news-one/edit",
                                   "/admin/publications/news-one", {
                                       "kind": "news", "title": "Coalition news one",
                                       "slug": "", "language": "en", "process": "",
                                       "summary": "A summary.", "markdown": "Revised *news*."})
        self.assertEqual(edited.status, 303, edited.text[:500])
        page = self.visitor.get("/publications/news-one")
        self.assertIn("Revised", page.text)
        self.assertIn("Updated", main_of(page.text))
        form = self.admin.get("/admin/publications/news-one/edit")
        self.assertIn("Revision 2", form.text)
        self.assertIn("Revision 1", form.text)

        self.assertEqual(self.action("/admin/publications/news-one/unpublish").status, 303)
        self.assertEqual(self.visitor.get("/publications/news-one").status, 404)
        self.assertNotIn("Coalition news one", self.feed_titles())

    def test_index_merges_filters_and_pages(self):
        self.create("Paper on the compact", kind="position-paper", process="gdc", slug="paper",
                    markdown=PAPER)
        self.create("Plain news", slug="plain")
        for slug in ("paper", "plain"):
            self.assertEqual(self.action(f"/admin/publications/{slug}/publish").status, 303)
        index = self.visitor.get("/publications")
        self.assertEqual(index.status, 200)
        self.assertIn("Paper on the compact", index.text)
        self.assertIn("Plain news", index.text)
        papers = self.visitor.get("/publications?kind=position-paper").text
        self.assertIn("Paper on the compact", papers)
        self.assertNotIn("Plain news", papers)
        gdc = self.visitor.get("/publications?process=gdc")
        self.assertEqual(gdc.status, 200)
        self.assertIn("Paper on the compact", gdc.text)
        self.assertNotIn("Plain news", gdc.text)
        self.assertEqual(self.visitor.get("/publications?process=no-such-process").status, 404)
        # Hostile query strings are harmless.
        odd = self.visitor.get("/publications?kind=%3Cscript%3E&page=-5")
        self.assertEqual(odd.status, 200)
        self.assertNotIn("<script>", odd.text)
        self.assertEqual(self.visitor.get("/publications?page=99").status, 200)

        # The Statement of Purpose joins the index once it is published.
        statement = self.cli("statement", "publish", "--file", "-", "--lang", "en", input_text=(
            "# Statement of Purpose\n\nWe defend the multistakeholder model.\n"))
        self.assertEqual(statement.returncode, 0, statement.stderr)
        self.assert_soon(lambda: self.assertIn('href="/statement"',
                                               self.visitor.get("/publications").text))
        self.assertIn("Statement of Purpose", self.feed_titles())

        page = self.visitor.get("/publications/paper")
        self.assertEqual(page.status, 200)
        self.assertNotIn("<script>alert", page.text)
        self.assertNotIn("javascript:", page.text)
        self.assertIn("نحن ندعم", page.text)
        self.assertIn("我们支持", page.text)

    def test_exports(self):
        self.create("Paper to download", kind="position-paper", slug="download", markdown=PAPER)
        self.assertEqual(self.action("/admin/publications/download/publish").status, 303)
        markdown = self.visitor.get("/publications/download.md")
        self.assertEqual(markdown.status, 200)
        self.assertEqual(markdown.header("content-type"), "text/markdown; charset=utf-8")
        self.assertEqual(markdown.header("content-disposition"),
                         'attachment; filename="download.md"; filename*=UTF-8\'\'download.md')
        self.assertTrue(markdown.text.startswith("# Paper to download\n"))
        text = self.visitor.get("/publications/download.txt")
        self.assertEqual(text.status, 200)
        self.assertEqual(text.header("content-type"), "text/plain; charset=utf-8")
        self.assertEqual(text.header("content-disposition"),
                         'attachment; filename="download.txt"; filename*=UTF-8\'\'download.txt')
        self.assertIn("We support the multistakeholder model.", text.text)
        self.assertNotIn("**", text.text)
        pdf = self.visitor.get("/publications/download.pdf")
        self.assertEqual(pdf.status, 200, pdf.body[:300])
        self.assertEqual(pdf.header("content-type"), "application/pdf")
        self.assertEqual(pdf.header("content-disposition"),
                         'attachment; filename="download.pdf"; filename*=UTF-8\'\'download.pdf')
        self.assertTrue(pdf.body.startswith(b"%PDF-"))
        # The font dictionaries are not compressed: the CJK and Arabic faces are embedded.
        self.assertTrue(b"NotoSansCJK" in pdf.body, "Noto Sans CJK embedded")
        self.assertTrue(b"Arabic" in pdf.body, "an Arabic Noto face embedded")
        self.assertEqual(self.visitor.get("/publications/nothing.pdf").status, 404)

    def test_bad_input_is_refused_with_the_fields_named(self):
        response = self.create("Bad\x01title", kind="blog", slug="Not A Slug", markdown="",
                               expect=422)
        for field in ("field-title", "field-kind", "field-slug", "field-markdown"):
            self.assertIn(f'href="#{field}"', response.text, field)
        self.assertIn('value="Not A Slug"', response.text)  # What was typed is kept.
        self.create("x" * 301, expect=422)
        self.create("Unknown process", process="no-such-process", expect=422)
        self.create("Taken", slug="taken")
        self.assertEqual(self.create("Taken again", slug="taken", expect=409).status, 409)
        self.create("Reserved", slug="delivered", expect=422)
        self.assertNotIn("Bad", self.admin.get("/admin/publications").text)

    def test_only_admins_and_only_with_the_form_token(self):
        self.assertEqual(self.visitor.get("/admin/publications").status, 303)
        added = self.cli("user", "add", "--email", "member@cira.example", "--role", "member",
                         "--org", "cira", "--name", "Member")
        self.assertEqual(added.returncode, 0, added.stderr)
        member = self.sign_in(self.server, "member@cira.example")
        self.assertEqual(member.get("/admin/publications").status, 403)
        self.assertEqual(member.get("/admin/publications/new").status, 403)
        home = member.get("/publications")
        forged = member.post("/admin/publications", form={
            "_csrf": member.csrf_from(home.text) if "_csrf" in home.text else "x",
            "kind": "news", "title": "By a member", "language": "en", "markdown": "x"})
        self.assertEqual(forged.status, 403)
        # An admin's form without its token is refused too.
        without_token = self.admin.post("/admin/publications", form={
            "kind": "news", "title": "No token", "language": "en", "markdown": "x"})
        self.assertEqual(without_token.status, 403)
        wrong_token = self.admin.post("/admin/publications", form={
            "_csrf": "forged", "kind": "news", "title": "Wrong token", "language": "en",
            "markdown": "x"})
        self.assertEqual(wrong_token.status, 403)
        listing = self.admin.get("/admin/publications").text
        for title in ("By a member", "No token", "Wrong token"):
            self.assertNotIn(title, listing)

    def test_delivered_statements(self):
        self.create("Statement to deliver", kind="position-paper", slug="deliver")
        self.assertEqual(self.action("/admin/publications/deliver/publish").status, 303)
        bad = self.admin.submit("/admin/publications/delivered/new", "/admin/publications/delivered",
                                {"publication": "deliver", "speaker": "", "date": "2026-02-30",
                                 "link": "javascript:alert(1)"})
        self.assertEqual(bad.status, 422)
        for field in ("field-speaker", "field-date", "field-link", "field-meeting"):
            self.assertIn(f'href="#{field}"', bad.text, field)
        recorded = self.admin.submit(
            "/admin/publications/delivered/new", "/admin/publications/delivered",
            {"publication": "deliver", "speaker": "Riley Ngata", "organisation": "internetnz",
             "milestone": "", "meeting": "IGF 2026 main session", "date": "2026-06-23",
             "link": "https://example.org/recording"})
        self.assertEqual(recorded.status, 303, recorded.text[:500])
        listing = self.visitor.get("/publications/delivered")
        self.assertEqual(listing.status, 200)
        self.assertIn("Riley Ngata", listing.text)
        self.assertIn("IGF 2026 main session", listing.text)
        self.assertIn("https://example.org/recording", listing.text)
        page = self.visitor.get("/publications/deliver")
        self.assertIn("Riley Ngata", page.text)
        self.assertIn("InternetNZ", page.text)
        self.assertEqual(self.visitor.get("/admin/publications/delivered/new").status, 303)


if __name__ == "__main__":
    import unittest
    unittest.main()
