import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { AvroSerde } from '../../../src/kafka/avro-serde.js';

/**
 * The two ccompat routes a registration uses, answering as Apicurio does for a few seconds after a
 * restart, while it reads its KafkaSQL journal back: the subject's config is there, but registering
 * its schema is refused as an artifact that "already exists".
 */
async function registryReplaying(
  refusals: number,
): Promise<{ app: FastifyInstance; url: string; posts: () => number }> {
  const app = Fastify();
  let posts = 0;
  app.addContentTypeParser(
    'application/vnd.schemaregistry.v1+json',
    { parseAs: 'string' },
    (_request, body, done) => done(null, JSON.parse(String(body))),
  );
  app.get('/config/:subject', async () => ({ compatibilityLevel: 'BACKWARD' }));
  app.post('/subjects/:subject/versions', async (request, reply) => {
    posts += 1;
    if (posts <= refusals) {
      const { subject } = request.params as { subject: string };
      return reply.code(409).send({
        message: `An artifact with ID '${subject}' in group 'null' already exists.`,
        error_code: 409,
      });
    }
    return { id: 56 };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, posts: () => posts };
}

let running: FastifyInstance | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('AvroSerde.register against a registry still reading its journal back', () => {
  it('asks again until the registry knows the subject, and gets its id', async () => {
    const registry = await registryReplaying(3);
    running = registry.app;
    const id = await new AvroSerde({ url: registry.url }).register('raw-calls', 'RawCall');
    expect(id).toBe(56);
    expect(registry.posts()).toBe(4);
  });

  it('gives up with a permanent serde_error naming the subject when the refusal does not end', async () => {
    const registry = await registryReplaying(Number.POSITIVE_INFINITY);
    running = registry.app;
    const failure = await new AvroSerde({
      url: registry.url,
      registrationRetry: { attempts: 4, maxDelayMs: 100 },
    })
      .register('raw-calls', 'RawCall')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LeadstreamError);
    expect(failure).toMatchObject({ type: 'serde_error', retryable: false });
    expect((failure as Error).message).toContain('registering raw-calls-value');
    expect(registry.posts()).toBe(4);
  });
});
