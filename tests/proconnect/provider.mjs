// A ProConnect stand-in for the tests: panva's oidc-provider 8 (the engine
// ProConnect itself runs) on 127.0.0.1, configured as ProConnect is for a
// service: authorization code flow, client_secret_post, ES256-signed ID
// tokens and userinfo, ProConnect's scopes and claims (given_name,
// usual_name, email, uid, siret, idp_id, organization_label), its acr
// values, the claims parameter (amr, acr), and RP-initiated logout.
//
// Started by the Rust tests with the client in the environment
// (CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, POST_LOGOUT_REDIRECT_URI; a
// second client, CLIENT_ID + "-json", gets RS256 and plain JSON userinfo); it
// prints `listening <issuer>` once ready. People sign in on a plain form
// (`login` = a person registered through `POST /test/people`); consent is
// given at once, as ProConnect does for its services.
//
// For the refusal tests only, `POST /test/tamper {"mode": …}` makes the
// next token answer carry an ID token altered and signed again: `nonce`
// (another nonce), `aud` (another audience), `exp` (expired an hour ago),
// `key` (signed by a key the JWKS does not publish). Nothing else differs
// from a real exchange.
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';
import { SignJWT, importJWK, decodeJwt } from 'jose';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const jwk = (kid) => ({
  ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
  kid,
  alg: 'ES256',
  use: 'sig',
});
const signing = jwk('proconnect-test-1');
const foreign = jwk('not-published');
const rsa = {
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: 'proconnect-test-rsa',
  alg: 'RS256',
  use: 'sig',
};

const people = new Map();
let tamper = null;
let logins = 0;

const server = http.createServer();
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const issuer = `http://127.0.0.1:${server.address().port}/api/v2`;

const client = {
  client_id: env('CLIENT_ID'),
  client_secret: env('CLIENT_SECRET'),
  redirect_uris: [env('REDIRECT_URI')],
  post_logout_redirect_uris: [env('POST_LOGOUT_REDIRECT_URI')],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
  id_token_signed_response_alg: 'ES256',
  userinfo_signed_response_alg: 'ES256',
};
// A second service registered the other way ProConnect allows: RS256 ID
// tokens, and userinfo as plain JSON (no userinfo signing algorithm).
const { userinfo_signed_response_alg: _, ...plain } = client;

const provider = new Provider(issuer, {
  clients: [client, { ...plain, client_id: `${client.client_id}-json`, id_token_signed_response_alg: 'RS256' }],
  jwks: { keys: [signing, rsa] },
  scopes: ['openid', 'email', 'given_name', 'usual_name', 'uid', 'siret', 'idp_id', 'organization_label'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    uid: ['uid'],
    siret: ['siret'],
    idp_id: ['idp_id'],
    organization_label: ['organization_label'],
    amr: null,
    acr: null,
  },
  acrValues: ['eidas1', 'eidas1-mfa', 'eidas2', 'eidas3'],
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = `<!doctype html><title>Déconnexion</title>${form}<button form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`;
      },
    },
  },
  pkce: { required: () => false },
  ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 43200, Grant: 43200 },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, sub) => {
    const person = people.get(sub);
    if (!person) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...person.claims }) };
  },
});

const json = (req) => new Promise((ok, ko) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => { try { ok(body ? JSON.parse(body) : {}); } catch (e) { ko(e); } });
});
const form = (req) => new Promise((ok) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => ok(new URLSearchParams(body)));
});

async function resign(idToken) {
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = signing;
  if (tamper === 'nonce') claims.nonce = 'un-autre-nonce-que-celui-de-cette-connexion';
  if (tamper === 'aud') claims.aud = 'un-autre-service';
  if (tamper === 'exp') { claims.iat = now - 7200; claims.exp = now - 3600; }
  if (tamper === 'key') key = foreign;
  const { d: _, ...pub } = key;
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: pub.kid, typ: 'JWT' }).sign(await importJWK(key, 'ES256'));
}

// Tampering happens on the token endpoint's answer, after the provider made it.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && tamper && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await resign(ctx.body.id_token) };
    tamper = null;
  }
});

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (req.method === 'POST' && url.pathname === '/test/people') {
      for (const [sub, p] of Object.entries(await json(req))) people.set(sub, p);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/test/tamper') {
      tamper = (await json(req)).mode ?? null;
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/test/logins') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ logins }));
      return;
    }
    const m = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (m) {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login' && !m[2]) {
        logins += 1;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          `<!doctype html><title>ProConnect (test)</title><form method="post" action="/interaction/${m[1]}/login">`
          + '<label>Identifiant <input name="login"></label><button>Continuer</button></form>',
        );
        return;
      }
      if (details.prompt.name === 'login') {
        const login = (await form(req)).get('login');
        const person = people.get(login);
        if (!person) { res.writeHead(400).end('inconnu'); return; }
        await provider.interactionFinished(req, res, {
          login: { accountId: login, amr: person.amr ?? ['pwd'], acr: person.acr ?? 'eidas1' },
        }, { mergeWithLastSubmission: false });
        return;
      }
      // Consent: everything asked for, at once.
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      const asked = details.prompt.details;
      if (asked.missingOIDCScope) grant.addOIDCScope(asked.missingOIDCScope.join(' '));
      if (asked.missingOIDCClaims) grant.addOIDCClaims(asked.missingOIDCClaims);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    // Mounted under /api/v2, as ProConnect's endpoints are.
    if (url.pathname.startsWith('/api/v2/') || url.pathname === '/api/v2') {
      req.originalUrl = req.url;
      req.url = req.url.slice('/api/v2'.length) || '/';
      callback(req, res);
      return;
    }
    res.writeHead(404).end();
  } catch (e) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e.stack ?? e));
  }
});

console.log(`listening ${issuer}`);
