// A legacy Matrix client signing in through Turnkey's browser pages (spec "OAuth 2.0 aware
// clients", "Client login via SSO"), as matrix-js-sdk's legacy login does it: GET /login lists
// m.login.sso with oauth_aware_preferred, the browser (headless Chromium through puppeteer-core)
// goes to getSsoLoginUrl(redirectUrl, "sso", undefined, action), the user signs in or registers on
// Turnkey's page, the browser lands on redirectUrl with a loginToken, and the client logs in with
// m.login.token.
//
// Scenarios, in one browser profile unless said otherwise:
//   1. login:    a loopback redirectUrl: sign-in page, back with a token; the token logs in once.
//   2. confirm:  a redirectUrl on another host: "Continue to host?" page; Continue sends the token
//                there (the request is answered by the script: the host does not exist).
//   3. refused:  redirectUrl=javascript:... is a 400 error page, no redirect.
//   4. register: a fresh profile with action=register: the registration page makes the account.
//
// Usage: node sso-browser.mjs <base URL> <screenshot directory>. CHROMIUM names the browser
// (default /usr/bin/chromium). Prints one summary line; exits non-zero on any failure. Tokens and
// passwords are never printed.

import { mkdir, readdir, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";

import { check, describe, randomName, randomPassword, registerWithDummyAuth, runScript, sdk } from "./common.mjs";

const { createClient } = sdk;
const { default: puppeteer } = await import("puppeteer-core");
const { logger: sdkRootLogger } = await import("matrix-js-sdk/lib/logger.js");
sdkRootLogger.setLevel("warn", false);

const DEADLINE_MS = 150_000;
const PAGE_TIMEOUT_MS = 45_000;
const ELSEWHERE = "https://sso-target.invalid";


const [baseUrl, screenshotDir] = process.argv.slice(2);
if (!baseUrl || !screenshotDir) {
    console.error("usage: node sso-browser.mjs <base URL> <screenshot directory>");
    process.exit(2);
}

const quiet = () => {};
const logger = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };
logger.getChild = () => logger;
const client = createClient({ baseUrl, logger });
const shots = [];
let browser;
let callbackServer;
let lastPage;

