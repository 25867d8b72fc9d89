/**
 * @file The portal's trust list and certificate chains (docs/proofs.md §4,
 * §5 step 11). Every CA or intermediate certificate listed for an
 * administration is a trust anchor for that administration's MSP only.
 */
import { parseCertificate, signedBy } from './x509.js';

/** A seal carries at most 4 certificates, so a chain is never longer. */
const MAX_DEPTH = 4;

/**
 * One administration's entry.
 * @typedef {{mspId: string, name: string, anchors: import('./x509.js').Certificate[]}} Administration
 */

/**
 * Parses the trust list JSON served at the seal section's data-trust-list:
 * `{"channel","generatedAt","administrations":[{"mspId","name","caCerts":[base64 DER],"intermediateCerts":[…]}]}`.
 * A certificate that does not parse is left out (it can anchor nothing).
 * @param {*} json the parsed JSON document.
 * @returns {Map<string, Administration>} administrations by MSP ID.
 * @throws {Error} when the document does not have that shape.
 */
export function parseTrustList(json) {
  if (!json || !Array.isArray(json.administrations)) {
    throw new Error('trust list: no administrations');
  }
  const out = new Map();
  for (const a of json.administrations) {
    if (typeof a.mspId !== 'string' || a.mspId === '') {
      throw new Error('trust list: an administration has no mspId');
    }
    const anchors = [];
    for (const b64 of [...(a.caCerts ?? []), ...(a.intermediateCerts ?? [])]) {
      try {
        anchors.push(parseCertificate(base64Decode(b64)));
      } catch {
        // An unreadable certificate cannot anchor a chain; the others still can.
      }
    }
    out.set(a.mspId, { mspId: a.mspId, name: typeof a.name === 'string' ? a.name : a.mspId, anchors });
  }
  return out;
}

/**
 * Decodes standard base64.
 * @param {string} text base64 with padding.
 * @returns {Uint8Array} the bytes.
 */
export function base64Decode(text) {
  const bin = atob(text);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * Whether a certificate is valid at a time.
 * @param {import('./x509.js').Certificate} cert the certificate.
 * @param {number} at epoch seconds.
 * @returns {boolean} notBefore ≤ at ≤ notAfter.
 */
export function validAt(cert, at) {
  return cert.notBefore <= at && at <= cert.notAfter;
}

/**
 * Whether cert chains to one of anchors through intermediates (CA
 * certificates, each used once), every certificate valid at time at and
 * every signature verified with its issuer's key.
 * @param {import('./x509.js').Certificate} cert the signer certificate.
 * @param {import('./x509.js').Certificate[]} intermediates x5chain[1:].
 * @param {import('./x509.js').Certificate[]} anchors one administration's trust anchors.
 * @param {number} at epoch seconds (the seal's issued-at).
 * @returns {Promise<boolean>} whether a chain exists.
 */
export async function chainsTo(cert, intermediates, anchors, at) {
  return validAt(cert, at) && !cert.unhandledCritical && walk(cert, intermediates, anchors, at, 0);
}

async function walk(cert, intermediates, anchors, at, depth) {
  for (const anchor of anchors) {
    if (validAt(anchor, at) && (await signedBy(cert, anchor))) {
      return true;
    }
  }
  if (depth >= MAX_DEPTH) {
    return false;
  }
  for (const [i, inter] of intermediates.entries()) {
    if (inter.isCA && !inter.unhandledCritical && validAt(inter, at) && (await signedBy(cert, inter))) {
      const rest = intermediates.filter((_, j) => j !== i);
      if (await walk(inter, rest, anchors, at, depth + 1)) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Decides step 11 of docs/proofs.md §5 for a seal claiming issuer msp.
 * @param {import('./x509.js').Certificate} signer x5chain[0].
 * @param {import('./x509.js').Certificate[]} intermediates x5chain[1:].
 * @param {string} msp the claimed issuer MSP ID.
 * @param {Map<string, Administration>} trust the trust list.
 * @param {number} at the seal's issued-at, epoch seconds.
 * @returns {Promise<{reason: string, others?: string[]}>} "ok", "issuer-mismatch" (with the MSPs it does chain to) or "unknown-issuer".
 */
export async function checkIssuer(signer, intermediates, msp, trust, at) {
  const claimed = trust.get(msp);
  if (claimed && (await chainsTo(signer, intermediates, claimed.anchors, at))) {
    return { reason: 'ok' };
  }
  const others = [];
  for (const [id, admin] of trust) {
    if (id !== msp && (await chainsTo(signer, intermediates, admin.anchors, at))) {
      others.push(id);
    }
  }
  return others.length > 0 ? { reason: 'issuer-mismatch', others: others.sort() } : { reason: 'unknown-issuer' };
}
