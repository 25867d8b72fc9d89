/**
 * @file Strict RFC 9285 Base45 decoding, as docs/proofs.md §1 requires of a
 * seal verifier: characters outside the alphabet, a length of 3k+1, a triple
 * above 65535 and a final pair above 255 are all rejected, so every text has
 * at most one meaning.
 */

/** The QR alphanumeric alphabet in value order (0–44). */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/**
 * Decodes Base45 text into bytes.
 * @param {string} text Base45 characters (no prefix).
 * @returns {Uint8Array} the decoded bytes.
 * @throws {Error} on any violation of the strict rules above.
 */
export function base45Decode(text) {
  if (text.length % 3 === 1) {
    throw new Error(`base45: invalid length ${text.length}`);
  }
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const end = Math.min(i + 3, text.length);
    let n = 0;
    let weight = 1;
    for (let j = i; j < end; j++) {
      const v = ALPHABET.indexOf(text[j]);
      if (v < 0) {
        throw new Error(`base45: invalid character at offset ${j}`);
      }
      n += v * weight;
      weight *= 45;
    }
    if (end - i === 3) {
      if (n > 0xffff) {
        throw new Error(`base45: group at offset ${i} overflows two bytes`);
      }
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      if (n > 0xff) {
        throw new Error(`base45: final group at offset ${i} overflows one byte`);
      }
      out[o++] = n;
    }
  }
  return out;
}
