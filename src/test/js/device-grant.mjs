// Drives Turnkey's device authorisation grant (RFC 8628, spec "Device authorisation flow") the
// way a TV or command-line Matrix client does: matrix-js-sdk 43's OAuth2.startDeviceAuthorizationGrant
// and waitForDeviceAuthorizationGrant on the device side, and headless Chromium (puppeteer-core) as
// the user's phone or laptop on Turnkey's verification page.
//
// Scenarios (one account, one browser profile; "expire" runs alongside the others):
//   approve:  verification_uri_complete; sign-in page, confirmation page (client, device, code),
//             Allow; the SDK's polling gets tokens for its device; whoami; logout by revocation.
//   deny:     signed in already; the code typed by hand on verification_uri; Deny; the SDK's
//             polling ends with access_denied.
//   slow:     the device polls twice at once: slow_down (400) on the second poll; then the SDK
//             polls (too early again: slow_down, and it adds 5 s by itself), the user approves,
//             tokens arrive.
//   wrong:    a code nobody was given: the page says so (screenshot) and offers the form again.
//   expire:   nobody approves; the SDK gives up at expires_in (turnkey.oauth.device-code-lifetime,
//             30 s in the IT); the server then answers expired_token.
//
// Usage: node device-grant.mjs <base URL> <screenshot directory>. Every token endpoint answer the
// SDK receives is recorded (error codes only), so the summary shows what was polled. Tokens,
// codes and passwords are never printed.

import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

import {
    check, describe, randomName, randomPassword, registerWithDummyAuth, runScript, sdk, sdkLogger, step,
} from "./common.mjs";

const { createClient, OAuth2 } = sdk;
const { default: puppeteer } = await import("puppeteer-core");
const { logger: sdkRootLogger } = await import("matrix-js-sdk/lib/logger.js");
sdkRootLogger.setLevel("warn", false);

const DEADLINE_MS = 170_000;
const PAGE_TIMEOUT_MS = 45_000;
const GRANT = "urn:ietf:params:oauth:grant-type:device_code";


/** Every answer of the token endpoint to a device code poll, in order: "200" or the error code. */
const polls = [];
let tokenEndpoint;
const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, options) => {
    const res = await realFetch(resource, options);
    if (tokenEndpoint && String(resource) === tokenEndpoint && String(options?.body ?? "").includes("device_code=")) {
        const body = await res.clone().json().catch(() => ({}));
        polls.push({ code: new URLSearchParams(String(options.body)).get("device_code"), at: Date.now(),
            answer: res.ok ? "200" : `${res.status} ${body.error}` });
    }
    return res;
};

function pollsOf(session) {
    return polls.filter((p) => p.code === session.device_code).map((p) => p.answer);
}

/** One poll of the token endpoint by hand (the SDK has no single-poll function). */
async function pollOnce(metadata, clientId, session) {
    const res = await fetch(metadata.token_endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams({ grant_type: GRANT, device_code: session.device_code, client_id: clientId }),
    });
    const body = await res.json().catch(() => ({}));
    return { status: res.status, error: body.error };
}

class Run {
    constructor(baseUrl, screenshotDir) {
        this.baseUrl = baseUrl;
        this.screenshotDir = screenshotDir;
        this.screenshots = [];
        this.figures = {};
    }

    async setUp() {
        await mkdir(this.screenshotDir, { recursive: true });
        for (const name of await readdir(this.screenshotDir)) {
            if (/^device-.*\.png$/.test(name) || name === "device-failure.txt") {
                await rm(join(this.screenshotDir, name));
            }
        }
        this.metadata = await step("auth_metadata", createClient({ baseUrl: this.baseUrl, logger: sdkLogger() }).getAuthMetadata());
        tokenEndpoint = this.metadata.token_endpoint;
        check(this.metadata.grant_types_supported?.includes(GRANT), `grant_types_supported lacks ${GRANT}`);
        check(new URL(this.metadata.device_authorization_endpoint ?? "x:").origin === new URL(this.baseUrl).origin,
            `device_authorization_endpoint ${this.metadata.device_authorization_endpoint} is not on the server`);

        this.username = randomName("tv");
        this.password = randomPassword();
        const registered = await step("legacy registration", registerWithDummyAuth(this.baseUrl, this.username, this.password, sdkLogger()));
        this.userId = registered.user_id;
        // registerClient asks for the device code grant by itself because the metadata offers it.
        this.clientId = await step("client registration", OAuth2.registerClient(this.metadata, {
            client_name: "Turnkey e2e TV",
            client_uri: "https://turnkey-e2e.example.org/",
            application_type: "native",
            redirect_uris: ["http://127.0.0.1/callback"],
        }, sdkLogger()));

        this.browser = await puppeteer.launch({
            executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
            headless: true,
            args: ["--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check"],
        });
        this.page = await this.browser.newPage();
        this.page.setDefaultTimeout(PAGE_TIMEOUT_MS);
        await this.page.setViewport({ width: 1000, height: 800 });
    }

