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
const axe = require('axe-core');
const { chromium } = require('playwright-core');
const { Server } = require('./server');

const kBinary = process.env.COALITION_BINARY;
const kChromium = process.env.COALITION_CHROMIUM || '/usr/bin/chromium';
// The same flags as a11y.test.js: no background networking on this closed network.
const kChromiumArgs = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];
const kAxeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const kFailingImpacts = new Set(['serious', 'critical']);
const kScreenshots = path.join(__dirname, 'screenshots');
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

before(async () => {
    assert.ok(kBinary, 'COALITION_BINARY must name the coalition binary (tests/browser/run sets it)');
    assert.ok(fs.existsSync(kChromium), `${kChromium} is missing: scripts/install-deps --with-test-tools`);
    fs.mkdirSync(kScreenshots, { recursive: true });
    server = new Server(kBinary);
    const file = path.join(server.directory, 'statement.md');
    fs.writeFileSync(file, kStatement);
    server.run(['migrate']);
    server.run(['statement', 'publish', '--file', file, '--lang', 'en']);
    await server.start();
    browser = await chromium.launch({ executablePath: kChromium, headless: true, args: kChromiumArgs });
});

after(async () => {
    if (browser) {
        await browser.close();
    }
    if (server) {
        const started = server.baseUrl !== null;
        const code = await server.stop();
        server.cleanUp();
        if (started) {
            assert.equal(code, 0, `coalition serve did not exit 0 on SIGTERM:\n${server.log.slice(-2000)}`);
        }
    }
});

async function newContext(language) {
    const context = await browser.newContext({
        baseURL: server.baseUrl,
        viewport: { width: 1280, height: 900 },
        locale: 'en-US',
        bypassCSP: true,
    });
    await context.addInitScript({ content: axe.source });
    if (language !== 'en') {
        const page = await context.newPage();
        await page.goto(`/?lang=${language}`);
        await page.close();
    }
    return context;
}

// lang/dir, one <main>, an <h1>, and no serious/critical WCAG violation; a screenshot either way.
async function audit(page, language, name) {
    const facts = await page.evaluate(() => ({
        lang: document.documentElement.getAttribute('lang'),
        dir: document.documentElement.getAttribute('dir'),
        mains: document.querySelectorAll('main').length,
        h1: (document.querySelector('h1')?.textContent || '').trim(),
    }));
    const problems = [];
    if (facts.lang !== language.tag || facts.dir !== language.dir) {
        problems.push(`<html lang="${facts.lang}" dir="${facts.dir}">, expected ${language.tag}/${language.dir}`);
    }
    if (facts.mains !== 1 || !facts.h1) {
        problems.push(`${facts.mains} <main>, h1 "${facts.h1}"`);
    }
    const violations = await page.evaluate(async (tags) => {
        const result = await window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
        });
        return result.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            nodes: violation.nodes.map((node) => `${node.target.join(' ')} ${node.html.slice(0, 160)}`),
        }));
    }, kAxeTags);
    for (const violation of violations) {
        if (kFailingImpacts.has(violation.impact)) {
            problems.push(`${violation.id} [${violation.impact}] ${violation.help}: ${violation.nodes.join(' | ')}`);
        }
    }
    await page.screenshot({ path: path.join(kScreenshots, `statement-${language.tag}-${name}.png`), fullPage: true });
    if (problems.length > 0) {
        assert.fail(`${language.tag} ${name}:\n  ${problems.join('\n  ')}`);
    }
}

// Clicks the submit button of `form` and returns the response to the POST itself.
async function submit(page, form) {
    const [response] = await Promise.all([
        page.waitForResponse((candidate) => candidate.request().method() === 'POST'),
        form.locator('button[type="submit"]').first().click(),
    ]);
    await page.waitForLoadState();
    return response;
}

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
