import { z } from 'zod';
import type { CrmOperation } from '../../events/crm-command.js';
import { invalidOperation, operationJson, parseOperationPayload } from '../operation-payload.js';

/**
 * The payload_json of each custom REST operation in a CrmCommand: one per payload template, in the
 * order the templates are declared (ref = template name, kind `custom_request`, object_type = endpoint
 * name).
 *
 * Paths and header values are lists of parts. A `text` part is final: the tenant's own text as written,
 * or a call value inserted as data (URL-encoded in a path and query; checked to hold no control
 * character in a header). A `slot` part is left for the adapter, because its value only exists at
 * delivery and secrets never travel on Kafka:
 * - `auth.token`, `auth.username`, `auth.password`, `auth.key`: the resolved credential, in headers and
 *   the path only (a body carries what callers typed, so never a credential);
 * - `<ref>.id`: the id an earlier operation's response gave (read at its endpoint's response_id_path).
 * The adapter fills slots and never reads text, so no text a caller typed (`{{auth.token}}`) is ever
 * expanded. A body is the rendered JSON, final except at the positions `body_slots` lists, each
 * replaced by its parts joined (one id slot alone: the id itself, keeping its type).
 *
 * `find`, when the tenant has a `find_<ref>` endpoint and the call gives every value its path names,
 * is asked first: an id it yields is used instead of creating, and `update` (`update_<ref>`, its path
 * naming `{{<ref>.id}}`) then sends the body to that record.
 */
export type CustomJson = string | number | boolean | null | CustomJson[] | { [key: string]: CustomJson };
const customJsonSchema: z.ZodType<CustomJson> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(customJsonSchema),
    z.record(z.string(), customJsonSchema),
  ]),
);

export const AUTH_SLOT = /^auth\.(token|username|password|key)$/;
export const ID_SLOT = /^([a-z][a-z0-9_]*)\.id$/;

const textPart = z.strictObject({ text: z.string() });
const partSchema = z.union([
  textPart,
  z.strictObject({ slot: z.string().refine((slot) => AUTH_SLOT.test(slot) || ID_SLOT.test(slot)) }),
]);
const bodyPartSchema = z.union([textPart, z.strictObject({ slot: z.string().regex(ID_SLOT) })]);
export type TemplatePart = z.infer<typeof partSchema>;

const pathSchema = z.array(partSchema).refine((parts) => {
  const first = parts[0];
  return first !== undefined && 'text' in first && first.text.startsWith('/');
}, 'a path starting with /');
const headersSchema = z.record(z.string(), z.array(partSchema));
const sendMethodSchema = z.enum(['POST', 'PUT', 'PATCH']);

export const customRequestPayloadSchema = z.strictObject({
  endpoint: z.string().min(1),
  method: sendMethodSchema,
  path: pathSchema,
  headers: headersSchema,
  body: customJsonSchema,
  body_slots: z.array(
    z.strictObject({
      at: z.array(z.union([z.string(), z.number().int().nonnegative()])),
      parts: z.array(bodyPartSchema),
    }),
  ),
  response_id_path: z.string().min(1),
  find: z
    .strictObject({
      endpoint: z.string().min(1),
      path: pathSchema,
      headers: headersSchema,
      response_id_path: z.string().min(1),
    })
    .optional(),
  update: z
    .strictObject({
      endpoint: z.string().min(1),
      method: sendMethodSchema,
      path: pathSchema,
      headers: headersSchema,
    })
    .optional(),
});
export type CustomRequestPayload = z.infer<typeof customRequestPayloadSchema>;
export type BodySlot = CustomRequestPayload['body_slots'][number];

/**
 * The payload of a custom_request operation. One in the string form mappers wrote before issue #10
 * (paths and headers as text with `{{...}}` left in) is refused, permanently: in that form a call value
 * that looks like a placeholder cannot be told from the tenant's, so sending it could expand a caller's
 * `{{auth.token}}`.
 */
export function customRequestPayload(operation: CrmOperation): CustomRequestPayload {
  const json = operationJson(operation);
  if (json !== null && typeof json === 'object' && typeof (json as { path?: unknown }).path === 'string') {
    throw invalidOperation(
      operation,
      'payload in the text form written before issue #10, where a call value cannot be told from a placeholder: not sent (replaying this dead letter fails again; the call must be mapped again)',
    );
  }
  return parseOperationPayload(operation, customRequestPayloadSchema);
}
