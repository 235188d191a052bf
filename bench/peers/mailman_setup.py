#!/usr/bin/python3
"""Prepares GNU Mailman 3 for bench/peers/mailman.sh (Debian's python3, Mailman's own API).

  mailman_setup.py CONFIG load LIST MEMBERS_FILE   creates the domain, the list, and subscribes
                                                   every address of MEMBERS_FILE (one a line),
                                                   verified, no welcome: the first 100 through
                                                   Mailman's API, the rest as the same rows in SQL
  mailman_setup.py CONFIG mode LIST personalised|bulk
                                                   sets the list's personalisation (individual:
                                                   one decorated copy per member, VERPed when the
                                                   config says verp_personalized_deliveries; or
                                                   none: Mailman's bulk delivery)
Prints what it did on stdout; exits non-zero with a message on stderr otherwise.
"""
import sqlite3
import sys
import time
import uuid

API_MEMBERS = 100


def insert_like_api(config, list_id, emails):
    """Subscribes `emails` with the rows Mailman 3.3's API writes for a verified address and its
    membership (address + preferences, member + preferences, uid), copied from one it wrote."""
    if not emails:
        return 0
    from mailman.utilities.string import expand
    url = expand(config.database.url, None, config.paths)
    db = sqlite3.connect(url[len('sqlite:///'):])
    member = db.execute('SELECT role, moderation_action, bounce_score, last_bounce_received, '
                        'last_warning_sent, total_warnings_sent FROM member WHERE list_id = ? '
                        'ORDER BY id LIMIT 1', (list_id,)).fetchone()
    verified, registered = db.execute(
        'SELECT verified_on, registered_on FROM address ORDER BY id LIMIT 1').fetchone()
    with db:
        next_preferences = db.execute('SELECT max(id) FROM preferences').fetchone()[0] + 1
        next_address = db.execute('SELECT max(id) FROM address').fetchone()[0] + 1
        preferences, addresses, members, uids = [], [], [], []
        for email in emails:
            address_preferences, member_preferences = next_preferences, next_preferences + 1
            next_preferences += 2
            preferences += [(address_preferences,), (member_preferences,)]
            addresses.append((next_address, email, verified, registered, address_preferences))
            member_id = uuid.uuid4().hex
            uids.append((member_id,))
            members.append((member_id, member[0], list_id, member[1], next_address,
                            member_preferences, member[2], member[3], member[4], member[5]))
            next_address += 1
        db.executemany('INSERT INTO preferences (id) VALUES (?)', preferences)
        db.executemany('INSERT INTO address (id, email, verified_on, registered_on, '
                       'preferences_id) VALUES (?, ?, ?, ?, ?)', addresses)
        db.executemany('INSERT INTO uid (uid) VALUES (?)', uids)
        db.executemany('INSERT INTO member (_member_id, role, list_id, moderation_action, '
                       'address_id, preferences_id, bounce_score, last_bounce_received, '
                       'last_warning_sent, total_warnings_sent) '
                       'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', members)
    db.close()
    return len(emails)


def main(argv):
    if len(argv) != 5 or argv[2] not in ('load', 'mode'):
        print(__doc__, file=sys.stderr)
        return 2
    config_path, action, list_address, argument = argv[1:]
    from mailman.core.initialize import initialize
    initialize(config_path)
    from zope.component import getUtility
    from mailman.app.lifecycle import create_list
    from mailman.config import config
    from mailman.interfaces.domain import IDomainManager
    from mailman.interfaces.listmanager import IListManager
    from mailman.interfaces.mailinglist import Personalization
    from mailman.interfaces.member import MemberRole
    from mailman.interfaces.usermanager import IUserManager
    from mailman.utilities.datetime import now

    if action == 'mode':
        mlist = getUtility(IListManager).get(list_address)
        if mlist is None:
            print(f'mailman_setup: no list {list_address}', file=sys.stderr)
            return 1
        mlist.personalize = (Personalization.individual if argument == 'personalised'
                             else Personalization.none)
        config.db.commit()
        print(f'{list_address}: personalize={mlist.personalize.name}')
        return 0

    domain = list_address.split('@', 1)[1]
    domains = getUtility(IDomainManager)
    if domains.get(domain) is None:
        domains.add(domain)
    mlist = create_list(list_address)
    mlist.send_welcome_message = False
    mlist.admin_notify_mchanges = False
    mlist.digestable = False
    config.db.commit()
    users = getUtility(IUserManager)
    started = time.monotonic()
    with open(argument, encoding='utf-8') as members:
        emails = [line.strip() for line in members if line.strip()]
    # The first ones through Mailman's API (what `mailman addmembers` does, at about 9 ms a
    # member here: 15 minutes for 100,000); the rest as the same rows in one SQL transaction.
    through_api = emails[:API_MEMBERS]
    for email in through_api:
        address = users.create_address(email)
        address.verified_on = now()
        mlist.subscribe(address, MemberRole.member, send_welcome_message=False)
    config.db.commit()
    count = len(through_api) + insert_like_api(config, mlist.list_id, emails[API_MEMBERS:])
    config.db.commit()
    print(f'{list_address}: {count} members subscribed in {time.monotonic() - started:.1f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
