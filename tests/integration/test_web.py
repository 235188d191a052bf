"""The web shell, members directory, API, health and metrics, against the real binary."""
import json
import re
import threading
import unittest

from harness import ServerTest, wait_for


class PublicPages(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.client = self.server.client()

    def test_home_page_has_shell(self):
        page = self.client.get("/")
        self.assertEqual(page.status, 200)
        self.assertIn("text/html", page.header("content-type"))
        self.assertRegex(page.text, r'<html lang="en" dir="ltr"')
        for href in ('href="/statement"', 'href="/members"', 'href="/lists"', 'href="/processes"',
                     'href="/signin"'):
            self.assertIn(href, page.text)
        self.assertIn('id="main"', page.text)
        self.assertIn("<nav", page.text)
        self.assertIn("default-src 'self'", page.header("content-security-policy"))
        self.assertEqual(page.header("x-content-type-options"), "nosniff")

    def test_arabic_is_right_to_left_and_sticks(self):
        page = self.client.get("/?lang=ar")
        self.assertRegex(page.text, r'<html lang="ar" dir="rtl"')
        again = self.client.get("/members")
        self.assertRegex(again.text, r'<html lang="ar" dir="rtl"')

    def test_accept_language_negotiates(self):
        page = self.client.get("/", headers={"Accept-Language": "de;q=1, fr-CA;q=0.8, en;q=0.5"})
        self.assertRegex(page.text, r'<html lang="fr" dir="ltr"')

    def test_every_un_language_is_selectable(self):
        for tag in ("ar", "zh", "en", "fr", "ru", "es"):
            page = self.server.client().get(f"/?lang={tag}")
            self.assertEqual(page.status, 200)
            self.assertIn(f'lang="{tag}"', page.text)

    def test_members_grouped_by_region_with_filter(self):
        page = self.client.get("/members")
        self.assertEqual(page.status, 200)
        for name in ("Nominet", "auDA", "CIRA", "InternetNZ"):
            self.assertIn(name, page.text)
        self.assertIn("Europe", page.text)
        self.assertIn("North America", page.text)
        filtered = self.client.get("/members?group=academia")
        self.assertEqual(filtered.status, 200)
        self.assertNotIn("InternetNZ", filtered.text)

    def test_organisation_page(self):
        page = self.client.get("/members/internetnz")
        self.assertEqual(page.status, 200)
        self.assertIn("InternetNZ", page.text)
        self.assertEqual(self.client.get("/members/no-such-org").status, 404)

    def test_real_404_page(self):
        page = self.client.get("/no/such/page")
        self.assertEqual(page.status, 404)
        self.assertIn("<nav", page.text)

    def test_api_lists_organisations(self):
        response = self.client.get("/api/v1/organisations")
        self.assertEqual(response.status, 200)
        self.assertIn("application/json", response.header("content-type"))
        body = response.json()
        items = body["organisations"] if isinstance(body, dict) else body
        slugs = {o["slug"] for o in items}
        self.assertTrue({"nominet", "auda", "cira", "internetnz"} <= slugs, slugs)
        one = self.client.get("/api/v1/organisations/cira").json()
        self.assertEqual(one["country"], "CA")
        missing = self.client.get("/api/v1/organisations/nope")
        self.assertEqual(missing.status, 404)
        self.assertIn("application/problem+json", missing.header("content-type"))
        self.assertEqual(missing.json()["status"], 404)

    def test_health_and_metrics(self):
        health = self.client.get("/healthz")
        self.assertEqual(health.status, 200)
        self.assertEqual(health.json()["database"], "ok")
        self.client.get("/members")
        metrics = self.client.get("/metrics").text
        self.assertRegex(metrics, r'coalition_http_requests_total\{[^}]*route="/members"[^}]*status="200"[^}]*\} \d+')
        self.assertIn("coalition_http_request_duration_seconds_bucket", metrics)
        self.assertIn("coalition_mail_outbox_depth", metrics)

    def test_static_css(self):
        css = self.client.get("/static/site.css")
        self.assertEqual(css.status, 200)
        self.assertIn("text/css", css.header("content-type"))


class BadInput(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.client = self.server.client()

    def test_oversized_body_is_413(self):
        response = self.client.post("/signin", body=b"email=" + b"a" * (2 * 1024 * 1024),
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(response.status, 413)
        self.assertEqual(self.client.get("/").status, 200)

    def test_post_without_csrf_is_refused(self):
        response = self.client.post("/signin", form={"email": "someone@example.org"})
        self.assertEqual(response.status, 403)
        self.assertEqual(self.server.outbox_messages(), [])

    def test_invalid_email_is_422_with_value_kept(self):
        response = self.client.submit("/signin", fields={"email": "<script>alert(1)</script>"})
        self.assertEqual(response.status, 422)
        self.assertNotIn("<script>alert(1)</script>", response.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", response.text)
        self.assertIn('aria-invalid="true"', response.text)

    def test_invalid_utf8_and_nul_are_rejected_cleanly(self):
        page = self.client.get("/signin")
        token = self.client.csrf_from(page.text)
        for raw in (b"email=%FF%FE%FD", b"email=a%00b%40example.org", b"email=" + b"x" * 1000000):
            body = raw + b"&_csrf=" + token.encode()
            response = self.client.post("/signin", body=body,
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
            self.assertIn(response.status, (400, 422), raw[:40])
        self.assertEqual(self.client.get("/").status, 200)

    def test_hostile_query_strings(self):
        for path in ("/members?group=%27%3B%20DROP%20TABLE%20organisations%3B--", "/members?group=%FF",
                     "/members?region=<script>", "/%2e%2e/%2e%2e/etc/passwd"):
            response = self.client.get(path)
            self.assertIn(response.status, (200, 400, 404, 422), path)
            self.assertNotIn("<script>", response.text)
        self.assertIn("InternetNZ", self.client.get("/members").text)

    def test_concurrent_requests(self):
        failures = []

        def worker():
            client = self.server.client()
            for _ in range(20):
                if client.get("/members").status != 200:
                    failures.append(1)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(failures, [])


class SignInAndAdmin(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()

    def test_magic_link_signs_in_once(self):
        client = self.server.client()
        response = client.submit("/signin", fields={"email": "admin@coalition.example"})
        self.assertIn(response.status, (200, 303))
        mail = wait_for(lambda: self.server.outbox_messages(), what="sign-in mail")[-1]
        self.assertIn(b"admin@coalition.example", mail)
        from harness import extract_link
        import urllib.parse
        path = urllib.parse.urlsplit(extract_link(mail, "/signin/")).path
        # Opening the link (as a mail scanner would) does not sign in: it shows a button.
        page = client.get(path)
        self.assertEqual(page.status, 200)
        self.assertNotIn("session", client.cookies)
        self.assertEqual(client.get("/admin/outbox").status, 303)
        confirmed = client.post(path, form={"_csrf": client.csrf_from(page.text)})
        self.assertEqual(confirmed.status, 303)
        self.assertEqual(client.get("/admin/outbox").status, 200)
        # The same link cannot be used twice.
        other = self.server.client()
        reopen = other.get(path)
        second = other.post(path, form={"_csrf": other.csrf_from(reopen.text)}) if reopen.status == 200 else reopen
        self.assertEqual(second.status, 410)

    def test_unknown_address_gets_same_answer_and_no_mail(self):
        client = self.server.client()
        known = client.submit("/signin", fields={"email": "admin@coalition.example"})
        unknown = client.submit("/signin", fields={"email": "nobody@example.org"})
        self.assertEqual(known.status, unknown.status)
        wait_for(lambda: len(self.server.outbox_messages()) >= 1, what="mail")
        self.assertEqual(len(self.server.outbox_messages()), 1)

    def test_wrong_token_is_410(self):
        client = self.server.client()
        page = client.get("/signin/not-a-real-token")
        if page.status == 200:
            page = client.post("/signin/not-a-real-token", form={"_csrf": client.csrf_from(page.text)})
        self.assertEqual(page.status, 410)

    def test_admin_pages_need_admin(self):
        anonymous = self.server.client()
        self.assertEqual(anonymous.get("/admin/organisations").status, 303)
        self.assertEqual(self.cli("user", "add", "--email", "member@example.org", "--role", "member").returncode, 0)
        member = self.sign_in(self.server, "member@example.org")
        self.assertEqual(member.get("/admin/organisations").status, 403)

    def test_admin_adds_organisation_with_errors_then_success(self):
        admin = self.sign_in(self.server, "admin@coalition.example")
        bad = admin.submit("/admin/organisations/new", "/admin/organisations", {
            "name": "<b>Hostile</b> \"Org\"", "country": "XX", "stakeholder_group": "technical-community",
            "website": "javascript:alert(1)", "domain": "not a domain", "status": "member"})
        self.assertEqual(bad.status, 422)
        self.assertIn("&lt;b&gt;Hostile&lt;/b&gt;", bad.text)
        self.assertNotIn("<b>Hostile</b>", bad.text)
        for field in ("country", "website", "domain"):
            self.assertRegex(bad.text, rf'id="field-{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="field-{field}"')
        good = admin.submit("/admin/organisations/new", "/admin/organisations", {
            "name": "<b>Hostile</b> \"Org\"", "short_name": "Hostile", "country": "BR",
            "stakeholder_group": "civil-society", "website": "https://hostile.example",
            "domain": "hostile.example", "status": "candidate"})
        self.assertEqual(good.status, 303)
        members = self.server.client().get("/members").text
        self.assertIn("&lt;b&gt;Hostile&lt;/b&gt;", members)
        audit = admin.get("/admin/audit")
        self.assertEqual(audit.status, 200)
        self.assertIn("hostile", audit.text.lower())

    def test_outbox_page_lists_mail(self):
        admin = self.sign_in(self.server, "admin@coalition.example")
        page = admin.get("/admin/outbox")
        self.assertEqual(page.status, 200)
        self.assertIn("Sign in", page.text)

    def test_sign_out(self):
        admin = self.sign_in(self.server, "admin@coalition.example")
        home = admin.get("/")
        admin.post("/signout", form={"_csrf": admin.csrf_from(home.text)})
        self.assertEqual(admin.get("/admin/outbox").status, 303)

    def test_password_sign_in(self):
        result = self.cli("user", "add", "--email", "pw@example.org", "--role", "admin", "--password-stdin",
                          input_text="correct horse battery\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        client = self.server.client()
        wrong = client.submit("/signin", fields={"email": "pw@example.org", "password": "wrong password!"})
        self.assertEqual(wrong.status, 422)
        right = client.submit("/signin", fields={"email": "pw@example.org", "password": "correct horse battery"})
        self.assertEqual(right.status, 303)
        self.assertEqual(client.get("/admin/outbox").status, 200)


class Lifecycle(ServerTest):
    def test_sigterm_exits_zero(self):
        server = self.start_server()
        self.assertEqual(server.client().get("/").status, 200)
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()
