// The protobuf wire format (developers.google.com/protocol-buffers/docs/encoding), as much of
// it as the .wandb records need: we decode the fields we use by number and skip the rest, so
// fields added by newer wandb versions never break reading.

export class ProtoError extends Error {}

/** Wire types. */
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;

/** Reads one message's fields in order: `while (r.next()) switch (r.field) …`, skipping what it does not use. */
export class ProtoReader {
  field = 0;
  wire = 0;
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  next(): boolean {
    if (this.pos >= this.end) return false;
    const tag = this.readVarint();
    this.field = Math.floor(tag / 8);
    this.wire = tag & 7;
    if (this.field === 0) throw new ProtoError(`field number 0 at byte ${this.pos}`);
    return true;
  }

  /** A varint field (uint32/uint64/int64/bool/enum) up to 2^53 exactly; larger values lose precision, as in JSON. */
  varint(): number {
    if (this.wire !== VARINT) throw new ProtoError(`field ${this.field}: expected a varint, got wire type ${this.wire}`);
    return this.readVarint();
  }

  private readVarint(): number {
    const b = this.buf;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      const byte = b[this.pos++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  /** An int32 field: negative values are sign-extended to 10 bytes; the low 32 bits are the value. */
  int32(): number {
    if (this.wire !== VARINT) throw new ProtoError(`field ${this.field}: expected a varint, got wire type ${this.wire}`);
    const b = this.buf;
    let lo = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint');
      const byte = b[this.pos++];
      if (i < 5) lo |= (byte & 0x7f) << (7 * i);
      if (byte < 0x80) return lo | 0;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  bool(): boolean {
    return this.varint() !== 0;
  }

  double(): number {
    if (this.wire !== FIXED64 || this.pos + 8 > this.end) throw new ProtoError('bad double field');
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field: returns its start; `pos` moves past it. */
  lengthDelimited(): number {
    if (this.wire !== LEN) throw new ProtoError(`field ${this.field}: expected a length-delimited value, got wire type ${this.wire}`);
    const len = this.readVarint();
    const start = this.pos;
    if (start + len > this.end) throw new ProtoError(`field ${this.field}: length ${len} runs past the message`);
    this.pos = start + len;
    return start;
  }

  /** Enters a length-delimited field: returns where it ends, `pos` is where it starts. */
  lengthDelimitedEnd(): number {
    const start = this.lengthDelimited();
    const end = this.pos;
    this.pos = start;
    return end;
  }

  string(): string {
    const start = this.lengthDelimited();
    return this.buf.toString('utf8', start, this.pos);
  }

  message(): ProtoReader {
    const start = this.lengthDelimited();
    return new ProtoReader(this.buf, start, this.pos);
  }

  skip(): void {
    switch (this.wire) {
      case VARINT:
        this.readVarint();
        return;
      case FIXED64:
        this.pos += 8;
        break;
      case LEN:
        this.lengthDelimited();
        return;
      case FIXED32:
        this.pos += 4;
        break;
      default:
        throw new ProtoError(`field ${this.field}: unsupported wire type ${this.wire}`);
    }
    if (this.pos > this.end) throw new ProtoError(`field ${this.field}: runs past the message`);
  }
}

/** Builds one message; nested messages are written with `message(field, w => …)`. */
export class ProtoWriter {
  private parts: number[] = [];
  private bytes: Uint8Array[] = [];
  private size = 0;

  private flushParts(): void {
    if (this.parts.length > 0) {
      this.bytes.push(Uint8Array.from(this.parts));
      this.size += this.parts.length;
      this.parts = [];
    }
  }

  private rawVarint(v: number): void {
    if (v < 0) {
      // Negative int32/int64: 64-bit two's complement, always 10 bytes.
      let big = BigInt.asUintN(64, BigInt(Math.trunc(v)));
      while (big >= 0x80n) {
        this.parts.push(Number(big & 0x7fn) | 0x80);
        big >>= 7n;
      }
      this.parts.push(Number(big));
      return;
    }
    while (v >= 0x80) {
      this.parts.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.parts.push(v);
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  varint(field: number, v: number | boolean): this {
    this.tag(field, VARINT);
    this.rawVarint(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return this;
  }

  double(field: number, v: number): this {
    this.tag(field, FIXED64);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    for (const x of b) this.parts.push(x);
    return this;
  }

  bytesField(field: number, data: Uint8Array): this {
    this.tag(field, LEN);
    this.rawVarint(data.length);
    this.flushParts();
    this.bytes.push(data);
    this.size += data.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytesField(field, Buffer.from(s, 'utf8'));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Buffer {
    this.flushParts();
    return Buffer.concat(this.bytes, this.size);
  }
}
