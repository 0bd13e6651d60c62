import { LeadstreamError } from '../errors/leadstream-error.js';
import { referenceToResolve, type SecretResolver } from './secret-resolver.js';

/**
 * Resolves `secret:projects/P/secrets/hubspot-token-tenant-acme/versions/latest` from the environment
 * variable `LEADSTREAM_SECRET_HUBSPOT_TOKEN_TENANT_ACME`: for local runs and plain container setups.
 * A value that is not a reference is returned as written.
 */
export class EnvSecretResolver implements SecretResolver {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  static variableFor(secretName: string): string {
    return `LEADSTREAM_SECRET_${secretName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  }

  async resolve(reference: string): Promise<string> {
    const parsed = referenceToResolve(reference);
    if (!parsed) return reference;
    const variable = EnvSecretResolver.variableFor(parsed.name);
    const value = this.env[variable];
    if (value === undefined || value === '') {
      throw new LeadstreamError('secret_error', `secret ${parsed.name} is not set: define ${variable}`, {
        details: { secret: parsed.name },
      });
    }
    return value;
  }
}
