"""Signing the Statement of Purpose over HTTP, against the real binary: the form and the JSON
API, double opt-in through a real SMTP sink, duplicates, abuse defences, bad input, an IDN
address, and a SIGKILL right after the 202."""
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse

from harness import ROOT, SYSTEM_PYTHON, ServerTest, Server, extract_link, wait_for

STATEMENT = """# Statement of Purpose

We, the undersigned, support an open, stable and secure internet, governed by all its
stakeholders together.

1. The multistakeholder model works.
2. Technical coordination belongs with the technical community.
"""

# Enough sign-ups from 127.0.0.1 for every test but the rate-limit one.
GENEROUS_LIMITS = {"COALITION_SIGNON_PER_ADDRESS_PER_HOUR": "1000",
                   "COALITION_SIGNON_PER_DOMAIN_PER_HOUR": "1000"}


def individual(email, name="Ana Martínez", **extra):
    body = {"kind": "individual", "name": name, "email": email, "country": "ES",
            "public": True, "lang": "en"}
    body.update(extra)
    return body


def organisation(email, **extra):
    body = {"kind": "organisation", "name": "Kim Lee", "title": "Chief Executive", "email": email,
            "organisation": {"name": "Example Registry", "country": "NZ",
                             "stakeholder_group": "technical-community", "domain": "example.org"},
            "lang": "en"}
    body.update(extra)
    return body


def counts(page_text):
    """(organisations, individuals) from the counts on /statement."""
    found = re.findall(r"<dt>[^<]*</dt><dd>(\d+)</dd>", page_text)
    if len(found) < 2:
        raise AssertionError("no counts on the statement page:\n" + page_text[:2000])
    return int(found[0]), int(found[1])


def body_text(message_bytes):
    import email
    import email.policy
    parsed = email.message_from_bytes(message_bytes, policy=email.policy.default)
    return parsed.get_body(preferencelist=("plain",)).get_content()


class SigningTest(ServerTest):
    """A published statement, a running server and an SMTP sink for its mail."""

    limits = GENEROUS_LIMITS
    publish = True

    def setUp(self):
        super().setUp()
        try:
            self.sink = self.start_sink()
            self.assertEqual(self.cli("migrate").returncode, 0)
            if self.publish:
                self.publish_statement(STATEMENT)
            self.server = self.start_server(self.server_env())
            self.client = self.server.client()
        except BaseException:
            # unittest skips tearDown when setUp fails: stop the sink and servers here.
            self.tearDown()
            raise

    def server_env(self):
        env = {"COALITION_MAIL_RELAY": f"smtp://127.0.0.1:{self.sink.port}"}
        env.update(self.limits)
        return env

    def publish_statement(self, text):
        path = os.path.join(self.directory, "statement.md")
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
        result = self.cli("statement", "publish", "--file", path, "--lang", "en")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result.stdout.strip()

    def sign_api(self, body, client=None):
        return (client or self.client).post("/api/v1/signatures", json_body=body)

    def sign_form(self, fields, client=None):
        client = client or self.client
        return client.submit("/statement", "/statement/sign", fields)

    def mails_to(self, address):
        wanted = address.lower()
        return [m for m in self.sink.messages()
                if any(r.lower() == wanted or r.lower().split("@")[0] == wanted.split("@")[0]
                       and r.lower().endswith(wanted.split("@")[1]) for r in m["rcpt_tos"])]

    def link_for(self, address, marker):
        """Waits for a mail to `address` holding a link with `marker`; returns the link's path."""
        def find():
            for message in self.mails_to(address):
                if marker in body_text(message["bytes"]):
                    return message
            return None
        message = wait_for(find, what=f"mail to {address} with {marker}")
        return urllib.parse.urlsplit(extract_link(message["bytes"], marker)).path

    def confirm(self, path, client=None):
        client = client or self.client
        page = client.get(path)
        self.assertEqual(page.status, 200, page.text[:1000])
        return client.post(path, form={"_csrf": client.csrf_from(page.text)})

    def totals(self):
        page = self.client.get("/statement")
        self.assertEqual(page.status, 200)
        return counts(page.text)


