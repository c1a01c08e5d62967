// Bytes of the demo project's data files and plot data. None of it is real data; it has to
// look plausible, stay small and be a pure function of its inputs, and the raw reviews carry
// enough signal for the demo's real (standard-library Python) pipeline to learn from.

import { Rng, round, sha256 } from './demoUtil';

// Review words by sentiment. Reviews mix neutral words with polar ones that mostly (not
// always) agree with the label, so the demo's real classifier lands around 0.85 accuracy.
const POSITIVE = ['great', 'love', 'fast', 'solid', 'recommend', 'sturdy'];
const NEGATIVE = ['poor', 'slow', 'broke', 'returned', 'cheap', 'refund'];
const NEUTRAL = ['battery', 'screen', 'price', 'delivery', 'case', 'charger'];

export function rawCsv(version: number): Buffer {
  const rng = new Rng(1000 + version);
  const rows = ['id,text,label'];
  for (let i = 0; i < 80 + version * 40; i++) {
    const label = rng.chance(0.55) ? 1 : 0;
    const words: string[] = [];
    for (let n = rng.int(3, 5); n > 0; n--) {
      const polar = rng.chance(0.8) === (label === 1) ? POSITIVE : NEGATIVE;
      words.push(rng.pick(rng.chance(0.4) ? NEUTRAL : polar));
    }
    // Some reviews start with a capital, which the later "lowercase" change folds together.
    if (rng.chance(0.5)) words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    rows.push(`${i},${words.join(' ')},${label}`);
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
