/**
 * @file A small strict CBOR (RFC 8949) decoder for seals: definite lengths
 * only, integers within JavaScript's safe range, UTF-8 checked, duplicate
 * map keys and trailing bytes rejected, no floating point. It decodes
 * exactly what docs/proofs.md §2–§3 allow and refuses the rest.
 */

/** A CBOR tag with its content, e.g. COSE_Sign1's tag 18. */
export class Tagged {
  /**
   * @param {number} tag the tag number.
   * @param {*} value the tagged item.
   */
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

/** Nesting deeper than this is refused (a seal needs at most 4 levels). */
const MAX_DEPTH = 8;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one CBOR data item that must fill all of bytes.
 * Maps become `Map` objects (keys are numbers or strings), byte strings
 * `Uint8Array`, tags `Tagged`.
 * @param {Uint8Array} bytes encoded item.
 * @param {{tags?: boolean}} [options] tags: whether tags are allowed.
 * @returns {*} the decoded item.
 * @throws {Error} on malformed or disallowed input.
 */
export function decodeCBOR(bytes, options = {}) {
  const reader = new Reader(bytes, options.tags === true);
  const value = reader.item(0);
  if (reader.pos !== bytes.length) {
    throw new Error(`cbor: ${bytes.length - reader.pos} trailing bytes`);
  }
  return value;
}

/** Reader walks the input; each method consumes what it reads. */
class Reader {
  constructor(bytes, tags) {
    this.bytes = bytes;
    this.pos = 0;
    this.tags = tags;
  }

  byte() {
    if (this.pos >= this.bytes.length) {
      throw new Error('cbor: unexpected end of data');
    }
    return this.bytes[this.pos++];
  }

  take(n) {
    if (n > this.bytes.length - this.pos) {
      throw new Error('cbor: length runs past the end of data');
    }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads the argument of a head with additional information info. */
  argument(info) {
    if (info < 24) {
      return info;
    }
    if (info === 31) {
      throw new Error('cbor: indefinite lengths are not allowed');
    }
    if (info > 27) {
      throw new Error(`cbor: reserved additional information ${info}`);
    }
    let n = 0;
    for (const b of this.take(1 << (info - 24))) {
      n = n * 256 + b;
    }
    if (!Number.isSafeInteger(n)) {
      throw new Error('cbor: integer too large');
    }
    return n;
  }

  item(depth) {
    if (depth > MAX_DEPTH) {
      throw new Error('cbor: nested too deeply');
    }
    const head = this.byte();
    const major = head >> 5;
    const info = head & 0x1f;
    if (major === 7) {
      return simple(info);
    }
    const arg = this.argument(info);
    switch (major) {
      case 0:
        return arg;
      case 1:
        return -1 - arg;
      case 2:
        return this.take(arg).slice();
      case 3:
        try {
          return utf8.decode(this.take(arg));
        } catch {
          throw new Error('cbor: text string is not valid UTF-8');
        }
      case 4:
        return this.array(arg, depth);
      case 5:
        return this.map(arg, depth);
      default:
        if (!this.tags) {
          throw new Error('cbor: tags are not allowed here');
        }
        return new Tagged(arg, this.item(depth + 1));
    }
  }

  array(n, depth) {
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(this.item(depth + 1));
    }
    return out;
  }

  map(n, depth) {
    const out = new Map();
    for (let i = 0; i < n; i++) {
      const key = this.item(depth + 1);
      if (typeof key !== 'number' && typeof key !== 'string') {
        throw new Error('cbor: map keys must be integers or text');
      }
      if (out.has(key)) {
        throw new Error(`cbor: duplicate map key ${JSON.stringify(key)}`);
      }
      out.set(key, this.item(depth + 1));
    }
    return out;
  }
}

/** Major type 7: only false, true and null are part of a seal. */
function simple(info) {
  switch (info) {
    case 20:
      return false;
    case 21:
      return true;
    case 22:
      return null;
    default:
      throw new Error('cbor: floating point and simple values are not allowed');
  }
}

/**
 * Encodes the COSE Sig_structure ["Signature1", protected, h'', payload]
 * (RFC 9052 §4.4), the bytes an ES256 seal signature covers.
 * @param {Uint8Array} protectedBytes the protected header bstr as received.
 * @param {Uint8Array} payload the payload bstr.
 * @returns {Uint8Array} the CBOR encoding.
 */
export function sigStructure(protectedBytes, payload) {
  const context = new TextEncoder().encode('Signature1');
  const parts = [
    Uint8Array.of(0x84),
    head(3, context.length), context,
    head(2, protectedBytes.length), protectedBytes,
    head(2, 0),
    head(2, payload.length), payload,
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Shortest CBOR head for a major type and a length below 2^32. */
function head(major, n) {
  const m = major << 5;
  if (n < 24) return Uint8Array.of(m | n);
  if (n < 0x100) return Uint8Array.of(m | 24, n);
  if (n < 0x10000) return Uint8Array.of(m | 25, n >> 8, n & 0xff);
  return Uint8Array.of(m | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}
