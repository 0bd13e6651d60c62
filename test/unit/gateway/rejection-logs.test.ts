import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { captureLogLines } from '../../support/log-capture.js';
import { gateway, postWebhook, sha1Signature } from './gateway-fixture.js';

const WEBHOOK = JSON.stringify({ resource_id: 'CAL1', tenant_id: 'tenant_your_company', duration: '13' });

function loggedGateway(secrets?: EnvSecretResolver) {
  const out = captureLogLines();
  const logger = createLogger({ destination: out.stream });
  return { ...gateway(secrets ? { logger, secrets } : { logger }), lines: out.lines };
}

const rejections = (lines: Array<Record<string, unknown>>) =>
  lines.filter((line) => line.workflow_step === 'intake' && line.status === 'rejected');

describe('gateway rejection logs', () => {
  it('log a refused webhook with the same error_type as the answer code, at WARNING', async () => {
    const { app, lines } = loggedGateway();
    const response = await postWebhook(app, WEBHOOK, { signature: sha1Signature(WEBHOOK, 'forged') });
    expect(response.json()).toMatchObject({ statusCode: 401, code: 'signature_error' });
    expect(rejections(lines())).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        error_type: 'signature_error',
        message: 'the signature does not match',
      }),
    ]);
  });

  it('type the refusals Fastify itself makes, such as a body over the limit', async () => {
    const { app, lines } = loggedGateway();
    const huge = JSON.stringify({ tenant_id: 'tenant_your_company', note: 'x'.repeat(3 * 1024 * 1024) });
    const response = await postWebhook(app, huge);
    expect(response.json()).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
    expect(rejections(lines())).toEqual([expect.objectContaining({ error_type: 'payload_too_large' })]);
  });

  it("answer a dependency's failure with a bare 500 but log its own type, at ERROR", async () => {
    const { app, lines } = loggedGateway(new EnvSecretResolver({}));
    const response = await postWebhook(app, WEBHOOK);
    expect(response.json()).toMatchObject({
      statusCode: 500,
      code: 'internal_error',
      message: 'internal error',
    });
    expect(rejections(lines())).toEqual([
      expect.objectContaining({ severity: 'ERROR', error_type: 'secret_error' }),
    ]);
  });
});
