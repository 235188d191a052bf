#!/usr/bin/env python3
"""SQL for bench/responses.sh: one joint response drafted at length, written straight into a
migrated Coalition database that already has the demo accounts (much faster than thousands of
form posts, and the same rows as responses/response_store.cpp writes: blocks never change, a
version lists its block rows, hashes are the SHA-256 of the joined blocks).

The draft: SECTIONS sections (a heading and their paragraphs, PARAGRAPHS in all), VERSIONS
versions (each later one rewording a few paragraphs, as accepted amendments do), COMMENTS comments
(a fifth of them replies) and AMENDMENTS amendments (open, accepted, rejected, merged; some stale)
by the demo's member representatives; the editor is EDITOR_ID. Also a session for EDITOR_ID whose
cookie value is SESSION_TOKEN (only its BLAKE2b-256 is stored, as accounts/sessions.cpp does).

Usage: responses_data.py SECTIONS PARAGRAPHS VERSIONS COMMENTS AMENDMENTS EDITOR_ID AUTHOR_IDS
       SESSION_TOKEN > data.sql     (AUTHOR_IDS: comma-separated user ids)
"""
import hashlib
import random
import sys
import time

WORDS = ("the coalition supports an open interoperable secure and trusted internet governed by all "
         "stakeholders on an equal footing we welcome the compact commitments on capacity "
         "development digital public goods human rights online and the role of the internet "
         "governance forum whose mandate should be made permanent with sustainable funding").split()


def sentence(rng, words):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    sections, paragraphs, versions, comments, amendments = (int(a) for a in sys.argv[1:6])
    editor = int(sys.argv[6])
    authors = [int(a) for a in sys.argv[7].split(",")]
    token = sys.argv[8]
    rng = random.Random(2026)
    now = int(time.time())
    out = ["BEGIN;"]

    # Blocks of version 1: section headings and the paragraphs shared out between them.
    block_id = 0
    anchors = []  # (anchor, kind, level) in order
    texts = {}    # anchor -> [block ids, newest last]
    rows = []
    per_section = [paragraphs // sections + (1 if s < paragraphs % sections else 0)
                   for s in range(sections)]
    counter = 0

    def new_block(anchor, kind, level, body):
        nonlocal block_id
        block_id += 1
        rows.append(f"INSERT INTO response_blocks (id, response_id, anchor, kind, level, body, "
                    f"created_at) VALUES ({block_id}, 1, {quote(anchor)}, {quote(kind)}, {level}, "
                    f"{quote(body)}, {now});")
        texts.setdefault(anchor, []).append((block_id, body))
        return block_id

    for section in range(sections):
        counter += 1
        anchor = f"s-{counter}"
        anchors.append((anchor, "heading"))
        new_block(anchor, "heading", 2, f"## {section + 1}. " + sentence(rng, 5)[:-1])
        for _ in range(per_section[section]):
            counter += 1
            anchor = f"p-{counter}"
            anchors.append((anchor, "paragraph"))
            new_block(anchor, "paragraph", 0,
                      " ".join(sentence(rng, rng.randint(12, 30)) for _ in range(3)))
    paragraph_anchors = [a for a, kind in anchors if kind == "paragraph"]

    out.append(f"INSERT INTO responses (id, slug, title, milestone_id, deadline_date, deadline_time, "
               f"deadline_zone, deadline_utc, link, status, next_anchor, created_at, updated_at) "
               f"VALUES (1, 'bench', 'Benchmark response to the consultation', NULL, '2027-03-24', "
               f"'17:00', 'Europe/Zurich', 1806163200, 'https://example.org/consultation', 'draft', "
               f"{counter}, {now}, {now});")
    out.append(f"INSERT INTO response_editors (response_id, user_id, added_at) VALUES (1, {editor}, "
               f"{now});")

    version_rows = []
    current = {anchor: texts[anchor][0] for anchor, _ in anchors}

    def write_version(number, reason):
        joined = "\n\n".join(current[a][1] for a, _ in anchors) + "\n"
        digest = hashlib.sha256(joined.encode()).hexdigest()
        version_rows.append(
            f"INSERT INTO response_versions (id, response_id, number, hash, reason, amendment_id, "
            f"actor, author_user_id, created_at) VALUES ({number}, 1, {number}, {quote(digest)}, "
            f"{quote(reason)}, NULL, 'user:{editor}', {editor}, {now - (versions - number) * 3600});")
        for position, (anchor, _) in enumerate(anchors):
            version_rows.append(
                f"INSERT INTO response_version_blocks (version_id, position, block_id) VALUES "
                f"({number}, {position}, {current[anchor][0]});")

    write_version(1, "First draft")
    for number in range(2, versions + 1):
        for anchor in rng.sample(paragraph_anchors, 6):
            words = current[anchor][1].split()
            for _ in range(4):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            new_id = new_block(anchor, "paragraph", 0, " ".join(words))
            current[anchor] = (new_id, texts[anchor][-1][1])
        write_version(number, f"Amendments of round {number - 1} accepted")
    out.extend(rows)
    out.extend(version_rows)

    comment_ids = {}
    for comment_id in range(1, comments + 1):
        anchor = rng.choice(paragraph_anchors)
        parents = comment_ids.get(anchor, [])
        parent = rng.choice(parents) if parents and rng.random() < 0.2 else None
        if parent is None:
            comment_ids.setdefault(anchor, []).append(comment_id)
        out.append(f"INSERT INTO response_comments (id, response_id, anchor, version_number, "
                   f"parent_id, author_user_id, body, created_at) VALUES ({comment_id}, 1, "
                   f"{quote(anchor)}, {rng.randint(1, versions)}, "
                   f"{'NULL' if parent is None else parent}, {rng.choice(authors)}, "
                   f"{quote(sentence(rng, rng.randint(8, 40)))}, {now - rng.randint(0, 86400 * 20)});")

    states = ["open"] * 6 + ["accepted"] * 2 + ["rejected", "merged"]
    for amendment_id in range(1, amendments + 1):
        anchor = rng.choice(paragraph_anchors)
        history = texts[anchor]
        base = history[-1][0] if rng.random() < 0.85 or len(history) == 1 else history[0][0]
        state = rng.choice(states)
        decided = state != "open"
        out.append(
            f"INSERT INTO response_amendments (id, response_id, anchor, base_block_id, wording, "
            f"reason, author_user_id, state, editor_note, decided_by, decided_at, version_number, "
            f"created_at) VALUES ({amendment_id}, 1, {quote(anchor)}, {base}, "
            f"{quote(' '.join(sentence(rng, rng.randint(12, 30)) for _ in range(3)))}, "
            f"{quote(sentence(rng, 10))}, {rng.choice(authors)}, {quote(state)}, "
            f"{quote(sentence(rng, 6) if decided else '')}, {editor if decided else 'NULL'}, "
            f"{now if decided else 'NULL'}, {rng.randint(2, versions) if state in ('accepted', 'merged') else 'NULL'}, "
            f"{now - rng.randint(0, 86400 * 20)});")

    token_hash = hashlib.blake2b(token.encode(), digest_size=32).hexdigest()
    out.append(f"INSERT INTO sessions (token_hash, user_id, csrf_secret, created_at, expires_at, "
               f"touched_at) VALUES ({quote(token_hash)}, {editor}, 'bench-csrf', {now}, "
               f"{now + 86400}, {now});")
    out.append("COMMIT;")
    print("\n".join(out))


if __name__ == "__main__":
    main()
