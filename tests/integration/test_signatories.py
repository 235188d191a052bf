"""The public signatory list, its exports, charts and badge, and the admin side of signing
(moderation, bursts and bulk cancellation, erasure), against the real binary on SQLite and
PostgreSQL. Signatures are made the way signers make them: POST /api/v1/signatures, then the
confirmation link from the mail (a GET shows a button, a POST confirms)."""
import csv
import email
import email.policy
import io
import json
import os
import re
import tempfile
import unittest
import urllib.parse
import xml.etree.ElementTree as ElementTree

from harness import ServerTest, wait_for

SVG = "{http://www.w3.org/2000/svg}"
STATEMENT = "# Statement of Purpose\n\nWe defend multistakeholder internet governance.\n"
# Every test signs many times from 127.0.0.1: lift the per-address and per-domain limits.
ENVIRONMENT = {"COALITION_SIGNON_PER_ADDRESS_PER_HOUR": "100000",
               "COALITION_SIGNON_PER_DOMAIN_PER_HOUR": "100000"}


def main_of(html):
    match = re.search(r"<main\b.*?</main>", html, re.S)
    return match.group(0) if match else ""


def table_rows(html):
    """The names in the list's table (the <th scope="row"> cells), in order."""
    body = re.search(r'<table class="signatories".*?</table>', html, re.S)
    if not body:
        return []
    names = re.findall(r'<th scope="row"><bdi>(.*?)</bdi>', body.group(0), re.S)
    return [unescape(name) for name in names]


def unescape(text):
    import html
    return html.unescape(text)


def recipients_of(message):
    return message.get_all("To", [])


class SignatoriesTest(ServerTest):
    """A server with the demo data and a published statement; helpers to sign and confirm."""

    def setUp(self):
        super().setUp()
        self.server = self.start_server(extra_env=ENVIRONMENT)
        self.version = self.publish(STATEMENT)
        self.public = self.server.client()
        self.signer = self.server.client()

    def publish(self, text):
        path = os.path.join(self.directory, "statement-%d.md" % len(text))
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        result = self.cli("statement", "publish", "--file", path, "--lang", "en")
        self.assertEqual(result.returncode, 0, result.stderr)
        match = re.search(r"\b[0-9a-f]{64}\b", result.stdout + result.stderr)
        self.assertTrue(match, result.stdout)
        return match.group(0)

    def sign(self, body):
        response = self.signer.post("/api/v1/signatures", json_body=body)
        self.assertEqual(response.status, 202, response.text[:500])

    def individual(self, name, address, country, public=True, affiliation=None):
        body = {"kind": "individual", "name": name, "email": address, "country": country,
                "public": public, "lang": "en"}
        if affiliation:
            body["affiliation"] = affiliation
        self.sign(body)

    def organisation(self, name, representative, address, country, group, domain):
        self.sign({"kind": "organisation", "name": representative, "title": "Director",
                   "email": address, "lang": "en",
                   "organisation": {"name": name, "country": country, "stakeholder_group": group,
                                    "domain": domain}})

    def messages(self):
        parsed = []
        for raw in self.server.outbox_messages():
            parsed.append(email.message_from_bytes(raw, policy=email.policy.default))
        return parsed

    def confirmation_links(self, addresses):
        """Waits for the confirmation mail of each address; returns {address: path}."""
        wanted = set(addresses)

        def found():
            links = {}
            for message in self.messages():
                to = " ".join(str(value) for value in recipients_of(message))
                body = message.get_body(preferencelist=("plain",)).get_content()
                link = re.search(r"https?://\S*/statement/confirm/\S+", body)
                if not link:
                    continue
                for address in wanted:
                    if address in to and address not in links:
                        links[address] = urllib.parse.urlsplit(link.group(0)).path
            return links if set(links) == wanted else None

        return wait_for(found, timeout=30, what="confirmation mails for %s" % sorted(wanted))

    def confirm(self, *addresses):
        for address, path in self.confirmation_links(addresses).items():
            client = self.server.client()
            page = client.get(path)
            self.assertEqual(page.status, 200, page.text[:300])
            confirmed = client.post(path, form={"_csrf": client.csrf_from(page.text)})
            self.assertIn(confirmed.status, (200, 303), confirmed.text[:500])

    def listing(self, query=""):
        response = self.public.get("/statement/signatories" + query)
        self.assertEqual(response.status, 200, response.text[:500])
        return response.text

    def api(self, query=""):
        response = self.public.get("/api/v1/signatures" + query)
        self.assertEqual(response.status, 200, response.text[:500])
        return response.json()

    def admin(self):
        if not hasattr(self, "_admin"):
            self._admin = self.sign_in(self.server, "admin@coalition.example")
        return self._admin

    def queue_ids(self, client):
        """{displayed name: signature id} from the moderation queue."""
        page = client.get("/admin/signatures")
        self.assertEqual(page.status, 200)
        ids = {}
        for section in page.text.split('<section class="moderation-item"')[1:]:
            name = re.search(r"<h2[^>]*><bdi>(.*?)</bdi>", section).group(1)
            ids[unescape(name)] = re.search(r'/admin/signatures/(\d+)/approve', section).group(1)
        return ids, page


