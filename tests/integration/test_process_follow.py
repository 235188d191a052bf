"""Following processes against the real binary: follow by e-mail with double opt-in (the
confirmation mail in the outbox, a confirm page whose button POSTs, single-use and wrong tokens
refused), a signed-in member's one-click follow, the tokenised manage page (reminder days,
language, time zone, unfollow), the personal iCalendar feed validated with the icalendar library,
and the processes API's writes: bearer tokens from `coalition token create`, RFC 9457 problems
listing each invalid field."""
import json
import re
import urllib.parse

import icalendar

from harness import ServerTest, extract_link, wait_for


class ProcessFollow(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.client = self.server.client()

    def new_mail(self, seen, marker):
        return wait_for(lambda: next((m for m in self.server.outbox_messages()
                                      if m not in seen and marker.encode() in m), None),
                        what="mail with " + marker)

    def follow_by_mail(self, address, slugs=("gdc",)):
        seen = set(self.server.outbox_messages())
        page = self.client.get("/processes/" + slugs[0])
        self.assertEqual(page.status, 200)
        self.assertIn('action="/processes/follow"', page.text)
        answer = self.client.post("/processes/follow", form={
            "_csrf": self.client.csrf_from(page.text), "email": address,
            "process": list(slugs)})
        self.assertEqual(answer.status, 200, answer.text[:800])
        self.assertIn(address, answer.text)
        mail = self.new_mail(seen, "/processes/follow/confirm/")
        return urllib.parse.urlsplit(extract_link(mail, "/processes/follow/confirm/")).path

    def test_follow_by_mail_confirm_manage_and_calendar(self):
        path = self.follow_by_mail("ana@example.org", ("gdc", "igf"))
        # Opening the link confirms nothing; only the button's POST does.
        page = self.client.get(path)
        self.assertEqual(page.status, 200)
        self.assertIn("ana@example.org", page.text)
        self.assertIn("Global Digital Compact", page.text)
        confirmed = self.client.post(path, form={"_csrf": self.client.csrf_from(page.text)})
        self.assertEqual(confirmed.status, 303, confirmed.text[:500])
        manage_path = urllib.parse.urlsplit(confirmed.header("location")).path
        self.assertRegex(manage_path, r"^/processes/manage/[0-9a-f]{40}$")
        # Single use.
        again = self.client.get(path)
        self.assertEqual(again.status, 410)
        self.assertEqual(self.client.post(path, form={"_csrf": self.client.csrf_from(page.text)}
                                          ).status, 410)

        manage = self.client.get(manage_path)
        self.assertEqual(manage.status, 200)
        self.assertEqual(manage.header("referrer-policy"), "no-referrer")
        self.assertIn("Global Digital Compact", manage.text)
        self.assertIn('value="14,3,1"', manage.text)
        calendar_url = re.search(r'value="(https?://[^"]+/processes/followed/[0-9a-f]{40}\.ics)"',
                                 manage.text).group(1)

        feed = self.client.get(urllib.parse.urlsplit(calendar_url).path)
        self.assertEqual(feed.status, 200)
        self.assertTrue(feed.header("content-type").startswith("text/calendar"))
        self.assertIn(b"\r\n", feed.body)
        parsed = icalendar.Calendar.from_ical(feed.body)
        events = list(parsed.walk("VEVENT"))
        self.assertGreater(len(events), 3)
        self.assertTrue(all(str(event.get("UID")) for event in events))
        summaries = " ".join(str(event.get("SUMMARY")) for event in events)
        self.assertIn("GDC", summaries)
        self.assertNotIn("WSIS+20:", summaries)  # Not followed.

        # Preferences: every invalid field is reported; valid ones are saved.
        csrf = self.client.csrf_from(manage.text)
        bad = self.client.post(manage_path, form={
            "_csrf": csrf, "reminder_days": "0, 500", "language": "xx",
            "time_zone": "Mars/Olympus_Mons"})
        self.assertEqual(bad.status, 422)
        self.assertEqual(bad.text.count('class="field-error"'), 3)
        good = self.client.post(manage_path, form={
            "_csrf": csrf, "reminder_days": "7, 2", "language": "fr",
            "time_zone": "America/New_York"})
        self.assertEqual(good.status, 303)
        saved = self.client.get(manage_path + "?saved=1")
        self.assertIn('value="7,2"', saved.text)
        self.assertIn('value="America/New_York"', saved.text)
        self.assertRegex(saved.text, r'<option value="fr" selected>')

        # Unfollow one, then all: the calendar empties.
        self.assertEqual(self.client.post(manage_path + "/unfollow", form={
            "_csrf": csrf, "process": "igf"}).status, 303)
        self.assertNotIn("/processes/igf\"", self.client.get(manage_path).text)
        self.assertEqual(self.client.post(manage_path + "/unfollow", form={
            "_csrf": csrf, "all": "1"}).status, 303)
        empty = icalendar.Calendar.from_ical(
            self.client.get(urllib.parse.urlsplit(calendar_url).path).body)
        self.assertEqual(list(empty.walk("VEVENT")), [])

    def test_one_click_unfollow_needs_no_cookie_but_the_buttons_need_csrf(self):
        path = self.follow_by_mail("li@example.org", ("gdc",))
        page = self.client.get(path)
        confirmed = self.client.post(path, form={"_csrf": self.client.csrf_from(page.text)})
        manage_path = urllib.parse.urlsplit(confirmed.header("location")).path
        # The page's button without its CSRF token is refused; the follower stays.
        self.assertEqual(self.client.post(manage_path + "/unfollow", form={"all": "1"}).status,
                         403)
        self.assertIn("Global Digital Compact", self.client.get(manage_path).text)
        # RFC 8058: the mail provider's POST, from a client with no cookies at all.
        provider = self.server.client()
        wrong = provider.post("/processes/manage/" + "0" * 40 + "/unfollow",
                              form={"List-Unsubscribe": "One-Click"})
        self.assertEqual(wrong.status, 404)
        done = provider.post(manage_path + "/unfollow", form={"List-Unsubscribe": "One-Click"})
        self.assertEqual(done.status, 200, done.text[:300])
        self.assertNotIn("Global Digital Compact", self.client.get(manage_path).text)

    def test_wrong_tokens_and_bad_input_are_refused(self):
        for path in ("/processes/follow/confirm/" + "A" * 32,
                     "/processes/follow/confirm/%27%20OR%201%3D1",
                     "/processes/follow/confirm/%00"):
            self.assertIn(self.client.get(path).status, (400, 410), path)
        self.assertEqual(self.client.get("/processes/manage/" + "0" * 40).status, 404)
        self.assertEqual(self.client.get("/processes/manage/..%2F..").status, 404)
        self.assertEqual(self.client.get("/processes/followed/" + "0" * 40 + ".ics").status, 404)
        self.assertEqual(self.client.get("/processes/followed/nothing").status, 404)
        page = self.client.get("/processes/gdc")
        csrf = self.client.csrf_from(page.text)
        bad = self.client.post("/processes/follow", form={
            "_csrf": csrf, "email": "not an address<script>", "process": "gdc"})
        self.assertEqual(bad.status, 422)
        self.assertNotIn("<script>", bad.text)
        none = self.client.post("/processes/follow", form={
            "_csrf": csrf, "email": "b@example.org", "process": "no-such-process"})
        self.assertEqual(none.status, 422)
        # Without the CSRF token nothing is sent.
        self.assertEqual(self.client.post("/processes/follow", form={
            "email": "c@example.org", "process": "gdc"}).status, 403)

    def test_expired_confirmation_link_is_refused(self):
        path = self.follow_by_mail("late@example.org")
        # The server's clock cannot be moved from here: the stored expiry is moved instead.
        self.database.execute("UPDATE process_follow_confirmations SET expires_at = 1")
        self.assertEqual(self.client.get(path).status, 410)

    def test_signed_in_member_follows_with_one_click(self):
        member = self.sign_in(self.server, "policy@cira.example")
        seen = set(self.server.outbox_messages())
        page = member.get("/processes/igf")
        self.assertNotIn('name="email"', re.search(r'<form[^>]*process-follow.*?</form>',
                                                   page.text, re.S).group(0))
        answer = member.post("/processes/follow", form={
            "_csrf": member.csrf_from(page.text), "process": "igf"})
        self.assertEqual(answer.status, 303)
        manage = member.get(urllib.parse.urlsplit(answer.header("location")).path)
        self.assertIn("policy@cira.example", manage.text)
        self.assertIn("Internet Governance Forum", manage.text)
        # No confirmation mail: the address is verified.
        self.assertFalse([m for m in self.server.outbox_messages()
                          if m not in seen and b"/processes/follow/confirm/" in m])


class ProcessesApiWrites(ServerTest):
    def setUp(self):
        super().setUp()
        self.server = self.start_server()
        self.client = self.server.client()
        created = self.cli("token", "create", "--user", "admin@coalition.example")
        self.assertEqual(created.returncode, 0, created.stderr)
        self.token = created.stdout.strip()
        self.assertRegex(self.token, r"^ct_[A-Za-z0-9_-]{43}$")
        member = self.cli("token", "create", "--user", "policy@cira.example")
        self.member_token = member.stdout.strip()

    def api(self, method, path, body=None, token=None):
        headers = {"Authorization": "Bearer " + token} if token else {}
        return self.client.request(method, path, json_body=body, headers=headers)

    def test_writes_need_an_admin_token(self):
        body = {"name": "Test consultation", "kind": "consultation", "status": "active"}
        self.assertEqual(self.api("POST", "/api/v1/processes", body).status, 401)
        self.assertEqual(self.api("POST", "/api/v1/processes", body, "ct_" + "x" * 43).status, 401)
        self.assertEqual(self.api("POST", "/api/v1/processes", body, self.token[:-1]).status, 401)
        self.assertEqual(self.api("POST", "/api/v1/processes", body, self.member_token).status,
                         403)
        self.assertEqual(self.api("DELETE", "/api/v1/processes/gdc").status, 401)
        # Reads stay public.
        self.assertEqual(self.api("GET", "/api/v1/processes").status, 200)

    def test_revoked_token_is_refused_at_once(self):
        body = {"name": "Revocation test", "kind": "consultation", "status": "active"}
        listed = json.loads(self.cli("token", "list", "--json").stdout)
        self.assertNotIn(self.token, json.dumps(listed))  # Never the secret itself.
        mine = [t for t in listed if t["user"] == "admin@coalition.example"]
        self.assertEqual(len(mine), 1, listed)
        self.assertFalse(mine[0]["revoked"])
        revoked = self.cli("token", "revoke", str(mine[0]["id"]))
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        self.assertEqual(self.api("POST", "/api/v1/processes", body, self.token).status, 401)
        self.assertTrue([t for t in json.loads(self.cli("token", "list", "--json").stdout)
                         if t["id"] == mine[0]["id"]][0]["revoked"])
        self.assertEqual(self.cli("token", "revoke", "999999").returncode, 1)
        self.assertNotEqual(self.cli("token", "revoke", "not-a-number").returncode, 0)

    def test_admin_creates_replaces_and_deletes(self):
        created = self.api("POST", "/api/v1/processes", {
            "name": "Test consultation", "short_name": "TC", "kind": "consultation",
            "status": "active", "description": "A **test**.",
            "links": [{"url": "https://example.org/tc", "title": "Page"}]}, self.token)
        self.assertEqual(created.status, 201, created.text)
        slug = created.json()["slug"]
        self.assertEqual(created.header("location"), "/api/v1/processes/" + slug)
        milestone = self.api("POST", f"/api/v1/processes/{slug}/milestones", {
            "kind": "deadline", "title": "Inputs due",
            "start": {"date": "2030-03-10", "time": "23:59", "zone": "America/New_York"}},
            self.token)
        self.assertEqual(milestone.status, 201, milestone.text)
        milestone_id = milestone.json()["id"]
        read = self.api("GET", "/api/v1/processes/" + slug).json()
        self.assertEqual(read["milestones"][0]["start"]["utc"], "2030-03-11T03:59:00Z")
        moved = self.api("PUT", f"/api/v1/processes/{slug}/milestones/{milestone_id}", {
            "kind": "deadline", "title": "Inputs due (extended)",
            "start": {"date": "2030-03-17", "time": "23:59", "zone": "America/New_York"}},
            self.token)
        self.assertEqual(moved.status, 200, moved.text)
        replaced = self.api("PUT", "/api/v1/processes/" + slug, {
            "name": "Test consultation 2", "kind": "consultation", "status": "concluded"},
            self.token)
        self.assertEqual(replaced.status, 200, replaced.text)
        # A process with milestones is not deleted; its milestones first.
        self.assertEqual(self.api("DELETE", "/api/v1/processes/" + slug, token=self.token).status,
                         409)
        self.assertEqual(self.api("DELETE", f"/api/v1/processes/{slug}/milestones/{milestone_id}",
                                  token=self.token).status, 204)
        self.assertEqual(self.api("DELETE", f"/api/v1/processes/{slug}/milestones/{milestone_id}",
                                  token=self.token).status, 404)
        self.assertEqual(self.api("DELETE", "/api/v1/processes/" + slug, token=self.token).status,
                         204)
        self.assertEqual(self.api("GET", "/api/v1/processes/" + slug).status, 404)

    def test_bad_input_is_a_problem_listing_each_field(self):
        problem = self.api("POST", "/api/v1/processes/gdc/milestones", {
            "kind": "deadline", "title": "x" * 5000,
            "start": {"date": "2030-02-30", "time": "23:59", "zone": "America/New_York"},
            "end": {"date": "2030-01-01", "time": "10:00", "zone": "Mars/Olympus"},
            "notes": "ok"}, self.token)
        self.assertEqual(problem.status, 422, problem.text)
        self.assertTrue(problem.header("content-type").startswith("application/problem+json"))
        fields = {error["field"] for error in problem.json()["errors"]}
        self.assertLessEqual({"title", "start_date", "end_zone"}, fields, problem.text)

        ends_before = self.api("POST", "/api/v1/processes/gdc/milestones", {
            "kind": "meeting", "title": "Meeting",
            "start": {"date": "2030-05-10"}, "end": {"date": "2030-05-01"}}, self.token)
        self.assertEqual(ends_before.status, 422)
        self.assertIn("end_date", {e["field"] for e in ends_before.json()["errors"]})

        hostile = self.api("POST", "/api/v1/processes", {
            "name": "Evil", "kind": "forum", "status": "active",
            "description": "<script>alert(1)</script> [x](javascript:alert(1))",
            "convenor": "a\u0000b"}, self.token)
        self.assertEqual(hostile.status, 422)
        fields = {error["field"] for error in hostile.json()["errors"]}
        self.assertLessEqual({"description", "convenor"}, fields, hostile.text)

        wrong_types = self.api("POST", "/api/v1/processes", {
            "name": 5, "kind": ["forum"], "status": "active", "links": "ftp://x"}, self.token)
        self.assertEqual(wrong_types.status, 422)
        self.assertLessEqual({"name", "kind"}, {e["field"] for e in wrong_types.json()["errors"]})

        not_json = self.client.request("POST", "/api/v1/processes", body=b"{not json",
                                       headers={"Authorization": "Bearer " + self.token,
                                                "Content-Type": "application/json"})
        self.assertEqual(not_json.status, 400)
        self.assertEqual(self.api("PUT", "/api/v1/processes/gdc/milestones/999999", {
            "kind": "deadline"}, self.token).status, 404)
