'use strict';
// End-to-end accessibility suite: the real `coalition` binary (COALITION_BINARY) with the demo
// data, driven by Debian's Chromium through playwright-core. Every main page, in English and in
// Arabic, anonymous and signed in as the demo admin, must have: the right <html lang/dir>, one
// <main>, an <h1>, a visible keyboard focus, and no serious or critical axe-core violation of
// WCAG 2.0/2.1/2.2 A and AA. The sign-in and organisation forms must work with JavaScript off.
// Screenshots of every page go to tests/browser/screenshots/ (git-ignored) for a person to look at.

const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const axe = require('axe-core');
const { Server } = require('./server');

const {
    kAdmin, kAxeTags, kBinary, kFailingImpacts, kScreenshots, checkPrerequisites, launchBrowser, stopAll,
} = require('./support');
const kViewport = { width: 1280, height: 900 };
const kNarrowViewport = { width: 320, height: 640 };

const kLanguages = [
    { tag: 'en', dir: 'ltr' },
    { tag: 'ar', dir: 'rtl' },
];

// What an anonymous visitor sees. `status` is the expected HTTP status (200 unless given).
const kPublicPages = [
    { name: 'home', path: '/' },
    { name: 'members', path: '/members' },
    { name: 'member-internetnz', path: '/members/internetnz' },
    { name: 'signin', path: '/signin' },
    { name: 'statement', path: '/statement' },
    { name: 'signatories', path: '/statement/signatories' },
    { name: 'signatories-invalid-filter', path: '/statement/signatories?country=ZZ', status: 422 },
    { name: 'lists', path: '/lists' },
    { name: 'processes', path: '/processes' },
    { name: 'process-gdc', path: '/processes/gdc' },
    { name: 'processes-calendar', path: '/processes/calendar' },
    { name: 'process-document', path: '/processes/wsis20/documents/demo-outcome' },
    { name: 'process-revision', path: '/processes/wsis20/documents/demo-outcome/revisions/2' },
    { name: 'process-compare', path: '/processes/wsis20/documents/demo-outcome/compare' },
    { name: 'list-coalition', path: '/lists/coalition' },
    { name: 'list-archive', path: '/lists/coalition/archive' },
    { name: 'list-thread', path: '/lists/coalition/t/1' },
    { name: 'list-message', path: '/lists/coalition/m/2' },
    { name: 'list-search', path: '/lists/coalition/search?q=session' },
    { name: 'archive-search', path: '/archive/search?q=IGF' },
    { name: 'not-found', path: '/no-such-page', status: 404 },
    { name: 'signin-wrong-password', path: '/signin', status: 'any', act: wrongPassword },
];

// Pages checked for reflow on a narrow screen (and photographed there).
const kReflowPages = [
    { name: 'home', path: '/' },
    { name: 'members', path: '/members' },
    { name: 'member-internetnz', path: '/members/internetnz' },
    { name: 'signin', path: '/signin' },
    { name: 'signatories', path: '/statement/signatories' },
    { name: 'process-compare', path: '/processes/wsis20/documents/demo-outcome/compare' },
    { name: 'list-thread', path: '/lists/coalition/t/1' },
];

// What the demo admin sees, signed in through the password form.
const kAdminPages = [
    { name: 'admin-home', path: '/' },
    { name: 'admin-members', path: '/members' },
    { name: 'admin-organisations', path: '/admin/organisations' },
    { name: 'admin-organisation-new', path: '/admin/organisations/new' },
    { name: 'admin-organisation-invalid', path: '/admin/organisations/new', status: 'any', act: submitEmptyForm },
    { name: 'admin-outbox', path: '/admin/outbox' },
    { name: 'admin-audit', path: '/admin/audit' },
    { name: 'admin-signatures', path: '/admin/signatures' },
    { name: 'admin-signature-bursts', path: '/admin/signatures/bursts' },
    { name: 'admin-signature-erase', path: '/admin/signatures/erase' },
];