class PublicList(SignatoriesTest):
    def setUp(self):
        super().setUp()
        self.admin()  # Signed in before the signature mails arrive.
        self.individual("Ana Silva", "ana@example.com", "BR")
        self.individual("Björk Jónsdóttir", "bjork@example.is", "IS", affiliation="Háskóli")
        self.individual("李小龙", "li@example.cn", "CN")
        self.individual("Hidden Person", "hidden@example.co.uk", "GB", public=False)
        self.individual("=HYPERLINK(\"http://evil.example\")", "formula@example.fr", "FR")
        self.individual('Zoë "Quoted", Jr.', "zoe@example.de", "DE")
        self.individual("Never Confirmed", "pending@example.org", "US")
        self.organisation("Example Registry", "Rep Resentative", "rep@example.nz", "NZ",
                          "technical-community", "example.nz")
        self.confirm("ana@example.com", "bjork@example.is", "li@example.cn",
                     "hidden@example.co.uk", "formula@example.fr", "zoe@example.de",
                     "rep@example.nz")
        ids, page = self.queue_ids(self.admin())
        approved = self.admin().post("/admin/signatures/%s/approve" % ids["Example Registry"],
                                     form={"_csrf": self.admin().csrf_from(page.text)})
        self.assertEqual(approved.status, 303)

    def test_rows_totals_and_hidden_individuals(self):
        page = self.listing()
        names = table_rows(page)
        self.assertEqual(set(names), {"Ana Silva", "Björk Jónsdóttir", "李小龙",
                                      '=HYPERLINK("http://evil.example")', 'Zoë "Quoted", Jr.',
                                      "Example Registry"})
        self.assertNotIn("Hidden Person", page)
        self.assertNotIn("Never Confirmed", page)
        self.assertIn("7 signatories in all: 1 organisations and 6 individuals.", page)
        self.assertIn("1 more person signed without showing their name.", page)
        main = main_of(page)
        for address in ("ana@example.com", "rep@example.nz", "hidden@example.co.uk"):
            self.assertNotIn(address, main)
        # Country in the visitor's language, verification as words, the version signed.
        self.assertIn("Brazil", main)
        self.assertIn("Organisation domain", main)
        self.assertIn("E-mail confirmed", main)
        self.assertIn("Version 1", main)
        self.assertIn("Rep Resentative, Director", main)
        self.assertIn("Brasil", main_of(self.public.get("/statement/signatories?lang=es").text))
        self.assertIn('<th scope="col">', main)
        self.assertIn('aria-labelledby="signatories-caption"', main)

    def test_filters_search_and_sorting(self):
        self.assertEqual(table_rows(self.listing("?kind=organisation")), ["Example Registry"])
        self.assertEqual(table_rows(self.listing("?country=br")), ["Ana Silva"])
        self.assertEqual(table_rows(self.listing("?q=SILVA")), ["Ana Silva"])
        self.assertEqual(table_rows(self.listing("?q=" + urllib.parse.quote("李"))), ["李小龙"])
        self.assertEqual(table_rows(self.listing("?region=AP&kind=organisation")),
                         ["Example Registry"])
        self.assertEqual(table_rows(self.listing("?group=technical-community")),
                         ["Example Registry"])
        self.assertEqual(table_rows(self.listing("?level=organisation-domain")),
                         ["Example Registry"])
        self.assertEqual(len(table_rows(self.listing("?version=" + self.version))), 6)
        by_name = table_rows(self.listing("?sort=name&kind=individual"))
        self.assertEqual(by_name.index("Ana Silva"), 1)  # After "=HYPERLINK…" in any collation.
        self.assertLess(by_name.index("Björk Jónsdóttir"), by_name.index('Zoë "Quoted", Jr.'))
        self.assertEqual(set(table_rows(self.listing("?sort=oldest"))),
                         set(table_rows(self.listing("?sort=country"))))
        page = self.listing("?q=nobody-has-this-name")
        self.assertIn("No signatories match these filters.", page)
        self.assertIn('<option value="AP" selected>', self.listing("?region=AP"))

    def test_bad_filters_are_422_and_not_echoed(self):
        response = self.public.get("/statement/signatories?kind=%3Cscript%3Ex&country=ZZ"
                                   "&group=evil&level=%22&version=abc&sort=up&region=MARS")
        self.assertEqual(response.status, 422)
        self.assertNotIn("<script>x", response.text)
        for field in ("kind", "country", "group", "level", "version", "sort", "region"):
            self.assertIn('href="#field-%s"' % field, response.text)
        long_search = self.public.get("/statement/signatories?q=" + "a" * 201)
        self.assertEqual(long_search.status, 422)
        control = self.public.get("/statement/signatories?q=a%01b")
        self.assertEqual(control.status, 422)
        invalid_utf8 = self.public.get("/statement/signatories?q=%FF")
        self.assertIn(invalid_utf8.status, (400, 422))
        self.assertEqual(self.public.get("/statement/signatories?page=-3").status, 200)
        problem = self.public.get("/api/v1/signatures?country=ZZ&offset=-1&limit=x")
        self.assertEqual(problem.status, 422)
        fields = {error["field"] for error in problem.json()["errors"]}
        self.assertEqual(fields, {"country", "offset", "limit"})

    def test_json_export_is_public_data_only(self):
        response = self.public.get("/api/v1/signatures?sort=name")
        self.assertEqual(response.status, 200)
        self.assertTrue(response.header("content-type").startswith("application/json"))
        body = response.json()
        self.assertEqual(body["total"], 6)
        self.assertEqual(body["offset"], 0)
        self.assertEqual(body["limit"], 50)
        names = [row["name"] for row in body["signatures"]]
        self.assertIn("李小龙", names)
        self.assertNotIn("Hidden Person", response.text)
        for address in ("ana@example.com", "rep@example.nz", "hidden@example.co.uk",
                        "li@example.cn"):
            self.assertNotIn(address, response.text)
        for row in body["signatures"]:
            self.assertNotIn("email", row)
            self.assertEqual(row["version"], self.version)
        registry = [row for row in body["signatures"] if row["kind"] == "organisation"][0]
        self.assertEqual(registry["verification"], "organisation-domain")
        self.assertEqual(registry["country"], "NZ")
        self.assertEqual(registry["stakeholder_group"], "technical-community")
        only = self.api("?kind=organisation")
        self.assertEqual([row["name"] for row in only["signatures"]], ["Example Registry"])
        paged = self.api("?limit=2&offset=1&sort=oldest")
        self.assertEqual((paged["total"], paged["offset"], paged["limit"]), (6, 1, 2))
        self.assertEqual(len(paged["signatures"]), 2)
        self.assertEqual(self.api("?limit=5000")["limit"], 1000)

    def test_csv_export_quotes_and_defuses_formulas(self):
        response = self.public.get("/statement/signatories.csv?sort=name")
        self.assertEqual(response.status, 200)
        self.assertTrue(response.header("content-type").startswith("text/csv"))
        self.assertIn("attachment", response.header("content-disposition"))
        self.assertTrue(response.body.startswith(b"\xef\xbb\xbf"))
        text = response.body[3:].decode("utf-8")
        self.assertIn("\r\n", text)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(rows[0][0], "name")
        self.assertNotIn("email", rows[0])
        names = [row[0] for row in rows[1:]]
        self.assertEqual(len(names), 6)
        self.assertIn('Zoë "Quoted", Jr.', names)
        self.assertIn("李小龙", names)
        self.assertIn("'=HYPERLINK(\"http://evil.example\")", names)
        self.assertNotIn("Hidden Person", text)
        self.assertNotIn("@example", text)
        # The raw quoting (RFC 4180): a field with a comma and quotes is quoted, quotes doubled.
        self.assertIn('"Zoë ""Quoted"", Jr."', text)
        filtered = self.public.get("/statement/signatories.csv?kind=organisation")
        self.assertEqual(len(list(csv.reader(io.StringIO(filtered.body[3:].decode(),
                                                         newline="")))), 2)
        self.assertEqual(self.public.get("/statement/signatories.csv?country=ZZ").status, 422)

    def test_charts_and_badge_are_well_formed_svg(self):
        page = self.listing()
        charts = re.findall(r"<svg\b.*?</svg>", main_of(page), re.S)
        self.assertEqual(len(charts), 3)
        for chart in charts:
            root = ElementTree.fromstring(chart)
            self.assertEqual(root.tag, SVG + "svg")
            self.assertEqual(root.get("role"), "img")
            self.assertIsNotNone(root.find(SVG + "title"))
            self.assertIsNotNone(root.find(SVG + "desc"))
            self.assertTrue(root.get("aria-labelledby"))
        region = ElementTree.fromstring(charts[0])
        self.assertIn("Asia/Australia/Pacific: 2", region.find(SVG + "desc").text)
        self.assertIn("Europe: 4", region.find(SVG + "desc").text)
        arabic = main_of(self.public.get("/statement/signatories?lang=ar").text)
        for chart in re.findall(r"<svg\b.*?</svg>", arabic, re.S):
            self.assertEqual(ElementTree.fromstring(chart).get("direction"), "rtl")

        badge = self.public.get("/statement/badge.svg")
        self.assertEqual(badge.status, 200)
        self.assertTrue(badge.header("content-type").startswith("image/svg+xml"))
        self.assertIn("max-age=60", badge.header("cache-control"))
        self.assertIn("default-src 'none'", badge.header("content-security-policy"))
        root = ElementTree.fromstring(badge.body)
        self.assertEqual(root.tag, SVG + "svg")
        texts = "".join(root.itertext())
        self.assertIn("7", texts)
        self.assertNotIn(b"<script", badge.body)
        self.assertNotIn(b"href", badge.body)


