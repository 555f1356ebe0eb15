// Smoke test of a deployed Turnkey over HTTP, as a Matrix client and an admin script would use it:
//   node server-config/smoke-test.mjs BASE_URL SHARED_SECRET [MAIL_URL]
// With MAIL_URL (the checks' MailCheckServer: GET MAIL_URL?to=ADDRESS&n=1 answers the text of a
// received message), it also adds an email address to an account as a user would: requestToken,
// the email, its link opened and confirmed, /account/3pid/add. Exits non-zero on the first step
// that does not answer as the spec says.
import { createHmac } from 'node:crypto';

const [base, secret, mailUrl] = process.argv.slice(2);
if (!base || !secret) {
    console.error('usage: node smoke-test.mjs BASE_URL SHARED_SECRET [MAIL_URL]');
    process.exit(2);
}

async function call(method, path, body, token) {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(base + path, { method, headers, body: body && JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : {} };
}

let steps = 0;
function expect(name, reply, status, check = () => true) {
    if (reply.status !== status || !check(reply.json)) {
        console.error(`FAILED ${name}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.json)}`);
        process.exit(1);
    }
    steps++;
    console.log(`ok ${name}`);
    return reply.json;
}

const user = `smoke${Date.now().toString(36)}`;
const password = 'correct horse battery';

const challenge = await call('POST', '/_matrix/client/v3/register', { username: user, password });
expect('register: user-interactive auth challenge', challenge, 401, j => typeof j.session === 'string');
const registered = expect('register with m.login.dummy',
    await call('POST', '/_matrix/client/v3/register',
        { username: user, password, auth: { type: 'm.login.dummy', session: challenge.json.session } }),
    200, j => j.user_id.startsWith(`@${user}:`) && j.access_token);

const login = expect('login with refresh_token: true',
    await call('POST', '/_matrix/client/v3/login', {
        type: 'm.login.password', identifier: { type: 'm.id.user', user }, password, refresh_token: true,
    }), 200, j => j.access_token && j.refresh_token && j.expires_in_ms > 0);

const refreshed = expect('refresh',
    await call('POST', '/_matrix/client/v3/refresh', { refresh_token: login.refresh_token }),
    200, j => j.access_token && j.access_token !== login.access_token && j.refresh_token);

expect('whoami with the refreshed token', await call('GET', '/_matrix/client/v3/account/whoami', null,
    refreshed.access_token), 200, j => j.user_id === registered.user_id && j.device_id === login.device_id);

// Device deletion exactly as matrix-js-sdk's deleteDevice sends it: a body of {} first, then the
// same request with the user-interactive auth object (a DELETE with a body; docs/http.md).
const second = expect('login of a second device', await call('POST', '/_matrix/client/v3/login', {
    type: 'm.login.password', identifier: { type: 'm.id.user', user }, password,
}), 200, j => j.access_token && j.device_id !== login.device_id);
const devicePath = `/_matrix/client/v3/devices/${encodeURIComponent(second.device_id)}`;
const deleteChallenge = expect('DELETE device with {}: user-interactive auth challenge',
    await call('DELETE', devicePath, {}, refreshed.access_token), 401,
    j => typeof j.session === 'string' && Array.isArray(j.flows));
expect('DELETE device with an auth body', await call('DELETE', devicePath, {
    auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password, session: deleteChallenge.session },
}, refreshed.access_token), 200);
expect('whoami of the deleted device', await call('GET', '/_matrix/client/v3/account/whoami', null,
    second.access_token), 401, j => j.errcode === 'M_UNKNOWN_TOKEN');

// Bad JSON is a Matrix error, not a server error.
async function raw(method, path, text) {
    const response = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json' }, body: text });
    const body = await response.text();
    let json = {};
    try { json = JSON.parse(body); } catch { json = { unparsable: body }; }
    return { status: response.status, json };
}
expect('JSON nested 1000 levels', await raw('POST', '/_matrix/client/v3/login',
    `{"a":${'['.repeat(999)}${']'.repeat(999)}}`), 400, j => j.errcode === 'M_BAD_JSON');
expect('a number with a huge exponent', await raw('POST', '/_matrix/client/v3/refresh',
    '{"refresh_token":1E+99999999999}'), 400, j => j.errcode === 'M_BAD_JSON');

