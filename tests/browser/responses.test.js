'use strict';
// Joint responses in a real browser (Debian Chromium through playwright-core), as the demo admin
// (who may do everything an editor does), in English and in Arabic: the demo draft, its word diff,
// the editors' endorsement overview and the announce page load with the right <html lang/dir> and
// no serious or critical axe-core violation of WCAG 2.0/2.1/2.2 A and AA; a comment is posted
// through the real form (plain HTML: <details>/<summary> and links, no script); the announcement
// is posted through its form; the editor freezes the draft, its deadline is moved into the past
// in the database (sqlite3, as the integration tests do), the editor publishes, and the public page
// is checked in both languages, signed out. Screenshots: tests/browser/screenshots/responses-*.png.

const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Server } = require('./server');
const support = require('./support');

const { kAdmin, kBinary, submit } = support;

// The draft the admin starts through the admin form (the browser suite's demo has none).
const kSlug = 'gdc-written-input';
const kTitle = 'Written input to the Global Digital Compact';
const kMarkdown = `# Written input to the Global Digital Compact

The organisations of the internet technical community welcome the invitation to contribute.

## An open, interoperable internet

We ask that the Compact commit to the multistakeholder model of internet governance.
`;
const kDraft = `/responses/${kSlug}`;
const kLanguages = [
    { tag: 'en', dir: 'ltr' },
    { tag: 'ar', dir: 'rtl' },
];

let server;
let browser;

const newContext = (language) => support.newContext(browser, server, language);
const audit = (page, language, name) =>
    support.audit(page, language, name, `responses-${language.tag}-${name}`);

before(async () => {
    support.checkPrerequisites();
    server = new Server(kBinary);
    await server.start();
    browser = await support.launchBrowser();
});

after(() => support.stopAll(browser, server));

async function signInAsAdmin(context) {
    const page = await context.newPage();
    await page.goto('/signin');
    const form = page.locator('form:has(input[name="password"])').first();
    await form.locator('input[name="email"]').fill(kAdmin.email);
    await form.locator('input[name="password"]').fill(kAdmin.password);
    const response = await submit(page, form);
    assert.equal(response.status(), 303, `password sign-in answered ${response.status()}`);
    await page.close();
}

async function visit(page, target, status = 200) {
    const response = await page.goto(target);
    assert.equal(response.status(), status, `${target} answered ${response.status()}`);
}

// The draft's comment form: on the draft page itself (opening the <details> holding it), or on
// the first paragraph's own page.
async function commentForm(page) {
    await visit(page, kDraft);
    const here = page.locator('main form[action$="/comments"]');
    if ((await here.count()) > 0) {
        const form = here.first();
        const details = page.locator('main details:has(form[action$="/comments"])').first();
        if ((await details.count()) > 0 && !(await form.isVisible())) {
            await details.locator('summary').first().click();
        }
        return form;
    }
    const link = page.locator(`main a[href*="${kDraft}/paragraphs/"]`).first();
    assert.ok((await link.count()) > 0, 'neither a comment form nor a paragraph page link on the draft');
    await link.click();
    await page.waitForLoadState();
    return page.locator('main form[action$="/comments"]').first();
}

// Moves the open round's deadline into the past, as only time could.
function passDeadline() {
    const database = path.join(server.directory, 'var', 'coalition.db');
    execFileSync('sqlite3', [database,
        "UPDATE response_rounds SET deadline_date = '2020-01-02', deadline_time = '17:00', " +
        "deadline_zone = 'UTC', deadline_utc = 1577984400"], { timeout: 30000 });
}