class Versions(SignatoriesTest):
    def test_filter_by_the_version_signed(self):
        self.individual("First Version Signer", "v1@example.org", "MX")
        self.confirm("v1@example.org")
        second = self.publish(STATEMENT + "\nA second paragraph in the new version.\n")
        self.assertNotEqual(second, self.version)
        self.individual("Second Version Signer", "v2@example.org", "MX")
        self.confirm("v2@example.org")
        self.assertEqual(table_rows(self.listing("?version=" + self.version)),
                         ["First Version Signer"])
        newer = self.listing("?version=" + second)
        self.assertEqual(table_rows(newer), ["Second Version Signer"])
        self.assertIn("Version 2", main_of(newer))
        self.assertIn('<option value="%s" selected>Version 2</option>' % second, newer)
        self.assertEqual([row["version"] for row in self.api("?version=" + second)["signatures"]],
                         [second])


class Pagination(SignatoriesTest):
    def test_pages_of_fifty_and_complete_exports(self):
        addresses = ["person%02d@example.org" % number for number in range(57)]
        for number, address in enumerate(addresses):
            self.individual("Person %02d" % number, address, "CA")
        self.confirm(*addresses)
        first = self.listing("?sort=name")
        self.assertEqual(len(table_rows(first)), 50)
        self.assertEqual(table_rows(first)[0], "Person 00")
        self.assertIn("Signatories 1 to 50 of 57", first)
        self.assertIn('rel="next"', first)
        self.assertIn('aria-current="page"', first)
        next_href = unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
        self.assertIn("sort=name", next_href)
        second = self.listing(next_href[len("/statement/signatories"):])
        self.assertEqual(table_rows(second), ["Person %02d" % n for n in range(50, 57)])
        self.assertIn('rel="prev"', second)
        self.assertNotIn('rel="next"', second)
        beyond = self.listing("?page=9")
        self.assertEqual(table_rows(beyond), [])
        body = self.api("?limit=1000")
        self.assertEqual(body["total"], 57)
        self.assertEqual(len(body["signatures"]), 57)
        rows = list(csv.reader(io.StringIO(
            self.public.get("/statement/signatories.csv").body[3:].decode(), newline="")))
        self.assertEqual(len(rows), 58)
        self.assertEqual(len({row[0] for row in rows[1:]}), 57)


