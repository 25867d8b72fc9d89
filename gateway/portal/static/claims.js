/**
 * @file Decoding of a seal's claims (docs/proofs.md §3): a CBOR map with
 * keys 1–9, each of a fixed type; unknown or duplicate keys, tags, indefinite
 * lengths, invalid UTF-8 and any version but 1 are refused.
 */
import { decodeCBOR } from './cbor.js';

const MAX_FACTS = 16;

/** A claims failure: step "claims", reason "bad-claims". */
export class ClaimsError extends Error {}

/**
 * Decodes and validates version 1 claims.
 * @param {Uint8Array} payload the COSE payload.
 * @returns {import('./seal.js').Claims} the claims.
 * @throws {ClaimsError} when they break a rule of §3.
 */
export function decodeClaims(payload) {
  let m;
  try {
    m = decodeCBOR(payload);
  } catch (e) {
    throw new ClaimsError(`decode claims: ${e.message}`);
  }
  if (!(m instanceof Map)) {
    throw new ClaimsError('claims are not a map');
  }
  for (const k of m.keys()) {
    if (!Number.isInteger(k) || k < 1 || k > 9) {
      throw new ClaimsError(`unknown claims key ${JSON.stringify(k)}`);
    }
  }
  const text = (k, name) => {
    const v = m.get(k);
    if (typeof v !== 'string' || v === '') {
      throw new ClaimsError(`${name} must be non-empty text`);
    }
    return v;
  };
  const seconds = (k, name) => {
    const v = m.get(k);
    if (!Number.isInteger(v) || v <= 0) {
      throw new ClaimsError(`${name} must be a positive number of seconds`);
    }
    return v;
  };
  if (m.get(1) !== 1) {
    throw new ClaimsError('unsupported version (want 1)');
  }
  const hash = m.get(4);
  if (!(hash instanceof Uint8Array) || hash.length !== 32 || hash.every((b) => b === 0)) {
    throw new ClaimsError('document SHA-256 must be 32 bytes, not all zeros');
  }
  const claims = {
    id: text(2, 'document id'),
    type: text(3, 'document type'),
    sha256: Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join(''),
    issuer: text(5, 'issuer MSP ID'),
    facts: keyFacts(m.get(6)),
    validFrom: seconds(7, 'valid from'),
    validUntil: undefined,
    issuedAt: seconds(9, 'issued at'),
  };
  // Like the Go verifier, a valid-until of 0 reads as "no end".
  if (m.has(8) && m.get(8) !== 0) {
    claims.validUntil = seconds(8, 'valid until');
    if (claims.validUntil <= claims.validFrom) {
      throw new ClaimsError('valid-until must be after valid-from');
    }
  }
  return claims;
}

/** Key 6: at most 16 text → text entries with non-empty keys. */
function keyFacts(v) {
  if (v === undefined) {
    return new Map();
  }
  if (!(v instanceof Map) || v.size > MAX_FACTS) {
    throw new ClaimsError(`key facts must be a map of at most ${MAX_FACTS} entries`);
  }
  for (const [k, val] of v) {
    if (typeof k !== 'string' || k === '' || typeof val !== 'string') {
      throw new ClaimsError('key facts must map non-empty text to text');
    }
  }
  return v;
}
