import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_DIRECTORY, FIELD_HELD_OUT_FILE } from './labelled-cases.js';

/**
 * The field set's held-out files are frozen: no rule is tuned on them, and they are not edited either,
 * so that their scores stay comparable from one change of the analyzer to the next. FROZEN.sha256 (in
 * `sha256sum` format, `sha256sum -c FROZEN.sha256` checks it too) holds each one's hash; the cases
 * themselves are never read here.
 */
const MANIFEST = join(FIELD_DIRECTORY, 'FROZEN.sha256');

function frozen(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readFileSync(MANIFEST, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const match = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line);
    if (!match?.[1] || !match[2]) throw new Error(`FROZEN.sha256: not "<sha256>  <file>": ${line}`);
    entries.set(match[2], match[1]);
  }
  return entries;
}

const sha256 = (file: string) =>
  createHash('sha256')
    .update(readFileSync(join(FIELD_DIRECTORY, file)))
    .digest('hex');

describe('the frozen held-out half of the field set (test/fixtures/analysis-field)', () => {
  const manifest = frozen();

  it('lists the held-out files', () => {
    expect(manifest.size).toBeGreaterThan(0);
    for (const file of manifest.keys()) expect(file).toMatch(FIELD_HELD_OUT_FILE);
  });

  it.each([...manifest])('%s is present and unchanged', (file, hash) => {
    expect(existsSync(join(FIELD_DIRECTORY, file)), `${file} was removed`).toBe(true);
    expect(sha256(file), `${file} changed since it was frozen`).toBe(hash);
  });

  it('has no held-out file that is not frozen', () => {
    const heldOut = readdirSync(FIELD_DIRECTORY).filter((file) => FIELD_HELD_OUT_FILE.test(file));
    expect(heldOut.filter((file) => !manifest.has(file))).toEqual([]);
  });
});
