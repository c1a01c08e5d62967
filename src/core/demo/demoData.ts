// Bytes of the demo project's data files and plot data. None of it is real data; it only
// has to look plausible, stay small, and be a pure function of its inputs.

import { Rng, round, sha256 } from './demoUtil';

const WORDS = ['great', 'poor', 'battery', 'screen', 'fast', 'slow', 'love', 'broke', 'cheap', 'solid', 'returned', 'recommend'];

/** Deterministic pseudo-content for a generated artifact, keyed by what produced it. */
export function blob(key: string, size: number): Buffer {
  const rng = new Rng(parseInt(sha256(key).slice(0, 8), 16));
  const buf = Buffer.alloc(size);
  buf[0] = 0x80; // pickle protocol marker, so the files look like what the scripts write
  buf[1] = 0x04;
  for (let i = 2; i < size; i++) {
    buf[i] = Math.floor(rng.next() * 256);
  }
  return buf;
}

export function rawCsv(version: number): Buffer {
  const rng = new Rng(1000 + version);
  const rows = ['id,text,label'];
  for (let i = 0; i < 80 + version * 40; i++) {
    const text = [rng.pick(WORDS), rng.pick(WORDS), rng.pick(WORDS)].join(' ');
    rows.push(`${i},${text},${rng.chance(0.55) ? 1 : 0}`);
  }
  return Buffer.from(rows.join('\n') + '\n');
}

export function splitRows(raw: Buffer, key: string, testShare: number): Map<string, Buffer> {
  const rng = new Rng(parseInt(sha256(key).slice(0, 8), 16));
  const [header, ...rows] = raw.toString('utf8').trimEnd().split('\n');
  const train = [header];
  const test = [header];
  for (const r of rows) {
    (rng.next() < testShare ? test : train).push(r);
  }
  return new Map([
    ['test.csv', Buffer.from(test.join('\n') + '\n')],
    ['train.csv', Buffer.from(train.join('\n') + '\n')],
  ]);
}

export function rocCsv(auc: number): string {
  // tpr = fpr^k has area 1/(k+1); choosing k from the AUC keeps the plot consistent with it.
  const k = 1 / auc - 1;
  const rows = ['fpr,tpr,threshold'];
  for (let i = 0; i <= 20; i++) {
    const fpr = i / 20;
    rows.push(`${round(fpr, 3)},${round(Math.pow(fpr, k), 4)},${round(1 - fpr, 3)}`);
  }
  return rows.join('\n') + '\n';
}

export function confusionCsv(accuracy: number, rng: Rng): string {
  const rows = ['actual,predicted'];
  for (let i = 0; i < 60; i++) {
    const actual = rng.chance(0.55) ? 'positive' : 'negative';
    const flip = rng.next() > accuracy;
    rows.push(`${actual},${flip ? (actual === 'positive' ? 'negative' : 'positive') : actual}`);
  }
  return rows.join('\n') + '\n';
}