class BeforePublication(SigningTest):
    publish = False

    def test_friendly_page_and_no_signing(self):
        page = self.client.get("/statement")
        self.assertEqual(page.status, 200)
        self.assertIn("not been published yet", page.text)
        self.assertNotIn('action="/statement/sign"', page.text)
        response = self.sign_api(individual("early@example.org"))
        self.assertEqual(response.status, 409)
        self.assertIn("application/problem+json", response.header("content-type"))


class StatementPage(SigningTest):
    def test_text_version_counts_and_forms(self):
        page = self.client.get("/statement")
        self.assertEqual(page.status, 200)
        text = page.text
        self.assertIn("<h1>Statement of Purpose</h1>", text)
        self.assertIn("The multistakeholder model works.", text)
        self.assertRegex(text, r"<code>[0-9a-f]{64}</code>")
        self.assertIn("Version 1", text)
        self.assertEqual(counts(text), (0, 0))
        self.assertIn('href="/statement/signatories"', text)
        for field in ("organisation_name", "organisation_country", "stakeholder_group",
                      "organisation_domain", "representative_name", "title",
                      "representative_email", "name", "country", "affiliation", "email", "public"):
            self.assertIn(f'id="field-{field}"', text)
            self.assertIn(f'for="field-{field}"', text)
        self.assertEqual(text.count("<fieldset>"), 3)
        self.assertEqual(text.count('name="homepage"'), 2)
        self.assertIn('aria-hidden="true"', text)
        self.assertIn('name="_csrf"', text)
        self.assertIn('<option value="NZ">', text)
        self.assertIn('<option value="technical-community">', text)

    def test_fallback_to_the_authoritative_language_is_announced(self):
        page = self.server.client().get("/statement?lang=ar")
        self.assertRegex(page.text, r'<html lang="ar" dir="rtl"')
        self.assertRegex(page.text, r'class="statement-text" lang="en" dir="ltr"')
        self.assertIn('class="notice"', page.text)
        # The notice names the language in the reader's own: "الإنجليزية", not "English".
        self.assertIn("باللغة الإنجليزية", page.text)
        english = self.client.get("/statement")
        self.assertNotIn('<p class="notice">', english.text)

    def test_versions_pages(self):
        page = self.client.get("/statement/versions")
        self.assertEqual(page.status, 200)
        link = re.search(r'href="(/statement/versions/[0-9a-f]{64})"', page.text).group(1)
        version = self.client.get(link)
        self.assertEqual(version.status, 200)
        self.assertIn("The multistakeholder model works.", version.text)
        self.assertEqual(self.client.get("/statement/versions/" + "0" * 64).status, 404)


