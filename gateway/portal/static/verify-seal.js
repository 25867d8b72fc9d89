/**
 * @file The seal page (/verify#<seal>): checks the seal in the fragment in
 * this browser (docs/proofs.md §5 and §10), shows each check as a step and
 * the outcome as a verdict, and asks the portal only for the live status of
 * (issuer MSP ID, document id). The seal's key facts are shown on the page
 * and never sent anywhere; the fragment itself never reaches the server.
 *
 * Markup it expects (the portal's /verify page):
 *   <section id="seal" data-trust-list="/trust-list.json" data-status="/api/v1/status">
 *     <ol id="seal-steps"></ol>
 *     <p id="seal-verdict" role="status" aria-live="polite"></p>
 *   </section>
 * It writes <li data-step data-ok> steps, data-verdict and data-reason on
 * the verdict, and a <div id="seal-facts"> after the verdict.
 */
import { formatTime, t } from './i18n.js';
import { verifySeal } from './seal.js';
import { decide, getJSON, liveStatus, offlineVerdict } from './status.js';
import { parseTrustList } from './trust.js';

const section = document.getElementById('seal');
let runs = 0;

/** Runs run, and never leaves the page without a verdict if it fails. */
function safeRun() {
  run().catch((e) => {
    console.error('seal check failed:', e);
    const el = document.getElementById('seal-verdict');
    el.dataset.verdict = 'unavailable';
    el.textContent = t('verdict.unavailable');
  });
}

/** Verifies the seal in location.hash and renders the outcome. */
async function run() {
  const id = ++runs;
  const view = new View(section);
  view.reset();
  const fragment = location.hash.slice(1);
  if (fragment === '') {
    return;
  }
  let text;
  try {
    text = 'CL1:' + decodeURIComponent(fragment);
  } catch {
    view.step('format', false, {}, 'fragment is not valid percent-encoding');
    view.verdict('malformed', 'bad-encoding');
    return;
  }
  let trust;
  try {
    const res = await getJSON(section.dataset.trustList);
    if (res.status !== 200) {
      throw new Error(`trust list: HTTP ${res.status}`);
    }
    trust = parseTrustList(res.body);
  } catch (e) {
    if (id === runs) {
      view.step('trust', false, {}, e.message);
      view.verdict('unavailable', '');
    }
    return;
  }
  let result;
  try {
    result = await verifySeal(text, trust, Math.floor(Date.now() / 1000));
  } catch (e) {
    // Every known failure is a reason code; anything else is input no check foresaw.
    result = { reason: 'bad-encoding', steps: [{ step: 'format', ok: false, detail: e.message }] };
  }
  if (id !== runs) {
    return;
  }
  const admin = result.claims ? trust.get(result.claims.issuer) : undefined;
  for (const s of result.steps) {
    const params = { detail: s.detail, name: admin?.name, msp: result.claims?.issuer };
    view.step(s.step, s.ok, params, s.ok ? '' : s.detail);
  }
  if (!result.claims) {
    const others = result.steps.at(-1)?.detail;
    view.verdict(offlineVerdict(result.reason), result.reason, { msp: result.claimedIssuer, others });
    return;
  }
  const claims = result.claims;
  view.facts(claims, admin);
  const live = await liveStatus(section.dataset.status, claims);
  if (id !== runs) {
    return;
  }
  const record = live.record ?? {};
  if (live.kind !== 'unavailable') {
    const ok = live.kind === 'found' && record.status === 'valid';
    view.step('ledger', ok, { status: live.kind === 'found' ? record.status : 'unknown' });
    view.ledgerFacts(record);
  }
  const verdict = decide(result.reason, live);
  view.verdict(verdict, result.reason, {
    name: admin?.name ?? claims.issuer,
    msp: claims.issuer,
    date: dateFor(verdict, claims, record),
    reason: record.revocationReason || t('unknown.reason'),
    by: record.supersededBy ?? '',
  });
}

/** The date a verdict sentence shows. */
function dateFor(verdict, claims, record) {
  switch (verdict) {
    case 'revoked':
      return record.revokedAt ? formatTime(toSeconds(record.revokedAt)) : '';
    case 'expired':
      return claims.validUntil ? formatTime(claims.validUntil) : '';
    case 'not-yet-valid':
      return formatTime(claims.validFrom);
    default:
      return '';
  }
}

/** Epoch seconds from a number of seconds or an RFC 3339 string. */
function toSeconds(v) {
  return typeof v === 'number' ? v : Math.floor(Date.parse(v) / 1000);
}

/** View writes the steps, verdict and facts into the seal section. */
class View {
  constructor(root) {
    this.steps = root.querySelector('#seal-steps');
    this.verdictEl = root.querySelector('#seal-verdict');
    this.root = root;
  }

  reset() {
    this.steps.replaceChildren();
    this.verdictEl.textContent = '';
    delete this.verdictEl.dataset.verdict;
    delete this.verdictEl.dataset.reason;
    this.root.querySelector('#seal-facts')?.remove();
  }

  /** Adds `<li data-step data-ok>` with the step's sentence. */
  step(name, ok, params = {}, detail = '') {
    const li = document.createElement('li');
    li.dataset.step = name;
    li.dataset.ok = String(ok);
    if (detail) {
      li.dataset.detail = detail;
    }
    li.textContent = t(`step.${name}.${ok ? 'ok' : 'fail'}`, params);
    this.steps.append(li);
  }

  /** Sets data-verdict, data-reason (the §5 code) and the sentence. */
  verdict(verdict, reason, params = {}) {
    this.verdictEl.dataset.verdict = verdict;
    this.verdictEl.dataset.reason = reason;
    this.verdictEl.textContent = t(`verdict.${verdict}`, params);
  }

  /** Shows the authenticated claims after the verdict, as a definition list. */
  facts(claims, admin) {
    const box = document.createElement('div');
    box.id = 'seal-facts';
    const caption = document.createElement('p');
    caption.textContent = t('facts.caption');
    this.list = document.createElement('dl');
    box.append(caption, this.list);
    this.verdictEl.after(box);
    this.fact(t('fact.issuer'), admin ? `${admin.name} (${claims.issuer})` : claims.issuer);
    this.fact(t('fact.id'), claims.id);
    this.fact(t('fact.type'), claims.type);
    for (const [k, v] of claims.facts) {
      this.fact(k, v);
    }
    this.fact(t('fact.validFrom'), formatTime(claims.validFrom));
    if (claims.validUntil !== undefined) {
      this.fact(t('fact.validUntil'), formatTime(claims.validUntil));
    }
    this.fact(t('fact.issuedAt'), formatTime(claims.issuedAt));
    this.fact(t('fact.sha256'), claims.sha256, 'hash');
  }

  /** Adds the block and transaction that prove the ledger's status. */
  ledgerFacts(record) {
    if (record.block !== undefined && record.block !== null) {
      this.fact(t('fact.block'), String(record.block));
    }
    if (record.txId) {
      this.fact(t('fact.txId'), record.txId, 'hash');
    }
  }

  fact(term, value, className) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (className) {
      dd.className = className;
    }
    this.list.append(dt, dd);
  }
}

// Last, so that every declaration above is initialised before the first run.
if (section) {
  safeRun();
  window.addEventListener('hashchange', safeRun);
}
