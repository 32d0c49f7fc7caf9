// Keys and JWT minting for the scenario suite (node:crypto only).
//
// makeKeys() generates an RSA-2048 key (kid "rsa-1"), an EC P-256 key (kid "ec-1"), an Ed25519
// key (kid "ed-1"), a second RSA key and a second Ed25519 key that are NOT published (used to
// forge signatures under kids "rsa-1" and "ed-1"), and a random HS256 dev secret. publicJwks(keys) is what the server gets as AUTH_JWKS.
// mint(keys, spec, defaults) signs one token from a scenario's "auth" spec (README.md).
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const b64json = (o) => b64url(JSON.stringify(o));

export function makeKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaOther = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    rsa: { kid: 'rsa-1', ...rsa },
    rsaOther: { kid: 'rsa-1', ...rsaOther },
    ec: { kid: 'ec-1', ...ec },
    ed: { kid: 'ed-1', ...generateKeyPairSync('ed25519') },
    edOther: { kid: 'ed-1', ...generateKeyPairSync('ed25519') },
    devSecret: randomBytes(32).toString('base64url'),
  };
}

/** Serializable form (to hand the same keys to another process). */
export function exportKeys(k) {
  const pem = (kp) => ({ kid: kp.kid, privateKey: kp.privateKey.export({ type: 'pkcs8', format: 'pem' }), publicKey: kp.publicKey.export({ type: 'spki', format: 'pem' }) });
  return { rsa: pem(k.rsa), rsaOther: pem(k.rsaOther), ec: pem(k.ec), ed: pem(k.ed), edOther: pem(k.edOther), devSecret: k.devSecret };
}

export function importKeys(o) {
  const kp = (x) => { const privateKey = createPrivateKey(x.privateKey); return { kid: x.kid, privateKey, publicKey: x.publicKey }; };
  return { rsa: kp(o.rsa), rsaOther: kp(o.rsaOther), ec: kp(o.ec), ed: kp(o.ed), edOther: kp(o.edOther), devSecret: o.devSecret };
}

function jwk(kp, alg) {
  return { ...createPublicKey(kp.privateKey).export({ format: 'jwk' }), kid: kp.kid, alg, use: 'sig' };
}

export function publicJwks(keys) {
  return { keys: [jwk(keys.rsa, 'RS256'), jwk(keys.ec, 'ES256'), jwk(keys.ed, 'EdDSA')] };
}

export function publicPem(kp) {
  return createPublicKey(kp.privateKey).export({ type: 'spki', format: 'pem' });
}

/**
 * spec fields (all optional): alg ("RS256"|"ES256"|"EdDSA"|"Ed25519"|"HS256"|"none"|any string), kid (string,
 * or null to omit; default the alg's key kid), sub (string, or null to omit; default from
 * `user`), user (name -> sub via defaults.sub(name)), iss/aud (value or null to omit; default
 * the configured ones), exp/nbf/iat (seconds relative to now, or null to omit; exp default
 * +3600, iat default 0, nbf default omitted), claims (extra claims), header (extra header),
 * signWith ("rsa"|"rsaOther"|"ec"|"ed"|"edOther"), secret ("dev"|"rsa-public-pem"|"wrong"), tamper
 * ("signature"|"payload"|"der-signature"|"strip-signature").
 */
export function mint(keys, spec, defaults) {
  const alg = spec.alg ?? 'RS256';
  const now = Math.floor(Date.now() / 1000);
  const header = { alg, typ: 'JWT' };
  const eddsa = alg === 'EdDSA' || alg === 'Ed25519';
  const defaultKid = alg === 'ES256' ? keys.ec.kid : alg.startsWith('RS') ? keys.rsa.kid : eddsa ? keys.ed.kid : undefined;
  const kid = 'kid' in spec ? spec.kid : defaultKid;
  if (kid !== null && kid !== undefined) header.kid = kid;
  Object.assign(header, spec.header ?? {});
  const payload = {};
  const rel = (name, dflt) => {
    const v = name in spec ? spec[name] : dflt;
    if (v !== null && v !== undefined) payload[name] = now + v;
  };
  const sub = 'sub' in spec ? spec.sub : defaults.sub(spec.user ?? 'alice');
  if (sub !== null) payload.sub = sub;
  const iss = 'iss' in spec ? spec.iss : defaults.iss;
  if (iss !== null && iss !== undefined) payload.iss = iss;
  const aud = 'aud' in spec ? spec.aud : defaults.aud;
  if (aud !== null && aud !== undefined) payload.aud = aud;
  rel('iat', 0);
  rel('exp', 3600);
  rel('nbf', undefined);
  Object.assign(payload, spec.claims ?? {});

  let signingInput = `${b64json(header)}.${b64json(payload)}`;
  let sig;
  if (alg === 'none' || alg.toLowerCase() === 'none') sig = Buffer.alloc(0);
  else if (alg === 'HS256') {
    const secret = spec.secret === 'rsa-public-pem' ? publicPem(keys.rsa)
      : spec.secret === 'wrong' ? 'not-the-dev-secret'
      : keys.devSecret;
    sig = createHmac('sha256', secret).update(signingInput).digest();
  } else if (alg === 'RS256') {
    sig = cryptoSign('sha256', Buffer.from(signingInput), keys[spec.signWith ?? 'rsa'].privateKey);
  } else if (alg === 'ES256') {
    const der = spec.tamper === 'der-signature';
    sig = cryptoSign('sha256', Buffer.from(signingInput), {
      key: keys[spec.signWith ?? 'ec'].privateKey, dsaEncoding: der ? 'der' : 'ieee-p1363',
    });
  } else if (eddsa) {
    sig = cryptoSign(null, Buffer.from(signingInput), keys[spec.signWith ?? 'ed'].privateKey);
  } else {
    sig = createHmac('sha256', keys.devSecret).update(signingInput).digest();
  }
  if (spec.tamper === 'signature' && sig.length) { sig = Buffer.from(sig); sig[Math.floor(sig.length / 2)] ^= 0x01; }
  if (spec.tamper === 'payload') {
    signingInput = `${b64json(header)}.${b64json({ ...payload, sub: `${payload.sub}-x` })}`;
  }
  if (spec.tamper === 'strip-signature') return `${signingInput}.`;
  return `${signingInput}.${b64url(sig)}`;
}