describe('joint responses in the browser', { concurrency: 1 }, () => {
    test('an admin starts the draft through the admin form', async () => {
        const context = await newContext('en');
        try {
            await signInAsAdmin(context);
            const page = await context.newPage();
            await visit(page, '/admin/responses/new');
            await audit(page, kLanguages[0], 'new');
            const form = page.locator('main form[method="post"]').first();
            await form.locator('[name="title"]').fill(kTitle);
            await form.locator('[name="slug"]').fill(kSlug);
            await form.locator('[name="deadline_date"]').fill('2099-03-24');
            await form.locator('[name="deadline_time"]').fill('17:00');
            await form.locator('[name="deadline_zone"]').fill('Europe/Zurich');
            await form.locator('[name="markdown"]').fill(kMarkdown);
            const response = await submit(page, form);
            assert.equal(response.status(), 303, `starting the draft answered ${response.status()}: ` +
                         (await page.locator('main').innerText()).slice(0, 500));
        } finally {
            await context.close();
        }
    });

    for (const language of kLanguages) {
        describe(`drafting (${language.tag})`, { concurrency: 1 }, () => {
            let context;
            let page;
            before(async () => {
                context = await newContext(language.tag);
                await signInAsAdmin(context);
                page = await context.newPage();
            });
            after(async () => context && (await context.close()));

            test('the draft page', async () => {
                await visit(page, kDraft);
                await audit(page, language, 'draft');
            });

            test('the word diff between versions', async () => {
                await visit(page, `${kDraft}/diff?from=1&to=1`);
                await audit(page, language, 'diff');
            });

            test('the editors\' endorsement overview', async () => {
                await visit(page, `${kDraft}/endorsement`);
                assert.ok((await page.locator(`main a[href="${kDraft}/announce"]`).count()) === 1,
                          'the overview links to the announce page');
                await audit(page, language, 'endorsement');
            });

            test('the announce page', async () => {
                await visit(page, `${kDraft}/announce`);
                await audit(page, language, 'announce');
            });

            test('a comment through the real form, without script', async () => {
                const text = `Comment from the browser (${language.tag}) <b>not bold</b>`;
                const form = await commentForm(page);
                await form.locator('textarea[name="body"]').fill(text);
                const response = await submit(page, form);
                assert.equal(response.status(), 303, `commenting answered ${response.status()}`);
                assert.ok((await page.locator('main').innerText()).includes(text),
                          'the comment is not on the page it came back to');
                assert.equal(await page.locator('main b', { hasText: 'not bold' }).count(), 0,
                             'the comment\'s markup was rendered');
                await audit(page, language, 'commented');
            });
        });
    }

    describe('announcing, freezing and publishing', { concurrency: 1 }, () => {
        let context;
        let page;
        before(async () => {
            context = await newContext('en');
            await signInAsAdmin(context);
            page = await context.newPage();
        });
        after(async () => context && (await context.close()));

        test('the draft is announced on the list', async () => {
            await visit(page, `${kDraft}/announce`);
            const form = page.locator('main form.announce-form');
            await form.locator('input[name="event"][value="draft"]').check();
            await form.locator('select[name="list"]').selectOption('coalition');
            await form.locator('textarea[name="note"]').fill('Comments welcome before the freeze.');
            const response = await submit(page, form);
            assert.equal(response.status(), 303, `announcing answered ${response.status()}`);
            assert.ok((await page.locator('main .announcement-history').innerText()).includes('coalition'));
            await audit(page, kLanguages[0], 'announced');
        });

        test('an empty announce form answers 422 with the error at its field', async () => {
            await visit(page, `${kDraft}/announce`);
            const form = page.locator('main form.announce-form');
            const response = await submit(page, form);
            assert.equal(response.status(), 422);
            assert.ok((await page.locator('.error-summary a').count()) >= 1);
            assert.equal(await page.locator('#field-list[aria-invalid="true"]').count(), 1);
            await audit(page, kLanguages[0], 'announce-error');
        });

        test('the editor freezes, the deadline passes, the editor publishes', async () => {
            await visit(page, `${kDraft}/endorsement`);
            const tomorrow = new Date(Date.now() + 2 * 86400 * 1000).toISOString().slice(0, 10);
            const freeze = page.locator(`main form[action="${kDraft}/freeze"]`);
            await freeze.locator('[name="deadline_date"]').fill(tomorrow);
            await freeze.locator('[name="deadline_time"]').fill('17:00');
            await freeze.locator('[name="deadline_zone"]').fill('Europe/Zurich');
            const frozen = await submit(page, freeze);
            assert.equal(frozen.status(), 303, `freezing answered ${frozen.status()}`);
            passDeadline();
            await visit(page, `${kDraft}/endorsement`);
            const published = await submit(page, page.locator(`main form[action="${kDraft}/publish"]`));
            assert.equal(published.status(), 303, `publishing answered ${published.status()}`);
            // Once published the overview holds the endorsers' order section.
            await visit(page, `${kDraft}/endorsement`);
            assert.equal(await page.locator('main h2#endorser-order').count(), 1);
            await audit(page, kLanguages[0], 'endorsement-published');
        });
    });

    for (const language of kLanguages) {
        test(`the published response, signed out (${language.tag})`, async () => {
            const context = await newContext(language.tag);
            try {
                const page = await context.newPage();
                await visit(page, kDraft);
                // Public now: no detour through the sign-in page.
                assert.ok(new URL(page.url()).pathname === kDraft, `sent to ${page.url()}`);
                assert.ok((await page.locator('h1').innerText()).includes(kTitle));
                await audit(page, language, 'published');
            } finally {
                await context.close();
            }
        });
    }
});
