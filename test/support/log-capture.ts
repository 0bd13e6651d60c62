import { Writable } from 'node:stream';

export interface CapturedLog {
  /** A destination for createLogger. */
  stream: Writable;
  /** Every complete JSON line written so far, parsed (a line still being written is left out). */
  lines: () => Array<Record<string, unknown>>;
  /** Everything written so far, as written: for checking what must never appear. */
  text: () => string;
}

/** A destination for createLogger that keeps the JSON lines it is given. */
export function captureLogLines(): CapturedLog {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .slice(0, -1)
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line)),
  };
}
