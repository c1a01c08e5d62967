import { strict as assert } from 'node:assert';
import { classifyContent, decodeText, MAX_PARSE_BYTES } from '../../../src/core/formats/content';

describe('classifyContent', () => {
  it('treats plain UTF-8 as text', () => {
    assert.equal(classifyContent(new TextEncoder().encode('lr: 0.1\n')), 'text');
    assert.equal(classifyContent(new Uint8Array(0)), 'text');
  });

  it('flags a NUL byte in the first 8000 bytes as binary', () => {
    const bytes = new Uint8Array(9000).fill(65);
    bytes[7999] = 0;
    assert.equal(classifyContent(bytes), 'binary');
  });

  it('ignores a NUL byte after the sniff window', () => {
    const bytes = new Uint8Array(9000).fill(65);
    bytes[8000] = 0;
    assert.equal(classifyContent(bytes), 'text');
  });

  it('flags text over the size limit as too large', () => {
    const bytes = new Uint8Array(MAX_PARSE_BYTES + 1).fill(32);
    assert.equal(classifyContent(bytes), 'too-large');
    assert.equal(classifyContent(bytes.subarray(0, MAX_PARSE_BYTES)), 'text');
  });
});

describe('decodeText', () => {
  it('drops a UTF-8 BOM and keeps the rest', () => {
    assert.equal(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xbc])), 'aü');
  });
});