let server;
let browser;
// Every serious/critical violation seen ({id, impact, help, target, html, summary, page}).
const findings = [];
// Moderate/minor violations and best-practice notes: printed, never failing.
const notes = [];

before(async () => {
    checkPrerequisites();
    server = new Server(kBinary);
    await server.start();
    browser = await launchBrowser();
});

after(async () => {
    try {
        await stopAll(browser, server);
    } finally {
        printSummary();
    }
});

// Prints each failing rule once per element, with the pages it was seen on.
function printSummary() {
    if (findings.length === 0) {
        console.log('\naxe: no serious or critical violations');
    } else {
        const grouped = new Map();
        for (const finding of findings) {
            const key = `${finding.id} [${finding.impact}] ${finding.target}`;
            if (!grouped.has(key)) {
                grouped.set(key, { ...finding, pages: [] });
            }
            grouped.get(key).pages.push(finding.page);
        }
        console.log(`\naxe: ${grouped.size} serious/critical violation(s) (rule, element, pages):`);
        for (const [key, group] of grouped) {
            console.log(`  ${key} — ${group.help}`);
            console.log(`      ${group.summary}`);
            console.log(`      ${group.html}`);
            console.log(`      on: ${group.pages.join(', ')}`);
        }
    }
    if (notes.length > 0) {
        const counts = new Map();
        for (const note of notes) {
            counts.set(note, (counts.get(note) || 0) + 1);
        }
        console.log('axe notes (moderate/minor or best practice, not failing):');
        for (const [note, count] of counts) {
            console.log(`  ${note}  (${count} page(s))`);
        }
    }
}

// A browser context in `language`: English by default; Arabic chosen once with ?lang=ar, then
// kept by the cookie (no later URL carries ?lang). The browser's own locale stays en-US so that
// only the cookie can make later pages Arabic.
async function newContext({ language = 'en', javaScript = true } = {}) {
    const context = await browser.newContext({
        baseURL: server.baseUrl,
        viewport: kViewport,
        locale: 'en-US',
        javaScriptEnabled: javaScript,
        // The server may well forbid inline scripts; axe-core is injected for the audit only.
        bypassCSP: true,
    });
    if (javaScript) {
        // Compiled once per context and cached, which is several times faster than injecting
        // axe-core into each page after it loads. The pages under test have no script of their own.
        await context.addInitScript({ content: axe.source });
    }
    if (language !== 'en') {
        const page = await context.newPage();
        const response = await page.goto(`/?lang=${language}`);
        assert.equal(response.status(), 200, `/?lang=${language} answered ${response.status()}`);
        await page.close();
    }
    return context;
}

// Fills and submits the password sign-in form; returns the POST's own response (before redirects).
async function submitPasswordForm(page, email, password) {
    const form = page.locator('form:has(input[name="password"])').first();
    await form.locator('input[name="email"]').fill(email);
    await form.locator('input[name="password"]').fill(password);
    const [navigation] = await Promise.all([
        page.waitForNavigation(),
        form.locator('button[type="submit"], input[type="submit"], button:not([type])').first().click(),
    ]);
    let request = navigation.request();
    while (request.redirectedFrom()) {
        request = request.redirectedFrom();
    }
    return { first: await request.response(), last: navigation };
}

async function signInAsAdmin(context) {
    const page = await context.newPage();
    await page.goto('/signin');
    const { first } = await submitPasswordForm(page, kAdmin.email, kAdmin.password);
    assert.equal(first.status(), 303, `password sign-in answered ${first.status()}, not 303`);
    const check = await page.goto('/admin/organisations');
    assert.equal(check.status(), 200, `after sign-in /admin/organisations answered ${check.status()}`);
    await page.close();
}

// Page states reached by acting on a form (an error state must be as accessible as the form).
async function wrongPassword(page) {
    const { first } = await submitPasswordForm(page, kAdmin.email, 'not-the-password');
    return first;
}

