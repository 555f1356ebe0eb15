// Drives Turnkey's OAuth 2.0 API end to end the way a native Matrix client does: matrix-js-sdk
// discovers the server metadata, registers a client with a loopback redirect URI, sends the user
// to the authorisation endpoint in a real browser (headless Chromium through puppeteer-core),
// where this script fills in Turnkey's own sign-in, registration and consent pages, then
// exchanges the code and keeps a MatrixClient working across several access-token expiries with
// no refresh call of its own (the SDK's TokenManager refreshes), and logs out by revoking.
//
// Scenarios, in one browser profile unless said otherwise:
//   1. sign-in:   an account made through the legacy API; sign-in page, consent, code, tokens,
//                 whoami across expiries, logout (parallel revocation of both tokens), then both
//                 tokens refused.
//   3. returning: the same client (registered again, deduplicated to the same client_id) asks
//                 for a new device: no sign-in and no consent page, straight to the redirect URI.
//   4. deny:      another client in the same profile: consent is asked again, denied, and the
//                 redirect carries error=access_denied.
//   5. error:     an unknown client_id gets an error page from Turnkey, not a redirect.
//   2. create:    a fresh profile with prompt=create: the registration page makes the account.
//   6. account:   a fresh profile and account signed in through OAuth opens the account management
//                 URL (metadata account_management_uri): a device_delete deep link signs one device
//                 out, the devices list another, the profile and cross-signing reset pages, a
//                 password change (old password refused, other devices signed out) and a
//                 deactivation (no sign-in possible afterwards).
//
// Usage: node oauth-browser.mjs <base URL> <screenshot directory>. The base URL must be
// turnkey.public-base-url. CHROMIUM names the browser (default /usr/bin/chromium). Saves a PNG
// of every Turnkey page seen, prints one summary line, exits non-zero on any failure. Tokens,
// codes and passwords are never printed.

import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";

import {
    check, describe, Failure, randomName, randomPassword, registerWithDummyAuth, runScript, sdk, sdkLogger, sleep, step,
} from "./common.mjs";

const { createClient, OAuth2 } = sdk;
const { default: puppeteer } = await import("puppeteer-core");
// Some SDK code logs through its root logger whatever logger the client is given (InteractiveAuth,
// the OAuth2 helper its token refresher makes): debug lines with request URLs, so warnings only.
const { logger: sdkRootLogger } = await import("matrix-js-sdk/lib/logger.js");
sdkRootLogger.setLevel("warn", false);

const EXPIRIES = 3;
// Generous for a loaded machine: each page's first render compiles it on the server.
const DEADLINE_MS = 250_000;
const PAGE_TIMEOUT_MS = 45_000;
const REGISTERED_REDIRECT = "http://127.0.0.1/callback";

/** Awaits one step, naming it in the failure. */
/** A URL without its query and fragment, where codes, states and tokens travel. */
function safe(url) {
    try {
        const u = new URL(url);
        return u.origin + u.pathname;
    } catch {
        return "(not a URL)";
    }
}


/** Receives the browser at the loopback redirect URI; a port of its own, any path. */
async function startCallbackServer() {
    const hits = [];
    const server = createServer((req, res) => {
        hits.push(req.url);
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
        res.end("<!doctype html><title>Turnkey e2e callback</title><p>Back in the client; this window can be closed.</p>");
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, hits, origin: `http://127.0.0.1:${server.address().port}` };
}

async function whoamiStatus(baseUrl, accessToken) {
    const res = await fetch(new URL("_matrix/client/v3/account/whoami", baseUrl), {
        headers: { Authorization: `Bearer ${accessToken}` },
    });
    const body = await res.json().catch(() => ({}));
    return { status: res.status, errcode: body.errcode, softLogout: body.soft_logout };
}

async function expectAccessTokenRefused(baseUrl, accessToken, what, { soft } = {}) {
    const r = await whoamiStatus(baseUrl, accessToken);
    check(r.status === 401 && r.errcode === "M_UNKNOWN_TOKEN", `${what}: expected 401 M_UNKNOWN_TOKEN, got ${r.status} ${r.errcode}`);
    if (soft !== undefined) {
        check((r.softLogout === true) === soft, `${what}: expected soft_logout ${soft}, got ${r.softLogout}`);
    }
}

async function expectRefreshRefused(metadata, clientId, refreshToken, what) {
    const res = await fetch(metadata.token_endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId }),
    });
    const body = await res.json().catch(() => ({}));
    check(res.status === 400 && body.error === "invalid_grant",
        `${what}: expected 400 invalid_grant at the token endpoint, got ${res.status} ${body.error ?? body.errcode}`);
}

