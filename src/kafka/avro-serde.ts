import { setTimeout as sleep } from 'node:timers/promises';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { LeadstreamError } from '../errors/leadstream-error.js';
import { type EventSchemaName, type LoadedSchema, loadEventSchemas } from './avro-schemas.js';
import { frame, unframe } from './wire-format.js';

export interface RegistryOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** How often and how far apart a lost registration race is asked again (REGISTRATION_RETRY unless given). */
  registrationRetry?: RegistrationRetry;
}

export interface RegistrationRetry {
  attempts: number;
  maxDelayMs: number;
}

function registryError(action: string, error: unknown): LeadstreamError {
  const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  // A 4xx from the registry (incompatible schema, bad subject) will not change on retry.
  const retryable = typeof status !== 'number' || status >= 500;
  return new LeadstreamError(
    retryable ? 'schema_registry_unavailable' : 'serde_error',
    `schema registry: ${action}: ${message}`,
    { retryable, cause: error },
  );
}

/** Registration asked again for about 15 s (0.1, 0.2, 0.4 ... then 2 s apart) before start fails. */
const REGISTRATION_RETRY: RegistrationRetry = { attempts: 12, maxDelayMs: 2_000 };

/**
 * What a role loses when another registers the same new subject at the same moment: it read the
 * registry's default level before the winner set BACKWARD, or both tried to set it (Apicurio: 409
 * "A rule named 'COMPATIBILITY' already exists"), or both created the subject. Apicurio answers the
 * last (409 "An artifact with ID ... already exists") also for a subject it has but has not read back
 * from its KafkaSQL journal yet, for a few seconds after it restarted. Asking again settles each.
 */
function lostRegistrationRace(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConfluentSchemaRegistryCompatibilityError') return true;
  const status = 'status' in error ? error.status : undefined;
  return status === 409 && error.message.includes('already exists');
}

/**
 * Avro in the Confluent wire format, with schemas registered under `<topic>-value`
 * (TopicNameStrategy, BACKWARD compatibility). Values are decoded into our current schema whatever
 * schema version wrote them, so consumers upgrade before producers and old messages keep decoding.
 */
export class AvroSerde {
  private readonly registry: SchemaRegistry;
  private readonly schemas: ReadonlyMap<EventSchemaName, LoadedSchema>;
  private readonly writerIds = new Map<string, number>();
  private readonly resolvers = new Map<number, avro.Resolver | 'same'>();
  private readonly registrationRetry: RegistrationRetry;

  constructor(options: RegistryOptions, schemas = loadEventSchemas()) {
    const auth =
      options.username !== undefined && options.password !== undefined
        ? { username: options.username, password: options.password }
        : undefined;
    this.registry = new SchemaRegistry({ host: options.url, ...(auth ? { auth } : {}) });
    this.schemas = schemas;
    this.registrationRetry = options.registrationRetry ?? REGISTRATION_RETRY;
  }

  private schema(name: EventSchemaName): LoadedSchema {
    const schema = this.schemas.get(name);
    if (!schema) throw new LeadstreamError('serde_error', `unknown event schema ${name}`);
    return schema;
  }

  /** Registers (or finds) the schema for a topic's values; must precede encode() for that topic. */
  async register(topic: string, name: EventSchemaName): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { id } = await this.registry.register(
          { type: SchemaType.AVRO, schema: this.schema(name).text },
          { subject: `${topic}-value` },
        );
        this.writerIds.set(topic, id);
        return id;
      } catch (error) {
        // Asking again once the winner has set BACKWARD settles it; a level someone really configured
        // differently still fails after the last attempt.
        const { attempts, maxDelayMs } = this.registrationRetry;
        if (!lostRegistrationRace(error) || attempt >= attempts) {
          throw registryError(`registering ${topic}-value`, error);
        }
        await sleep(Math.min(maxDelayMs, 100 * 2 ** (attempt - 1)));
      }
    }
  }

  encode(topic: string, name: EventSchemaName, value: unknown): Buffer {
    const id = this.writerIds.get(topic);
    if (id === undefined) throw new LeadstreamError('serde_error', `no schema registered for topic ${topic}`);
    const { type } = this.schema(name);
    // Checked without an error hook first: with one, avsc tracks the path of every field it checks,
    // which doubles the check's cost on every valid value to name the fields of the rare invalid one.
    if (!type.isValid(value)) {
      const invalid: string[] = [];
      type.isValid(value, { errorHook: (path) => invalid.push(path.join('.') || '(root)') });
      throw new LeadstreamError('serde_error', `value does not match ${name} at ${invalid.join(', ')}`);
    }
    return frame(id, type.toBuffer(value));
  }

  /** Decodes a message written with any registered version of the schema into the current one. */
  async decode(name: EventSchemaName, message: Buffer): Promise<unknown> {
    const { schemaId, body } = unframe(message);
    const reader = this.schema(name).type;
    let resolver = this.resolvers.get(schemaId);
    if (resolver === undefined) {
      let writer: avro.Type;
      try {
        writer = (await this.registry.getSchema(schemaId)) as unknown as avro.Type;
      } catch (error) {
        const failure = registryError(`fetching schema ${schemaId}`, error);
        // A 4xx: the id names no schema in this registry (another registry's, or made up).
        if (!failure.retryable) failure.details.reason = 'unknown_schema_id';
        throw failure;
      }
      try {
        resolver = reader.equals(writer) ? 'same' : reader.createResolver(writer);
      } catch (error) {
        // avsc names the field: "no matching field for default-less RawCall.received_at".
        const why = error instanceof Error ? `: ${error.message}` : '';
        throw new LeadstreamError('serde_error', `schema ${schemaId} cannot be read as ${name}${why}`, {
          cause: error,
          details: { reason: 'unreadable_schema' },
        });
      }
      this.resolvers.set(schemaId, resolver);
    }
    try {
      return resolver === 'same' ? reader.fromBuffer(body) : reader.fromBuffer(body, resolver);
    } catch (error) {
      throw new LeadstreamError('serde_error', `corrupt ${name} body (schema ${schemaId})`, {
        cause: error,
        details: { reason: 'corrupt_body' },
      });
    }
  }
}
