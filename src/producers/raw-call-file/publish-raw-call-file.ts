import { z } from 'zod';
import type { LeadstreamError } from '../../errors/leadstream-error.js';
import type { RawCall } from '../../events/raw-call.js';
import { readRawCallLines } from '../../events/raw-call-lines.js';
import type { RawCallPublisher } from '../raw-call-publisher.js';
import { publishWindow } from '../resume/publish-window.js';
import { StateFile } from '../resume/state-file.js';

/** What `FILE.progress` holds: how far a publish of that file, as it then was, got. */
export const fileProgressSchema = z.object({
  file: z.string(),
  /** The file's digest when the publish began: a changed file is not resumed. */
  digest: z.string(),
  tenant_id: z.string(),
  topic: z.string(),
  /** Every record up to this line (1-based) was acknowledged by Kafka; 0 before the first. */
  last_line: z.number().int().nonnegative(),
  published: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  done: z.boolean(),
});
export type FileProgress = z.infer<typeof fileProgressSchema>;

export function fileProgressFor(path: string): StateFile<FileProgress> {
  return new StateFile(path, fileProgressSchema);
}

/** Calls sent together; the producer's own group is 500 records. */
const DEFAULT_WINDOW = 500;

export interface PublishFileOptions {
  file: string;
  publisher: RawCallPublisher;
  progress: StateFile<FileProgress>;
  /** Where this publish starts: a fresh state, or the one an interrupted run left. */
  from: FileProgress;
  maxRecordBytes: number;
  /** Aborted (SIGINT): the window in flight is finished and recorded, nothing more is sent. */
  signal?: AbortSignal;
  window?: number;
  onProgress?: (published: number) => void;
}

export interface PublishFileResult {
  state: FileProgress;
  /** Published by this run. */
  published: number;
  interrupted: boolean;
  /** The write Kafka did not acknowledge; the state names the last line before it. */
  error: LeadstreamError | undefined;
}

/**
 * Publishes the records of a file already checked whole (checkRawCallFile) from the line after
 * `from.last_line`, a window at a time, recording after each window the last line up to which every
 * record was acknowledged. An interrupted or failed run is resumed from there, so a record is sent
 * twice only when the process dies between Kafka's acknowledgement and the state's write (a window at
 * most), and downstream takes that one for a redelivery of its idempotency key.
 */
export async function publishRawCallFile(options: PublishFileOptions): Promise<PublishFileResult> {
  const size = options.window ?? DEFAULT_WINDOW;
  let state = options.from;
  let published = 0;
  let window: Array<{ line: number; call: RawCall }> = [];

  const flush = async (): Promise<LeadstreamError | undefined> => {
    if (window.length === 0) return undefined;
    const { acknowledged, error } = await publishWindow(
      options.publisher,
      window.map(({ call }) => call),
    );
    const lastDone = acknowledged > 0 ? window[acknowledged - 1]?.line : undefined;
    // A failed window's lines after the last acknowledged one are sent again by the next run.
    const lastLine =
      error === undefined ? (window.at(-1)?.line ?? state.last_line) : (lastDone ?? state.last_line);
    state = { ...state, last_line: lastLine, published: state.published + acknowledged };
    published += acknowledged;
    window = [];
    await options.progress.write(state);
    options.onProgress?.(state.published);
    return error;
  };

  for await (const read of readRawCallLines(
    options.file,
    options.maxRecordBytes,
    undefined,
    state.last_line,
  )) {
    if (options.signal?.aborted) break;
    // The file was checked whole before; a line invalid now means it changed under the publish.
    if (!('call' in read)) {
      throw new Error(`${options.file} changed while it was published: line ${read.line} is no longer valid`);
    }
    window.push({ line: read.line, call: read.call });
    if (window.length >= size) {
      const error = await flush();
      if (error) return { state, published, interrupted: false, error };
    }
  }
  const interrupted = options.signal?.aborted === true;
  const error = await flush();
  if (error) return { state, published, interrupted, error };
  if (!interrupted) {
    state = { ...state, done: true };
    await options.progress.write(state);
  }
  return { state, published, interrupted, error: undefined };
}