class Moderation(SignatoriesTest):
    def setUp(self):
        super().setUp()
        self.admin()
        self.moderator = self.sign_in(self.server, "moderator@coalition.example")
        self.member = self.sign_in(self.server, "policy@cira.example")
        for name, address, domain in (("Approve Org", "a@approve.example", "approve.example"),
                                      ("Reject Org", "r@gmail.example", "reject.example"),
                                      ("Ask Org", "q@ask.example", "ask.example")):
            self.organisation(name, "Someone", address, "FR", "civil-society", domain)
        self.confirm("a@approve.example", "r@gmail.example", "q@ask.example")

    def test_approve_reject_and_ask(self):
        admin = self.admin()
        ids, page = self.queue_ids(admin)
        self.assertEqual(set(ids), {"Approve Org", "Reject Org", "Ask Org"})
        main = main_of(page.text)
        self.assertIn("approve.example", main)
        self.assertIn("Organisation domain", main)
        self.assertIn("r@gmail.example", main)  # Moderators see the address; the public never.
        self.assertEqual(table_rows(self.listing()), [])
        token = admin.csrf_from(page.text)

        approved = admin.post("/admin/signatures/%s/approve" % ids["Approve Org"],
                              form={"_csrf": token})
        self.assertEqual(approved.status, 303)
        self.assertIn("done=approved", approved.header("location"))
        flash = admin.get(approved.header("location"))
        self.assertIn("Approve Org was approved", flash.text)
        self.assertEqual(table_rows(self.listing()), ["Approve Org"])

        empty = admin.post("/admin/signatures/%s/reject" % ids["Reject Org"],
                           form={"_csrf": token, "reason": "   "})
        self.assertEqual(empty.status, 422)
        self.assertIn('href="#reason-%s"' % ids["Reject Org"], empty.text)
        self.assertIn('aria-invalid="true"', empty.text)
        rejected = admin.post("/admin/signatures/%s/reject" % ids["Reject Org"],
                              form={"_csrf": token, "reason": "Not an organisation <b>really</b>"})
        self.assertEqual(rejected.status, 303)

        asked = self.moderator.post("/admin/signatures/%s/ask" % ids["Ask Org"],
                                    form={"_csrf": self.moderator.csrf_from(
                                        self.moderator.get("/admin/signatures").text),
                                          "question": "Who authorised you to sign?"})
        self.assertEqual(asked.status, 303)
        remaining, page = self.queue_ids(admin)
        self.assertEqual(set(remaining), {"Ask Org"})
        self.assertIn("Who authorised you to sign?", page.text)
        self.assertIn("Information requested", page.text)
        self.assertEqual(table_rows(self.listing()), ["Approve Org"])

        missing = admin.post("/admin/signatures/999999/approve", form={"_csrf": token})
        self.assertEqual(missing.status, 404)
        no_csrf = admin.post("/admin/signatures/%s/approve" % ids["Ask Org"], form={})
        self.assertEqual(no_csrf.status, 403)

    def test_access_levels(self):
        anonymous = self.server.client()
        for path in ("/admin/signatures", "/admin/signatures/bursts", "/admin/signatures/erase"):
            self.assertEqual(anonymous.get(path).status, 303, path)
            self.assertEqual(self.member.get(path).status, 403, path)
            self.assertEqual(self.admin().get(path).status, 200, path)
        self.assertEqual(self.moderator.get("/admin/signatures").status, 200)
        self.assertEqual(self.moderator.get("/admin/signatures/bursts").status, 200)
        self.assertEqual(self.moderator.get("/admin/signatures/erase").status, 403)
        member_post = self.member.post("/admin/signatures/1/approve",
                                       form={"_csrf": "x"})
        self.assertIn(member_post.status, (403,))
        index = self.admin().get("/admin").text
        for link in ("/admin/signatures", "/admin/signatures/bursts", "/admin/signatures/erase"):
            self.assertIn('href="%s"' % link, index)


