'use strict';
// What the browser suites share: Debian Chromium's path and flags, the axe-core rules that fail a
// page, the demo admin, a browser launched beside a started Server and both stopped after, a
// context per language with axe injected, the page audit, and the form submit that returns the
// POST's own response.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const axe = require('axe-core');
const { chromium } = require('playwright-core');

const kBinary = process.env.COALITION_BINARY;
const kChromium = process.env.COALITION_CHROMIUM || '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling out, and this machine's closed
// network refuses it many times a second. Playwright adds --headless and creates a fresh, empty
// --user-data-dir for every launch.
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
const kAdmin = { email: 'admin@coalition.example', password: 'coalition-demo' };

// Checks what a suite needs before it starts a server.
function checkPrerequisites() {
    assert.ok(kBinary, 'COALITION_BINARY must name the coalition binary (tests/browser/run sets it)');
    assert.ok(fs.existsSync(kChromium), `${kChromium} is missing: scripts/install-deps --with-test-tools`);
    fs.mkdirSync(kScreenshots, { recursive: true });
}

function launchBrowser() {
    return chromium.launch({ executablePath: kChromium, headless: true, args: kChromiumArgs });
}

// Closes the browser and stops the server, which must exit 0 on SIGTERM if it had started.
async function stopAll(browser, server) {
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
}

// A context on `server` with axe injected, its language chosen through the site's own switch.
async function newContext(browser, server, language) {
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

// lang/dir, one <main>, an <h1>, and no serious/critical WCAG violation; a screenshot either way
// (screenshots/SHOT.png).
async function audit(page, language, name, shot) {
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
    await page.screenshot({ path: path.join(kScreenshots, `${shot}.png`), fullPage: true });
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

module.exports = {
    kAdmin,
    kAxeTags,
    kBinary,
    kChromium,
    kFailingImpacts,
    kScreenshots,
    audit,
    checkPrerequisites,
    launchBrowser,
    newContext,
    stopAll,
    submit,
};
