/**
 * @file The file page (/verify/file): a chosen or dropped file is hashed
 * with SHA-256 on this device (WebCrypto) and only the hex digest is
 * submitted, as /verify/hash?sha256=<hex>. The file's bytes never leave the
 * browser: the file input has no name, so the form cannot send it.
 *
 * Markup it expects:
 *   <form id="file-form" action="/verify/hash" method="get">
 *     <div id="drop-zone"> … <input type="file" id="document-file"> … </div>
 *     <input name="sha256" id="sha256"> …
 *   </form>
 * While hashing, the drop zone carries data-state="hashing" (or "dragover"
 * while a file is dragged over it, "failed" when reading failed).
 */
import { t } from './i18n.js';

const form = document.getElementById('file-form');
const input = document.getElementById('document-file');
const zone = document.getElementById('drop-zone');
const digestField = document.getElementById('sha256');

if (form && input && digestField) {
  input.addEventListener('change', () => {
    if (input.files.length > 0) {
      submitHash(input.files[0]);
    }
  });
  if (zone) {
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.dataset.state = 'dragover';
    });
    zone.addEventListener('dragleave', () => delete zone.dataset.state);
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      delete zone.dataset.state;
      const file = e.dataTransfer?.files?.[0];
      if (file) {
        submitHash(file);
      }
    });
  }
}

/**
 * Computes SHA-256 of a file's bytes as lowercase hex.
 * @param {Blob} file the file.
 * @returns {Promise<string>} 64 hex digits.
 */
export async function sha256Hex(file) {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Hashes file, writes the digest into #sha256 and submits the form, with the
 * file input emptied first so that no browser could ever attach the file.
 * @param {File} file the chosen or dropped file.
 */
async function submitHash(file) {
  const status = statusLine();
  status.textContent = t('file.hashing', { name: file.name });
  if (zone) {
    zone.dataset.state = 'hashing';
  }
  try {
    digestField.value = await sha256Hex(file);
  } catch {
    if (zone) {
      zone.dataset.state = 'failed';
    }
    status.textContent = t('file.failed');
    return;
  }
  input.value = '';
  form.requestSubmit();
}

/** The form's live status line, created once (id file-status). */
function statusLine() {
  let p = document.getElementById('file-status');
  if (!p) {
    p = document.createElement('p');
    p.id = 'file-status';
    p.setAttribute('role', 'status');
    form.append(p);
  }
  return p;
}
