/**
 * @file X.509 certificates as a seal verifier needs them: the signed TBS
 * bytes, names (compared byte for byte), validity, the public key (kept as
 * SubjectPublicKeyInfo for WebCrypto), key usage and basic constraints, and
 * the CA's ECDSA signature, checked with WebCrypto after converting it from
 * DER to the raw r||s form WebCrypto expects.
 */
import { children, expect, oid, parseDER, time, unsignedFixed } from './der.js';

const OID_EC_KEY = '1.2.840.10045.2.1';
const CURVES = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384' };
const CURVE_BYTES = { 'P-256': 32, 'P-384': 48 };
const SIG_HASHES = { '1.2.840.10045.4.3.2': 'SHA-256', '1.2.840.10045.4.3.3': 'SHA-384' };
const EXT_KEY_USAGE = '2.5.29.15';
const EXT_BASIC_CONSTRAINTS = '2.5.29.19';
/** Critical extensions a verifier may ignore for a seal chain (as Go's x509 does). */
const HANDLED_CRITICAL = new Set([
  EXT_KEY_USAGE, EXT_BASIC_CONSTRAINTS, '2.5.29.37', '2.5.29.17', '2.5.29.14', '2.5.29.35', '2.5.29.32',
]);

/**
 * A parsed certificate.
 * @typedef {object} Certificate
 * @property {Uint8Array} der the whole certificate.
 * @property {Uint8Array} tbs the signed TBSCertificate encoding.
 * @property {string|undefined} sigHash hash of the CA's ECDSA signature, or undefined if not ECDSA.
 * @property {Uint8Array} signature the DER ECDSA signature.
 * @property {Uint8Array} issuer the issuer Name encoding.
 * @property {Uint8Array} subject the subject Name encoding.
 * @property {string} subjectText the subject's CN and O, for display.
 * @property {number} notBefore epoch seconds.
 * @property {number} notAfter epoch seconds.
 * @property {Uint8Array} spki the SubjectPublicKeyInfo encoding.
 * @property {string|undefined} curve "P-256" or "P-384" for an EC key, else undefined.
 * @property {number|undefined} keyUsage the KeyUsage bits (bit 0 = digitalSignature = 0x80 of the first byte), or undefined.
 * @property {boolean} isCA basicConstraints cA.
 * @property {boolean} unhandledCritical a critical extension this verifier does not know.
 */

/**
 * Parses a DER certificate.
 * @param {Uint8Array} der the encoding.
 * @returns {Certificate} the certificate.
 * @throws {Error} when it is not a well-formed certificate.
 */
export function parseCertificate(der) {
  const [tbsEl, algEl, sigEl] = children(expect(parseDER(der), 0x30, 'certificate'));
  expect(tbsEl, 0x30, 'tbsCertificate');
  const sigAlg = oid(children(expect(algEl, 0x30, 'signature algorithm'))[0]);
  const sigBits = expect(sigEl, 0x03, 'signature');
  if (sigBits.body[0] !== 0) {
    throw new Error('x509: signature has unused bits');
  }
  const f = children(tbsEl);
  let i = f[0] && f[0].tag === 0xa0 ? 1 : 0;
  expect(f[i++], 0x02, 'serial number');
  const innerAlg = oid(children(expect(f[i++], 0x30, 'tbs signature algorithm'))[0]);
  if (innerAlg !== sigAlg) {
    throw new Error('x509: signature algorithms differ');
  }
  const issuer = expect(f[i++], 0x30, 'issuer');
  const [nb, na] = children(expect(f[i++], 0x30, 'validity'));
  const subject = expect(f[i++], 0x30, 'subject');
  const spki = expect(f[i++], 0x30, 'subject public key info');
  const cert = {
    der,
    tbs: tbsEl.der,
    sigHash: SIG_HASHES[sigAlg],
    signature: sigBits.body.subarray(1),
    issuer: issuer.der,
    subject: subject.der,
    subjectText: nameText(subject),
    notBefore: time(nb),
    notAfter: time(na),
    spki: spki.der,
    curve: ecCurve(spki),
    keyUsage: undefined,
    isCA: false,
    unhandledCritical: false,
  };
  for (; i < f.length; i++) {
    if (f[i].tag === 0xa3) {
      readExtensions(cert, children(expect(children(f[i])[0], 0x30, 'extensions')));
    }
  }
  return cert;
}

