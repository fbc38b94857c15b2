// Checks labgraph's offline GraphiQL page in a real browser (Debian's chromium through
// playwright-core): the page renders GraphiQL, its schema introspection succeeds, a query
// typed into the editor runs and shows its result, and no request leaves the server.
//
// Usage: npm ci && node graphiql-check.mjs http://127.0.0.1:8080/graphql [--screenshot /tmp/g.png]
// Needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium).
// Exits 0 when every check passes, 1 when one fails, 2 when the check cannot run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const url = args.find((arg) => !arg.startsWith('--'));
const screenshotAt = args.indexOf('--screenshot');
const screenshot = screenshotAt >= 0 ? args[screenshotAt + 1] : undefined;
if (!url || (screenshotAt >= 0 && !screenshot)) {
  console.error('usage: node graphiql-check.mjs URL [--screenshot FILE]');
  process.exit(2);
}
const endpoint = new URL(url);
// The point is that the page works offline; a non-loopback URL would prove nothing.
if (!['127.0.0.1', 'localhost', '[::1]'].includes(endpoint.hostname)) {
  console.error(`the endpoint must be on the loopback interface, not ${endpoint.hostname}`);
  process.exit(2);
}

// A query every schema answers, so the check runs against the demo and the real server.
const QUERY = '{ __typename }';
const EXPECTED = '"__typename": "Query"';
const TIMEOUT_MS = 20_000;

const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`FAIL ${message}`);
};

const userDataDir = mkdtempSync(join(tmpdir(), 'labgraph-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
} catch (error) {
  console.error(`could not launch /usr/bin/chromium: ${error.message}`);
  rmSync(userDataDir, { recursive: true, force: true });
  process.exit(2);
}

try {
  // Every request the page makes must stay on the server under test; anything else is
  // recorded as a failure and aborted, so nothing leaves the machine even on failure.
  await context.route('**/*', (route) => {
    const requested = new URL(route.request().url());
    if (requested.origin === endpoint.origin) {
      return route.continue();
    }
    fail(`the page requested ${requested.href}, which is not on ${endpoint.origin}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => fail(`uncaught error in the page: ${error.message}`));
  page.on('console', (message) => {
    // CSP violations and failed loads are reported as console errors.
    if (message.type() === 'error') fail(`console error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    if (new URL(request.url()).origin === endpoint.origin) {
      fail(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    }
  });
  page.on('response', (response) => {
    if (new URL(response.url()).origin === endpoint.origin && response.status() >= 400) {
      fail(`${response.request().method()} ${response.url()} answered ${response.status()}`);
    }
  });

  // GraphiQL introspects the schema on load; its docs and autocompletion depend on it.
  // Started before navigating so the response cannot be missed; a rejection is kept as a
  // value so an earlier failure does not leave it unhandled.
  const introspection = page
    .waitForResponse(
      (response) =>
        response.url() === endpoint.href &&
        response.request().method() === 'POST' &&
        (response.request().postData() ?? '').includes('__schema'),
      { timeout: TIMEOUT_MS },
    )
    .catch((error) => error);
  const navigation = await page.goto(endpoint.href, {
    waitUntil: 'load',
    timeout: TIMEOUT_MS,
  });
  if (navigation?.headers()['content-type']?.startsWith('text/html') !== true) {
    fail(`GET ${endpoint.href} as a browser did not answer HTML`);
  }
  if ((await page.evaluate(() => document.compatMode)) !== 'CSS1Compat') {
    fail('the page renders in quirks mode');
  }

  await page.waitForSelector('.graphiql-container', { timeout: TIMEOUT_MS });
  const introspectionResponse = await introspection;
  if (introspectionResponse instanceof Error) throw introspectionResponse;
  const introspected = await introspectionResponse.json();
  if (introspected.errors || !introspected.data?.__schema) {
    fail(`schema introspection failed: ${JSON.stringify(introspected).slice(0, 300)}`);
  }

  // Type the query as a user would: focus the editor, replace its content, run it.
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // Typed without braces' auto-closing getting in the way: CodeMirror closes `{` itself.
  await page.keyboard.type('{ __typename');
  const typed = await page.evaluate(
    () => document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror?.getValue(),
  );
  const squeeze = (text) => text?.replace(/\s+/g, '');
  if (squeeze(typed) !== squeeze(QUERY)) {
    fail(`the editor holds ${JSON.stringify(typed)} instead of ${JSON.stringify(QUERY)}`);
  }
  const execution = page
    .waitForResponse(
      (response) =>
        response.url() === endpoint.href &&
        (response.request().postData() ?? '').includes('__typename') &&
        !(response.request().postData() ?? '').includes('__schema'),
      { timeout: TIMEOUT_MS },
    )
    .catch((error) => error);
  await page.locator('.graphiql-execute-button').click();
  const executed = await execution;
  if (executed instanceof Error) throw executed;
  const result = page.locator('.graphiql-response .CodeMirror');
  try {
    await page.waitForFunction(
      (expected) =>
        document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror?.getValue()
          ?.includes(expected),
      EXPECTED,
      { timeout: TIMEOUT_MS },
    );
  } catch {
    fail(`the result pane does not show ${EXPECTED}: ${JSON.stringify(await result.innerText())}`);
  }

  if (screenshot) {
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot: ${screenshot}`);
  }
} catch (error) {
  fail(`check aborted: ${error.message}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log(`ok: GraphiQL at ${endpoint.href} rendered, introspected and ran ${QUERY} offline`);
