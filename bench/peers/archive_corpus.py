#!/usr/bin/env python3
"""Writes a generated list-traffic corpus for bench/archive.sh: LISTS mbox files (mboxrd) of
threads of 1-12 messages (References and In-Reply-To like real replies), bodies in English,
French, Spanish, Russian, Chinese and Arabic with quoted parts, some attachments; and, with
--maildir, the same messages as one maildir for notmuch. Deterministic (seeded).
Usage: archive_corpus.py OUTDIR MESSAGES LISTS [--maildir DIR]"""
import os
import random
import sys

WORDS = {
    "en": "the internet governance forum digital compact negotiation draft paragraph member "
          "statement consultation deadline multistakeholder process review delegation proposal "
          "comments agreed text working group standards security registry running meetings".split(),
    "fr": "la gouvernance de internet pacte numérique négociation projet paragraphe membres "
          "déclaration consultation délai processus examen délégations proposition réunion".split(),
    "es": "la gobernanza de internet pacto digital negociación borrador párrafo miembros "
          "declaración consulta plazo proceso revisión delegaciones propuesta reuniones".split(),
    "ru": "управление интернетом цифровой договор переговоры проект пункт члены заявление "
          "консультация срок процесс обзор делегации предложение встречи".split(),
    "zh": ["数字契约", "互联网治理", "论坛", "多利益相关方", "谈判", "草案", "段落", "成员", "磋商", "截止日期"],
    "ar": ["حوكمة", "الإنترنت", "الميثاق", "الرقمي", "مفاوضات", "مسودة", "فقرة", "الأعضاء", "مشاورة", "الموعد"],
}
PEOPLE = ["Ana Lima <ana@example.org>", "Bo Chen <bo@example.cn>", "Chloé Martin <chloe@example.fr>",
          "Dmitri Ivanov <dmitri@example.ru>", "Esra Aydın <esra@example.tr>", "Farah Haddad <farah@example.jo>",
          "Gustavo Ruiz <gustavo@example.es>", "Hine Walker <hine@example.nz>"]


def sentence(rng, language, words):
    vocabulary = WORDS[language]
    joiner = "" if language == "zh" else " "
    return joiner.join(rng.choice(vocabulary) for _ in range(words))


def body(rng, language, quoted):
    lines = [sentence(rng, language, rng.randint(8, 16)) for _ in range(rng.randint(3, 8))]
    if quoted:
        lines = ["> " + line for line in quoted.splitlines()[:4]] + [""] + lines
    return "\n".join(lines) + "\n-- \nSent from the coalition list\n"


def message(rng, index, list_name, subject, parent_ids, language, quoted, epoch):
    author = rng.choice(PEOPLE)
    message_id = "bench.%d@%s.example.org" % (index, list_name)
    text = body(rng, language, quoted)
    headers = [
        "From: " + author,
        "To: %s@lists.example.org" % list_name,
        "Subject: " + ("Re: " if parent_ids else "") + subject,
        "Date: " + format_date(epoch),
        "Message-ID: <%s>" % message_id,
        "MIME-Version: 1.0",
    ]
    if parent_ids:
        headers.append("In-Reply-To: <%s>" % parent_ids[-1])
        headers.append("References: " + " ".join("<%s>" % p for p in parent_ids[-10:]))
    if index % 25 == 0:
        boundary = "b%d" % index
        headers.append('Content-Type: multipart/mixed; boundary="%s"' % boundary)
        payload = ("--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n"
                   "--%s\nContent-Type: application/pdf; name=\"draft.pdf\"\n"
                   "Content-Disposition: attachment; filename=\"draft.pdf\"\nContent-Transfer-Encoding: base64\n\n"
                   "JVBERi0xLjQKJcOkw7zDtsOfCg==\n--%s--\n" % (boundary, text, boundary, boundary))
    else:
        headers.append("Content-Type: text/plain; charset=utf-8")
        headers.append("Content-Transfer-Encoding: 8bit")
        payload = text
    return message_id, text, ("\n".join(headers) + "\n\n" + payload).encode("utf-8")


def format_date(epoch):
    import email.utils
    return email.utils.formatdate(epoch, usegmt=True)


def quote_from(raw):
    out = []
    for line in raw.split(b"\n"):
        stripped = line.lstrip(b">")
        out.append(b">" + line if stripped.startswith(b"From ") else line)
    return b"\n".join(out)


def main():
    outdir, total, lists = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    maildir = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--maildir" else None
    rng = random.Random(7)
    os.makedirs(outdir, exist_ok=True)
    if maildir:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    files = [open(os.path.join(outdir, "list%02d.mbox" % n), "wb") for n in range(lists)]
    epoch = 1_700_000_000
    index = 0
    while index < total:
        list_number = rng.randrange(lists)
        list_name = "list%02d" % list_number
        language = rng.choice(list(WORDS))
        subject = sentence(rng, language, 5)
        chain, quoted = [], None
        for _ in range(min(rng.randint(1, 12), total - index)):
            epoch += rng.randint(30, 600)
            parents = chain[: rng.randint(0, len(chain))] if chain else []
            message_id, text, raw = message(rng, index, list_name, subject, parents, language, quoted, epoch)
            files[list_number].write(b"From bench@example.org Thu Jan  1 00:00:00 2026\n" + quote_from(raw) + b"\n")
            if maildir:
                with open(os.path.join(maildir, "cur", "%07d:2," % index), "wb") as file:
                    file.write(raw)
            chain.append(message_id)
            quoted = text
            index += 1
    for file in files:
        file.close()


if __name__ == "__main__":
    main()
