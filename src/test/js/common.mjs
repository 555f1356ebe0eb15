// What the scripts that drive Turnkey with matrix-js-sdk share. Import it before anything that
// loads the SDK: it installs what the SDK needs from Node first.

import { randomBytes } from "node:crypto";

// matrix-js-sdk 43 uses Promise.withResolvers (Node 22+); CI runs Node 20.
Promise.withResolvers ??= function () {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
};

export const sdk = await import("matrix-js-sdk");

/** A check of the script's own failed: its message is the whole story, no stack needed. */
export class Failure extends Error {}

export function check(condition, message) {
    if (!condition) {
        throw new Failure(message);
    }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Registers an account through the legacy API's user-interactive auth (m.login.dummy), without logging in. */
export async function registerWithDummyAuth(baseUrl, username, password, logger) {
    const anonymous = sdk.createClient({ baseUrl, logger, localTimeoutMs: 20_000 });
    const auth = new sdk.InteractiveAuth({
        matrixClient: anonymous,
        supportedStages: ["m.login.dummy"],
        doRequest: (authDict) => anonymous.registerRequest({
            username,
            password,
            inhibit_login: true,
            ...(authDict ? { auth: authDict } : {}),
        }),
        stateUpdated: () => {},
        requestEmailToken: () => Promise.reject(new Failure("registration asked for an email")),
    });
    return await auth.attemptAuth();
}

/**
 * How an error reads in a failure line: status and errcode for the SDK's Matrix errors, the
 * OAuth 2.0 error and its description for the SDK's OAuth errors, and the message (with its
 * cause) for anything else. Checks compare against the Matrix form ("403 M_FORBIDDEN").
 */
export function describe(error) {
    if (error instanceof sdk.MatrixError) {
        return `${error.httpStatus} ${error.errcode}`;
    }
    if (error?.httpStatus !== undefined) {
        return `${error.httpStatus} ${error.message}${error.error ? ` (${error.error}: ${error.error_description ?? ""})` : ""}`;
    }
    const cause = error?.cause ? ` (cause: ${error.cause?.message ?? error.cause})` : "";
    return `${error?.message ?? error}${cause}`;
}

/** Awaits one step of a scenario; an error that is not a check of ours is named after the step. */
export async function step(what, promise) {
    try {
        return await promise;
    } catch (error) {
        if (error instanceof Failure) {
            throw error;
        }
        throw new Failure(`${what}: ${describe(error)}`, { cause: error });
    }
}

/**
 * The SDK's logger for a script: warnings and errors on stderr prefixed "sdk:", nothing below.
 * An error whose first argument is in {@code expected} is one the script provokes on purpose.
 */
export function sdkLogger(expected = []) {
    const quiet = () => {};
    const logger = {
        trace: quiet,
        debug: quiet,
        info: quiet,
        warn: (...msg) => console.warn("sdk:", ...msg.map(String)),
        error: (...msg) => {
            if (!expected.includes(msg[0])) {
                console.error("sdk:", ...msg.map(String));
            }
        },
        getChild: () => logger,
    };
    return logger;
}

export const randomName = (prefix) => `${prefix}${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
export const randomPassword = () => `Pw-${randomBytes(18).toString("base64url")}`;

/**
 * Runs a script's scenarios within a deadline and ends the process: the summary line
 * "NAME: ok ..." and exit 0, or "NAME: FAILED: why" last (the IT reports that line) and exit 1.
 * {@code onFailure} saves what helps (a screenshot, a note), {@code cleanUp} closes browsers and
 * servers either way; neither can hide the failure.
 */
export async function runScript(name, deadlineMs, scenarios, { onFailure, cleanUp } = {}) {
    const deadline = setTimeout(() => {
        console.error(`${name}: FAILED: not finished within ${deadlineMs / 1000} s`);
        process.exit(1);
    }, deadlineMs);
    try {
        const summary = await scenarios();
        clearTimeout(deadline);
        await cleanUp?.();
        console.log(summary);
        process.exit(0);
    } catch (error) {
        clearTimeout(deadline);
        if (!(error instanceof Failure)) {
            console.error(error?.stack ?? error);
        }
        await Promise.resolve(onFailure?.(error)).catch(() => {});
        await Promise.resolve(cleanUp?.()).catch(() => {});
        console.error(`${name}: FAILED: ${describe(error)}`);
        process.exit(1);
    }
}
