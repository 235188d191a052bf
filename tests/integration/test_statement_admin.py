"""The Statement of Purpose from the operator's and the administrator's side, against the real binary:
`coalition statement publish|translate|show`, the admin editor (save draft, preview, publish), the
version pages with translations, hostile Markdown rendered harmless, and the audit log."""
import hashlib
import json
import os
import re
import unicodedata
import urllib.parse

from harness import ServerTest

HASH = re.compile(r"\b[0-9a-f]{64}\b")


def main_of(html):
    """The page's <main> element: what the handler rendered, without the layout around it."""
    match = re.search(r"<main\b.*?</main>", html, re.S)
    return match.group(0) if match else ""


def canonical(text):
    """What statement::canonical_text does, for inputs without control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    return "\n".join(lines).rstrip("\n") + "\n"


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


HOSTILE = ("# Hostile <em>test</em>\n\n<script>alert('x')</script>\n\n"
           "[click me](javascript:alert(1)) and [also](JAVASCRIPT:alert(2))\n\n"
           "<img src=x onerror=alert(3)>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n"
           "A [real link](https://www.intgovforum.org/).\n")


def rendered_only(html):
    """`html` without the Markdown sources shown as text (<pre>, <textarea>), which are escaped."""
    return re.sub(r"<(pre|textarea)\b.*?</\1>", "", html, flags=re.S)


def assert_harmless(test, html):
    lowered = rendered_only(html).lower()
    for bad in ("<script", "<img", "<iframe", "onerror", "href=\"javascript", "javascript:alert"):
        test.assertNotIn(bad, lowered)


class StatementCli(ServerTest):
    def write(self, name, data):
        path = os.path.join(self.directory, name)
        with open(path, "wb") as out:
            out.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    def show(self):
        result = self.cli("statement", "show", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_publish_translate_show(self):
        before = len(self.show()["versions"])
        # CRLF, trailing spaces, decomposed "é" and blank lines at the end: all canonicalised.
        source = "# Déclaration de test  \r\n\r\nWe defend the Cafe\u0301 model.\t\r\n\r\n\r\n"
        path = self.write("statement.md", source)
        result = self.cli("statement", "publish", "--file", path, "--lang", "en")
        self.assertEqual(result.returncode, 0, result.stderr)
        printed = HASH.findall(result.stdout)
        self.assertEqual(printed, [sha256(canonical(source))])
        version_hash = printed[0]
        self.assertIn(f"version {before + 1}", result.stdout)
        self.assertIn("Déclaration de test", result.stdout)  # The first heading is the title.

        again = self.cli("statement", "publish", "--file", self.write("same.md", canonical(source)))
        self.assertEqual(again.returncode, 1)
        self.assertIn("already", again.stderr)

        french = self.write("fr.md", "# Déclaration\n\nNous défendons le modèle.\n")
        result = self.cli("statement", "translate", "--version", version_hash, "--lang", "fr",
                          "--file", french, "--title", "Déclaration d'essai")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("fr", result.stdout)
        # Replacing a translation is allowed; the version's hash never changes.
        result = self.cli("statement", "translate", "--version", version_hash.upper(), "--lang", "fr",
                          "--file", french)
        self.assertEqual(result.returncode, 0, result.stderr)

        shown = self.show()
        self.assertEqual(shown["current"], version_hash)
        current = shown["versions"][0]
        self.assertEqual(current["hash"], version_hash)
        self.assertEqual(current["number"], before + 1)
        self.assertEqual([t["language"] for t in current["translations"]], ["en", "fr"])
        self.assertEqual(sha256(current["translations"][0]["markdown"]), version_hash)
        self.assertEqual(current["translations"][1]["title"], "Déclaration")
        text = self.cli("statement", "show").stdout
        self.assertIn(version_hash, text)
        self.assertIn("en (authoritative), fr", text)

    def test_refusals_and_exit_codes(self):
        good = self.write("good.md", "# Good\n\nText.\n")
        published = self.cli("statement", "publish", "--file", good)
        self.assertEqual(published.returncode, 0, published.stderr)
        version_hash = HASH.findall(published.stdout)[0]
        cases = [
            (["publish", "--file", self.write("bad.md", b"# Bad \xc3\x28 utf-8\n")], 1, "UTF-8"),
            (["publish", "--file", self.write("nul.md", b"# Nul\x00byte\n")], 1, "control"),
            (["publish", "--file", self.write("empty.md", b"  \r\n\n")], 1, "markdown"),
            (["publish", "--file", self.write("nohead.md", "no heading\n")], 1, "title"),
            (["publish", "--file", good, "--lang", "de"], 1, "language"),
            (["publish", "--file", os.path.join(self.directory, "missing.md")], 1, "cannot read"),
            (["translate", "--version", "0" * 64, "--lang", "fr", "--file", good], 1, "hash"),
            (["translate", "--version", "<script>", "--lang", "fr", "--file", good], 1, "hash"),
            (["translate", "--version", version_hash, "--lang", "en", "--file", good], 1, "authoritative"),
            (["publish"], 2, "--file"),
            (["translate", "--lang", "fr", "--file", good], 2, "--version"),
        ]
        for args, code, message in cases:
            result = self.cli("statement", *args)
            self.assertEqual(result.returncode, code, (args, result.stdout, result.stderr))
            self.assertIn(message, result.stderr, args)
        self.assertEqual(len(self.show()["versions"]), 1)


class StatementAdmin(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.admin = self.sign_in(self.server, "admin@coalition.example")

    def edit(self, action, markdown, title="", language="en"):
        return self.admin.submit("/admin/statement", fields={
            "action": action, "title": title, "language": language, "markdown": markdown})

    def publish(self, markdown, title="", language="en"):
        response = self.edit("publish", markdown, title, language)
        self.assertEqual(response.status, 303, main_of(response.text)[:2000])
        location = response.header("location")
        self.assertTrue(location.startswith("/admin/statement?published="), location)
        return location.rsplit("=", 1)[1]

    def test_linked_from_admin_and_closed_to_others(self):
        self.assertIn('href="/admin/statement"', self.admin.get("/admin").text)
        page = self.admin.get("/admin/statement")
        self.assertEqual(page.status, 200)
        body = main_of(page.text)
        for needle in ('name="_csrf"', 'id="field-title"', 'id="field-language"', 'id="field-markdown"',
                       'value="save"', 'value="preview"', 'value="publish"'):
            self.assertIn(needle, body)
        anonymous = self.server.client()
        self.assertIn(anonymous.get("/admin/statement").status, (303, 401, 403))
        self.assertIn(anonymous.get("/admin/statement/versions/" + "0" * 64).status, (303, 401, 403))
        # A form without its CSRF token is refused, even from the admin.
        refused = self.admin.post("/admin/statement", form={"action": "publish", "language": "en",
                                                            "markdown": "# Forged\n"})
        self.assertEqual(refused.status, 403)
        self.assertNotIn("Forged", self.cli("statement", "show").stdout)

    def test_preview_renders_hostile_markdown_harmless_and_stores_nothing(self):
        before = self.cli("statement", "show", "--json").stdout
        response = self.edit("preview", HOSTILE, language="fr")
        self.assertEqual(response.status, 200)
        body = main_of(response.text)
        preview = body[body.index('id="statement-preview-title"'):]
        self.assertIn('<h2 id="h-hostile-test">Hostile <!-- raw HTML omitted -->test', preview)
        self.assertIn('<a href="https://www.intgovforum.org/">real link</a>', preview)
        self.assertIn("click me", preview)
        self.assertIn('lang="fr"', preview)
        assert_harmless(self, body)
        # The typed text is kept in the editor, escaped.
        self.assertIn("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", body)
        self.assertEqual(self.cli("statement", "show", "--json").stdout, before)

    def test_save_draft_then_publish_then_conflict(self):
        source = "# Web draft  \r\n\r\nText from the browser.\r\n"
        saved = self.edit("save", source, title="", language="es")
        self.assertEqual(saved.status, 303)
        page = self.admin.get(saved.header("location"))
        self.assertIn("The draft was saved.", page.text)
        self.assertIn(">" + canonical(source).replace("\n", "\n") + "</textarea>", page.text.replace("\r", ""))
        self.assertIn('<option value="es" selected>', page.text)

        version_hash = self.publish(source, language="es")
        self.assertEqual(version_hash, sha256(canonical(source)))
        page = self.admin.get("/admin/statement?published=" + version_hash)
        self.assertIn(version_hash, page.text)
        self.assertIn("was published", page.text)
        shown = json.loads(self.cli("statement", "show", "--json").stdout)
        self.assertEqual(shown["current"], version_hash)
        self.assertEqual(shown["versions"][0]["language"], "es")
        self.assertEqual(shown["versions"][0]["title"], "Web draft")

        again = self.edit("publish", canonical(source), language="es")
        self.assertEqual(again.status, 409)
        self.assertRegex(again.text, r'id="field-markdown"[^>]*aria-invalid="true"')
        self.assertIn('href="#field-markdown"', again.text)

        for fields, field in (({"markdown": "   "}, "markdown"), ({"language": "xx"}, "language"),
                              ({"markdown": "no heading"}, "title"),
                              ({"title": "t" * 201}, "title")):
            values = {"title": "", "language": "en", "markdown": "# Fine\n", **fields}
            bad = self.edit("publish", values["markdown"], values["title"], values["language"])
            self.assertEqual(bad.status, 422, field)
            self.assertIn(f'href="#field-{field}"', bad.text, field)

        audit = self.admin.get("/admin/audit").text
        for action in ("statement.save_draft", "statement.publish"):
            self.assertIn(action, audit)

    def test_version_page_translations_and_reaffirmation(self):
        first = self.publish("# First version\n\nOne.\n")
        version_hash = self.publish(HOSTILE)
        self.assertNotEqual(first, version_hash)
        page = self.admin.get("/admin/statement/versions/" + version_hash)
        self.assertEqual(page.status, 200)
        body = main_of(page.text)
        self.assertIn(version_hash, body)
        assert_harmless(self, body)
        self.assertIn("&lt;script&gt;", body)  # The source, escaped, in <pre>.
        self.assertIn('action="/admin/statement/versions/%s/reaffirm"' % version_hash, body)

        # Add, then replace, a translation; the authoritative language cannot be translated.
        path = "/admin/statement/versions/" + version_hash
        added = self.admin.submit(path, path + "/translations", {
            "language": "ar", "title": "", "markdown": "# بيان تجريبي\n\n<script>x</script> نص.\n"})
        self.assertEqual(added.status, 303, main_of(added.text)[:1500])
        page = main_of(self.admin.get(added.header("location")).text)
        self.assertIn('lang="ar" dir="rtl"', page)
        self.assertIn("بيان تجريبي", page)
        assert_harmless(self, page)
        replaced = self.admin.submit(path + "?lang=ar", path + "/translations", {
            "language": "ar", "title": "عنوان", "markdown": "# بيان\n\nنص جديد.\n"})
        self.assertEqual(replaced.status, 303)
        shown = json.loads(self.cli("statement", "show", "--json").stdout)["versions"][0]
        self.assertEqual(shown["hash"], version_hash)
        self.assertEqual([(t["language"], t["title"]) for t in shown["translations"]],
                         [("en", shown["title"]), ("ar", "عنوان")])
        refused = self.admin.submit(path, path + "/translations", {
            "language": "en", "title": "", "markdown": "# Other\n"})
        self.assertEqual(refused.status, 422)
        self.assertIn('href="#field-language"', refused.text)

        for unknown in ("0" * 64, "%3Cscript%3E", "abc"):
            self.assertEqual(self.admin.get("/admin/statement/versions/" + unknown).status, 404, unknown)
        missing = self.admin.submit(path, "/admin/statement/versions/" + "0" * 64 + "/translations", {
            "language": "fr", "title": "", "markdown": "# Texte\n"})
        self.assertEqual(missing.status, 404)

        reaffirmed = self.admin.submit(path, path + "/reaffirm", {})
        self.assertEqual(reaffirmed.status, 303, main_of(reaffirmed.text)[:1500])
        location = reaffirmed.header("location")
        self.assertRegex(urllib.parse.urlsplit(location).query, r"^reaffirmed=\d+$")
        # The ?lang=ar visit above made Arabic the admin's language; read the notice in English.
        self.assertIn("re-affirm this version", self.admin.get(location + "&lang=en").text)
        self.assertIn("statement.translate", self.admin.get("/admin/audit").text)


if __name__ == "__main__":
    import unittest
    unittest.main()
