/**
 * @file Offline verification of a CL1 seal in the browser, in the order and
 * with the reason codes of docs/proofs.md §5 (the Go verifier in
 * gateway/proofs/seal gives the same reason for the same seal). Nothing here
 * touches the network: the caller passes the trust list in.
 */
import { base45Decode } from './base45.js';
import { Tagged, decodeCBOR, sigStructure } from './cbor.js';
import { decodeClaims } from './claims.js';
import { checkIssuer, validAt } from './trust.js';
import { KU_DIGITAL_SIGNATURE, importKey, parseCertificate, sameBytes } from './x509.js';

const PREFIX = 'CL1:';
const MAX_TEXT = 4296;
const MAX_INFLATED = 65536;
const MAX_CHAIN = 4;

/**
 * The outcome of one check.
 * @typedef {{step: string, ok: boolean, detail?: string}} Step
 */

/**
 * The authenticated claims of a seal (docs/proofs.md §3).
 * @typedef {object} Claims
 * @property {string} id document id.
 * @property {string} type document type.
 * @property {string} sha256 lowercase hex of the document's SHA-256.
 * @property {string} issuer issuer MSP ID.
 * @property {Map<string, string>} facts key facts.
 * @property {number} validFrom epoch seconds.
 * @property {number|undefined} validUntil epoch seconds, or undefined for no end.
 * @property {number} issuedAt epoch seconds.
 */

/** A failed check: which step and the §5 reason code. */
class Failure extends Error {
  constructor(step, reason, detail) {
    super(detail);
    this.step = step;
    this.reason = reason;
  }
}

/**
 * Verifies seal text offline.
 * @param {string} text the seal text, "CL1:" included.
 * @param {Map<string, import('./trust.js').Administration>} trust the trust list.
 * @param {number} now verification time, epoch seconds.
 * @returns {Promise<{reason: string, steps: Step[], claims?: Claims, claimedIssuer?: string}>}
 *   reason is a §5 code ("ok", "bad-encoding", …); claims are set only once
 *   signature and issuer are established (ok, expired, not-yet-valid);
 *   claimedIssuer is the signed but untrusted issuer of a refused seal.
 */
export async function verifySeal(text, trust, now) {
  const steps = [];
  let claimedIssuer;
  const pass = (step, detail) => steps.push({ step, ok: true, detail });
  try {
    const coseBytes = await decodeText(text);
    pass('format');
    const msg = parseSign1(coseBytes);
    pass('structure');
    const certs = await checkHeader(msg);
    pass('header');
    const signer = certs[0];
    if (signer.curve !== 'P-256') {
      throw new Failure('certificate', 'bad-certificate', 'signer key is not ECDSA P-256');
    }
    pass('certificate', signer.subjectText);
    let key;
    try {
      key = await importKey(signer);
    } catch {
      throw new Failure('certificate', 'bad-certificate', 'signer public key is not a valid P-256 point');
    }
    const ok = msg.signature.length === 64 &&
      (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, msg.signature, sigStructure(msg.protectedBytes, msg.payload)));
    if (!ok) {
      throw new Failure('signature', 'bad-signature', 'signature does not verify with the signer certificate');
    }
    pass('signature');
    const claims = claimsOf(msg.payload);
    claimedIssuer = claims.issuer;
    pass('claims');
    if (signer.keyUsage && !(signer.keyUsage & KU_DIGITAL_SIGNATURE)) {
      throw new Failure('signer', 'bad-certificate', 'signer certificate does not allow digital signatures');
    }
    if (!validAt(signer, claims.issuedAt)) {
      throw new Failure('signer', 'bad-certificate', "signer certificate was not valid at the seal's issue time");
    }
    pass('signer');
    const issuer = await checkIssuer(signer, certs.slice(1), claims.issuer, trust, claims.issuedAt);
    if (issuer.reason !== 'ok') {
      throw new Failure('issuer', issuer.reason, (issuer.others ?? []).join(', '));
    }
    pass('issuer', claims.issuer);
    let reason = 'ok';
    if (now < claims.validFrom) {
      reason = 'not-yet-valid';
    } else if (claims.validUntil !== undefined && now > claims.validUntil) {
      reason = 'expired';
    }
    steps.push({ step: 'window', ok: reason === 'ok' });
    return { reason, steps, claims };
  } catch (e) {
    if (!(e instanceof Failure)) {
      throw e;
    }
    steps.push({ step: e.step, ok: false, detail: e.message });
    return { reason: e.reason, steps, claimedIssuer };
  }
}

