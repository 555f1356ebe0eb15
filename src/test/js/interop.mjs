// Drives a Turnkey server with matrix-js-sdk the way a real client would: registers through the
// SDK's InteractiveAuth (m.login.dummy), logs in with refresh_token: true, keeps calling whoami
// across several access-token expiries by answering each soft logout with the SDK's own
// MatrixClient.refreshToken(), then logs out and checks that the old tokens are refused.
//
// With TURNKEY_MAIL_URL (the test's view of the mailbox: GET ?to=ADDRESS&n=N answers the text of
// the Nth email to that address), it then plays "forgot my password": adds an email address
// (requestAdd3pidEmailToken, the emailed code posted to submit_url, addThreePidOnly with UIA),
// resets the password with requestPasswordEmailToken and setPassword (m.login.email.identity),
// checks the old device is signed out, and logs in by email address (m.id.thirdparty).
//
// Usage: node interop.mjs <base URL>. Prints one summary line; exits non-zero on any failure.
// Tokens and the password are never printed.

import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";

import { check, describe, Failure, registerWithDummyAuth, runScript, sdk, sdkLogger, sleep } from "./common.mjs";

const { createClient, MatrixError } = sdk;

const EXPIRIES = 3;
const DEADLINE_MS = 90_000;

// The SDK's TokenManager refreshes only OAuth 2.0 sessions: for a legacy /login session it logs
// this on every expired token and hands the M_UNKNOWN_TOKEN to the caller, which refreshes below.
const EXPECTED_SDK_ERROR = "Unable to refresh token - no refresh token or OAuth2 client config";

async function expectRefused(call, what) {
    try {
        await call();
    } catch (error) {
        check(error instanceof MatrixError && error.httpStatus === 401 && error.errcode === "M_UNKNOWN_TOKEN",
            `${what}: expected 401 M_UNKNOWN_TOKEN, got ${describe(error)}`);
        check(error.data?.soft_logout !== true, `${what}: the device is gone, so soft_logout must not be true`);
        return;
    }
    throw new Failure(`${what}: was accepted after logout`);
}

async function run(baseUrl) {
    const sdkVersion = JSON.parse(await readFile(new URL("./node_modules/matrix-js-sdk/package.json", import.meta.url))).version;
    const started = Date.now();
    const username = `jssdk${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
    const password = randomBytes(18).toString("base64url");

    const registered = await registerWithDummyAuth(baseUrl, username, password, sdkLogger([EXPECTED_SDK_ERROR]));
    check(registered.user_id, `registration returned no user_id: ${JSON.stringify(Object.keys(registered))}`);

    const login = await createClient({ baseUrl, logger: sdkLogger([EXPECTED_SDK_ERROR]), localTimeoutMs: 20_000 }).loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: username },
        password,
        refresh_token: true,
        initial_device_display_name: "matrix-js-sdk interop",
    });
    check(login.user_id === registered.user_id, `login is for ${login.user_id}, registered ${registered.user_id}`);
    check(typeof login.refresh_token === "string", "login with refresh_token: true returned no refresh_token");
    check(Number.isInteger(login.expires_in_ms) && login.expires_in_ms > 0,
        `login returned expires_in_ms ${login.expires_in_ms}`);

    const client = createClient({
        baseUrl,
        userId: login.user_id,
        deviceId: login.device_id,
        accessToken: login.access_token,
        logger: sdkLogger([EXPECTED_SDK_ERROR]),
        localTimeoutMs: 20_000,
    });
    let refreshToken = login.refresh_token;
    let refreshes = 0;
    let softLogouts = 0;
    let inFlight = null;

    // One refresh at a time: requests that fail together share it, as the SDK's own TokenManager does.
    function refresh() {
        inFlight ??= (async () => {
            const previousAccess = client.getAccessToken();
            const tokens = await client.refreshToken(refreshToken);
            check(typeof tokens.access_token === "string" && tokens.access_token !== previousAccess,
                "refresh returned no new access_token");
            check(typeof tokens.refresh_token === "string" && tokens.refresh_token !== refreshToken,
                "refresh returned no new refresh_token");
            check(Number.isInteger(tokens.expires_in_ms) && tokens.expires_in_ms > 0,
                `refresh returned expires_in_ms ${tokens.expires_in_ms}`);
            client.setAccessToken(tokens.access_token);
            refreshToken = tokens.refresh_token;
            refreshes++;
        })().finally(() => {
            inFlight = null;
        });
        return inFlight;
    }

    async function authenticated(call) {
        const sent = client.getAccessToken();
        try {
            return await call();
        } catch (error) {
            if (!(error instanceof MatrixError && error.errcode === "M_UNKNOWN_TOKEN" && error.data?.soft_logout === true)) {
                throw error;
            }
            softLogouts++;
            if (client.getAccessToken() === sent) {
                await refresh();
            }
            return await call();
        }
    }

    async function whoami() {
        const me = await authenticated(() => client.whoami());
        check(me.user_id === login.user_id && me.device_id === login.device_id,
            `whoami says ${me.user_id} / ${me.device_id}, expected ${login.user_id} / ${login.device_id}`);
    }

    let calls = 0;
    const interval = Math.max(100, Math.floor(login.expires_in_ms / 3));
    while (refreshes < EXPIRIES) {
        await whoami();
        calls++;
        await sleep(interval);
    }

    // Several requests failing on one expired token at once still cost a single refresh.
    const before = refreshes;
    await sleep(login.expires_in_ms + 200);
    await Promise.all([whoami(), whoami(), whoami()]);
    calls += 3;
    check(refreshes === before + 1, `three concurrent calls after an expiry made ${refreshes - before} refreshes`);

    // Two clients racing on one refresh token (spec: the old one stays valid until the new tokens
    // are used) must both be handed the same new tokens.
    const [a, b] = await Promise.all([client.refreshToken(refreshToken), client.refreshToken(refreshToken)]);
    check(a.access_token === b.access_token && a.refresh_token === b.refresh_token,
        "two refreshes with the same unused refresh token returned different tokens");
    client.setAccessToken(a.access_token);
    refreshToken = a.refresh_token;
    refreshes++;
    await whoami();
    calls++;

    check(softLogouts >= EXPIRIES, `only ${softLogouts} soft logouts seen across ${refreshes} refreshes`);

    await client.logout();
    await expectRefused(() => client.whoami(), "the access token");
    await expectRefused(() => client.refreshToken(refreshToken), "the refresh token");

    return `interop: ok matrix-js-sdk ${sdkVersion}: ${calls} whoami calls across ${refreshes} refreshes `
        + `(${softLogouts} soft logouts), tokens refused after logout, in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

// The Nth email to an address, as text, once it has arrived.
async function mailTo(mailUrl, address, n) {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
        const response = await fetch(`${mailUrl}?to=${encodeURIComponent(address)}&n=${n}`);
        if (response.ok) {
            return await response.text();
        }
        await sleep(200);
    }
    throw new Failure(`no email #${n} to the test address within 30 s`);
}