expect('logout', await call('POST', '/_matrix/client/v3/logout', {}, refreshed.access_token), 200);
expect('whoami after logout', await call('GET', '/_matrix/client/v3/account/whoami', null,
    refreshed.access_token), 401, j => j.errcode === 'M_UNKNOWN_TOKEN' && !j.soft_logout);

const admin = `smokeadmin${Date.now().toString(36)}`;
const nonce = expect('shared-secret nonce', await call('GET', '/_synapse/admin/v1/register'), 200,
    j => typeof j.nonce === 'string').nonce;
const mac = createHmac('sha1', secret).update([nonce, admin, password, 'admin'].join('\0')).digest('hex');
const adminTokens = expect('shared-secret registration of an admin',
    await call('POST', '/_synapse/admin/v1/register', { nonce, username: admin, password, admin: true, mac }),
    200, j => j.access_token);
expect('admin lists users', await call('GET', `/_synapse/admin/v2/users?name=${user}`, null,
    adminTokens.access_token), 200, j => j.total === 1 && j.users[0].name === registered.user_id);

if (mailUrl) {
    await email();
}

// An address added as a user does it: the server's mail session sends the validation email
// (through the SMTP server of the check), the user opens its link and confirms, the client adds
// the address with the account's password (docs/email.md, "The flows").
async function email() {
    const address = `${user}@example.org`;
    const clientSecret = `smoke${Date.now()}`;
    const token = expect('login for the email steps', await call('POST', '/_matrix/client/v3/login', {
        type: 'm.login.password', identifier: { type: 'm.id.user', user }, password,
    }), 200, j => j.access_token).access_token;
    const requested = expect('POST /account/3pid/email/requestToken',
        await call('POST', '/_matrix/client/v3/account/3pid/email/requestToken',
            { client_secret: clientSecret, email: address, send_attempt: 1 }, token),
        200, j => typeof j.sid === 'string');

    let text = null;
    for (let i = 0; i < 120 && text === null; i++) {
        const mail = await fetch(`${mailUrl}?to=${encodeURIComponent(address)}&n=1`);
        if (mail.status === 200) {
            text = await mail.text();
        } else {
            await new Promise(resolve => setTimeout(resolve, 500));
        }
    }
    check('the validation email arrived through the server\'s mail session', text !== null,
        `no email to ${address} within 60 s (the server log says why)`);
    const link = /(https?:\/\/\S+\/_turnkey\/email\/validate\?\S+)/.exec(text)?.[1];
    check('the email carries the validation link', link && new URL(link).searchParams.get('sid') === requested.sid,
        `no link for sid ${requested.sid} in: ${text}`);

    // Opening the link shows a Confirm button; its POST, with the page's CSRF token and cookie, validates.
    const page = await fetch(link);
    const html = await page.text();
    const cookie = page.headers.getSetCookie().map(c => c.split(';')[0]).join('; ');
    const field = name => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&');
    check('GET the link: the confirmation page', page.status === 200 && html.includes('id="validate"') && field('csrf') && cookie,
        `${page.status} ${html.slice(0, 300)}`);
    const confirmed = await fetch(new URL('validate', link), {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
        body: new URLSearchParams(Object.fromEntries(['csrf', 'sid', 'client_secret', 'token'].map(n => [n, field(n)]))),
    });
    const confirmedHtml = await confirmed.text();
    check('POST Confirm: the address is validated', confirmed.status === 200 && confirmedHtml.includes('id="validated"'),
        `${confirmed.status} ${confirmedHtml.slice(0, 300)}`);

    const add = { sid: requested.sid, client_secret: clientSecret };
    const uia = expect('POST /account/3pid/add: user-interactive auth challenge',
        await call('POST', '/_matrix/client/v3/account/3pid/add', add, token), 401, j => typeof j.session === 'string');
    expect('POST /account/3pid/add with the password', await call('POST', '/_matrix/client/v3/account/3pid/add', {
        ...add, auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password, session: uia.session },
    }, token), 200);
    expect('GET /account/3pid lists the validated address', await call('GET', '/_matrix/client/v3/account/3pid', null, token),
        200, j => j.threepids.some(t => t.medium === 'email' && t.address === address && t.validated_at > 0));
}

function check(name, ok, detail) {
    if (!ok) {
        console.error(`FAILED ${name}: ${detail}`);
        process.exit(1);
    }
    steps++;
    console.log(`ok ${name}`);
}

console.log(`${steps} passed, 0 failed`);
