#!/usr/bin/env python3
"""Hands one message to an LMTP server, as an MTA would (bench/fanout.sh, bench/peers/mailman.sh).

  lmtp_inject.py HOST PORT MAIL_FROM RCPT_TO MESSAGE_FILE

Exits 0 once the server has answered 250 after DATA (the message is committed), 1 otherwise.
"""
import smtplib
import sys


def main(argv):
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    host, port, mail_from, rcpt_to, path = argv[1:]
    with open(path, 'rb') as f:
        message = f.read().replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')  # Wire form.
    try:
        with smtplib.LMTP(host, int(port), timeout=120) as lmtp:
            refused = lmtp.sendmail(mail_from, [rcpt_to], message)
    except (OSError, smtplib.SMTPException) as error:
        print(f'lmtp_inject: {error}', file=sys.stderr)
        return 1
    if refused:
        print(f'lmtp_inject: refused {refused}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
