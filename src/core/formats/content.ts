// Decides whether a blob is worth handing to a text parser at all. Git history holds model
// weights and archives next to params files; parsing those would waste time and memory.

export const MAX_PARSE_BYTES = 16 * 1024 * 1024;

/** Same window Git uses for its own binary heuristic, so both agree on what is text. */
const SNIFF_BYTES = 8000;

/** 'binary' when the first 8000 bytes contain a NUL byte; 'too-large' when over MAX_PARSE_BYTES. */
export function classifyContent(bytes: Uint8Array): 'text' | 'binary' | 'too-large' {
  // Binary is checked first: it is the more useful answer for a huge weights file and costs
  // only the sniff window.
  const end = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < end; i++) {
    if (bytes[i] === 0) {
      return 'binary';
    }
  }
  return bytes.length > MAX_PARSE_BYTES ? 'too-large' : 'text';
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/**
 * UTF-8 text of a blob, with a leading BOM removed and invalid sequences replaced by U+FFFD.
 * Editors on Windows add BOMs to YAML/JSON; the parsers should not see them.
 */
export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
