/**
 * @file The two requests the seal page makes, both to the portal itself:
 * the trust list, and the live status of one document, for which only the
 * issuer MSP ID and the document id leave the browser.
 */

/** Each request gives up after this long, and the page says "unavailable". */
const TIMEOUT_MS = 10000;

/** A GET that fails to arrive (network error, timeout) is tried this many times; a repeat is harmless. */
const ATTEMPTS = 2;

/**
 * Fetches JSON from the portal, trying once more if the request fails to
 * arrive (an HTTP error status is an answer and is not retried).
 * @param {string} url same-origin URL.
 * @returns {Promise<{status: number, body: *}>} the HTTP status and parsed body.
 * @throws {Error} when the server cannot be reached or the body is not JSON.
 */
export async function getJSON(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await getOnce(url);
    } catch (e) {
      if (attempt >= ATTEMPTS) {
        throw new Error(`GET ${url}: ${e.message}`);
      }
    }
  }
}

async function getOnce(url) {
  const res = await fetch(url, {
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    headers: { Accept: 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * The ledger's word on a sealed document.
 * @typedef {object} LiveStatus
 * @property {'found'|'unknown'|'unavailable'} kind found: the ledger has the
 *   document with the sealed SHA-256; unknown: no such document, or one with
 *   another SHA-256; unavailable: the status could not be had.
 * @property {object} [record] the status response when kind is "found".
 */

/**
 * Asks `<endpoint>?issuer=<MSP>&id=<id>` for a document's live status, and
 * accepts it only if it carries the sealed SHA-256.
 * @param {string} endpoint the seal section's data-status.
 * @param {import('./seal.js').Claims} claims the authenticated claims.
 * @returns {Promise<LiveStatus>} the outcome.
 */
export async function liveStatus(endpoint, claims) {
  const url = new URL(endpoint, location.href);
  url.search = new URLSearchParams({ issuer: claims.issuer, id: claims.id }).toString();
  let res;
  try {
    res = await getJSON(url.href);
  } catch {
    return { kind: 'unavailable' };
  }
  if (res.status === 404) {
    return { kind: 'unknown' };
  }
  const record = res.body;
  if (res.status !== 200 || !record || typeof record.status !== 'string') {
    return { kind: 'unavailable' };
  }
  if (typeof record.sha256 !== 'string' || record.sha256.toLowerCase() !== claims.sha256) {
    return { kind: 'unknown', record };
  }
  return { kind: 'found', record };
}

/** The status API's values and the page verdicts they give. */
const STATUS_VERDICTS = {
  valid: 'valid',
  revoked: 'revoked',
  superseded: 'superseded',
  expired: 'expired',
  notYetValid: 'not-yet-valid',
};

/**
 * Combines the offline result (§5 reason, claims authenticated) with the
 * live status into the page verdict. A revocation or replacement on the
 * ledger outranks the seal's own window; the seal's window outranks the
 * ledger's "valid"; a status that cannot be had leaves "unavailable" unless
 * the seal is already out of its window.
 * @param {string} reason "ok", "expired" or "not-yet-valid".
 * @param {LiveStatus} live the live status.
 * @returns {string} a data-verdict value.
 */
export function decide(reason, live) {
  const offline = reason === 'ok' ? undefined : reason;
  if (live.kind === 'unavailable') {
    return offline ?? 'unavailable';
  }
  if (live.kind === 'unknown') {
    return 'unknown';
  }
  const status = STATUS_VERDICTS[live.record.status];
  if (status === 'revoked' || status === 'superseded') {
    return status;
  }
  return offline ?? status ?? 'unavailable';
}

/**
 * The verdict for a seal refused offline, from its §5 reason.
 * @param {string} reason a reason code other than ok/expired/not-yet-valid.
 * @returns {string} a data-verdict value.
 */
export function offlineVerdict(reason) {
  switch (reason) {
    case 'bad-prefix':
    case 'bad-encoding':
      return 'malformed';
    case 'unknown-issuer':
    case 'issuer-mismatch':
      return reason;
    default:
      return 'tampered'; // bad-header, bad-certificate, bad-signature, bad-claims
  }
}
