import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LeadstreamError } from '../errors/leadstream-error.js';
import { referenceToResolve, type SecretResolver } from './secret-resolver.js';

/**
 * Resolves a reference to the file `<dir>/<secret name>`, the layout of a Kubernetes Secret mounted
 * as a volume. Trailing newlines are dropped: `kubectl create secret --from-file` keeps them.
 */
export class FileSecretResolver implements SecretResolver {
  constructor(private readonly directory: string) {}

  async resolve(reference: string): Promise<string> {
    const parsed = referenceToResolve(reference);
    if (!parsed) return reference;
    const path = join(this.directory, parsed.name);
    try {
      return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      throw new LeadstreamError('secret_error', `secret ${parsed.name} not found in ${this.directory}`, {
        details: { secret: parsed.name },
        cause: error,
      });
    }
  }
}
