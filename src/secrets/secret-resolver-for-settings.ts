import type { Settings } from '../config/settings.js';
import { CachedSecretResolver } from './cached-secret-resolver.js';
import { EnvSecretResolver } from './env-secret-resolver.js';
import { FileSecretResolver } from './file-secret-resolver.js';
import type { SecretResolver } from './secret-resolver.js';

/** The resolver the process settings choose (SECRETS_BACKEND), cached for SECRETS_CACHE_TTL_MS. */
export function secretResolverFor(settings: Settings): SecretResolver {
  const inner =
    settings.SECRETS_BACKEND === 'file'
      ? new FileSecretResolver(settings.SECRETS_DIR)
      : new EnvSecretResolver();
  return new CachedSecretResolver(inner, { ttlMs: settings.SECRETS_CACHE_TTL_MS });
}
