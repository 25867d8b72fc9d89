/**
 * @file A minimal DER reader: enough ASN.1 to walk an X.509 certificate.
 * Each element keeps its full encoding (`der`) and its contents (`body`),
 * because signatures cover encodings and names are compared byte for byte.
 */

/**
 * One DER element.
 * @typedef {{tag: number, der: Uint8Array, body: Uint8Array}} Element
 */

/**
 * Reads the single element that must fill bytes.
 * @param {Uint8Array} bytes a DER encoding.
 * @returns {Element} the element.
 * @throws {Error} on malformed input or trailing bytes.
 */
export function parseDER(bytes) {
  const [el, next] = readElement(bytes, 0);
  if (next !== bytes.length) {
    throw new Error('der: trailing bytes');
  }
  return el;
}

/**
 * Splits the contents of a constructed element into its children.
 * @param {Element} el a SEQUENCE, SET or constructed context tag.
 * @returns {Element[]} the children, in order.
 */
export function children(el) {
  if ((el.tag & 0x20) === 0) {
    throw new Error(`der: tag 0x${el.tag.toString(16)} is not constructed`);
  }
  const out = [];
  let pos = 0;
  while (pos < el.body.length) {
    const [child, next] = readElement(el.body, pos);
    out.push(child);
    pos = next;
  }
  return out;
}

/**
 * Reads one element at pos (single-byte tags only, definite lengths, no
 * leading zero length bytes).
 * @returns {[Element, number]} the element and the offset after it.
 */
function readElement(bytes, pos) {
  const start = pos;
  if (pos + 2 > bytes.length) {
    throw new Error('der: truncated element');
  }
  const tag = bytes[pos++];
  if ((tag & 0x1f) === 0x1f) {
    throw new Error('der: multi-byte tags are not supported');
  }
  let len = bytes[pos++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || pos + n > bytes.length || bytes[pos] === 0) {
      throw new Error('der: bad length');
    }
    len = 0;
    for (let i = 0; i < n; i++) {
      len = len * 256 + bytes[pos++];
    }
    if (len < 0x80) {
      throw new Error('der: length not minimally encoded');
    }
  }
  if (pos + len > bytes.length) {
    throw new Error('der: element runs past the end');
  }
  const el = { tag, der: bytes.subarray(start, pos + len), body: bytes.subarray(pos, pos + len) };
  return [el, pos + len];
}

/**
 * Requires el to carry tag.
 * @param {Element} el the element.
 * @param {number} tag the expected tag byte.
 * @param {string} what a name for the error message.
 * @returns {Element} el.
 */
export function expect(el, tag, what) {
  if (!el || el.tag !== tag) {
    throw new Error(`der: ${what} has the wrong type`);
  }
  return el;
}

/**
 * Decodes an OBJECT IDENTIFIER's contents as dotted text.
 * @param {Element} el an OID element (tag 0x06).
 * @returns {string} e.g. "1.2.840.10045.2.1".
 */
export function oid(el) {
  expect(el, 0x06, 'object identifier');
  const b = el.body;
  if (b.length === 0) {
    throw new Error('der: empty object identifier');
  }
  const arcs = [];
  let n = 0;
  for (const byte of b) {
    n = n * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(n);
      n = 0;
    }
  }
  const first = arcs[0] < 80 ? Math.floor(arcs[0] / 40) : 2;
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join('.');
}

/**
 * Decodes UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ).
 * @param {Element} el a time element.
 * @returns {number} epoch seconds.
 */
export function time(el) {
  const s = new TextDecoder().decode(el.body);
  let m;
  let year;
  if (el.tag === 0x17 && (m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    year = Number(m[1]) < 50 ? 2000 + Number(m[1]) : 1900 + Number(m[1]);
  } else if (el.tag === 0x18 && (m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    year = Number(m[1]);
  } else {
    throw new Error('der: bad time');
  }
  const [, , mo, d, h, mi, se] = m.map(Number);
  return Date.UTC(year, mo - 1, d, h, mi, se) / 1000;
}

/**
 * Returns the bytes of an INTEGER without sign padding, left-padded to size.
 * @param {Element} el an INTEGER element holding a positive value.
 * @param {number} size the byte length wanted (curve size).
 * @returns {Uint8Array} big-endian bytes of exactly size.
 */
export function unsignedFixed(el, size) {
  expect(el, 0x02, 'integer');
  let b = el.body;
  if (b.length === 0 || b[0] & 0x80) {
    throw new Error('der: integer is not positive');
  }
  while (b.length > 1 && b[0] === 0) {
    b = b.subarray(1);
  }
  if (b.length > size) {
    throw new Error('der: integer too large');
  }
  const out = new Uint8Array(size);
  out.set(b, size - b.length);
  return out;
}
