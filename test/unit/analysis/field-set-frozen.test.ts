import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BLIND_DIRECTORY,
  BLIND_FILE,
  BLIND2_DIRECTORY,
  BLIND2_FILE,
  BLIND3_DIRECTORY,
  BLIND3_FILE,
  FIELD_DIRECTORY,
  FIELD_HELD_OUT_FILE,
  FRESH_DIRECTORY,
  FRESH_FILE,
  TRAIN_FILE,
  TRAIN_SETS,
  trainDirectory,
} from './labelled-cases.js';

/**
 * The blind sets' held-out files are frozen: no rule is tuned on them, and they are not edited either,
 * so that their scores stay comparable from one change of the analyzer to the next. The fresh and blind
 * and second blind sets are dev since each was scored blind once, but their cases stay as they were labelled all the same. Each set's
 * FROZEN.sha256 (in `sha256sum` format, `sha256sum -c FROZEN.sha256` checks it too) holds each file's
 * hash; the cases themselves are never read here.
 */
function frozen(directory: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readFileSync(join(directory, 'FROZEN.sha256'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const match = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line);
    if (!match?.[1] || !match[2]) throw new Error(`FROZEN.sha256: not "<sha256>  <file>": ${line}`);
    entries.set(match[2], match[1]);
  }
  return entries;
}

const sha256 = (directory: string, file: string) =>
  createHash('sha256')
    .update(readFileSync(join(directory, file)))
    .digest('hex');

describe.each([
  { name: 'the held-out half of the field set', directory: FIELD_DIRECTORY, heldOut: FIELD_HELD_OUT_FILE },
  { name: 'the fresh set, dev since scored', directory: FRESH_DIRECTORY, heldOut: FRESH_FILE },
  { name: 'the blind set, dev since scored', directory: BLIND_DIRECTORY, heldOut: BLIND_FILE },
  { name: 'the second blind set, dev since scored', directory: BLIND2_DIRECTORY, heldOut: BLIND2_FILE },
  { name: 'the blind3 set', directory: BLIND3_DIRECTORY, heldOut: BLIND3_FILE },
  ...TRAIN_SETS.map((set) => ({
    name: `the ${set} set, dev`,
    directory: trainDirectory(set),
    heldOut: TRAIN_FILE,
  })),
])('$name ($directory) is frozen', ({ directory, heldOut }) => {
  const manifest = frozen(directory);

  it('lists the held-out files', () => {
    expect(manifest.size).toBeGreaterThan(0);
    for (const file of manifest.keys()) expect(file).toMatch(heldOut);
  });

  it.each([...manifest])('%s is present and unchanged', (file, hash) => {
    expect(existsSync(join(directory, file)), `${file} was removed`).toBe(true);
    expect(sha256(directory, file), `${file} changed since it was frozen`).toBe(hash);
  });

  it('has no held-out file that is not frozen', () => {
    const files = readdirSync(directory).filter((file) => heldOut.test(file));
    expect(files.filter((file) => !manifest.has(file))).toEqual([]);
  });
});
