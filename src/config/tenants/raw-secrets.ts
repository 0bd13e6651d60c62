import type { ConfigIssue } from '../validation-issues.js';

/**
 * Keys the guide gives a `secret:` reference: a credential's value never belongs in a configuration.
 * A Slack incoming-webhook URL is one (whoever has it posts to the channel), as is Twilio's auth token.
 */
const CREDENTIAL_KEY =
  /^(api_token|api_key|token|access_token|refresh_token|client_secret|private_key|consumer_key|signing_secret|hmac_secret|password|secret|auth_token|webhook_url)$/i;

/**
 * Credentials written as values where the guide puts `secret:projects/...` references: a
 * configuration is stored and shown (`tenants get`, logs of a refusal), a secret must not be.
 */
export function rawSecretIssues(configuration: unknown, path = ''): ConfigIssue[] {
  if (Array.isArray(configuration)) {
    return configuration.flatMap((item, index) => rawSecretIssues(item, `${path}[${index}]`));
  }
  if (typeof configuration !== 'object' || configuration === null) return [];
  return Object.entries(configuration).flatMap(([key, value]) => {
    const at = path === '' ? key : `${path}.${key}`;
    if (typeof value === 'string' && CREDENTIAL_KEY.test(key) && !value.startsWith('secret:')) {
      return [
        {
          path: at,
          message:
            'looks like a raw credential: store it in the secret manager and put its secret:projects/PROJECT/secrets/NAME/versions/latest reference here',
        },
      ];
    }
    return rawSecretIssues(value, at);
  });
}
