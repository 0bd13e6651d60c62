import type { Settings } from '../config/settings.js';
import { CachedSecretResolver } from './cached-secret-resolver.js';
import { EnvSecretResolver } from './env-secret-resolver.js';
import { FileSecretResolver } from './file-secret-resolver.js';
import { GoogleSecretManagerResolver, type SecretVersionAccessor } from './google-secret-manager-resolver.js';
import type { SecretResolver } from './secret-resolver.js';

export interface SecretResolverDependencies {
  /** The Secret Manager client for `google`; the SDK's, with Application Default Credentials, unless given. */
  googleClient?: SecretVersionAccessor;
}

function backendFor(settings: Settings, deps: SecretResolverDependencies): SecretResolver {
  switch (settings.SECRETS_BACKEND) {
    case 'file':
      return new FileSecretResolver(settings.SECRETS_DIR);
    case 'google':
      return new GoogleSecretManagerResolver(deps.googleClient);
    case 'env':
      return new EnvSecretResolver();
  }
}

/** The resolver the process settings choose (SECRETS_BACKEND), cached for SECRETS_CACHE_TTL_MS. */
export function secretResolverFor(settings: Settings, deps: SecretResolverDependencies = {}): SecretResolver {
  return new CachedSecretResolver(backendFor(settings, deps), { ttlMs: settings.SECRETS_CACHE_TTL_MS });
}