class DoubleOptIn(SigningTest):
    def test_api_signature_confirmed_by_post_only(self):
        response = self.sign_api(individual("ana@example.org"))
        self.assertEqual(response.status, 202, response.text)
        self.assertEqual(response.json()["status"], "pending")
        self.assertTrue(response.json()["message"])
        path = self.link_for("ana@example.org", "/statement/confirm/")

        # Opening the link (what a mail scanner does) confirms nothing, however often.
        for _ in range(3):
            page = self.client.get(path)
            self.assertEqual(page.status, 200)
            self.assertIn("Confirm my signature", page.text)
            self.assertIn("Ana Martínez", page.text)
            self.assertIn(f'action="{path}"', page.text)
        self.assertEqual(self.totals(), (0, 0))

        confirmed = self.client.post(path, form={"_csrf": self.client.csrf_from(page.text)})
        self.assertEqual(confirmed.status, 200, confirmed.text[:1000])
        self.assertIn("your signature is confirmed", confirmed.text)
        self.assertIn("on the public list", confirmed.text)
        self.assertEqual(self.totals(), (0, 1))

        # A second click (the form still open in another tab) is harmless and says so.
        again = self.client.post(path, form={"_csrf": self.client.csrf_from(page.text)})
        self.assertEqual(again.status, 200)
        self.assertIn("already confirmed", again.text)
        self.assertEqual(self.totals(), (0, 1))
        reopened = self.client.get(path)
        self.assertIn("already confirmed", reopened.text)
        self.assertNotIn("Confirm my signature", reopened.text)

    def test_form_signature_as_organisation_and_dns_page(self):
        response = self.sign_form({
            "kind": "organisation", "organisation_name": "Registre Exemple",
            "organisation_country": "FR", "stakeholder_group": "technical-community",
            "organisation_domain": "exemple.fr", "representative_name": "Claire Dubois",
            "title": "Directrice", "representative_email": "claire@exemple.fr",
        })
        self.assertEqual(response.status, 202, response.text[:2000])
        self.assertIn("Check your e-mail", response.text)
        self.assertIn("claire@exemple.fr", response.text)
        path = self.link_for("claire@exemple.fr", "/statement/confirm/")
        page = self.client.get(path)
        self.assertIn("Registre Exemple", page.text)
        self.assertIn("Claire Dubois, Directrice", page.text)
        confirmed = self.confirm(path)
        self.assertEqual(confirmed.status, 200, confirmed.text[:1000])
        self.assertIn("The secretariat checks each organisation", confirmed.text)
        # Organisations wait for moderation: not counted yet.
        self.assertEqual(self.totals(), (0, 0))
        self.assertIn("Prove that you speak for the organisation", confirmed.text)
        # The DNS page's link comes in the mail that follows the confirmation.
        dns_path = self.link_for("claire@exemple.fr", "/statement/verify/")
        dns = self.client.get(dns_path)
        self.assertEqual(dns.status, 200, dns.text[:1000])
        self.assertIn("_coalition-challenge.exemple.fr", dns.text)
        self.assertIn("Check now", dns.text)
        # No record is published for exemple.fr here: the check says so in words.
        checked = self.client.post(dns_path, form={"_csrf": self.client.csrf_from(dns.text)})
        self.assertEqual(checked.status, 200)
        self.assertIn('class="error-summary"', checked.text)
        self.assertIn("_coalition-challenge.exemple.fr", checked.text)

    def test_form_needs_csrf(self):
        response = self.client.post("/statement/sign", form={"kind": "individual", "name": "X",
                                                             "email": "x@example.org"})
        self.assertEqual(response.status, 403)

    def test_wrong_token_is_410(self):
        for path in ("/statement/confirm/not-a-token", "/statement/withdraw/not-a-token",
                     "/statement/verify/not-a-token", "/statement/confirm/" + "A" * 43):
            self.assertEqual(self.client.get(path).status, 410, path)
        page = self.client.get("/statement")
        token = self.client.csrf_from(page.text)
        for path in ("/statement/confirm/nope", "/statement/withdraw/nope", "/statement/verify/nope"):
            self.assertEqual(self.client.post(path, form={"_csrf": token}).status, 410, path)

    def test_withdrawal_through_the_mailed_link(self):
        self.assertEqual(self.sign_api(individual("leave@example.org")).status, 202)
        self.confirm(self.link_for("leave@example.org", "/statement/confirm/"))
        self.assertEqual(self.totals(), (0, 1))
        path = self.link_for("leave@example.org", "/statement/withdraw/")
        page = self.client.get(path)
        self.assertEqual(page.status, 200)
        self.assertIn("Withdraw my signature", page.text)
        self.assertEqual(self.totals(), (0, 1))  # Opening the link changes nothing.
        done = self.client.post(path, form={"_csrf": self.client.csrf_from(page.text)})
        self.assertEqual(done.status, 200, done.text[:1000])
        self.assertIn("withdrawn", done.text)
        self.assertEqual(self.totals(), (0, 0))


class Duplicates(SigningTest):
    def test_same_answer_and_one_signature(self):
        first = self.sign_api(individual("dup@example.org"))
        self.assertEqual(first.status, 202)
        self.link_for("dup@example.org", "/statement/confirm/")
        for variant in ("DUP@Example.ORG", "dup+news@example.org", "Dup+x@EXAMPLE.org"):
            again = self.sign_api(individual(variant, name="Someone Else"))
            self.assertEqual(again.status, 202)
            self.assertEqual(again.json(), first.json())
            page = self.sign_form({"kind": "individual", "name": "Someone Else", "country": "ES",
                                   "email": variant})
            self.assertEqual(page.status, 202)
            self.assertIn("Check your e-mail", page.text)
        # Every confirmation link that went out, to any spelling, confirms the one signature.
        wait_for(lambda: len(self.sink.messages()) >= 1, what="mail")
        paths = set()
        for message in self.sink.messages():
            text = body_text(message["bytes"])
            for link in re.findall(r"https?://\S*/statement/confirm/\S+", text):
                paths.add(urllib.parse.urlsplit(link).path)
        self.assertGreaterEqual(len(paths), 1)
        # The first link confirms; any other (a resend's) then shows the signature as confirmed.
        for index, path in enumerate(sorted(paths)):
            page = self.client.get(path)
            self.assertEqual(page.status, 200, page.text[:1000])
            if index == 0:
                self.client.post(path, form={"_csrf": self.client.csrf_from(page.text)})
            else:
                self.assertIn("Already confirmed", page.text)
        self.assertEqual(self.totals(), (0, 1))
        page = self.client.get("/statement/signatories")
        if page.status == 200:
            self.assertNotIn("Someone Else", page.text)