/** Step 9: the signed payload as version 1 claims. */
function claimsOf(payload) {
  try {
    return decodeClaims(payload);
  } catch (e) {
    throw new Failure('claims', 'bad-claims', e.message);
  }
}

/** Steps 1–4: length, prefix, Base45, zlib with a size cap. */
async function decodeText(text) {
  if (text.length > MAX_TEXT) {
    throw new Failure('format', 'bad-encoding', 'seal text is longer than any QR code holds');
  }
  if (!text.startsWith(PREFIX)) {
    throw new Failure('format', 'bad-prefix', `seal text does not start with ${PREFIX}`);
  }
  try {
    return await inflate(base45Decode(text.slice(PREFIX.length)));
  } catch (e) {
    throw new Failure('format', 'bad-encoding', e.message);
  }
}

/**
 * Inflates a zlib stream (Adler-32 checked by the browser), refusing more
 * than MAX_INFLATED bytes of output.
 * @param {Uint8Array} compressed RFC 1950 data.
 * @returns {Promise<Uint8Array>} the inflated bytes.
 */
async function inflate(compressed) {
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_INFLATED) {
        await reader.cancel();
        throw new Error(`zlib: payload inflates past the ${MAX_INFLATED}-byte cap`);
      }
      chunks.push(value);
    }
  } catch (e) {
    throw new Error(e.message.startsWith('zlib:') ? e.message : 'zlib: corrupt stream');
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Step 5: a tagged COSE_Sign1 with an embedded payload and nothing after it. */
function parseSign1(bytes) {
  let v;
  try {
    v = decodeCBOR(bytes, { tags: true });
  } catch (e) {
    throw new Failure('structure', 'bad-encoding', e.message);
  }
  const bad = (why) => new Failure('structure', 'bad-encoding', `cose: ${why}`);
  if (!(v instanceof Tagged) || v.tag !== 18 || !Array.isArray(v.value) || v.value.length !== 4) {
    throw bad('not a tagged COSE_Sign1 message');
  }
  const [protectedBytes, unprotected, payload, signature] = v.value;
  if (!(protectedBytes instanceof Uint8Array) || !(unprotected instanceof Map) || !(signature instanceof Uint8Array)) {
    throw bad('wrong field types');
  }
  if (payload === null) {
    throw bad('detached payload is not allowed');
  }
  if (!(payload instanceof Uint8Array)) {
    throw bad('payload is not a byte string');
  }
  let header = new Map();
  if (protectedBytes.length > 0) {
    try {
      header = decodeCBOR(protectedBytes);
    } catch (e) {
      throw bad(`protected header: ${e.message}`);
    }
    if (!(header instanceof Map)) {
      throw bad('protected header is not a map');
    }
  }
  return { protectedBytes, header, payload, signature };
}

/** Steps 6–7: alg ES256, no crit, x5chain parsed, kid = SHA-256(signer)[:8]. */
async function checkHeader(msg) {
  const h = msg.header;
  if (h.get(1) !== -7) {
    throw new Failure('header', 'bad-header', 'protected alg must be ES256 (-7)');
  }
  if (h.has(2)) {
    throw new Failure('header', 'bad-header', 'critical header parameters are not supported');
  }
  const x5 = h.get(33);
  const ders = x5 instanceof Uint8Array ? [x5] : x5;
  if (!Array.isArray(ders) || ders.length === 0 || ders.length > MAX_CHAIN || !ders.every((d) => d instanceof Uint8Array)) {
    throw new Failure('certificate', 'bad-certificate', 'x5chain must hold 1 to 4 DER certificates');
  }
  const kid = h.get(4);
  const want = new Uint8Array(await crypto.subtle.digest('SHA-256', ders[0])).subarray(0, 8);
  if (!(kid instanceof Uint8Array) || !sameBytes(kid, want)) {
    throw new Failure('header', 'bad-header', 'protected kid must be the first 8 bytes of SHA-256 of the signer certificate');
  }
  return ders.map((der, i) => {
    try {
      return parseCertificate(der);
    } catch (e) {
      throw new Failure('certificate', 'bad-certificate', `x5chain certificate ${i}: ${e.message}`);
    }
  });
}
