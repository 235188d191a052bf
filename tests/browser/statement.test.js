'use strict';
// Signing the Statement of Purpose in a real browser (Debian Chromium through playwright-core),
// in English and in Arabic: fill the real form as an organisation and as an individual, read the
// confirmation mail from the file transport (var/mail/outbox/*.eml), open its link, press the
// button. The statement page, its 422 state, the "check your e-mail" page, the confirmation page
// and its result must have the right <html lang/dir> and no serious or critical axe-core
// violation of WCAG 2.0/2.1/2.2 A and AA. The pages have no script of their own: the forms are
// plain HTML forms, so what works here works with JavaScript off. Screenshots go to
// tests/browser/screenshots/statement-*.png.

const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Server } = require('./server');
const support = require('./support');

const { kBinary, submit } = support;

const kMailTimeoutMs = 20000;

const kStatement = `# Statement of Purpose

We support an open, stable and secure internet, governed by all its stakeholders together.

- The multistakeholder model works.
- Technical coordination belongs with the technical community.
`;

const kLanguages = [
    {
        tag: 'en',
        dir: 'ltr',
        organisation: { name: 'Example Registry', representative: 'Kim Lee', title: 'Chief Executive' },
        individual: { name: 'Ana Martínez', affiliation: 'University of Examples' },
    },
    {
        tag: 'ar',
        dir: 'rtl',
        organisation: { name: 'سجل المثال', representative: 'ليلى حسن', title: 'المديرة التنفيذية' },
        individual: { name: 'عمر خالد', affiliation: 'جامعة المثال' },
    },
];

let server;
let browser;

const newContext = (language) => support.newContext(browser, server, language);
const audit = (page, language, name) =>
    support.audit(page, language, name, `statement-${language.tag}-${name}`);

before(async () => {
    support.checkPrerequisites();
    server = new Server(kBinary);
    const file = path.join(server.directory, 'statement.md');
    fs.writeFileSync(file, kStatement);
    server.run(['migrate']);
    server.run(['statement', 'publish', '--file', file, '--lang', 'en']);
    await server.start();
    browser = await support.launchBrowser();
});

after(() => support.stopAll(browser, server));

// The text of a mail: quoted-printable and base64 bodies decoded (enough for our own mails).
function decodeMail(raw) {
    let text = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    for (const block of raw.match(/(?:^[A-Za-z0-9+/=]{40,}\r?\n)+/gm) || []) {
        text += Buffer.from(block.replace(/\s+/g, ''), 'base64').toString('latin1');
    }
    return text;
}

// Waits for the confirmation mail to `address` in the file transport's outbox; returns the
// path of its confirmation link.
async function confirmationPath(address) {
    const outbox = path.join(server.directory, 'var', 'mail', 'outbox');
    const deadline = Date.now() + kMailTimeoutMs;
    while (Date.now() < deadline) {
        const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((name) => name.endsWith('.eml')) : [];
        for (const name of files) {
            const text = decodeMail(fs.readFileSync(path.join(outbox, name), 'latin1'));
            if (!text.includes(address)) {
                continue;
            }
            const link = text.match(/https?:\/\/[^\s"<>]*(\/statement\/confirm\/[A-Za-z0-9_-]+)/);
            if (link) {
                return link[1];
            }
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no confirmation mail to ${address} in ${outbox}`);
}

// Opens the link from the mail, checks the page, presses the button, checks the result.
async function confirmByMail(page, language, kind, address, expectedText) {
    const linkPath = await confirmationPath(address);
    const opened = await page.goto(linkPath);
    assert.equal(opened.status(), 200, `${linkPath} answered ${opened.status()}`);
    assert.ok((await page.locator('main').innerText()).includes(expectedText), `the confirmation page does not name ${expectedText}`);
    await audit(page, language, `${kind}-confirm`);
    const confirmed = await submit(page, page.locator('main form[method="post"]').first());
    assert.equal(confirmed.status(), 200, `confirming answered ${confirmed.status()}`);
    assert.equal(await page.locator('main form[method="post"] button').count(), 0, 'the button is still there');
    await audit(page, language, `${kind}-confirmed`);
}

describe('signing the statement in the browser', { concurrency: 1 }, () => {
    for (const language of kLanguages) {
        describe(language.tag, { concurrency: 1 }, () => {
            let context;
            let page;
            before(async () => {
                context = await newContext(language.tag);
                page = await context.newPage();
            });
            after(async () => context && (await context.close()));

            test('the statement page', async () => {
                const response = await page.goto('/statement');
                assert.equal(response.status(), 200);
                assert.ok((await page.locator('.statement-text').innerText()).includes('multistakeholder model'));
                await audit(page, language, 'page');
            });

            test('an empty form answers 422 with errors tied to their fields', async () => {
                await page.goto('/statement');
                const response = await submit(page, page.locator('#sign-individual'));
                assert.equal(response.status(), 422);
                const links = await page.locator('.error-summary a').count();
                assert.ok(links >= 3, `${links} links in the error summary`);
                const invalid = page.locator('#sign-individual [aria-invalid="true"]');
                assert.ok((await invalid.count()) >= 3, 'fields are not marked aria-invalid');
                await audit(page, language, 'errors');
            });

            test('sign as an organisation and confirm from the mail', async () => {
                const address = `org-${language.tag}-${Date.now()}@example.org`;
                const data = language.organisation;
                await page.goto('/statement');
                const form = page.locator('#sign-organisation');
                await form.locator('[name="organisation_name"]').fill(data.name);
                await form.locator('[name="organisation_country"]').selectOption('NZ');
                await form.locator('[name="stakeholder_group"]').selectOption('technical-community');
                await form.locator('[name="organisation_domain"]').fill('example.org');
                await form.locator('[name="representative_name"]').fill(data.representative);
                await form.locator('[name="title"]').fill(data.title);
                await form.locator('[name="representative_email"]').fill(address);
                const response = await submit(page, form);
                assert.equal(response.status(), 202, `signing answered ${response.status()}: ${(await page.locator('main').innerText()).slice(0, 500)}`);
                assert.ok((await page.locator('main').innerText()).includes(address));
                await audit(page, language, 'organisation-sent');
                await confirmByMail(page, language, 'organisation', address, data.name);
            });

            test('sign as an individual and confirm from the mail', async () => {
                const address = `person-${language.tag}-${Date.now()}@example.org`;
                const data = language.individual;
                await page.goto('/statement');
                const form = page.locator('#sign-individual');
                await form.locator('[name="name"]').fill(data.name);
                await form.locator('[name="country"]').selectOption('ES');
                await form.locator('[name="affiliation"]').fill(data.affiliation);
                await form.locator('[name="email"]').fill(address);
                await form.locator('[name="public"]').check();
                const response = await submit(page, form);
                assert.equal(response.status(), 202, `signing answered ${response.status()}`);
                await audit(page, language, 'individual-sent');
                await confirmByMail(page, language, 'individual', address, data.name);
                await page.goto('/statement');
                const individuals = await page.locator('.statement-totals dd').nth(1).innerText();
                assert.ok(Number(individuals.trim()) >= 1, `individuals counted: ${individuals}`);
            });
        });
    }
});
