import type { ConfigIssue } from '../config/validation-issues.js';
import { LeadstreamError } from '../errors/leadstream-error.js';

/**
 * Collects what is wrong (errors) and what may not mean what the admin thinks (warnings) while a
 * tenant's mapping compiles, each at its JSON path, so every problem is reported at once.
 */
export class MappingIssues {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  /** Runs a compile step, recording its configuration error at `path` instead of stopping at the first. */
  attempt<T>(path: string, step: () => T): T | undefined {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof LeadstreamError)) throw error;
      this.error(path, error.message);
      return undefined;
    }
  }
}