    async tearDown() {
        await this.browser?.close().catch(() => {});
    }

    async screenshot(kind) {
        const file = join(this.screenshotDir, `device-${String(this.screenshots.length + 1).padStart(2, "0")}-${kind}.png`);
        await this.page.screenshot({ path: file, fullPage: true });
        this.screenshots.push(file);
    }

    async text() {
        const text = await this.page.evaluate(() => document.body?.innerText ?? "").catch(() => "");
        return text.replace(/\s+/g, " ").trim();
    }

    /** A device's OAuth2 helper (new device ID) and its device authorisation. */
    async startDevice(what) {
        const grant = new OAuth2(this.metadata, { clientId: this.clientId }, sdkLogger());
        const session = await step(`${what}: startDeviceAuthorizationGrant`, grant.startDeviceAuthorizationGrant());
        check(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/.test(session.user_code), `${what}: user code ${session.user_code}`);
        check(session.verification_uri_complete?.includes(encodeURIComponent(session.user_code)),
            `${what}: verification_uri_complete does not carry the user code`);
        return { grant, session };
    }

    /** Opens a URL and waits for Turnkey's page; answers the sign-in page if it comes. */
    async open(url, what) {
        const response = await this.page.goto(url, { waitUntil: "load" });
        if (await this.page.$("form#login")) {
            check(response.status() === 200, `${what}: sign-in page HTTP ${response.status()}`);
            await this.screenshot(`${what}-signin`);
            await this.page.type("form#login input[name=username]", this.username);
            await this.page.type("form#login input[name=password]", this.password);
            const [after] = await Promise.all([this.page.waitForNavigation({ waitUntil: "load" }),
                this.page.click("form#login button[type=submit]")]);
            return after;
        }
        return response;
    }

    /** On the confirmation page: checks what it shows, then clicks Allow or Deny. */
    async decide(what, grant, session, decision) {
        check(await this.page.$("form#device"), `${what}: no confirmation form: ${(await this.text()).slice(0, 300)}`);
        const shown = await this.text();
        check(shown.includes("Turnkey e2e TV"), `${what}: the page does not name the client`);
        check(shown.includes(grant.context.deviceId), `${what}: the page does not name the device ${grant.context.deviceId}`);
        check(shown.includes(session.user_code), `${what}: the page does not show the code to compare`);
        await this.screenshot(`${what}-confirm`);
        const [done] = await Promise.all([this.page.waitForNavigation({ waitUntil: "load" }),
            this.page.click(`form#device button[name=decision][value=${decision}]`)]);
        check(done.status() === 200 && await this.page.$("#outcome"), `${what}: after ${decision}: HTTP ${done.status()}`);
        await this.screenshot(`${what}-${decision === "allow" ? "approved" : "denied"}`);
    }

    async checkTokens(what, grant, tokens) {
        check(tokens && !tokens.error, `${what}: no tokens: ${tokens?.error}`);
        check(typeof tokens.refresh_token === "string" && tokens.refresh_token.length > 0, `${what}: no refresh_token`);
        check(tokens.scope?.split(" ").includes(`urn:matrix:client:device:${grant.context.deviceId}`), `${what}: scope ${tokens.scope}`);
        const client = createClient({ baseUrl: this.baseUrl, accessToken: tokens.access_token, refreshToken: tokens.refresh_token,
            oauthClientId: this.clientId, logger: sdkLogger() });
        const me = await step(`${what}: whoami`, client.whoami());
        check(me.user_id === this.userId && me.device_id === grant.context.deviceId,
            `${what}: whoami says ${me.user_id} ${me.device_id}`);
        await step(`${what}: logout`, client.logout());
        const after = await fetch(new URL("_matrix/client/v3/account/whoami", this.baseUrl),
            { headers: { Authorization: `Bearer ${tokens.access_token}` } });
        check(after.status === 401, `${what}: the access token still works after logout (HTTP ${after.status})`);
    }

    async scenarioApprove() {
        const { grant, session } = await this.startDevice("approve");
        const waiting = grant.waitForDeviceAuthorizationGrant(session);
        const started = Date.now();
        await this.open(session.verification_uri_complete, "approve");
        await this.decide("approve", grant, session, "allow");
        const tokens = await step("approve: waitForDeviceAuthorizationGrant", waiting);
        await this.checkTokens("approve", grant, tokens);
        const answers = pollsOf(session);
        check(answers.at(-1) === "200" && answers.slice(0, -1).every((a) => a === "400 authorization_pending"),
            `approve: polls answered ${answers.join(", ")}`);
        this.figures.approve = `${answers.length} polls, ${((Date.now() - started) / 1000).toFixed(1)} s`;
        // Single use: the device code is spent.
        const again = await pollOnce(this.metadata, this.clientId, session);
        check(again.status === 400 && again.error === "invalid_grant", `approve: second use answered ${again.status} ${again.error}`);
    }

