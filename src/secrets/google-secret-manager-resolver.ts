import { LeadstreamError } from '../errors/leadstream-error.js';
import { referenceToResolve, type SecretReference, type SecretResolver } from './secret-resolver.js';

/**
 * The one call leadstream makes to Secret Manager; the SDK's SecretManagerServiceClient has it, and
 * tests pass an object with only this method.
 */
export interface SecretVersionAccessor {
  accessSecretVersion(request: {
    name: string;
  }): Promise<[{ payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]>;
}

/** gRPC status codes the client's errors carry in `code`. */
const GRPC = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

const TRANSIENT = new Set<number>([
  GRPC.CANCELLED,
  GRPC.UNKNOWN,
  GRPC.DEADLINE_EXCEEDED,
  GRPC.RESOURCE_EXHAUSTED,
  GRPC.ABORTED,
  GRPC.INTERNAL,
  GRPC.UNAVAILABLE,
]);

/** What to do about each permanent failure, in words an operator can act on. */
const ADVICE: Record<number, string> = {
  [GRPC.NOT_FOUND]: 'does not exist in Google Secret Manager (check the project, secret name and version)',
  [GRPC.PERMISSION_DENIED]:
    'cannot be read: grant the service account roles/secretmanager.secretAccessor on it',
  [GRPC.UNAUTHENTICATED]:
    'cannot be read: this process has no valid Google credentials (GOOGLE_APPLICATION_CREDENTIALS or workload identity)',
  [GRPC.FAILED_PRECONDITION]: 'cannot be read: that version is disabled or destroyed',
  [GRPC.INVALID_ARGUMENT]: 'is not a valid Secret Manager resource name',
};

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Google's own words (they name the resource, never a value), cut short for logs and headers. */
function googleMessage(error: unknown): string {
  const details = (error as { details?: unknown } | null)?.details;
  const text = typeof details === 'string' && details !== '' ? details : String(error);
  return text.slice(0, 200);
}

function failure(reference: SecretReference, error: unknown): LeadstreamError {
  const code = grpcCode(error);
  const details = { secret: reference.name, version: reference.version, grpc_code: code ?? null };
  if (code !== undefined && TRANSIENT.has(code)) {
    return new LeadstreamError(
      'secret_error',
      `Google Secret Manager did not answer for ${reference.raw}: ${googleMessage(error)}`,
      { retryable: true, details, cause: error },
    );
  }
  const advice = (code === undefined ? undefined : ADVICE[code]) ?? 'could not be read';
  return new LeadstreamError('secret_error', `secret ${reference.raw} ${advice} (${googleMessage(error)})`, {
    details,
    cause: error,
  });
}

/** Loaded on first use: env and file setups never pay for the SDK's gRPC stack. */
async function defaultClient(): Promise<SecretVersionAccessor> {
  const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
  return new SecretManagerServiceClient();
}

/**
 * Resolves `secret:projects/P/secrets/S/versions/V` by reading that version from Google Secret
 * Manager, with the process's Application Default Credentials. A value that is not a reference is
 * returned as written. Wrap it in CachedSecretResolver: each call here is a billed API request.
 */
export class GoogleSecretManagerResolver implements SecretResolver {
  private client: Promise<SecretVersionAccessor> | undefined;

  constructor(client?: SecretVersionAccessor) {
    this.client = client === undefined ? undefined : Promise.resolve(client);
  }

  async resolve(reference: string): Promise<string> {
    const parsed = referenceToResolve(reference);
    if (!parsed) return reference;
    const name = `projects/${parsed.project}/secrets/${parsed.name}/versions/${parsed.version}`;
    this.client ??= defaultClient();
    let data: Uint8Array | string | null | undefined;
    try {
      const [response] = await (await this.client).accessSecretVersion({ name });
      data = response.payload?.data;
    } catch (error) {
      throw failure(parsed, error);
    }
    if (data === undefined || data === null) {
      throw new LeadstreamError(
        'secret_error',
        `secret ${parsed.raw} has no payload in Google Secret Manager`,
        {
          details: { secret: parsed.name, version: parsed.version },
        },
      );
    }
    return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  }
}
