// A Python pickle writer (protocol 4) for plain data: None, bools, ints, floats, strings,
// tuples, lists and dicts. The demo writes its cached features and models with it, so the
// files in the workspace and .dvc/cache load in the demo's Python scripts.

/** A float that Python must see as float even when it is integral (1.0, not 1). */
export class PyFloat {
  constructor(readonly value: number) {}
}

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export type PyValue = null | boolean | number | string | PyFloat | PyTuple | PyValue[] | { [key: string]: PyValue };

// Opcodes (Lib/pickle.py).
const PROTO = 0x80,
  STOP = 0x2e,
  NONE = 0x4e,
  NEWTRUE = 0x88,
  NEWFALSE = 0x89;
const BININT1 = 0x4b,
  BININT2 = 0x4d,
  BININT = 0x4a,
  BINFLOAT = 0x47;
const SHORT_BINUNICODE = 0x8c,
  BINUNICODE = 0x58;
const MARK = 0x28,
  EMPTY_TUPLE = 0x29,
  TUPLE = 0x74,
  TUPLE1 = 0x85,
  TUPLE2 = 0x86,
  TUPLE3 = 0x87;
const EMPTY_LIST = 0x5d,
  APPENDS = 0x65,
  EMPTY_DICT = 0x7d,
  SETITEMS = 0x75;

/** Appends bytes to a buffer that grows by doubling. */
class ByteWriter {
  private buf = Buffer.alloc(4096);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  byte(...bytes: number[]): void {
    this.room(bytes.length);
    for (const b of bytes) this.buf[this.len++] = b;
  }

  float64BE(x: number): void {
    this.room(8);
    this.len = this.buf.writeDoubleBE(x, this.len);
  }

  int32LE(x: number): void {
    this.room(4);
    this.len = this.buf.writeInt32LE(x, this.len);
  }

  uint32LE(x: number): void {
    this.room(4);
    this.len = this.buf.writeUInt32LE(x, this.len);
  }

  utf8(text: string, length: number): void {
    this.room(length);
    this.len += this.buf.write(text, this.len, 'utf8');
  }

  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

/** pickle.dumps(value, protocol=4) without memo or framing (both optional for loading). */
export function pickleDumps(value: PyValue): Buffer {
  const out = new ByteWriter();
  const write = (v: PyValue): void => {
    if (v === null) out.byte(NONE);
    else if (typeof v === 'boolean') out.byte(v ? NEWTRUE : NEWFALSE);
    else if (typeof v === 'number') Number.isInteger(v) ? int(v) : float(v);
    else if (v instanceof PyFloat) float(v.value);
    else if (typeof v === 'string') {
      const n = Buffer.byteLength(v, 'utf8');
      if (n < 0x100) out.byte(SHORT_BINUNICODE, n);
      else {
        out.byte(BINUNICODE);
        out.uint32LE(n);
      }
      out.utf8(v, n);
    } else if (v instanceof PyTuple) {
      const n = v.items.length;
      if (n === 0) return out.byte(EMPTY_TUPLE);
      if (n > 3) out.byte(MARK);
      v.items.forEach(write);
      out.byte(n === 1 ? TUPLE1 : n === 2 ? TUPLE2 : n === 3 ? TUPLE3 : TUPLE);
    } else if (Array.isArray(v)) {
      out.byte(EMPTY_LIST);
      if (v.length === 0) return;
      out.byte(MARK);
      v.forEach(write);
      out.byte(APPENDS);
    } else {
      out.byte(EMPTY_DICT);
      const entries = Object.entries(v);
      if (entries.length === 0) return;
      out.byte(MARK);
      for (const [key, item] of entries) {
        write(key);
        write(item);
      }
      out.byte(SETITEMS);
    }
  };
  const float = (x: number): void => {
    out.byte(BINFLOAT);
    out.float64BE(x);
  };
  const int = (x: number): void => {
    if (x >= 0 && x < 0x100) out.byte(BININT1, x);
    else if (x >= 0 && x < 0x10000) out.byte(BININT2, x & 0xff, x >> 8);
    else if (x >= -0x80000000 && x < 0x80000000) {
      out.byte(BININT);
      out.int32LE(x);
    } else throw new Error(`pickle: integer ${x} is out of the supported range`);
  };
  out.byte(PROTO, 4);
  write(value);
  out.byte(STOP);
  return out.done();
}