    async scenarioDeny() {
        const { grant, session } = await this.startDevice("deny");
        const waiting = grant.waitForDeviceAuthorizationGrant(session);
        // Typed by hand: verification_uri, then the code in lower case.
        await this.open(session.verification_uri, "deny");
        check(await this.page.$("form#device-code"), `deny: no code form: ${(await this.text()).slice(0, 300)}`);
        await this.screenshot("deny-enter-code");
        await this.page.type("form#device-code input[name=user_code]", session.user_code.toLowerCase());
        await Promise.all([this.page.waitForNavigation({ waitUntil: "load" }), this.page.click("form#device-code button[type=submit]")]);
        await this.decide("deny", grant, session, "deny");
        const outcome = await step("deny: waitForDeviceAuthorizationGrant", waiting);
        check(outcome?.error === "access_denied", `deny: the SDK ended with ${JSON.stringify(outcome?.error)}, expected access_denied`);
        this.figures.deny = pollsOf(session).join(" > ");
    }

    async scenarioSlowDown() {
        const { grant, session } = await this.startDevice("slow");
        const first = await pollOnce(this.metadata, this.clientId, session);
        const second = await pollOnce(this.metadata, this.clientId, session);
        check(first.status === 400 && first.error === "authorization_pending", `slow: first poll ${first.status} ${first.error}`);
        check(second.status === 400 && second.error === "slow_down", `slow: an immediate second poll answered ${second.status} ${second.error}, expected 400 slow_down`);
        // The SDK polls at once (too early again), hears slow_down and waits 5 s more each time.
        const waiting = grant.waitForDeviceAuthorizationGrant(session);
        await this.open(session.verification_uri_complete, "slow");
        await this.decide("slow", grant, session, "allow");
        const tokens = await step("slow: waitForDeviceAuthorizationGrant", waiting);
        await this.checkTokens("slow", grant, tokens);
        const answers = pollsOf(session);
        check(answers[2] === "400 slow_down" && answers.at(-1) === "200", `slow: polls answered ${answers.join(", ")}`);
        this.figures.slow = answers.join(" > ");
    }

    async scenarioWrongCode() {
        const response = await this.page.goto(new URL("_turnkey/device?user_code=BBBB-BBBB", this.baseUrl).href, { waitUntil: "load" });
        check(response.status() === 404 && await this.page.$("form#device-code"), `wrong: HTTP ${response.status()}`);
        check((await this.text()).includes("No device is waiting for that code"), "wrong: no friendly message");
        await this.screenshot("wrong-code");
    }

    async run() {
        const started = Date.now();
        await this.setUp();
        // Nobody approves this one; it runs while the others do.
        const expiring = await this.startDevice("expire");
        const expiry = expiring.grant.waitForDeviceAuthorizationGrant(expiring.session);

        await this.scenarioApprove();
        await this.scenarioDeny();
        await this.scenarioSlowDown();
        await this.scenarioWrongCode();

        const outcome = await step("expire: waitForDeviceAuthorizationGrant", expiry);
        // The SDK stops at expires_in by its own clock ("expired"), or hears the server first.
        check(outcome?.error === "expired" || outcome?.error === "expired_token", `expire: the SDK ended with ${JSON.stringify(outcome)}`);
        const late = await pollOnce(this.metadata, this.clientId, expiring.session);
        check(late.status === 400 && late.error === "expired_token", `expire: a poll after expiry answered ${late.status} ${late.error}`);
        // Pending until the server's expiry, expired_token from then on (the SDK's last poll may
        // already have heard it, since its clock started after the server's).
        const answers = pollsOf(expiring.session);
        const pending = answers.findIndex((a) => a !== "400 authorization_pending");
        check(pending > 0 && answers.slice(pending).every((a) => a === "400 expired_token"),
            `expire: polls answered ${answers.join(", ")}`);
        this.figures.expire = `${pending} pending polls in ${expiring.session.expires_in} s, then`
            + ` ${answers.length - pending} x 400 expired_token (SDK: ${outcome.error})`;

        const elapsed = Math.round((Date.now() - started) / 1000);
        return `device-grant: ok approve ${this.figures.approve}; deny ${this.figures.deny}; slow ${this.figures.slow};`
            + ` expire ${this.figures.expire}; ${this.screenshots.length} screenshots in ${this.screenshotDir}; ${elapsed} s`;
    }
}

const [baseUrl, screenshotDir] = process.argv.slice(2);
if (!baseUrl || !screenshotDir) {
    console.error("usage: node device-grant.mjs <base URL> <screenshot directory>");
    process.exit(2);
}
const run = new Run(baseUrl, screenshotDir);
await runScript("device-grant", DEADLINE_MS, () => run.run(), {
    onFailure: async (error) => {
        await writeFile(join(screenshotDir, "device-failure.txt"), describe(error) + "\n").catch(() => {});
        if (run.page) {
            await run.screenshot("failure-last-page").catch(() => {});
        }
    },
    cleanUp: () => run.tearDown(),
});