async function submitEmptyForm(page) {
    const form = page.locator('main form[method="post" i]').first();
    const [navigation] = await Promise.all([
        page.waitForNavigation(),
        form.locator('button[type="submit"], input[type="submit"], button:not([type])').first().click(),
    ]);
    return navigation;
}

// The structural checks; returns a list of problems (empty when all is well).
async function checkStructure(page, language) {
    const facts = await page.evaluate(() => ({
        lang: document.documentElement.getAttribute('lang'),
        dir: document.documentElement.getAttribute('dir'),
        mains: document.querySelectorAll('main, [role="main"]').length,
        h1s: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
        title: document.title,
    }));
    const problems = [];
    if (facts.lang !== language.tag) {
        problems.push(`<html lang="${facts.lang}">, expected "${language.tag}"`);
    }
    if (facts.dir !== language.dir) {
        problems.push(`<html dir="${facts.dir}">, expected "${language.dir}"`);
    }
    if (facts.mains !== 1) {
        problems.push(`${facts.mains} <main> landmarks, expected exactly one`);
    }
    if (facts.h1s.length === 0 || facts.h1s.every((text) => text === '')) {
        problems.push('no non-empty <h1>');
    }
    if (!facts.title.trim()) {
        problems.push('empty <title>');
    }
    return problems;
}

// Runs axe-core; serious/critical WCAG violations are problems, the rest become notes.
async function checkAxe(page, label) {
    const violations = await page.evaluate(async (tags) => {
        const result = await window.axe.run(document, {
            runOnly: { type: 'tag', values: [...tags, 'best-practice'] },
            resultTypes: ['violations'],
        });
        return result.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            tags: violation.tags,
            help: violation.help,
            nodes: violation.nodes.map((node) => ({
                target: node.target.join(' '),
                html: node.html.slice(0, 160),
                summary: (node.failureSummary || '').replace(/\s+/g, ' ').slice(0, 300),
            })),
        }));
    }, kAxeTags);
    const problems = [];
    for (const violation of violations) {
        const isWcag = violation.tags.some((tag) => kAxeTags.includes(tag));
        if (isWcag && kFailingImpacts.has(violation.impact)) {
            for (const node of violation.nodes) {
                const line = `${label}: ${violation.id} [${violation.impact}] ${node.target} — ${violation.help}; ${node.summary} ${node.html}`;
                problems.push(line);
                findings.push({ ...node, id: violation.id, impact: violation.impact, help: violation.help, page: label });
            }
        } else {
            const targets = violation.nodes.map((node) => node.target).slice(0, 3).join(', ');
            notes.push(`${violation.id} [${violation.impact}${isWcag ? '' : ', best-practice'}] ${violation.help}: ${targets}`);
        }
    }
    return problems;
}

// Tabs once from the top of the page: the first focusable element must show a focus indicator.
async function checkFocusVisible(page) {
    await page.evaluate(() => {
        if (document.activeElement && document.activeElement !== document.body) {
            document.activeElement.blur();
        }
        window.scrollTo(0, 0);
    });
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
        const element = document.activeElement;
        if (!element || element === document.body) {
            return null;
        }
        const style = getComputedStyle(element);
        const rect = element.getBoundingClientRect();
        return {
            tag: element.tagName.toLowerCase(),
            text: (element.textContent || '').trim().slice(0, 40),
            outlineStyle: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth) || 0,
            boxShadow: style.boxShadow,
            width: rect.width,
            height: rect.height,
            inViewport: rect.bottom > 0 && rect.right > 0 && rect.top < innerHeight && rect.left < innerWidth,
        };
    });
    if (!focus) {
        return ['Tab focused nothing'];
    }
    const problems = [];
    const name = `<${focus.tag}> "${focus.text}"`;
    if (focus.tag !== 'a') {
        problems.push(`the first Tab stop is ${name}, not a link`);
    }
    const hasOutline = focus.outlineStyle !== 'none' && focus.outlineWidth > 0;
    const hasShadow = focus.boxShadow && focus.boxShadow !== 'none';
    if (!hasOutline && !hasShadow) {
        problems.push(`focused ${name} has no visible outline (outline: ${focus.outlineStyle} ${focus.outlineWidth}px)`);
    }
    if (focus.width < 1 || focus.height < 1 || !focus.inViewport) {
        problems.push(`focused ${name} is not on screen (${focus.width}x${focus.height})`);
    }
    return problems;
}

