"""Negotiated texts against the real binary: the demo's document with two revisions, the revision
page's stable paragraph anchors, the paragraph-aligned comparison (every row labelled in words,
insertions and deletions marked in text), its Markdown and self-contained HTML downloads, and the
moderators' forms: a document, then revisions pasted and uploaded as multipart/form-data (CSRF
checked by the handler; invalid UTF-8, NUL and hostile HTML handled)."""
import re
import uuid
import xml.etree.ElementTree as ElementTree

from harness import ServerTest

ATOM = "{http://www.w3.org/2005/Atom}"
DEMO = "/processes/wsis20/documents/demo-outcome"


def main_of(html):
    match = re.search(r"<main\b.*?</main>", html, re.S)
    return match.group(0) if match else ""


def text_of(html):
    return re.sub(r"<[^>]+>", "", html)


def multipart(fields, files):
    """A multipart/form-data body: `fields` {name: str}, `files` {name: (filename, bytes)}."""
    boundary = "----coalition" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n')
                     .encode() + value.encode() + b"\r\n")
    for name, (filename, data) in files.items():
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                      f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n').encode()
                     + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class DocumentPages(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.client = self.server.client()

    def test_process_page_lists_the_demo_document(self):
        main = main_of(self.client.get("/processes/wsis20").text)
        self.assertIn('id="documents"', main)
        self.assertIn(f'href="{DEMO}"', main)
        self.assertIn(f'href="{DEMO}/compare?from=1&amp;to=2"', main)
        document = main_of(self.client.get(DEMO).text)
        self.assertIn("Zero draft", document)
        self.assertIn("Rev.1", document)
        self.assertEqual(self.client.get("/processes/wsis20/documents/nope").status, 404)

    def test_revision_page_has_stable_paragraph_anchors(self):
        page = self.client.get(DEMO + "/revisions/1")
        self.assertEqual(page.status, 200)
        main = main_of(page.text)
        for anchor in ("p-u1", "p-pp1", "p-pp2", "p-1", "p-2", "p-5"):
            self.assertIn(f'id="{anchor}"', main)
            self.assertIn(f'href="#{anchor}"', main)
        self.assertEqual(self.client.get(DEMO + "/revisions/9").status, 404)
        self.assertEqual(self.client.get(DEMO + "/revisions/x").status, 404)

    def test_compare_page_labels_every_kind_of_change(self):
        page = self.client.get(DEMO + "/compare")  # Default: the previous revision.
        self.assertEqual(page.status, 200)
        main = main_of(page.text)
        self.assertIn("[Removed]", text_of(main))  # Old 2.
        self.assertIn("[Moved] 2 (was 5)", text_of(main))
        self.assertIn("[Changed] 3", text_of(main))
        self.assertIn("[Changed] 4", text_of(main))
        self.assertIn("[Added] 5", text_of(main))
        self.assertIn("[Unchanged] 1", text_of(main))
        self.assertIn('<span class="visually-hidden">[inserted: </span>', main)
        self.assertIn('<span class="visually-hidden">[deleted: </span>', main)
        self.assertRegex(main, r'<del class="text-deleted"><span class="visually-hidden">'
                               r'\[deleted: </span>five<')
        self.assertIn('id="p-5"', main)
        self.assertIn('id="was-p-2"', main)
        explicit = self.client.get(DEMO + "/compare?from=1&to=2")
        self.assertEqual(main_of(explicit.text), main)
        self.assertEqual(self.client.get(DEMO + "/compare?from=1&to=7").status, 404)
        self.assertEqual(self.client.get(DEMO + "/compare?from=-1&to=2").status, 404)

    def test_exports_markdown_and_self_contained_html(self):
        markdown = self.client.get(DEMO + "/compare?from=1&to=2&format=md")
        self.assertEqual(markdown.status, 200)
        self.assertTrue(markdown.header("content-type").startswith("text/markdown"))
        self.assertIn("attachment", markdown.header("content-disposition"))
        self.assertIn("wsis20-demo-outcome-1-2.md", markdown.header("content-disposition"))
        text = markdown.text
        self.assertIn("**\\[Added\\] 5**", text)
        self.assertIn("~~five~~**ten**", text)
        html = self.client.get(DEMO + "/compare?from=1&to=2&format=html")
        self.assertEqual(html.status, 200)
        self.assertTrue(html.header("content-type").startswith("text/html"))
        self.assertIn("attachment", html.header("content-disposition"))
        body = html.text
        self.assertTrue(body.startswith("<!DOCTYPE html>"))
        self.assertIn("<style>", body)
        self.assertIn(".visually-hidden", body)
        self.assertNotIn("<link", body)
        self.assertNotIn("<script", body)
        self.assertIn("[Moved] 2 (was 5)", body)

    def test_new_revision_is_in_the_atom_feed(self):
        feed = ElementTree.fromstring(self.client.get("/processes/feed.atom").body)
        titles = [e.find(ATOM + "title").text for e in feed.findall(ATOM + "entry")]
        self.assertTrue(any("New revision" in t and "Rev.1" in t for t in titles), titles)


class DocumentAdmin(ServerTest):
    def test_moderator_adds_a_document_and_revisions(self):
        server = self.start_server()
        anonymous = server.client()
        self.assertIn(anonymous.get("/admin/processes/igf/documents/new").status,
                      (303, 401, 403))
        admin = self.sign_in(server, "admin@coalition.example")

        bad = admin.submit("/admin/processes/igf/documents/new", "/admin/processes/igf/documents",
                           {"title": "", "kind": "treaty", "url": "javascript:alert(1)"})
        self.assertEqual(bad.status, 422)
        for field in ("title", "kind", "url"):
            self.assertIn(f'id="field-{field}-error"', bad.text)

        created = admin.submit("/admin/processes/igf/documents/new",
                               "/admin/processes/igf/documents",
                               {"title": "Mandate <b>draft</b>", "kind": "draft",
                                "slug": "mandate"})
        self.assertEqual(created.status, 303, created.text[:300])
        self.assertEqual(created.header("location"), "/processes/igf/documents/mandate")
        self.assertIn("Mandate &lt;b&gt;draft&lt;/b&gt;", admin.get("/processes/igf").text)

        form = "/admin/processes/igf/documents/mandate/revisions/new"
        action = "/admin/processes/igf/documents/mandate/revisions"
        page = admin.get(form)
        self.assertIn('enctype="multipart/form-data"', page.text)
        token = admin.csrf_from(page.text)

        # Pasted, urlencoded.
        pasted = admin.post(action, form={
            "_csrf": token, "label": "Zero draft", "issued_on": "2025-10-01", "format": "text",
            "text": "1. The Forum <script>alert(1)</script> meets yearly.\n\n"
                    "2. Its mandate is renewed."})
        self.assertEqual(pasted.status, 303, pasted.text[:300])
        self.assertEqual(pasted.header("location"),
                         "/processes/igf/documents/mandate/revisions/1")

        # Uploaded as a file, multipart, with CRLF line breaks.
        upload = ("1. The Forum <script>alert(1)</script> meets every year.\r\n\r\n"
                  "2. Its mandate is made permanent.\r\n").encode()
        body, content_type = multipart(
            {"_csrf": token, "label": "Rev.1", "issued_on": "2025-11-01", "format": "text",
             "text": ""}, {"file": ("rev1.txt", upload)})
        uploaded = admin.post(action, body=body, headers={"Content-Type": content_type})
        self.assertEqual(uploaded.status, 303, uploaded.text[:300])
        self.assertEqual(uploaded.header("location"),
                         "/processes/igf/documents/mandate/compare?from=1&to=2")

        comparison = main_of(admin.get(uploaded.header("location")).text)
        self.assertNotIn("<script>alert(1)</script>", comparison)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", comparison)
        self.assertIn("[Changed] 1", text_of(comparison))
        self.assertIn('[inserted: </span>every year', comparison)
        self.assertIn('[deleted: </span>yearly', comparison)

        # Bad uploads: invalid UTF-8, a NUL byte, no text at all.
        for data in (b"1. caf\xe9\n", b"1. nul\x00byte\n"):
            body, content_type = multipart(
                {"_csrf": token, "label": "Rev.2", "issued_on": "2025-12-01"},
                {"file": ("bad.txt", data)})
            refused = admin.post(action, body=body, headers={"Content-Type": content_type})
            self.assertEqual(refused.status, 422, refused.text[:300])
            self.assertIn('id="field-text-error"', refused.text)
        empty = admin.post(action, form={"_csrf": token, "label": "Rev.2",
                                         "issued_on": "2025-13-01", "text": " "})
        self.assertEqual(empty.status, 422)
        self.assertIn('id="field-issued_on-error"', empty.text)
        self.assertIn('id="field-text-error"', empty.text)

        # Without the CSRF token, in either encoding, nothing is stored.
        body, content_type = multipart({"label": "Forged", "issued_on": "2025-12-01"},
                                       {"file": ("f.txt", b"1. Forged.")})
        self.assertEqual(admin.post(action, body=body,
                                    headers={"Content-Type": content_type}).status, 403)
        self.assertEqual(admin.post(action, form={"label": "Forged", "issued_on": "2025-12-01",
                                                  "text": "x", "_csrf": "wrong"}).status, 403)
        document = main_of(admin.get("/processes/igf/documents/mandate").text)
        self.assertNotIn("Forged", document)
        self.assertNotIn("Rev.2", document)
        self.assertIn("document.revision", admin.get("/admin/audit").text)


if __name__ == "__main__":
    import unittest
    unittest.main()
