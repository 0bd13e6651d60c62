import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { z } from 'zod';
import { issuesFromZod } from '../../config/validation-issues.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';

/**
 * Where a resumable command keeps how far it got: one JSON document, replaced whole (written beside it,
 * then renamed over it), so a crash or a kill leaves the previous state or the new one, never half.
 */
export class StateFile<T> {
  constructor(
    readonly path: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  /** The state saved by an earlier run; undefined when there is none. */
  async read(): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new LeadstreamError('validation_error', `${this.path} is not JSON: delete it to start over`);
    }
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) {
      const problems = issuesFromZod(parsed.error).map(({ path, message }) => `${path}: ${message}`);
      throw new LeadstreamError(
        'validation_error',
        `${this.path} is not a state this command wrote (${problems.join('; ')}): delete it to start over`,
      );
    }
    return parsed.data;
  }

  async write(state: T): Promise<void> {
    const next = `${this.path}.next`;
    await writeFile(next, `${JSON.stringify(state, null, 2)}\n`);
    await rename(next, this.path);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
