import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../src/observability/log-redaction.js';
import { createLogger } from '../../../src/observability/logger.js';
import { captureLogLines } from '../../support/log-capture.js';

function logged(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
  const out = captureLogLines();
  write(createLogger({ destination: out.stream }));
  const [line] = out.lines();
  if (line === undefined) throw new Error('nothing was logged');
  return line;
}

describe('log redaction', () => {
  it('redacts sensitive keys four levels down, whatever their case or spelling', () => {
    const line = logged((logger) =>
      logger.warn(
        {
          request: {
            attempt: {
              http: { headers: { Authorization: 'Bearer deep-secret', Accept: 'application/json' } },
            },
          },
          config: { crm: { hubspot: { auth: { ACCESS_TOKEN: 'pat-na1-123', accessToken: 'camel-456' } } } },
          'X-Api-Key': 'header-key-789',
          Cookie: 'session=abc',
          Transcript: 'my card number is 4111',
        },
        'request failed',
      ),
    );
    const text = JSON.stringify(line);
    for (const secret of ['deep-secret', 'pat-na1-123', 'camel-456', 'header-key-789', 'session=abc', '4111'])
      expect(text).not.toContain(secret);
    expect(line).toMatchObject({
      request: {
        attempt: { http: { headers: { Authorization: '[redacted]', Accept: 'application/json' } } },
      },
      config: { crm: { hubspot: { auth: { ACCESS_TOKEN: '[redacted]', accessToken: '[redacted]' } } } },
      'X-Api-Key': '[redacted]',
      Cookie: '[redacted]',
      Transcript: '[redacted]',
      message: 'request failed',
    });
  });

  it('redacts inside arrays of objects and keeps the other items as they are', () => {
    const line = logged((logger) =>
      logger.info({
        attempts: [
          { status: 401, headers: { authorization: 'Bearer one' } },
          { status: 200, body: { refresh_token: 'two', id: 'lead-1' } },
          'plain',
        ],
      }),
    );
    expect(line.attempts).toEqual([
      { status: 401, headers: { authorization: '[redacted]' } },
      { status: 200, body: { refresh_token: '[redacted]', id: 'lead-1' } },
      'plain',
    ]);
  });

  it('writes a cyclic object as [Circular] without writing the secrets of the original', () => {
    const client: Record<string, unknown> = { name: 'hubspot', password: 'hunter2' };
    client.self = client;
    client.options = { owner: client, api_key: 'k-1' };
    const line = logged((logger) => logger.info({ client }));
    expect(JSON.stringify(line)).not.toMatch(/hunter2|k-1/);
    expect(line.client).toEqual({
      name: 'hubspot',
      password: '[redacted]',
      self: '[Circular]',
      options: { owner: '[Circular]', api_key: '[redacted]' },
    });
  });

  it('redacts an object reached twice in both places', () => {
    const auth = { token: 'shared-token' };
    const line = logged((logger) => logger.info({ first: auth, second: { again: auth } }));
    expect(JSON.stringify(line)).not.toContain('shared-token');
    expect(line).toMatchObject({
      first: { token: '[redacted]' },
      second: { again: { token: '[redacted]' } },
    });
  });

  it('writes an error with its type, message and stack, its cause, and no secret it or its cause carries', () => {
    const cause = Object.assign(new Error('socket hang up'), {
      config: { headers: { 'Proxy-Authorization': 'Basic cause-secret' } },
    });
    const error = Object.assign(new TypeError('HubSpot call failed', { cause }), {
      statusCode: 401,
      request: { headers: { Authorization: 'Bearer error-secret' } },
    });
    const line = logged((logger) =>
      logger.error({ err: error, workflow_step: 'crm_push', error_type: 'crm_auth_failed' }, 'push failed'),
    );
    expect(JSON.stringify(line)).not.toMatch(/cause-secret|error-secret/);
    expect(line).toMatchObject({
      workflow_step: 'crm_push',
      error_type: 'crm_auth_failed',
      err: {
        type: 'TypeError',
        message: 'HubSpot call failed: socket hang up',
        statusCode: 401,
        request: { headers: { Authorization: '[redacted]' } },
      },
    });
    expect((line.err as { stack: string }).stack).toContain('caused by: Error: socket hang up');
    expect(error.request.headers.Authorization).toBe('Bearer error-secret');
  });

  it('writes an error logged on its own as pino does, message included', () => {
    const line = logged((logger) =>
      logger.error(Object.assign(new Error('timed out'), { api_token: 'tok' })),
    );
    expect(line).toMatchObject({ message: 'timed out', err: { type: 'Error', api_token: '[redacted]' } });
  });

  it("redacts a child logger's bindings, and a grandchild's", () => {
    const out = captureLogLines();
    const child = createLogger({ destination: out.stream }).child({
      tenant_id: 't1',
      crm: { credentials: { client_secret: 'bound-secret' } },
      Signature: 'sig',
    });
    const grandchild = child.child({ call_id: 'CAL1', auth: { Password: 'grand-secret' } });
    grandchild.setBindings({ session: { sessionToken: 'set-secret' } });
    grandchild.info({ workflow_step: 'crm_push' }, 'pushed');
    const [line] = out.lines();
    expect(JSON.stringify(line)).not.toMatch(/bound-secret|grand-secret|set-secret|"sig"/);
    expect(line).toMatchObject({
      tenant_id: 't1',
      call_id: 'CAL1',
      crm: { credentials: '[redacted]' },
      Signature: '[redacted]',
      auth: { Password: '[redacted]' },
      session: { sessionToken: '[redacted]' },
      workflow_step: 'crm_push',
    });
  });

  it('leaves the fields the guide queries, and objects with nothing sensitive, exactly as given', () => {
    const fields = {
      tenant_id: 'acme',
      call_id: 'CAL123',
      workflow_step: 'crm_push',
      status: 'success',
      error_type: 'crm_rejected',
      outcome: { ref: 'lead', id: '42', tokens_used: 1200 },
      token_expires_at: '2026-11-30T06:00:00Z',
    };
    expect(redactSecrets(fields)).toBe(fields);
    const line = logged((logger) => logger.info(fields, 'lead delivered'));
    expect(line).toMatchObject({ ...fields, message: 'lead delivered' });
  });

  it('writes objects deeper than it checks as [Object] rather than unchecked', () => {
    let deep: Record<string, unknown> = { password: 'too-deep' };
    for (let level = 0; level < 12; level++) deep = { next: deep };
    const line = logged((logger) => logger.info({ deep }));
    expect(JSON.stringify(line)).not.toContain('too-deep');
    expect(JSON.stringify(line)).toContain('[Object]');
  });

  it('writes the part of a huge object graph past what it checks as placeholders, secrets included', () => {
    const rows = Array.from({ length: 200 }, (_, index) => ({
      index,
      columns: Array.from({ length: 99 }, () => 0),
    }));
    const line = logged((logger) =>
      logger.info({ rows, late: { password: 'past-the-bound' }, tenant_id: 'acme' }),
    );
    const text = JSON.stringify(line);
    expect(text).not.toContain('past-the-bound');
    expect(line).toMatchObject({ tenant_id: 'acme', late: '[Object]' });
    expect((line.rows as unknown[]).at(-1)).toBe('[Object]');
    expect((line.rows as unknown[])[0]).toEqual(rows[0]);
  });

  it('keeps logging when a getter throws, with nested values left out', () => {
    const fields = {
      tenant_id: 'acme',
      token: 'x',
      nested: {
        get broken(): string {
          throw new Error('no');
        },
      },
    };
    const line = logged((logger) => logger.warn(fields, 'odd object'));
    expect(line).toMatchObject({
      tenant_id: 'acme',
      token: '[redacted]',
      nested: '[Object]',
      message: 'odd object',
    });
  });
});
