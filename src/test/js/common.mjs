// What the scripts that drive Turnkey with matrix-js-sdk share. Import it before anything that
// loads the SDK: it installs what the SDK needs from Node first.

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