class Honeypot(SigningTest):
    def test_filled_honeypot_looks_accepted_and_stores_nothing(self):
        bot = self.sign_form({"kind": "individual", "name": "Bot", "country": "ES",
                              "email": "bot@example.org", "homepage": "http://spam.example"})
        self.assertEqual(bot.status, 202)
        self.assertIn("Check your e-mail", bot.text)
        human = self.sign_form({"kind": "individual", "name": "Human", "country": "ES",
                                "email": "human@example.org"})
        self.assertEqual(human.status, 202)
        self.link_for("human@example.org", "/statement/confirm/")
        self.assertEqual(self.mails_to("bot@example.org"), [])


class RateLimit(SigningTest):
    limits = {"COALITION_SIGNON_PER_ADDRESS_PER_HOUR": "2",
              "COALITION_SIGNON_PER_DOMAIN_PER_HOUR": "1000"}

    def test_429_with_retry_after(self):
        for number in range(2):
            self.assertEqual(self.sign_api(individual(f"p{number}@example.org")).status, 202)
        limited = self.sign_api(individual("p2@example.org"))
        self.assertEqual(limited.status, 429, limited.text)
        self.assertIn("application/problem+json", limited.header("content-type"))
        self.assertGreater(int(limited.header("retry-after")), 0)
        page = self.sign_form({"kind": "individual", "name": "P", "country": "ES",
                               "email": "p3@example.org"})
        self.assertEqual(page.status, 429)
        self.assertGreater(int(page.header("retry-after")), 0)
        self.assertIn("Too many signatures", page.text)


