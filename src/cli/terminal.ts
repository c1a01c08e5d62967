// Repository text (metric names, commit subjects, stage names, run tags, file paths) reaches a
// terminal that obeys escape sequences: `ESC]0;…` retitles the window, `ESC[2J` clears it, a
// lone CR overwrites what was printed. Human-readable output therefore shows each control
// character as a visible `\xNN` escape: C0 except tab and newline, DEL, and C1 (U+0080–U+009F,
// which some terminals read as 8-bit CSI/OSC). The guard sits on the process's streams, so
// no command can forget it. Two things stay exact: `--json` output on stdout
// (JSON.stringify already escapes C0; DEL and C1 are valid JSON text and a consumer wants the
// real string), and the output of a stage's own command during `lineage repro` (writeRaw).

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** `a\x1b]0;x\x07b` for a string holding ESC and BEL; idempotent (the escape is printable). */
export function terminalText(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

type Write = (chunk: unknown, ...rest: unknown[]) => boolean;
const rawWrites = new Map<NodeJS.WriteStream, Write>();

function guard(stream: NodeJS.WriteStream): void {
  if (rawWrites.has(stream)) return;
  const write = stream.write.bind(stream) as Write;
  rawWrites.set(stream, write);
  // Strings only: the CLI writes text; a Buffer is passed on untouched.
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? terminalText(chunk) : chunk, ...rest)) as NodeJS.WriteStream['write'];
}

/**
 * Installed once by the CLI's entry point (not by main(), which tests call in-process next to
 * mocha's own coloured output). stderr is always guarded: warnings quote repository text
 * even under --json.
 */
export function guardTerminalOutput(options: { json: boolean }): void {
  if (!options.json) guard(process.stdout);
  guard(process.stderr);
}

/** Bytes that must reach the terminal as they are: a stage command's own stdout/stderr. */
export function writeRaw(stream: NodeJS.WriteStream, text: string): boolean {
  return (rawWrites.get(stream) ?? (stream.write.bind(stream) as Write))(text);
}
