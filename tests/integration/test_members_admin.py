"""The members directory, the organisations API and the admin pages, against the real binary:
filters (valid, unknown and hostile), privacy, escaping, form errors tied to fields, and the audit."""
import re
import unittest

from harness import BACKEND, ServerTest


def main_of(html):
    """The page's <main> element: what the handler rendered, without the layout around it."""
    match = re.search(r"<main\b.*?</main>", html, re.S)
    return match.group(0) if match else ""


class Directory(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.client = self.server.client()

    def test_members_before_candidates_with_counts(self):
        page = main_of(self.client.get("/members").text)
        self.assertEqual(page.count("<h1"), 1)
        europe = page[page.index('id="region-EUR"'):page.index('id="region-LAC"')]
        self.assertLess(europe.index("Nominet UK"), europe.index("Afnic"))
        self.assertIn("Organisations in Europe: 5", europe)
        self.assertIn('tag-candidate">Candidate<', europe)
        self.assertIn('<th scope="col">', page)
        self.assertIn('<label for="field-region">', page)

    def test_filters_combine(self):
        response = self.client.get("/members?region=EUR&status=member")
        self.assertEqual(response.status, 200)
        page = main_of(response.text)
        self.assertIn("Nominet UK", page)
        self.assertNotIn("Afnic", page)
        self.assertNotIn('id="region-NA"', page)
        self.assertIn('<option value="EUR" selected>', page)

    def test_unknown_filters_are_422_with_errors_on_the_fields(self):
        response = self.client.get("/members?group=%3Cscript%3Ealert(1)%3C%2Fscript%3E&region=ZZ&status=x")
        self.assertEqual(response.status, 422)
        self.assertNotIn("<script>alert(1)", response.text)
        self.assertNotIn("alert(1)", response.text)  # Not echoed back at all.
        for field in ("group", "region", "status"):
            self.assertRegex(response.text, rf'<select id="field-{field}"[^>]*aria-invalid="true"')
            self.assertIn(f'href="#field-{field}"', response.text)

    def test_former_members_only_on_request(self):
        result = self.cli("org", "add", "--name", "Gone Registry", "--slug", "gone", "--country", "SE",
                          "--stakeholder-group", "technical-community", "--status", "former")
        if result.returncode != 0:
            self.skipTest("org add takes other options: " + result.stderr[:200])
        self.assertNotIn("Gone Registry", self.client.get("/members").text)
        self.assertIn("Gone Registry", self.client.get("/members?status=former").text)
        slugs = {o["slug"] for o in self.client.get("/api/v1/organisations").json()["organisations"]}
        self.assertNotIn("gone", slugs)
        former = self.client.get("/api/v1/organisations?status=former").json()["organisations"]
        self.assertEqual([o["slug"] for o in former], ["gone"])

    def test_organisation_page_details_and_privacy(self):
        page = main_of(self.client.get("/members/cira").text)
        self.assertEqual(page.count("<h1"), 1)
        self.assertIn("Canada", page)
        self.assertIn("North America", page)
        self.assertIn('<a href="https://www.cira.ca" rel="noopener">', page)
        self.assertIn("CIRA policy lead (demo)", page)
        self.assertNotIn("policy@cira.example", page)
        self.assertNotIn("@", page)

    def test_country_name_in_visitors_language(self):
        page = main_of(self.server.client().get("/members/cira?lang=fr").text)
        self.assertIn("Canada", page)
        page = main_of(self.server.client().get("/members/internetnz?lang=ru").text)
        self.assertIn("Новая Зеландия", page)

    def test_unknown_slugs_are_404_pages(self):
        for path in ("/members/no-such-org", "/members/%3Cscript%3E", "/members/%E2%80%AE"):
            response = self.client.get(path)
            self.assertEqual(response.status, 404, path)
            self.assertIn("<nav", response.text)
            self.assertNotIn("<script>", response.text)


class Api(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.client = self.server.client()

    def test_list_shape_and_content_type(self):
        response = self.client.get("/api/v1/organisations?region=NA")
        self.assertEqual(response.status, 200)
        self.assertEqual(response.header("content-type"), "application/json; charset=utf-8")
        items = response.json()["organisations"]
        self.assertEqual([o["slug"] for o in items], ["cira"])
        self.assertEqual(set(items[0]), {"slug", "name", "short_name", "country", "region", "stakeholder_group",
                                         "status", "website", "domain", "description"})
        self.assertEqual(items[0]["region"], "NA")
        self.assertEqual(items[0]["status"], "member")

    def test_bad_filters_are_problem_json_naming_fields(self):
        response = self.client.get("/api/v1/organisations?region=%3Cx%3E&group=nope")
        self.assertEqual(response.status, 422)
        self.assertIn("application/problem+json", response.header("content-type"))
        body = response.json()
        self.assertEqual(body["status"], 422)
        self.assertEqual({e["field"] for e in body["errors"]}, {"region", "group"})
        self.assertNotIn("<x>", response.text)

    def test_one_organisation(self):
        one = self.client.get("/api/v1/organisations/internetnz").json()
        self.assertEqual(one["country"], "NZ")
        self.assertEqual(one["domain"], "internetnz.nz")
        missing = self.client.get("/api/v1/organisations/%3Cscript%3E")
        self.assertEqual(missing.status, 404)
        self.assertIn("application/problem+json", missing.header("content-type"))


class Admin(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.admin = self.sign_in(self.server, "admin@coalition.example")

    def test_index_links_every_admin_page(self):
        page = self.admin.get("/admin")
        self.assertEqual(page.status, 200)
        for href in ("/admin/organisations", "/admin/users", "/admin/outbox", "/admin/audit"):
            self.assertIn(f'href="{href}"', page.text)

    def test_every_error_at_once_and_values_kept(self):
        bad = self.admin.submit("/admin/organisations/new", "/admin/organisations", {
            "name": "", "short_name": "S" * 100, "slug": "Not A Slug", "country": "ZZ",
            "stakeholder_group": "nope", "website": "ftp://x.example", "domain": "-", "status": "boss",
            "description": "ok"})
        self.assertEqual(bad.status, 422)
        for field in ("name", "short_name", "slug", "country", "stakeholder_group", "website", "domain",
                      "status"):
            self.assertIn(f'href="#field-{field}"', bad.text, field)
        self.assertIn('value="Not A Slug"', bad.text)

    def test_taken_slug_is_an_error_on_the_slug_field(self):
        response = self.admin.submit("/admin/organisations/new", "/admin/organisations", {
            "name": "Copy", "slug": "cira", "country": "CA", "stakeholder_group": "academia",
            "status": "member"})
        self.assertEqual(response.status, 409)
        self.assertRegex(response.text, r'id="field-slug"[^>]*aria-invalid="true"')

    def test_create_then_edit_shows_confirmations_and_audit(self):
        created = self.admin.submit("/admin/organisations/new", "/admin/organisations", {
            "name": "Bücher Verein", "country": "de", "stakeholder_group": "academia",
            "website": "https://bücher.example/", "domain": "xn--bcher-kva.example", "status": "candidate",
            "description": "Line one\nline <two>\n\nSecond paragraph"})
        self.assertEqual(created.status, 303)
        self.assertEqual(created.header("location"), "/admin/organisations?created=bucher-verein")
        listing = self.admin.get(created.header("location"))
        self.assertIn("Bücher Verein was added.", listing.text)
        page = main_of(self.server.client().get("/members/bucher-verein").text)
        self.assertIn("<dd><bdi>bücher.example</bdi></dd>", page)
        self.assertIn('<p dir="auto">Line one<br>line &lt;two&gt;</p>', page)
        self.assertIn('<p dir="auto">Second paragraph</p>', page)

        form = self.admin.get("/admin/organisations/bucher-verein/edit")
        self.assertEqual(form.status, 200)
        self.assertIn('<option value="DE" selected>', form.text)
        updated = self.admin.submit("/admin/organisations/bucher-verein/edit", "/admin/organisations/bucher-verein", {
            "name": "Bücher Verein", "slug": "bucher-verein", "country": "AT", "stakeholder_group": "academia",
            "status": "member"})
        self.assertEqual(updated.status, 303)
        self.assertIn("Austria", self.server.client().get("/members/bucher-verein").text)
        audit = self.admin.get("/admin/audit").text
        self.assertIn("organisation.update", audit)
        self.assertIn("Secretariat (demo admin)", audit)  # "user:1" resolved to the name.
        self.assertEqual(self.admin.get("/admin/organisations/nope/edit").status, 404)

    def test_add_user_errors_then_success(self):
        bad = self.admin.submit("/admin/users", "/admin/users", {
            "email": "<not an address>", "role": "god", "organisation": "nope", "display_name": "A"})
        self.assertEqual(bad.status, 422)
        self.assertNotIn("<not an address>", bad.text)
        for field in ("email", "role", "organisation"):
            self.assertIn(f'href="#field-{field}"', bad.text)
        taken = self.admin.submit("/admin/users", "/admin/users", {"email": "Admin@Coalition.Example",
                                                                     "role": "member"})
        self.assertEqual(taken.status, 409)
        good = self.admin.submit("/admin/users", "/admin/users", {
            "email": "rep@nominet.example", "display_name": "Nominet rep", "role": "member",
            "organisation": "nominet"})
        self.assertEqual(good.status, 303)
        self.assertIn("rep@nominet.example was added", self.admin.get(good.header("location")).text)
        self.assertIn("Nominet rep", self.server.client().get("/members/nominet").text)

    def test_outbox_message_source_is_escaped(self):
        listing = self.admin.get("/admin/outbox").text
        ids = re.findall(r'href="/admin/outbox/(\d+)"', listing)
        self.assertTrue(ids)
        message = self.admin.get(f"/admin/outbox/{ids[0]}")
        self.assertEqual(message.status, 200)
        self.assertIn('<pre class="message-source"', message.text)
        self.assertIn("&lt;admin@coalition.example&gt;", message.text)
        for bad_id in ("0", "abc", "-1", "99999999999999999999999", "12abc"):
            self.assertEqual(self.admin.get(f"/admin/outbox/{bad_id}").status, 404, bad_id)


# Every server keeps the directory in memory (the organisations, and each rendered /members body)
# and checks one revision counter per request, so a change made by any process shows on the very
# next request: no waiting, no retrying. These tests warm the caches first, then change.
WARM_PATHS = ("/members", "/members?lang=ar", "/members?region=NA&status=member", "/members/cira",
              "/api/v1/organisations?region=NA", "/api/v1/organisations/cira")

CIRA_RENAMED = {
    "name": "Autorité <CIRA> ديمو", "short_name": "CIRA", "slug": "cira", "country": "CA",
    "stakeholder_group": "technical-community", "website": "https://www.cira.ca", "domain": "cira.ca",
    "status": "candidate", "description": "Renamed."}


class DirectoryFreshness(ServerTest):
    # Each request from a new client, so that ?lang=ar does not leave a language cookie behind.
    def page(self, server, path):
        response = server.client().get(path)
        self.assertEqual(response.status, 200, path)
        return main_of(response.text)

    def warm(self, server):
        for path in WARM_PATHS:
            for _ in range(2):
                self.assertEqual(server.client().get(path).status, 200, path)
        self.assertIn("Canadian Internet Registration Authority",
                      self.page(server, "/members?region=NA&status=member"))

    def assert_cira_renamed(self, server):
        page = self.page(server, "/members")
        self.assertIn("<bdi>Autorité &lt;CIRA&gt; ديمو</bdi>", page)
        self.assertNotIn("Canadian Internet Registration Authority", page)
        self.assertIn("<bdi>Autorité &lt;CIRA&gt; ديمو</bdi>", self.page(server, "/members?lang=ar"))
        self.assertNotIn("Autorité", self.page(server, "/members?region=NA&status=member"))
        self.assertIn("Autorité", self.page(server, "/members?region=NA&status=candidate"))
        self.assertIn("<h1><bdi>Autorité &lt;CIRA&gt; ديمو</bdi></h1>", self.page(server, "/members/cira"))
        listed = server.client().get("/api/v1/organisations?region=NA").json()["organisations"]
        self.assertEqual([(o["name"], o["status"]) for o in listed], [(CIRA_RENAMED["name"], "candidate")])
        self.assertEqual(server.client().get("/api/v1/organisations/cira").json()["description"], "Renamed.")

    def assert_cira_as_in_demo(self, server):
        self.assertIn("Canadian Internet Registration Authority",
                      self.page(server, "/members?region=NA&status=member"))
        self.assertNotIn("Autorité", self.page(server, "/members"))
        self.assertNotIn("Autorité", self.page(server, "/members?lang=ar"))
        self.assertNotIn("Autorité", self.page(server, "/members/cira"))

    def test_command_line_changes_show_on_the_next_request(self):
        server = self.start_server()
        admin = self.sign_in(server, "admin@coalition.example")
        self.warm(server)
        # Another process adds an organisation.
        result = self.cli("org", "add", "--name", "Registro <Nuevo>", "--slug", "nuevo", "--country", "MX",
                          "--stakeholder-group", "technical-community", "--status", "member")
        self.assertEqual(result.returncode, 0, result.stderr)
        def shows_nuevo():
            for path in ("/members", "/members?lang=ar", "/members/nuevo"):
                self.assertIn("Registro &lt;Nuevo&gt;", self.page(server, path), path)

        self.assert_soon(shows_nuevo)
        listed = server.client().get("/api/v1/organisations").json()["organisations"]
        self.assertIn("nuevo", {o["slug"] for o in listed})
        # This server changes one, then another process (demo load) changes it back.
        edited = admin.submit("/admin/organisations/cira/edit", "/admin/organisations/cira", CIRA_RENAMED)
        self.assertEqual(edited.status, 303)
        self.assert_cira_renamed(server)
        result = self.cli("demo", "load")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assert_soon(lambda: self.assert_cira_as_in_demo(server))

    @unittest.skipIf(BACKEND != "postgresql", "several servers share a database only on PostgreSQL")
    def test_admin_edit_on_one_server_shows_on_the_other(self):
        first = self.start_server()
        second = self.start_server(demo=False)
        self.warm(first)
        self.warm(second)
        admin = self.sign_in(first, "admin@coalition.example")
        edited = admin.submit("/admin/organisations/cira/edit", "/admin/organisations/cira", CIRA_RENAMED)
        self.assertEqual(edited.status, 303)
        self.assert_soon(lambda: self.assert_cira_renamed(second))
        self.assert_cira_renamed(first)
        # And back, through the second server this time.
        admin.base_url = second.base_url  # Sessions are shared: the same admin on the other server.
        fields = dict(CIRA_RENAMED, name="Canadian Internet Registration Authority", status="member")
        edited = admin.submit("/admin/organisations/cira/edit", "/admin/organisations/cira", fields)
        self.assertEqual(edited.status, 303)
        self.assert_soon(lambda: self.assert_cira_as_in_demo(first))
        self.assert_cira_as_in_demo(second)

if __name__ == "__main__":
    unittest.main()