// Visits one page (or page state) in `page` and runs every check on it.
async function auditPage(page, language, spec) {
    const label = `${language.tag} ${spec.name} (${spec.path})`;
    let response = await page.goto(spec.path);
    if (spec.act) {
        response = await spec.act(page);
    }
    const problems = [];
    const expected = spec.status ?? 200;
    if (expected !== 'any' && response.status() !== expected) {
        problems.push(`status ${response.status()}, expected ${expected}`);
    }
    problems.push(...(await checkStructure(page, language)));
    problems.push(...(await checkAxe(page, label)));
    await page.screenshot({ path: path.join(kScreenshots, `${language.tag}-${spec.name}.png`), fullPage: true });
    problems.push(...(await checkFocusVisible(page)));
    if (problems.length > 0) {
        assert.fail(`${label}:\n  ${problems.join('\n  ')}`);
    }
}

// A plausible value for an organisation form field, by its name.
function organisationValue(name, unique) {
    const values = {
        name: `Registre de test ${unique} — ميدان`,
        short_name: `RT${unique}`,
        slug: `registre-test-${unique}`,
        country: 'NZ',
        website: `https://registre-${unique}.example`,
        url: `https://registre-${unique}.example`,
        domain: `bücher-${unique}.example`,
        description: 'A registry used by the browser suite.',
    };
    return values[name] ?? `value ${unique}`;
}

// Fills every visible field of `form`: text from organisationValue, selects with their first option.
async function fillOrganisationForm(form, unique) {
    const controls = await form.locator('input, select, textarea').all();
    for (const control of controls) {
        const name = await control.getAttribute('name');
        const type = ((await control.getAttribute('type')) || 'text').toLowerCase();
        const tag = await control.evaluate((element) => element.tagName.toLowerCase()).catch(() => null);
        if (!name || name.startsWith('_') || ['hidden', 'submit', 'button', 'checkbox', 'radio'].includes(type)) {
            continue;
        }
        if (tag === 'select') {
            const options = await control.locator('option').all();
            for (const option of options) {
                const value = await option.getAttribute('value');
                if (value) {
                    await control.selectOption(value);
                    break;
                }
            }
        } else {
            await control.fill(organisationValue(name, unique));
        }
    }
}

