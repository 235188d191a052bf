"""The transparency log end to end, against the real binary: published signatures become log
entries served at /api/v1/log/*, `coalition log verify` passes on an untouched server, and it
fails, naming the entry, after the database is tampered with on purpose; with --state it notices
a history rewritten and re-signed behind its back (docs/TRANSPARENCY_LOG.md)."""
import base64
import hashlib
import json
import os
import sqlite3
import subprocess

from harness import BACKEND, run_cli, wait_for
from test_signing import SigningTest, individual

ZERO_HASH = base64.b64encode(bytes(32)).decode()


def leaf_hash(leaf_bytes):
    return hashlib.sha256(b"\x00" + leaf_bytes).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def b64(raw):
    return base64.b64encode(raw).decode()


class LogTest(SigningTest):
    PARALLEL_WEIGHT = 12  # Five tests that each wait for signed tree heads.

    # --- the database, behind the server's back -----------------------------------------------

    def sql(self, statement, params=()):
        """Runs one statement on the test's database; returns the rows."""
        if BACKEND == "postgresql":
            for value in params:  # Inline literals: only our own hashes, indices and JSON.
                literal = str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"
                statement = statement.replace("?", literal, 1)
            socket_dir = os.environ["COALITION_TEST_POSTGRES_SOCKET_DIR"]
            out = subprocess.run(["psql", "-h", socket_dir, "-U", "postgres", "-d", self.database.name,
                                  "-v", "ON_ERROR_STOP=1", "-qAtF", "\t", "-c", statement],
                                 check=True, capture_output=True, text=True).stdout
            return [line.split("\t") for line in out.splitlines() if line]
        connection = sqlite3.connect(self.database.url[len("sqlite:"):], timeout=30)
        try:
            rows = connection.execute(statement, params).fetchall()
            connection.commit()
            return rows
        finally:
            connection.close()

    # --- the log through its API --------------------------------------------------------------

    def tree_head(self):
        response = self.client.get("/api/v1/log/sth")
        self.assertEqual(response.status, 200, response.text[:500])
        return response.json()

    def publish_signatures(self, count):
        """Signs and confirms `count` individuals; waits until a signed head covers them."""
        for number in range(count):
            address = f"signer{number}@example.org"
            self.assertEqual(self.sign_api(individual(address, name=f"Signer {number}")).status, 202)
            self.assertEqual(self.confirm(self.link_for(address, "/statement/confirm/")).status, 200)
        return wait_for(lambda: self.tree_head()["tree_size"] >= count and self.tree_head(),
                        what=f"a signed tree head over {count} entries")

    def verify(self, *extra):
        return run_cli(["log", "verify", "--url", self.server.base_url] + list(extra), self.directory)

    def assert_verifies(self, *extra):
        result = self.verify(*extra)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertTrue(result.stdout.startswith("log verified: "), result.stdout)
        return result.stdout

    def assert_fails(self, expected, *extra):
        result = self.verify(*extra)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(expected, result.stderr)

    # --- tests --------------------------------------------------------------------------------

    def test_api_serves_entries_proofs_and_key(self):
        head = self.publish_signatures(3)
        size = head["tree_size"]
        key = self.client.get("/api/v1/log/key").json()
        self.assertEqual(key["algorithm"], "ed25519")
        self.assertEqual(len(base64.b64decode(key["public_key"])), 32)
        self.assertEqual(len(base64.b64decode(head["signature"])), 64)

        entries = self.client.get(f"/api/v1/log/entries?start=0&end={size - 1}").json()["entries"]
        self.assertEqual([e["index"] for e in entries], list(range(size)))
        hashes = []
        for entry in entries:
            event = json.loads(entry["leaf"])
            self.assertTrue(event["type"].startswith("signature."), event)
            self.assertIn("salt", event)
            self.assertEqual(b64(leaf_hash(entry["leaf"].encode("utf-8"))), entry["leaf_hash"])
            hashes.append(base64.b64decode(entry["leaf_hash"]))
        proof = self.client.get(f"/api/v1/log/proof/inclusion?index=0&tree_size={size}").json()
        self.assertEqual(proof["leaf_index"], 0)
        self.assertEqual(len(proof["audit_path"]), (size - 1).bit_length())
        consistency = self.client.get(f"/api/v1/log/proof/consistency?first=1&second={size}").json()
        self.assertEqual((consistency["first"], consistency["second"]), (1, size))

        for bad in ("/api/v1/log/entries?start=x&end=1", "/api/v1/log/entries?start=2&end=1",
                    "/api/v1/log/entries?start=-1&end=1", "/api/v1/log/entries",
                    f"/api/v1/log/proof/inclusion?index={size}&tree_size={size}",
                    "/api/v1/log/proof/inclusion?index=0&tree_size=99999",
                    "/api/v1/log/proof/inclusion?index=0&tree_size=1%00",
                    "/api/v1/log/proof/consistency?first=0&second=1",
                    "/api/v1/log/proof/consistency?first=1&second=99999999999999999999"):
            response = self.client.get(bad)
            self.assertEqual(response.status, 400, bad)
            self.assertIn("application/problem+json", response.header("content-type"))
        self.assertEqual(self.client.get("/api/v1/log/entries?start=100&end=200").json(), {"entries": []})

    def test_verify_passes_untouched_and_names_an_altered_leaf(self):
        size = self.publish_signatures(3)["tree_size"]
        self.assertIn(f"{size} entries (0 withheld)", self.assert_verifies())
        self.sql("UPDATE signon_log_leaves SET leaf = ? WHERE leaf_index = 1",
                 ('{"type":"signature.published","name":"Someone Else"}',))
        self.assert_fails("entry 1: leaf hash does not match its leaf")

    def test_verify_catches_an_altered_stored_hash(self):
        self.publish_signatures(3)
        self.assert_verifies()
        # The subtree over leaves 0 and 1 is a sibling on leaf 2's audit path.
        self.sql("UPDATE signon_log_subtrees SET subtree_hash = ? "
                 "WHERE subtree_level = 1 AND subtree_position = 0", (ZERO_HASH,))
        self.assert_fails("entry 2: the log's inclusion proof does not verify")

    def test_verify_catches_a_replaced_leaf_hash(self):
        size = self.publish_signatures(3)["tree_size"]
        if size % 2 == 1:
            # The last entry of an odd tree is under no stored subtree: only the signed root
            # binds its hash, and the verifier still names it exactly.
            index, expected = size - 1, f"entry {size - 1}: "
        else:
            # Elsewhere a replaced hash is narrowed to the two leaves under one stored node.
            index, expected = 2, "entry 2 or 3: "
        forged = b'{"type":"signature.published","name":"Forged"}'
        self.sql("UPDATE signon_log_leaves SET leaf = ?, leaf_hash = ? WHERE leaf_index = ?",
                 (forged.decode(), b64(leaf_hash(forged)), index))
        self.assert_fails(expected + "leaf hash differs from the one the signed tree head covers")

    def test_state_detects_a_rewritten_history(self):
        self.publish_signatures(3)
        state = os.path.join(self.directory, "log-state.json")
        self.assert_verifies("--state", state)
        saved = json.load(open(state))
        self.assertEqual(saved["tree_size"], self.tree_head()["tree_size"])
        self.assertIn("consistent with the saved head", self.assert_verifies("--state", state))

        # The operator rewrites entry 0, recomputes every stored hash, drops the old heads and
        # lets the server sign the new history with its own key: a self-consistent log.
        size = saved["tree_size"]
        forged = b'{"type":"signature.published","name":"Rewritten"}'
        self.sql("UPDATE signon_log_leaves SET leaf = ?, leaf_hash = ? WHERE leaf_index = 0",
                 (forged.decode(), b64(leaf_hash(forged))))
        rows = self.sql("SELECT leaf_hash FROM signon_log_leaves ORDER BY leaf_index")
        level = [base64.b64decode(row[0]) for row in rows]
        depth = 0
        while len(level) > 1:
            depth += 1
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            for position, digest in enumerate(level):
                self.sql("UPDATE signon_log_subtrees SET subtree_hash = ? "
                         "WHERE subtree_level = ? AND subtree_position = ?", (b64(digest), depth, position))
        self.sql("DELETE FROM signon_log_heads")
        wait_for(lambda: self.tree_head()["root_hash"] != saved["root_hash"], what="a re-signed head")

        self.assert_verifies()  # On its own, the rewritten log verifies…
        self.assert_fails("history was rewritten", "--state", state)  # …but not against the past.
        self.assertEqual(json.load(open(state)), saved)  # A failed run keeps the old state.