class BurstsAndErasure(SignatoriesTest):
    def test_bulk_cancellation_takes_signatures_off_the_list(self):
        admin = self.admin()
        addresses = ["bot%d@burst.example" % number for number in range(6)]
        for number, address in enumerate(addresses):
            self.individual("Bot %d" % number, address, "RU")
        self.individual("Real Person", "real@example.net", "SE")
        self.confirm(*addresses[:3], "real@example.net")  # Three published, three pending.
        self.assertEqual(len(table_rows(self.listing("?q=Bot"))), 3)

        page = admin.get("/admin/signatures/bursts?window=hour")
        self.assertEqual(page.status, 200)
        main = main_of(page.text)
        self.assertIn("burst.example", main)
        self.assertIn("127.0.0.1", main)
        forms = re.findall(r'<form method="post" action="/admin/signatures/cancel".*?</form>',
                           main, re.S)
        domain_form = [form for form in forms if 'value="burst.example"' in form][0]
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                                 domain_form))
        self.assertEqual(fields["by"], "email-domain")

        missing = admin.post("/admin/signatures/cancel", form=dict(fields, reason=""))
        self.assertEqual(missing.status, 422)
        self.assertIn("error-summary", missing.text)

        pending_only = admin.post("/admin/signatures/cancel",
                                  form=dict(fields, reason="Bot sign-ups from one domain"))
        self.assertEqual(pending_only.status, 303)
        self.assertIn("cancelled=3", pending_only.header("location"))
        self.assertEqual(len(table_rows(self.listing("?q=Bot"))), 3)

        with_published = admin.post("/admin/signatures/cancel",
                                    form=dict(fields, reason="Bots", include_published="yes"))
        self.assertEqual(with_published.status, 303)
        self.assertIn("cancelled=3", with_published.header("location"))
        self.assertIn("Signatures cancelled: 3.",
                      admin.get(with_published.header("location")).text)
        self.assertEqual(table_rows(self.listing("?q=Bot")), [])
        self.assertEqual(table_rows(self.listing()), ["Real Person"])
        self.assertEqual(self.api()["total"], 1)

        bad = admin.post("/admin/signatures/cancel", form={"_csrf": fields["_csrf"], "by": "x",
                                                           "key": "k", "from": "1", "to": "2",
                                                           "reason": "r"})
        self.assertEqual(bad.status, 400)

    def test_erasure_removes_the_name_everywhere(self):
        admin = self.admin()
        self.individual("Erase Me Please", "erase.me@example.net", "NL")
        self.individual("Stays Here", "stays@example.net", "NL")
        self.confirm("erase.me@example.net", "stays@example.net")
        self.assertIn("Erase Me Please", table_rows(self.listing()))

        form = admin.get("/admin/signatures/erase")
        token = admin.csrf_from(form.text)
        invalid = admin.post("/admin/signatures/erase", form={"_csrf": token, "email": "not-an-address"})
        self.assertEqual(invalid.status, 422)
        self.assertIn('aria-invalid="true"', invalid.text)
        unknown = admin.post("/admin/signatures/erase",
                             form={"_csrf": token, "email": "nobody@example.net", "confirm": "yes"})
        self.assertEqual(unknown.status, 404)
        self.assertIn("No signature was made with this address.", unknown.text)

        asked = admin.post("/admin/signatures/erase",
                           form={"_csrf": token, "email": "Erase.Me@EXAMPLE.net"})
        self.assertEqual(asked.status, 200)
        self.assertIn("This cannot be undone.", asked.text)
        self.assertIn('name="confirm" value="yes"', asked.text)
        self.assertIn("Erase Me Please", table_rows(self.listing()))  # Nothing happened yet.

        erased = admin.post("/admin/signatures/erase",
                            form={"_csrf": token, "email": "erase.me@example.net", "confirm": "yes"})
        self.assertEqual(erased.status, 303)
        self.assertIn("erased=1", erased.header("location"))
        self.assertIn("Signatures erased: 1.", admin.get(erased.header("location")).text)
        self.assertEqual(table_rows(self.listing()), ["Stays Here"])
        self.assertNotIn("Erase Me", self.public.get("/api/v1/signatures").text)
        self.assertNotIn("Erase Me", self.public.get("/statement/signatories.csv").body.decode())
        self.assertNotIn("erase.me", self.public.get("/api/v1/signatures").text)


if __name__ == "__main__":
    unittest.main()