// The suites run two at a time (each in its own browser context); the pages inside one suite
// share a tab and run in order.
const kOneAtATime = { concurrency: 1 };
describe('coalition in the browser', { concurrency: 2 }, () => {
for (const language of kLanguages) {
    describe(`anonymous, ${language.tag}`, kOneAtATime, () => {
        let context;
        let page;
        before(async () => {
            context = await newContext({ language: language.tag });
            page = await context.newPage();
        });
        after(async () => context && (await context.close()));
        for (const spec of kPublicPages) {
            test(`${spec.name} ${spec.path}`, () => auditPage(page, language, spec));
        }
        test('reflow at 320 CSS px (WCAG 1.4.10): no horizontal scrolling', async () => {
            await page.setViewportSize(kNarrowViewport);
            const problems = [];
            try {
                for (const spec of kReflowPages) {
                    await page.goto(spec.path);
                    const width = await page.evaluate(() => document.documentElement.scrollWidth);
                    if (width > kNarrowViewport.width) {
                        problems.push(`${spec.path} is ${width}px wide at ${kNarrowViewport.width}px`);
                    }
                    // Narrow layouts bring their own faults (scroll regions, overlapping targets).
                    problems.push(...(await checkAxe(page, `${language.tag} narrow ${spec.name} (${spec.path})`)));
                    const file = `${language.tag}-narrow-${spec.name}.png`;
                    await page.screenshot({ path: path.join(kScreenshots, file), fullPage: true });
                }
            } finally {
                await page.setViewportSize(kViewport);
            }
            if (problems.length > 0) {
                assert.fail(problems.join('\n'));
            }
        });
    });

    describe(`signed in as admin, ${language.tag}`, kOneAtATime, () => {
        let context;
        let page;
        before(async () => {
            context = await newContext({ language: language.tag });
            await signInAsAdmin(context);
            page = await context.newPage();
        });
        after(async () => context && (await context.close()));
        for (const spec of kAdminPages) {
            test(`${spec.name} ${spec.path}`, () => auditPage(page, language, spec));
        }
    });
}

describe('forms without JavaScript', kOneAtATime, () => {
    let context;
    let page;
    before(async () => {
        context = await newContext({ javaScript: false });
        page = await context.newPage();
    });
    after(async () => context && (await context.close()));

    test('a wrong password is refused and the form is shown again', async () => {
        await page.goto('/signin');
        const { first, last } = await submitPasswordForm(page, kAdmin.email, 'wrong-password');
        assert.notEqual(first.status(), 303, 'a wrong password signed in');
        assert.ok(first.status() >= 400 && first.status() < 500, `wrong password answered ${first.status()}`);
        assert.equal(last.url().includes('/signin'), true, `wrong password landed on ${last.url()}`);
        assert.equal(await page.locator('input[name="password"]').count(), 1, 'the form is not shown again');
    });

    test('the password form signs the admin in (303)', async () => {
        await page.goto('/signin');
        const { first } = await submitPasswordForm(page, kAdmin.email, kAdmin.password);
        assert.equal(first.status(), 303, `password sign-in answered ${first.status()}, not 303`);
        const admin = await page.goto('/admin/organisations');
        assert.equal(admin.status(), 200, `/admin/organisations answered ${admin.status()} after sign-in`);
    });

    test('an empty organisation form answers 422 with errors tied to fields', async () => {
        await page.goto('/admin/organisations/new');
        const form = page.locator('main form[method="post" i]').first();
        const [navigation] = await Promise.all([
            page.waitForNavigation(),
            form.locator('button[type="submit"], input[type="submit"], button:not([type])').first().click(),
        ]);
        assert.equal(navigation.status(), 422, `an empty organisation form answered ${navigation.status()}`);
        const invalid = page.locator('[aria-invalid="true"]');
        assert.ok((await invalid.count()) > 0, 'no field is marked aria-invalid="true"');
        const first = invalid.first();
        const describedBy = await first.getAttribute('aria-describedby');
        assert.ok(describedBy, 'the invalid field has no aria-describedby');
        const messages = [];
        for (const id of describedBy.split(/\s+/)) {
            messages.push(((await page.locator(`[id="${id}"]`).textContent()) || '').trim());
        }
        assert.ok(messages.some((text) => text.length > 0), `aria-describedby="${describedBy}" points at no text`);
    });

    test('the organisation form creates an organisation', async () => {
        const unique = String(Date.now() % 100000);
        await page.goto('/admin/organisations/new');
        const form = page.locator('main form[method="post" i]').first();
        await fillOrganisationForm(form, unique);
        const [navigation] = await Promise.all([
            page.waitForNavigation(),
            form.locator('button[type="submit"], input[type="submit"], button:not([type])').first().click(),
        ]);
        let request = navigation.request();
        while (request.redirectedFrom()) {
            request = request.redirectedFrom();
        }
        const posted = await request.response();
        const body = posted.status() === 303 ? '' : await page.locator('main').innerText();
        assert.equal(posted.status(), 303, `creating an organisation answered ${posted.status()}:\n${body.slice(0, 800)}`);
        const list = await page.goto('/admin/organisations');
        assert.equal(list.status(), 200);
        assert.ok((await page.content()).includes(`RT${unique}`) || (await page.content()).includes(`Registre de test ${unique}`),
            'the new organisation is not listed on /admin/organisations');
    });
});
});