/** The pages an authorisation went through, each with the seconds it took to arrive. */
function timed(result) {
    return result.seen.map((s) => `${s.kind} ${(s.ms / 1000).toFixed(1)}`).join(" > ");
}

/** The native client's metadata; the same metadata must give the same client_id (deduplication). */
function clientMetadata(name) {
    return {
        client_name: name,
        client_uri: "https://turnkey-e2e.example.org/",
        application_type: "native",
        redirect_uris: [REGISTERED_REDIRECT],
    };
}

class Run {
    constructor(baseUrl, screenshotDir) {
        this.baseUrl = baseUrl;
        this.screenshotDir = screenshotDir;
        this.screenshots = [];
        this.figures = {};
    }

    async setUp() {
        const sdkVersion = JSON.parse(await readFile(new URL("./node_modules/matrix-js-sdk/package.json", import.meta.url))).version;
        this.figures.sdk = sdkVersion;
        await mkdir(this.screenshotDir, { recursive: true });
        // A previous run's pictures and failure note would pass for this run's.
        for (const name of await readdir(this.screenshotDir)) {
            if (/^\d\d-.*\.png$/.test(name) || name === "failure.txt") {
                await rm(join(this.screenshotDir, name));
            }
        }

        // The SDK's own discovery and validation (isValidAuthMetadata).
        this.metadata = await step("auth_metadata", createClient({ baseUrl: this.baseUrl, logger: sdkLogger() }).getAuthMetadata());
        const base = new URL(this.baseUrl);
        check(this.metadata.issuer === base.href,
            `issuer ${this.metadata.issuer} is not the server under test ${base.href}: set turnkey.public-base-url to it`);
        for (const key of ["authorization_endpoint", "token_endpoint", "revocation_endpoint", "registration_endpoint"]) {
            check(new URL(this.metadata[key]).origin === base.origin, `${key} ${this.metadata[key]} is not on ${base.origin}`);
        }
        check(this.metadata.prompt_values_supported?.includes("create"),
            "prompt_values_supported lacks create: registration pages need turnkey.registration.enabled=true");

        this.callback = await startCallbackServer();
        this.redirectUri = `${this.callback.origin}/callback`;

        const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
        this.browser = await puppeteer.launch({
            executablePath,
            headless: true,
            // Debian's chromium as root cannot use its sandbox; nothing untrusted is loaded here.
            args: ["--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check"],
        });
        this.figures.chromium = (await this.browser.version()).replace(/^[^/]*\//, "");
    }

    async tearDown() {
        await this.browser?.close().catch(() => {});
        this.callback?.server.close();
    }

    async newPage(context) {
        const page = await context.newPage();
        page.setDefaultTimeout(PAGE_TIMEOUT_MS);
        await page.setViewport({ width: 1000, height: 800 });
        return page;
    }

    async screenshot(page, scenario, kind) {
        const file = join(this.screenshotDir, `${String(this.screenshots.length + 1).padStart(2, "0")}-${scenario}-${kind}.png`);
        await page.screenshot({ path: file, fullPage: true });
        this.screenshots.push(file);
    }

    /** Which of Turnkey's pages (or the client's redirect URI) the browser shows. */
    async classify(page) {
        if (page.url().startsWith(this.callback.origin + "/")) {
            return "callback";
        }
        for (const kind of ["login", "register", "consent"]) {
            if (await page.$(`form#${kind}`)) {
                return kind;
            }
        }
        return "other";
    }

    async visibleText(page) {
        const text = await page.evaluate(() => document.body?.innerText ?? "").catch(() => "");
        return text.replace(/\s+/g, " ").trim().slice(0, 300);
    }

    /**
     * Opens an authorisation URL and answers each page with handlers[kind] until the browser
     * reaches the redirect URI. Returns the pages seen (kind, path, title, HTTP status) and the
     * parameters the client received (query or fragment, as the response mode says).
     */
    async authorize(page, scenario, url, handlers) {
        const navigations = [];
        const onNavigated = (frame) => {
            if (frame === page.mainFrame()) {
                navigations.push(safe(frame.url()));
            }
        };
        page.on("framenavigated", onNavigated);
        const seen = [];
        try {
            let asked = Date.now();
            let response = await page.goto(url, { waitUntil: "load" });
            for (;;) {
                const kind = await this.classify(page);
                seen.push({ kind, path: new URL(page.url()).pathname, title: await page.title(), status: response?.status(),
                    ms: Date.now() - asked });
                if (kind === "callback") {
                    break;
                }
                await this.screenshot(page, scenario, kind);
                check(kind === "other" || response?.status() === 200,
                    `${scenario}: the ${kind} page came with HTTP ${response?.status()}: ${await this.visibleText(page)}`);
                const handler = handlers[kind];
                check(handler, `${scenario}: unexpected ${kind} page ${safe(page.url())} (HTTP ${response?.status()},`
                    + ` "${await page.title()}"): ${await this.visibleText(page)}`);
                check(seen.filter((s) => s.kind === kind).length === 1,
                    `${scenario}: the ${kind} page came back after it was submitted: ${await this.visibleText(page)}`);
                asked = Date.now();
                [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), handler(page)]);
            }
        } finally {
            page.off("framenavigated", onNavigated);
        }
        const landed = new URL(page.url());
        const params = new URLSearchParams(landed.hash ? landed.hash.slice(1) : landed.search);
        return { seen, navigations, params, landed };
    }

    /** A fresh OAuth2 helper (new device ID, new PKCE verifier) for a client. */
    newGrant(clientId) {
        return new OAuth2(this.metadata, { clientId }, sdkLogger());
    }

    async registerClient(name) {
        return await step(`client registration "${name}"`, OAuth2.registerClient(this.metadata, clientMetadata(name), sdkLogger()));
    }

    checkCallback(scenario, result, state) {
        check(result.params.get("state") === state, `${scenario}: the redirect did not carry the request's state`);
        if (this.metadata.authorization_response_iss_parameter_supported) {
            check(result.params.get("iss") === this.metadata.issuer, `${scenario}: the redirect's iss is not the issuer (RFC 9207)`);
        }
    }

    async exchange(scenario, grant, result, state) {
        this.checkCallback(scenario, result, state);
        const error = result.params.get("error");
        check(!error, `${scenario}: authorisation failed: ${error} ${result.params.get("error_description") ?? ""}`);
        const code = result.params.get("code");
        check(code, `${scenario}: the redirect carried no code`);
        const tokens = await step(`${scenario}: code exchange`, grant.completeAuthorizationCodeGrant(code, this.redirectUri));
        check(typeof tokens.refresh_token === "string" && tokens.refresh_token.length > 0, `${scenario}: no refresh_token`);
        check(Number.isFinite(tokens.expires_in) && tokens.expires_in > 0, `${scenario}: expires_in ${tokens.expires_in}`);
        if (tokens.scope !== undefined) {
            const scopes = tokens.scope.split(" ");
            check(scopes.includes("urn:matrix:client:api:*") && scopes.includes(`urn:matrix:client:device:${grant.context.deviceId}`),
                `${scenario}: granted scope ${tokens.scope}`);
        }
        return { tokens, code };
    }

    /**
     * A code is good for one exchange only (RFC 6749 section 4.1.2). The server may also revoke
     * what the code gave, so this runs once that session is over.
     */
    async expectCodeRefused(scenario, grant, code) {
        // The SDK logs an error for each field an OAuth error body lacks of a Matrix error's.
        sdkRootLogger.setLevel("silent", false);
        try {
            await grant.completeAuthorizationCodeGrant(code, this.redirectUri);
        } catch (e) {
            check(e.httpStatus === 400 && e.error === "invalid_grant",
                `${scenario}: a used code should be 400 invalid_grant, got ${describe(e)}`);
            return;
        } finally {
            sdkRootLogger.setLevel("warn", false);
        }
        throw new Failure(`${scenario}: the code was accepted twice`);
    }

    /** A MatrixClient that refreshes by itself (oauthClientId + refreshToken), counting refreshes. */
    sdkClient(clientId, deviceId, userId, tokens) {
        const session = { refreshes: 0, refreshedAt: 0 };
        session.client = createClient({
            baseUrl: this.baseUrl,
            userId,
            deviceId,
            accessToken: tokens.access_token,
            refreshToken: tokens.refresh_token,
            oauthClientId: clientId,
            onTokenRefresh: (refreshed) => {
                check(refreshed.accessToken && refreshed.refreshToken, "onTokenRefresh without both tokens");
                session.refreshes++;
                session.refreshedAt = Date.now();
            },
            logger: sdkLogger(),
            localTimeoutMs: 20_000,
        });
        return session;
    }

    async whoami(session, userId, deviceId, what) {
        let me;
        try {
            me = await session.client.whoami();
        } catch (e) {
            throw new Failure(`${what}: ${describe(e)} after ${session.refreshes} refreshes (the SDK's own log above says why it did not refresh)`);
        }
        check(me.user_id === userId && me.device_id === deviceId,
            `${what}: whoami says ${me.user_id} ${me.device_id}, expected ${userId} ${deviceId}`);
    }

    /**
     * whoami across EXPIRIES access-token expiries: each time waits until the current access token
     * is refused by the server (proving it expired), then calls whoami through the SDK, which must
     * refresh on its own (after the 401 M_UNKNOWN_TOKEN the first time, ahead of expiry after that).
     */
    async surviveExpiries(session, userId, deviceId, lifetimeMs) {
        let survived = 0;
        for (let i = 1; i <= EXPIRIES; i++) {
            const before = session.client.getAccessToken();
            const refreshesBefore = session.refreshes;
            const waitStarted = Date.now();
            for (;;) {
                const r = await whoamiStatus(this.baseUrl, before);
                if (r.status === 401) {
                    check(r.errcode === "M_UNKNOWN_TOKEN" && r.softLogout === true,
                        `an expired access token should be 401 M_UNKNOWN_TOKEN with soft_logout true, got ${r.errcode} ${r.softLogout}`);
                    break;
                }
                check(r.status === 200, `whoami with a live access token: ${r.status} ${r.errcode}`);
                check(Date.now() - waitStarted < lifetimeMs + 5_000, `access token ${i} still accepted ${Date.now() - waitStarted} ms later`);
                await sleep(250);
            }
            await this.whoami(session, userId, deviceId, `whoami after expiry ${i}`);
            check(session.refreshes > refreshesBefore, `expiry ${i}: whoami succeeded without the SDK refreshing`);
            check(session.client.getAccessToken() !== before, `expiry ${i}: the SDK still holds the expired access token`);
            survived++;
        }
        return survived;
    }

    /** MatrixClient.logout() revokes the access and refresh tokens in parallel; both must then be refused. */
    async logOut(session, clientId, what) {
        const accessToken = session.client.getAccessToken();
        const refreshToken = session.client.getRefreshToken();
        const issued = session.refreshedAt;
        await step(`${what}: logout`, session.client.logout());
        // Refused because revoked, not because expired, only if checked within the lifetime.
        const age = issued ? Date.now() - issued : undefined;
        check(age === undefined || age < this.lifetimeMs,
            `${what}: the access token was ${age} ms old at logout, so its refusal would not prove revocation`);
        await expectAccessTokenRefused(this.baseUrl, accessToken, `${what}: access token after logout`, { soft: false });
        await expectRefreshRefused(this.metadata, clientId, refreshToken, `${what}: refresh token after logout`);
        return age;
    }

    async scenarioSignIn(context) {
        const username = randomName("oauth");
        const password = randomPassword();
        const registered = await step("signin: legacy registration", registerWithDummyAuth(this.baseUrl, username, password, sdkLogger()));
        check(registered.user_id, "legacy registration returned no user_id");
        this.userA = registered.user_id;

        this.clientA = await this.registerClient("Turnkey e2e");
        const grant = this.newGrant(this.clientA);
        const state = randomBytes(12).toString("hex");
        const url = await grant.generateAuthorizationCodeGrantUrl(state, this.redirectUri);
        this.page = await this.newPage(context);
        const result = await this.authorize(this.page, "signin", url, {
            login: async (page) => {
                await page.type("form#login input[name=username]", username);
                await page.type("form#login input[name=password]", password);
                await page.click("form#login button[type=submit]");
            },
            consent: (page) => page.click("form#consent button[name=decision][value=allow]"),
        });
        const kinds = result.seen.map((s) => s.kind).join(">");
        check(kinds === "login>consent>callback", `signin: pages ${kinds}, expected login>consent>callback`);
        check(result.landed.hash.includes("code="), "signin: response_mode=fragment, yet the code was not in the fragment");
        const { tokens } = await this.exchange("signin", grant, result, state);
        this.figures.signin = timed(result);
        this.lifetimeMs = tokens.expires_in * 1000;
        check(tokens.expires_in <= 30, `access tokens live ${tokens.expires_in} s: run the server with turnkey.access-token.lifetime=PT3S`);
        this.sessionA = this.sdkClient(this.clientA, grant.context.deviceId, this.userA, tokens);
        this.deviceA = grant.context.deviceId;
        await this.whoami(this.sessionA, this.userA, this.deviceA, "signin: first whoami");
    }

    async scenarioReturning() {
        // A client that starts again registers again; the same metadata is the same client.
        const clientId = await this.registerClient("Turnkey e2e");
        check(clientId === this.clientA, "returning: registering the same metadata again gave another client_id");
        const grant = this.newGrant(clientId);
        check(grant.context.deviceId !== this.deviceA, "returning: the SDK reused the device ID");
        const state = randomBytes(12).toString("hex");
        const url = await grant.generateAuthorizationCodeGrantUrl(state, this.redirectUri, "query");
        const result = await this.authorize(this.page, "returning", url, {});
        const kinds = result.seen.map((s) => s.kind).join(">");
        check(kinds === "callback", `returning: pages ${kinds}, expected callback only`);
        check(result.navigations.length === 1 && result.navigations[0] === this.redirectUri,
            `returning: the browser showed ${result.navigations.join(", ")} on its way to the redirect URI`);
        // With response_mode=query the loopback server itself received the code.
        const received = this.callback.hits.some((hit) => new URLSearchParams(hit.split("?")[1] ?? "").get("state") === state);
        check(received,
            "returning: the loopback redirect URI did not receive the response");
        const { tokens } = await this.exchange("returning", grant, result, state);
        this.figures.returning = timed(result);
        this.sessionB = this.sdkClient(clientId, grant.context.deviceId, this.userA, tokens);
        this.deviceB = grant.context.deviceId;
        await this.whoami(this.sessionB, this.userA, this.deviceB, "returning: whoami");
    }

    async scenarioDeny() {
        const clientId = await this.registerClient("Turnkey e2e (another client)");
        check(clientId !== this.clientA, "deny: other client metadata gave the same client_id");
        const grant = this.newGrant(clientId);
        const state = randomBytes(12).toString("hex");
        const url = await grant.generateAuthorizationCodeGrantUrl(state, this.redirectUri);
        const result = await this.authorize(this.page, "deny", url, {
            consent: (page) => page.click("form#consent button[name=decision][value=deny]"),
        });
        const kinds = result.seen.map((s) => s.kind).join(">");
        check(kinds === "consent>callback", `deny: pages ${kinds}, expected consent>callback (signed in, new client)`);
        this.checkCallback("deny", result, state);
        check(result.params.get("error") === "access_denied" && !result.params.has("code"),
            `deny: expected error=access_denied and no code, got error=${result.params.get("error")}`);
        this.figures.deny = timed(result);
    }

    async scenarioUnknownClient() {
        const grant = this.newGrant(`unknown-${randomBytes(6).toString("hex")}`);
        const url = await grant.generateAuthorizationCodeGrantUrl("s", this.redirectUri);
        const response = await this.page.goto(url, { waitUntil: "load" });
        const kind = await this.classify(this.page);
        check(kind === "other", `unknown client: expected an error page, got ${kind} at ${safe(this.page.url())}`);
        check(new URL(this.page.url()).origin === new URL(this.baseUrl).origin,
            "unknown client: the browser left Turnkey (an unknown client's redirect URI must not be used)");
        check(response.status() >= 400 && response.status() < 500, `unknown client: HTTP ${response.status()}, expected 4xx`);
        await this.screenshot(this.page, "error", "unknown-client");
        this.figures.error = response.status();
    }

    async scenarioCreate() {
        // A fresh profile: no browser session, so the account is made on the registration page.
        const context = await this.browser.createBrowserContext();
        const page = await this.newPage(context);
        const username = randomName("created");
        const password = randomPassword();
        const grant = this.newGrant(this.clientA);
        const state = randomBytes(12).toString("hex");
        const url = await grant.generateAuthorizationCodeGrantUrl(state, this.redirectUri, "fragment", "create");
        const result = await this.authorize(page, "create", url, {
            register: async (p) => {
                await p.type("form#register input[name=username]", username);
                await p.type("form#register input[name=password]", password);
                await p.type("form#register input[name=password_confirm]", password);
                await p.click("form#register button[type=submit]");
            },
            consent: (p) => p.click("form#consent button[name=decision][value=allow]"),
        });
        const kinds = result.seen.map((s) => s.kind).join(">");
        check(kinds === "register>consent>callback", `create: pages ${kinds}, expected register>consent>callback`);
        const { tokens, code } = await this.exchange("create", grant, result, state);
        const session = this.sdkClient(this.clientA, grant.context.deviceId, undefined, tokens);
        const me = await step("create: whoami", session.client.whoami());
        check(me.user_id?.startsWith(`@${username}:`) && me.device_id === grant.context.deviceId,
            `create: whoami says ${me.user_id} ${me.device_id}`);
        // The page set the password the user typed: the legacy API accepts it.
        const legacy = createClient({ baseUrl: this.baseUrl, logger: sdkLogger() });
        const login = await step("create: legacy password login", legacy.loginRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: username }, password }));
        check(login.user_id === me.user_id, "create: password login on the legacy API gave another user");
        await step("create: legacy logout", createClient({ baseUrl: this.baseUrl, accessToken: login.access_token, logger: sdkLogger() }).logout());
        await this.logOut(session, this.clientA, "create");
        await this.expectCodeRefused("create", grant, code);
        await context.close();
        this.figures.create = timed(result);
    }

    /** One OAuth grant in this page's profile, answering the sign-in and consent pages if they come. */
    async oauthDevice(page, scenario, clientId, username, password) {
        const grant = this.newGrant(clientId);
        const state = randomBytes(12).toString("hex");
        const url = await grant.generateAuthorizationCodeGrantUrl(state, this.redirectUri);
        const result = await this.authorize(page, scenario, url, {
            login: async (p) => {
                await p.type("form#login input[name=username]", username);
                await p.type("form#login input[name=password]", password);
                await p.click("form#login button[type=submit]");
            },
            consent: (p) => p.click("form#consent button[name=decision][value=allow]"),
        });
        const { tokens } = await this.exchange(scenario, grant, result, state);
        return { deviceId: grant.context.deviceId, tokens };
    }

    /** A refresh at the token endpoint must work (the device is signed in) and give a working access token. */
    async expectRefreshWorks(clientId, device, what) {
        const res = await fetch(this.metadata.token_endpoint, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
            body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: device.tokens.refresh_token, client_id: clientId }),
        });
        const body = await res.json().catch(() => ({}));
        check(res.status === 200 && body.access_token, `${what}: refresh gave ${res.status} ${body.error ?? ""}`);
        device.tokens = { ...device.tokens, ...body };
        const r = await whoamiStatus(this.baseUrl, body.access_token);
        check(r.status === 200, `${what}: whoami after refresh ${r.status} ${r.errcode}`);
    }

    /** Opens an account page link and checks it is the page with that form or element. */
    async accountPage(page, query, selector, kind) {
        const url = `${this.metadata.account_management_uri}?${query}`;
        const response = await page.goto(url, { waitUntil: "load" });
        check(response.status() === 200, `account ${kind}: HTTP ${response.status()}: ${await this.visibleText(page)}`);
        check(await page.$(selector), `account ${kind}: no ${selector} on ${safe(page.url())}: ${await this.visibleText(page)}`);
        await this.screenshot(page, "account", kind);
    }

    async submitAndWait(page, selector) {
        const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(selector)]);
        return response;
    }

    async scenarioAccount() {
        check(typeof this.metadata.account_management_uri === "string"
            && new URL(this.metadata.account_management_uri).origin === new URL(this.baseUrl).origin,
            `account: account_management_uri ${this.metadata.account_management_uri}`);
        for (const action of ["org.matrix.device_delete", "org.matrix.devices_list", "org.matrix.account_deactivate",
            "org.matrix.cross_signing_reset", "org.matrix.session_end"]) {
            check(this.metadata.account_management_actions_supported?.includes(action), `account: ${action} not advertised`);
        }
        const context = await this.browser.createBrowserContext();
        const page = await this.newPage(context);
        const username = randomName("account");
        const password = randomPassword();
        const registered = await step("account: legacy registration", registerWithDummyAuth(this.baseUrl, username, password, sdkLogger()));
        const userId = registered.user_id;
        // Three OAuth devices in this browser (sign-in and consent once), and one legacy password login.
        const first = await this.oauthDevice(page, "account-signin", this.clientA, username, password);
        const second = await this.oauthDevice(page, "account-signin", this.clientA, username, password);
        const third = await this.oauthDevice(page, "account-signin", this.clientA, username, password);
        const legacy = await step("account: legacy login", createClient({ baseUrl: this.baseUrl, logger: sdkLogger() })
            .loginRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: username }, password }));

        // The deep link a client sends to sign out another device: straight to its confirmation.
        await this.accountPage(page, `action=org.matrix.device_delete&device_id=${encodeURIComponent(first.deviceId)}`,
            "form#device_delete", "device-delete");
        await this.submitAndWait(page, "form#device_delete button[type=submit]");
        // Deleted, not expired: soft_logout false, and the refresh token is refused too.
        await expectAccessTokenRefused(this.baseUrl, first.tokens.access_token, "account: device_delete", { soft: false });
        await expectRefreshRefused(this.metadata, this.clientA, first.tokens.refresh_token, "account: device_delete");
        await this.screenshot(page, "account", "device-signed-out");
        await this.expectRefreshWorks(this.clientA, second, "account: the other device after device_delete");

        // The devices list, its details link, and signing out from the list.
        await this.accountPage(page, "action=org.matrix.devices_list", "ul#devices", "devices-list");
        check(!(await page.$(`li[data-device-id="${first.deviceId}"]`)), "account: the signed-out device is still listed");
        check(await page.$(`li[data-device-id="${second.deviceId}"]`), "account: a signed-in device is not listed");
        await this.submitAndWait(page, `li[data-device-id="${second.deviceId}"] a.view`);
        check(await page.$("dl#device"), `account: device details: ${await this.visibleText(page)}`);
        await this.screenshot(page, "account", "device-view");
        await this.accountPage(page, "action=org.matrix.devices_list", "ul#devices", "devices-list-again");
        await this.submitAndWait(page, `li[data-device-id="${second.deviceId}"] a.delete`);
        check(await page.$("form#device_delete"), `account: sign-out link from the list: ${await this.visibleText(page)}`);
        await this.submitAndWait(page, "form#device_delete button[type=submit]");
        await expectAccessTokenRefused(this.baseUrl, second.tokens.access_token, "account: signed out from the list", { soft: false });
        await expectRefreshRefused(this.metadata, this.clientA, second.tokens.refresh_token, "account: signed out from the list");

        await this.accountPage(page, "action=org.matrix.profile", "dl#profile", "profile");
        check((await this.visibleText(page)).includes(userId), "account: the profile page does not show the Matrix ID");
        await this.accountPage(page, "action=org.matrix.cross_signing_reset", "form#cross_signing_reset", "cross-signing-reset");
        await this.submitAndWait(page, "form#cross_signing_reset button[type=submit]");
        check(await page.$("#reset-allowed"), `account: cross-signing reset not approved: ${await this.visibleText(page)}`);
        await this.screenshot(page, "account", "cross-signing-approved");

        // Password change: the current password, then every device signed out.
        const newPassword = randomPassword();
        await this.accountPage(page, "action=org.turnkey.password_change", "form#password_change", "password-change");
        await page.type("form#password_change input[name=current_password]", password);
        await page.type("form#password_change input[name=new_password]", newPassword);
        await page.type("form#password_change input[name=new_password_confirm]", newPassword);
        await this.submitAndWait(page, "form#password_change button[type=submit]");
        check(await page.$("#notice"), `account: password change: ${await this.visibleText(page)}`);
        await this.screenshot(page, "account", "password-changed");
        await expectAccessTokenRefused(this.baseUrl, legacy.access_token, "account: legacy device after the password change", { soft: false });
        await expectRefreshRefused(this.metadata, this.clientA, third.tokens.refresh_token, "account: OAuth device after the password change");
        const oldLogin = await fetch(new URL("_matrix/client/v3/login", this.baseUrl), {
            method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: username }, password }),
        });
        check(oldLogin.status === 403, `account: the old password still signs in (${oldLogin.status})`);

        // Deactivation with its confirmation; then no sign-in at all.
        await this.accountPage(page, "action=org.matrix.account_deactivate", "form#account_deactivate", "deactivate");
        await page.click("form#account_deactivate input[name=confirm]");
        if (await page.$("form#account_deactivate input[name=password]")) {
            await page.type("form#account_deactivate input[name=password]", newPassword);
        }
        await this.submitAndWait(page, "form#account_deactivate button[type=submit]");
        check(await page.$("#deactivated"), `account: deactivation: ${await this.visibleText(page)}`);
        await this.screenshot(page, "account", "deactivated");
        const afterLogin = await fetch(new URL("_matrix/client/v3/login", this.baseUrl), {
            method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: username }, password: newPassword }),
        });
        const afterBody = await afterLogin.json().catch(() => ({}));
        check(afterLogin.status === 403 && afterBody.errcode === "M_USER_DEACTIVATED",
            `account: login after deactivation ${afterLogin.status} ${afterBody.errcode}`);
        // The browser sign-in page refuses it too.
        await page.goto(`${this.metadata.account_management_uri}?action=org.matrix.profile`, { waitUntil: "load" });
        check(await page.$("form#login"), `account: after deactivation the account page did not ask to sign in: ${await this.visibleText(page)}`);
        await page.type("form#login input[name=username]", username);
        await page.type("form#login input[name=password]", newPassword);
        const refused = await this.submitAndWait(page, "form#login button[type=submit]");
        check(refused.status() >= 400 && await page.$("form#login"), `account: the sign-in page let a deactivated account in (HTTP ${refused.status()})`);
        await this.screenshot(page, "account", "signin-refused");
        await context.close();
    }

    async run() {
        const started = Date.now();
        const phases = [];
        let mark = started;
        const phase = (name) => {
            const now = Date.now();
            phases.push(`${name} ${((now - mark) / 1000).toFixed(1)}`);
            mark = now;
        };
        await this.setUp();
        phase("setup");
        const context = this.browser.defaultBrowserContext();
        await this.scenarioSignIn(context);
        phase("signin");
        await this.scenarioReturning();
        phase("returning");
        await this.scenarioDeny();
        phase("deny");
        await this.scenarioUnknownClient();
        phase("error");

        const survived = await this.surviveExpiries(this.sessionA, this.userA, this.deviceA, this.lifetimeMs);
        phase("expiries");
        const age = await this.logOut(this.sessionA, this.clientA, "signin");
        // Revoking one device's tokens leaves the user's other device signed in.
        await this.whoami(this.sessionB, this.userA, this.deviceB, "returning: whoami after the first device logged out");
        await this.logOut(this.sessionB, this.clientA, "returning");
        phase("logout");

        await this.scenarioCreate();
        phase("create");
        await this.scenarioAccount();
        phase("account");

        const elapsed = Math.round((Date.now() - started) / 1000);
        return (`oauth-browser: ok matrix-js-sdk ${this.figures.sdk}, Chromium ${this.figures.chromium};`
            + ` signin ${this.figures.signin}; returning ${this.figures.returning}; deny ${this.figures.deny};`
            + ` unknown client HTTP ${this.figures.error}; create ${this.figures.create};`
            + ` account pages: device_delete, devices list, password change, deactivation;`
            + ` ${survived} access-token expiries survived (expires_in ${this.lifetimeMs / 1000} s) with`
            + ` ${this.sessionA.refreshes} SDK refreshes, none by hand; logout revoked both tokens`
            + (age !== undefined ? ` (access token ${age} ms old)` : "")
            + `; ${this.screenshots.length} screenshots in ${this.screenshotDir}; ${elapsed} s (${phases.join(", ")})`);
    }
}

const [baseUrl, screenshotDir] = process.argv.slice(2);
if (!baseUrl || !screenshotDir) {
    console.error("usage: node oauth-browser.mjs <base URL> <screenshot directory>");
    process.exit(2);
}
const run = new Run(baseUrl, screenshotDir);
await runScript("oauth-browser", DEADLINE_MS, () => run.run(), {
    onFailure: async (error) => {
        await writeFile(join(screenshotDir, "failure.txt"), describe(error) + "\n").catch(() => {});
        if (run.page) {
            await run.screenshot(run.page, "failure", "last-page").catch(() => {});
        }
    },
    cleanUp: () => run.tearDown(),
});