/** The named curve of an EC SubjectPublicKeyInfo, or undefined. */
function ecCurve(spki) {
  const [alg] = children(spki);
  const [algOid, params] = children(expect(alg, 0x30, 'key algorithm'));
  if (oid(algOid) !== OID_EC_KEY || !params || params.tag !== 0x06) {
    return undefined;
  }
  return CURVES[oid(params)];
}

/** Reads key usage, basic constraints and criticality into cert. */
function readExtensions(cert, exts) {
  for (const ext of exts) {
    const parts = children(expect(ext, 0x30, 'extension'));
    const id = oid(parts[0]);
    const critical = parts.length === 3 && parts[1].tag === 0x01 && parts[1].body[0] !== 0;
    // Only the values read here are parsed: others need not be DER (Fabric
    // CA's attribute extension holds JSON).
    const value = expect(parts[parts.length - 1], 0x04, 'extension value').body;
    if (id === EXT_KEY_USAGE) {
      const bits = expect(parseDER(value), 0x03, 'key usage');
      cert.keyUsage = ((bits.body[1] ?? 0) << 8) | (bits.body[2] ?? 0);
    } else if (id === EXT_BASIC_CONSTRAINTS) {
      const bc = children(expect(parseDER(value), 0x30, 'basic constraints'));
      cert.isCA = bc.length > 0 && bc[0].tag === 0x01 && bc[0].body[0] !== 0;
    } else if (critical && !HANDLED_CRITICAL.has(id)) {
      cert.unhandledCritical = true;
    }
  }
}

/** KeyUsage bit masks in the 16-bit value readExtensions builds. */
export const KU_DIGITAL_SIGNATURE = 0x8000;
export const KU_CERT_SIGN = 0x0400;

/** "CN, O" of a Name, for display only (never compared). */
function nameText(name) {
  const wanted = { '2.5.4.3': '', '2.5.4.10': '' };
  for (const rdn of children(name)) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      const id = oid(type);
      if (id in wanted && !wanted[id]) {
        wanted[id] = new TextDecoder().decode(value.body);
      }
    }
  }
  return [wanted['2.5.4.3'], wanted['2.5.4.10']].filter(Boolean).join(', ');
}

/**
 * Imports a certificate's EC public key for ECDSA verification.
 * @param {Certificate} cert a certificate with an EC key.
 * @returns {Promise<CryptoKey>} the key.
 */
export function importKey(cert) {
  if (!cert.curve) {
    throw new Error('x509: key is not ECDSA P-256 or P-384');
  }
  return crypto.subtle.importKey('spki', cert.spki, { name: 'ECDSA', namedCurve: cert.curve }, false, ['verify']);
}

/**
 * Converts a DER ECDSA signature (SEQUENCE {r, s}) to raw r||s.
 * @param {Uint8Array} der the signature.
 * @param {string} curve "P-256" or "P-384".
 * @returns {Uint8Array} r||s, each the curve's size.
 */
export function derToRaw(der, curve) {
  const size = CURVE_BYTES[curve];
  const [r, s, extra] = children(expect(parseDER(der), 0x30, 'ecdsa signature'));
  if (!s || extra) {
    throw new Error('x509: ecdsa signature must hold exactly r and s');
  }
  const out = new Uint8Array(size * 2);
  out.set(unsignedFixed(r, size), 0);
  out.set(unsignedFixed(s, size), size);
  return out;
}

/**
 * Checks that issuer signed cert: names match and the ECDSA signature over
 * the TBS bytes verifies with the issuer's key.
 * @param {Certificate} cert the certificate.
 * @param {Certificate} issuer the candidate issuer.
 * @returns {Promise<boolean>} whether issuer signed cert.
 */
export async function signedBy(cert, issuer) {
  if (!sameBytes(cert.issuer, issuer.subject) || !cert.sigHash || !issuer.curve) {
    return false;
  }
  try {
    const key = await importKey(issuer);
    const raw = derToRaw(cert.signature, issuer.curve);
    return await crypto.subtle.verify({ name: 'ECDSA', hash: cert.sigHash }, key, raw, cert.tbs);
  } catch {
    return false;
  }
}

/**
 * Byte-wise equality.
 * @param {Uint8Array} a first.
 * @param {Uint8Array} b second.
 * @returns {boolean} whether a and b hold the same bytes.
 */
export function sameBytes(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