// What a client that asks the user for the emailed code does: POST it to submit_url.
async function submitCode(requested, clientSecret, mail) {
    const code = /enter: (\S+)/.exec(mail)?.[1];
    check(code, "the email carries no code");
    check(typeof requested.submit_url === "string", "requestToken returned no submit_url");
    const response = await fetch(requested.submit_url.replace(/^https?:\/\/[^/]+\//, baseUrl.replace(/\/?$/, "/")), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sid: requested.sid, client_secret: clientSecret, token: code }),
    });
    const answer = await response.json();
    check(answer.success === true, `submit_url answered ${JSON.stringify(answer)}`);
}

async function forgotPassword(baseUrl, mailUrl) {
    const username = `jsmail${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
    const password = randomBytes(18).toString("base64url");
    const email = `${username}@example.org`;
    await registerWithDummyAuth(baseUrl, username, password, sdkLogger());
    const anonymous = createClient({ baseUrl, logger: sdkLogger(), localTimeoutMs: 20_000 });
    const login = await anonymous.loginRequest({
        type: "m.login.password", identifier: { type: "m.id.user", user: username }, password,
    });
    const client = createClient({
        baseUrl, userId: login.user_id, deviceId: login.device_id, accessToken: login.access_token,
        logger: sdkLogger(), localTimeoutMs: 20_000,
    });

    const addSecret = randomBytes(16).toString("hex");
    const add = await client.requestAdd3pidEmailToken(email, addSecret, 1);
    await submitCode(add, addSecret, await mailTo(mailUrl, email, 1));
    let session;
    try {
        await client.addThreePidOnly({ sid: add.sid, client_secret: addSecret });
        throw new Failure("addThreePidOnly without auth was accepted");
    } catch (error) {
        check(error instanceof MatrixError && error.httpStatus === 401 && error.data?.session,
            `addThreePidOnly without auth: expected a 401 challenge, got ${describe(error)}`);
        session = error.data.session;
    }
    await client.addThreePidOnly({
        sid: add.sid, client_secret: addSecret,
        auth: { type: "m.login.password", session, identifier: { type: "m.id.user", user: username }, password },
    });
    const { threepids } = await client.getThreePids();
    check(threepids.length === 1 && threepids[0].address === email && threepids[0].medium === "email",
        `getThreePids: ${JSON.stringify(threepids)}`);

    const resetSecret = randomBytes(16).toString("hex");
    const reset = await anonymous.requestPasswordEmailToken(email, resetSecret, 1);
    await submitCode(reset, resetSecret, await mailTo(mailUrl, email, 2));
    const newPassword = randomBytes(18).toString("base64url");
    const creds = { sid: reset.sid, client_secret: resetSecret };
    await anonymous.setPassword({ type: "m.login.email.identity", threepid_creds: creds, threepidCreds: creds },
        newPassword, true);
    await expectRefused(() => client.whoami(), "the device signed in before the reset");
    const byEmail = await anonymous.loginRequest({
        type: "m.login.password", identifier: { type: "m.id.thirdparty", medium: "email", address: email },
        password: newPassword,
    });
    check(byEmail.user_id === login.user_id, `login by email is for ${byEmail.user_id}, expected ${login.user_id}`);
    return "forgot password by email ok (requestPasswordEmailToken, setPassword, login by email)";
}

const baseUrl = process.argv[2];
if (!baseUrl) {
    console.error("usage: node interop.mjs <base URL>");
    process.exit(2);
}
await runScript("interop", DEADLINE_MS, async () => {
    let summary = await run(baseUrl);
    if (process.env.TURNKEY_MAIL_URL) {
        summary += `; ${await forgotPassword(baseUrl, process.env.TURNKEY_MAIL_URL)}`;
    }
    return summary;
});
