import { LeadstreamError } from '../errors/leadstream-error.js';

/**
 * A value in tenant configuration that may be a reference to a secret, written
 * `secret:projects/P/secrets/S/versions/V` as in the setup guide.
 */
const SECRET_PREFIX = 'secret:';

export interface SecretReference {
  /** The reference exactly as configured. */
  raw: string;
  project: string;
  name: string;
  version: string;
}

/** Resolves secret references to their values; implementations cache and never log the values. */
export interface SecretResolver {
  resolve(reference: string): Promise<string>;
}

const REFERENCE = /^secret:projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/]+)$/;

function isSecretReference(value: string): boolean {
  return value.startsWith(SECRET_PREFIX);
}

/** Parses a reference; returns undefined when it is not of the guide's form. */
function parseSecretReference(value: string): SecretReference | undefined {
  const match = REFERENCE.exec(value);
  if (!match) return undefined;
  const [, project, name, version] = match;
  if (project === undefined || name === undefined || version === undefined) return undefined;
  return { raw: value, project, name, version };
}

/**
 * What a resolver looks up: undefined for a literal value (used as written), the parsed reference
 * otherwise; a value that starts like a reference but is malformed is a configuration error.
 */
export function referenceToResolve(value: string): SecretReference | undefined {
  if (!isSecretReference(value)) return undefined;
  const parsed = parseSecretReference(value);
  if (!parsed) {
    throw new LeadstreamError(
      'secret_error',
      'malformed secret reference (expected secret:projects/P/secrets/S/versions/V)',
    );
  }
  return parsed;
}