class BadInput(SigningTest):
    def test_empty_forms_list_every_field(self):
        page = self.sign_form({"kind": "individual"})
        self.assertEqual(page.status, 422)
        self.assertIn('class="error-summary"', page.text)
        for field in ("name", "country", "email"):
            self.assertIn(f'href="#field-{field}"', page.text)
        self.assertIn('aria-invalid="true"', page.text)
        page = self.sign_form({"kind": "organisation", "representative_name": "Kept Value"})
        self.assertEqual(page.status, 422)
        for field in ("organisation_name", "organisation_country", "stakeholder_group",
                      "organisation_domain", "title", "representative_email"):
            self.assertIn(f'href="#field-{field}"', page.text)
        self.assertIn('value="Kept Value"', page.text)

    def test_api_problem_details(self):
        response = self.sign_api({"kind": "individual", "name": 3, "public": "yes"})
        self.assertEqual(response.status, 422)
        problem = response.json()
        self.assertEqual(problem["status"], 422)
        fields = {error["field"] for error in problem["errors"]}
        self.assertTrue({"name", "public", "email", "country"} <= fields, fields)
        response = self.sign_api(organisation("o@example.org", organisation={"name": "X"}))
        fields = {error["field"] for error in response.json()["errors"]}
        self.assertTrue({"organisation.country", "organisation.stakeholder_group",
                         "organisation.domain"} <= fields, fields)

    def test_malformed_json_and_wrong_content_type(self):
        for body in (b"{", b"[]", b'{"name": "\xff"}', b"null"):
            response = self.client.post("/api/v1/signatures", body=body,
                                        headers={"Content-Type": "application/json"})
            self.assertEqual(response.status, 400, body)
            self.assertIn("application/problem+json", response.header("content-type"))
        response = self.client.post("/api/v1/signatures", form={"kind": "individual"})
        self.assertEqual(response.status, 415)

    def test_nul_invalid_utf8_and_oversized_fields(self):
        response = self.sign_api(individual("nul@example.org", name="A\u0000B"))
        self.assertEqual(response.status, 422)
        self.assertIn("name", {e["field"] for e in response.json()["errors"]})
        response = self.sign_api(individual("big@example.org", name="x" * 100_000))
        self.assertEqual(response.status, 422)
        self.assertIn("name", {e["field"] for e in response.json()["errors"]})
        page = self.client.get("/statement")
        token = self.client.csrf_from(page.text)
        for raw in (b"kind=individual&name=%FF%FE&country=ES&email=a%40example.org",
                    b"kind=individual&name=a%00b&country=ES&email=a%40example.org"):
            response = self.client.post("/statement/sign", body=raw + b"&_csrf=" + token.encode(),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
            self.assertEqual(response.status, 400, raw)
        big = self.sign_form({"kind": "individual", "name": "y" * 100_000, "country": "ES",
                              "email": "big@example.org"})
        self.assertEqual(big.status, 422)
        self.assertIn('href="#field-name"', big.text)

    def test_hostile_html_is_shown_escaped(self):
        hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\''
        response = self.sign_api(individual("html@example.org", name=hostile,
                                            affiliation="<b>bold</b>"))
        self.assertEqual(response.status, 202, response.text)
        path = self.link_for("html@example.org", "/statement/confirm/")
        page = self.client.get(path)
        self.assertNotIn("<script>alert(1)", page.text)
        self.assertNotIn("<img src=x", page.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page.text)
        self.assertIn("&lt;b&gt;bold&lt;/b&gt;", page.text)
        form = self.sign_form({"kind": "individual", "name": hostile, "country": "XX",
                               "email": "not an address"})
        self.assertEqual(form.status, 422)
        self.assertNotIn("<script>alert(1)", form.text)


class InternationalAddress(SigningTest):
    def test_devanagari_address_with_idn_domain(self):
        address = "उपयोगकर्ता@उदाहरण.भारत"
        response = self.sign_api(individual(address, name="प्रिया शर्मा", country="IN", lang="fr"))
        self.assertEqual(response.status, 202, response.text)
        message = wait_for(lambda: [m for m in self.sink.messages()
                                    if any(r.startswith("उपयोगकर्ता@") for r in m["rcpt_tos"])],
                           what="mail to the Devanagari address")[0]
        self.assertTrue(message["smtputf8"])
        # SMTPUTF8: the local part as typed, the domain as A-labels (UTS #46 gives the same
        # labels as Python's IDNA 2003 codec for these).
        self.assertEqual(message["rcpt_tos"],
                         ["उपयोगकर्ता@" + "उदाहरण.भारत".encode("idna").decode("ascii")])
        path = urllib.parse.urlsplit(extract_link(message["bytes"], "/statement/confirm/")).path
        page = self.client.get(path)
        self.assertEqual(page.status, 200)
        self.assertIn(address, page.text)
        self.assertIn("प्रिया शर्मा", page.text)
        confirmed = self.confirm(path)
        self.assertEqual(confirmed.status, 200)
        self.assertEqual(self.totals(), (0, 1))

    def test_form_accepts_the_address_too(self):
        response = self.sign_form({"kind": "individual", "name": "李华", "country": "CN",
                                   "email": "用户@例子.广告"})
        self.assertEqual(response.status, 202, response.text[:2000])
        self.assertIn("用户@例子.广告", response.text)


class Durability(SigningTest):
    def test_accepted_signature_survives_sigkill(self):
        response = self.sign_api(individual("durable@example.org"))
        self.assertEqual(response.status, 202)
        self.server.stop(signal.SIGKILL)
        restarted = Server(self.directory, self.database.url, extra_env=self.server_env()).start()
        self.servers.append(restarted)
        self.server = restarted
        self.client = restarted.client()
        path = self.link_for("durable@example.org", "/statement/confirm/")
        confirmed = self.confirm(path)
        self.assertEqual(confirmed.status, 200, confirmed.text[:1000])
        self.assertEqual(self.totals(), (0, 1))

    def test_a_killed_servers_claimed_mail_is_sent_by_the_next_server_at_once(self):
        # As if the server died between claiming the confirmation mail and recording it sent:
        # the claim (leased for an hour) names a process of this host that no longer runs.
        response = self.sign_api(individual("claimed@example.org"))
        self.assertEqual(response.status, 202)
        dead_pid = self.server.process.pid
        self.server.stop(signal.SIGKILL)
        sent_before = len(self.mails_to("claimed@example.org"))  # 0, or 1 if it went out in time.
        until = int(time.time()) + 3600
        self.database.execute(
            f"UPDATE mail_outbox SET state = 'pending', next_attempt_at = 0, "
            f"claimed_by = '{socket.gethostname()}:{dead_pid}', claimed_until = {until} "
            f"WHERE recipients LIKE '%claimed@example.org%'")
        restarted = Server(self.directory, self.database.url, extra_env=self.server_env()).start()
        self.servers.append(restarted)
        self.server = restarted
        self.client = restarted.client()
        # Sent (again: mail is at least once) well before the hour's lease ends.
        wait_for(lambda: len(self.mails_to("claimed@example.org")) == sent_before + 1,
                 what="the claimed confirmation mail, sent by the restarted server")
        path = self.link_for("claimed@example.org", "/statement/confirm/")
        self.assertEqual(self.confirm(path).status, 200)


class LocalDns:
    """tests/support/dns_server.py: Debian's nsd on 127.0.0.1, records added while it runs."""

    def __init__(self, *args):
        script = os.path.join(ROOT, "tests", "support", "dns_server.py")
        self.process = subprocess.Popen([SYSTEM_PYTHON, script, "--stop-on-stdin-eof"] + list(args),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.match(r"LISTENING (\d+) (\S+)", line)
        if not match:
            self.process.kill()
            raise AssertionError("dns_server.py did not start: " + line)
        self.port = int(match.group(1))
        self.anchor = match.group(2)

    def add(self, record):
        self.process.stdin.write(f"ADD {record}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if answer != "OK":
            raise AssertionError(f"dns_server.py: {answer}")

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=20)


class DnsProof(SigningTest):
    """An organisation proves its domain with the TXT record from its DNS page."""

    def setUp(self):
        self.dns = LocalDns("--zone", "registre.test", "--signed-zone", "signe.test")
        self.addCleanup(self.dns.stop)
        super().setUp()

    def server_env(self):
        env = super().server_env()
        env.update({"COALITION_DNS_RESOLVER": f"127.0.0.1@{self.dns.port}",
                    "COALITION_DNS_TRUST_ANCHOR": self.dns.anchor})
        return env

    def dns_page(self, domain, address):
        body = organisation(address)
        body["organisation"]["domain"] = domain
        self.assertEqual(self.sign_api(body).status, 202)
        self.confirm(self.link_for(address, "/statement/confirm/"))
        path = self.link_for(address, "/statement/verify/")
        page = self.client.get(path)
        self.assertEqual(page.status, 200, page.text[:1000])
        name = re.search(r"<code>(_coalition-challenge\.[^<]+)</code>", page.text).group(1)
        self.assertEqual(name, "_coalition-challenge." + domain)
        value = re.search(r"<dt>Value</dt><dd><code>([^<]+)</code>", page.text).group(1)
        return path, page, value

    def check(self, path, page):
        return self.client.post(path, form={"_csrf": self.client.csrf_from(page.text)})

    def test_missing_then_published_record(self):
        path, page, value = self.dns_page("registre.test", "kim@registre.test")
        missing = self.check(path, page)
        self.assertEqual(missing.status, 200)
        self.assertIn('class="error-summary"', missing.text)
        self.assertIn("_coalition-challenge.registre.test", missing.text)
        self.assertIn("Check now", missing.text)
        self.dns.add(f'_coalition-challenge.registre.test. 0 IN TXT "{value}"')
        proven = self.check(path, missing)
        self.assertEqual(proven.status, 200, proven.text[:1000])
        self.assertIn("the DNS record is there", proven.text)
        self.assertIn("not signed with DNSSEC", proven.text)

    def test_wrong_value_is_explained(self):
        path, page, _ = self.dns_page("registre.test", "lee@registre.test")
        self.dns.add('_coalition-challenge.registre.test. 0 IN TXT "not-the-token"')
        wrong = self.check(path, page)
        self.assertEqual(wrong.status, 200)
        self.assertIn("does not hold the value", wrong.text)

    def test_signed_zone_is_marked_dnssec(self):
        path, page, value = self.dns_page("signe.test", "ana@signe.test")
        self.dns.add(f'_coalition-challenge.signe.test. 0 IN TXT "{value}"')
        proven = self.check(path, page)
        self.assertIn("validated", proven.text)
        self.assertIn("DNSSEC", proven.text)