async function screenshot(page, name) {
    const file = join(screenshotDir, `${String(shots.length + 1).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
}

async function newPage(context) {
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    await page.setViewport({ width: 1000, height: 800 });
    lastPage = page;
    return page;
}

/** The loginToken of a URL the browser landed on. */
function tokenOf(url, where) {
    const token = new URL(url).searchParams.get("loginToken");
    check(token, `${where}: the browser came back to ${new URL(url).origin + new URL(url).pathname} without a loginToken`);
    return token;
}

async function tokenLogin(token, expectedUser, what) {
    const res = await client.loginRequest({ type: "m.login.token", token });
    check(res.user_id === expectedUser, `${what}: logged in as ${res.user_id}, expected ${expectedUser}`);
    const who = await fetch(new URL("_matrix/client/v3/account/whoami", baseUrl),
        { headers: { Authorization: `Bearer ${res.access_token}` } });
    check(who.status === 200, `${what}: whoami with the new access token answered ${who.status}`);
    return res;
}

async function run() {
    const started = Date.now();
    await mkdir(screenshotDir, { recursive: true });
    for (const name of await readdir(screenshotDir)) {
        if (/^\d\d-.*\.png$/.test(name)) {
            await rm(join(screenshotDir, name));
        }
    }

    // GET /login: what a legacy client reads first.
    const flows = (await client.loginFlows()).flows;
    const sso = flows.find((f) => f.type === "m.login.sso");
    check(sso?.oauth_aware_preferred === true, `GET /login has no m.login.sso with oauth_aware_preferred: ${JSON.stringify(flows)}`);

    const hits = [];
    callbackServer = createServer((req, res) => {
        hits.push(req.url);
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end("<!doctype html><title>Legacy client</title><p>Back in the app.</p>");
    });
    await new Promise((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
    const callback = `http://127.0.0.1:${callbackServer.address().port}/sso-callback?app_state=1`;

    browser = await puppeteer.launch({
        executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
        headless: true,
        args: ["--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check"],
    });

    // 1. login: the account exists; the browser signs in on Turnkey's page.
    const username = randomName("sso");
    const password = randomPassword();
    const userId = (await registerWithDummyAuth(baseUrl, username, password, logger)).user_id;
    check(userId?.startsWith(`@${username}:`), `registration answered user_id ${userId}`);
    const context = await browser.createBrowserContext();
    const page = await newPage(context);
    let response = await page.goto(client.getSsoLoginUrl(callback, "sso", undefined, "login"), { waitUntil: "load" });
    check(response.status() === 200 && await page.$("form#login"), `login: expected the sign-in page, got HTTP ${response.status()} ${page.url()}`);
    await screenshot(page, "sso-login");
    await page.type("form#login input[name=username]", username);
    await page.type("form#login input[name=password]", password);
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form#login button[type=submit]")]);
    check(page.url().startsWith(callback + "&loginToken="), `login: landed on ${new URL(page.url()).origin + new URL(page.url()).pathname}`);
    const token = tokenOf(page.url(), "login");
    const first = await tokenLogin(token, userId, "login");
    let reused = "accepted";
    try {
        await client.loginRequest({ type: "m.login.token", token });
    } catch (e) {
        reused = describe(e);
    }
    check(reused === "403 M_FORBIDDEN", `login: a used loginToken should be 403 M_FORBIDDEN, got ${reused}`);

    // 2. confirm: another host is named and must be confirmed; the browser is still signed in.
    await page.setRequestInterception(true);
    let elsewhere;
    const intercept = (request) => {
        if (request.isInterceptResolutionHandled()) {
            return;
        }
        if (request.url().startsWith(ELSEWHERE + "/")) {
            elsewhere = request.url();
            request.respond({ status: 200, contentType: "text/html", body: "<!doctype html><title>Elsewhere</title>" });
        } else {
            request.continue();
        }
    };
    page.on("request", intercept);
    response = await page.goto(client.getSsoLoginUrl(`${ELSEWHERE}/cb`, "sso", undefined, "login"), { waitUntil: "load" });
    check(response.status() === 200 && await page.$("form#sso-confirm"), `confirm: expected the confirmation page, got HTTP ${response.status()}`);
    const heading = await page.$eval("h1", (h) => h.textContent);
    check(heading.includes("Continue to sso-target.invalid?"), `confirm: the page does not name the host: ${heading}`);
    check(elsewhere === undefined, "confirm: the browser went to the other host before the user confirmed");
    await screenshot(page, "sso-confirm");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form#sso-confirm button[type=submit]")]);
    check(elsewhere?.startsWith(`${ELSEWHERE}/cb?loginToken=`), `confirm: Continue went to ${elsewhere ? new URL(elsewhere).origin : "nowhere"}`);
    await tokenLogin(tokenOf(elsewhere, "confirm"), first.user_id, "confirm");
    page.off("request", intercept);
    await page.setRequestInterception(false);

    // 3. refused: not a web address.
    response = await page.goto(new URL("_matrix/client/v3/login/sso/redirect?redirectUrl=javascript%3Aalert(1)", baseUrl).href,
        { waitUntil: "load" });
    check(response.status() === 400 && await page.$("#error"), `refused: expected a 400 error page, got HTTP ${response.status()}`);
    await screenshot(page, "sso-refused");

    // 4. register: a fresh profile, action=register.
    const fresh = await browser.createBrowserContext();
    const page2 = await newPage(fresh);
    response = await page2.goto(client.getSsoLoginUrl(callback, "sso", undefined, "register"), { waitUntil: "load" });
    check(response.status() === 200 && await page2.$("form#register"), `register: expected the registration page, got HTTP ${response.status()}`);
    await screenshot(page2, "sso-register");
    const newName = randomName("ssonew");
    await page2.type("form#register input[name=username]", newName);
    await page2.type("form#register input[name=password]", password);
    await page2.type("form#register input[name=password_confirm]", password);
    await Promise.all([page2.waitForNavigation({ waitUntil: "load" }), page2.click("form#register button[type=submit]")]);
    await tokenLogin(tokenOf(page2.url(), "register"), `@${newName}:${userId.slice(userId.indexOf(":") + 1)}`, "register");

    const chromium = (await browser.version()).replace(/^[^/]*\//, "");
    return `sso-browser: ok Chromium ${chromium}; m.login.sso oauth_aware_preferred; login, reuse 403, confirm`
        + ` (${new URL(ELSEWHERE).host}), refused 400, register (new account signed in);`
        + ` ${hits.length} callbacks; ${shots.length} screenshots in ${screenshotDir}; ${Math.round((Date.now() - started) / 1000)} s`;
}

await runScript("sso-browser", DEADLINE_MS, run, {
    onFailure: async () => {
        if (lastPage) {
            await screenshot(lastPage, "failure").catch(() => {});
        }
    },
    cleanUp: async () => {
        await browser?.close().catch(() => {});
        callbackServer?.close();
    },
});
