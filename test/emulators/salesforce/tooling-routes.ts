import type { FastifyInstance } from 'fastify';
import { type FieldDefinition, field } from './object-definitions.js';
import type { OrgState } from './org-state.js';
import { restError } from './salesforce-errors.js';

export interface ToolingContext {
  org: OrgState;
}

/** A custom field's API name: letters, digits and single underscores, then `__c` (40 characters before it). */
const CUSTOM_FIELD_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?<!_)__c$/;

interface CustomFieldMetadata {
  label?: unknown;
  description?: unknown;
  type?: unknown;
  length?: unknown;
  unique?: unknown;
  externalId?: unknown;
  caseSensitive?: unknown;
}

const integrity = (message: string) => restError(400, 'FIELD_INTEGRITY_EXCEPTION', message, []);

function optionalFlag(metadata: CustomFieldMetadata, name: keyof CustomFieldMetadata): boolean {
  const value = metadata[name];
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw restError(400, 'JSON_PARSER_ERROR', `Metadata.${name} must be a boolean`);
  return value;
}

/**
 * The CustomField a Tooling API create describes, checked as Salesforce checks it. Only Text fields, the
 * kind leadstream provisions, are known to the emulator; another type is refused as unsupported here.
 */
function customField(
  fullName: string,
  metadata: CustomFieldMetadata,
): { object: string; definition: FieldDefinition } {
  const [object, name, ...rest] = fullName.split('.');
  if (object === undefined || name === undefined || rest.length > 0 || object === '')
    throw integrity(`FullName must be Object.Field__c: ${fullName}`);
  if (!CUSTOM_FIELD_NAME.test(name) || name.length > 43)
    throw integrity(
      `The Field Name ${name} can only contain underscores and alphanumeric characters, must begin with a letter, not include spaces, not end with an underscore, not contain two consecutive underscores, and end with __c`,
    );
  if (typeof metadata.label !== 'string' || metadata.label.trim() === '' || metadata.label.length > 40)
    throw integrity('Must specify a label of at most 40 characters');
  if (metadata.type !== 'Text')
    throw integrity(`The emulator creates Text fields only, not ${String(metadata.type)}`);
  const length = metadata.length;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > 255)
    throw integrity("Must specify 'length' for a CustomField of type Text: an integer from 1 to 255");
  const unique = optionalFlag(metadata, 'unique');
  const externalId = optionalFlag(metadata, 'externalId');
  const caseSensitive = optionalFlag(metadata, 'caseSensitive');
  return {
    object,
    definition: field({
      name,
      type: 'string',
      label: metadata.label,
      length,
      unique,
      externalId,
      // Only a unique field can tell case; an external id alone matches case-insensitively.
      caseSensitive: unique && caseSensitive,
    }),
  };
}

/**
 * The Tooling API's CustomField create (POST /services/data/vXX.X/tooling/sobjects/CustomField with
 * `{FullName, Metadata}`): 201 `{id, success, errors, warnings, infos}`, DUPLICATE_DEVELOPER_NAME when
 * the object has a field of that name already. The field is then in the org, but the integration user
 * sees it (describe, SOQL, writes) only once field-level security grants it (OrgState.grantFieldAccess).
 */
export function registerToolingRoutes(app: FastifyInstance, ctx: ToolingContext): void {
  let sequence = 0;
  app.post('/services/data/:version/tooling/sobjects/CustomField', async (request, reply) => {
    const body = (request.body ?? {}) as { FullName?: unknown; Metadata?: unknown };
    if (typeof body.FullName !== 'string')
      throw restError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [FullName]', ['FullName']);
    if (body.Metadata === null || typeof body.Metadata !== 'object' || Array.isArray(body.Metadata))
      throw restError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Metadata]', ['Metadata']);
    const { object, definition } = customField(body.FullName, body.Metadata as CustomFieldMetadata);
    ctx.org.defineCustomField(object, definition);
    sequence += 1;
    return reply.code(201).send({
      id: `00N5g${sequence.toString().padStart(10, '0')}AAA`,
      success: true,
      errors: [],
      warnings: [],
      infos: [],
    });
  });
}
