import { z } from 'zod';

/**
 * The payload_json of each custom REST operation in a CrmCommand: one per payload template, in the
 * order the templates are declared (ref = template name, kind `custom_request`, object_type = endpoint
 * name). Call data is already filled in; two kinds of placeholder are left for the adapter, because
 * their values only exist at delivery and secrets never travel on Kafka:
 * - `{{auth.token}}`, `{{auth.username}}`, `{{auth.password}}`, `{{auth.key}}`: the resolved credential,
 *   in headers and the path only (a body carries what callers typed, so never a credential);
 * - `{{<ref>.id}}`: the id an earlier operation's response gave (read at its endpoint's response_id_path).
 * A string that is exactly one such placeholder is replaced by the value itself.
 *
 * `find`, when the tenant has a `find_<ref>` endpoint and the call gives every value its path names
 * (URL-encoded already), is asked first: an id it yields is used instead of creating, and `update`
 * (`update_<ref>`, its path naming `{{<ref>.id}}`) then sends the body to that record.
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

const sendMethodSchema = z.enum(['POST', 'PUT', 'PATCH']);

export const customRequestPayloadSchema = z.strictObject({
  endpoint: z.string().min(1),
  method: sendMethodSchema,
  path: z.string().startsWith('/'),
  headers: z.record(z.string(), z.string()),
  body: customJsonSchema,
  response_id_path: z.string().min(1),
  find: z
    .strictObject({
      endpoint: z.string().min(1),
      path: z.string().startsWith('/'),
      headers: z.record(z.string(), z.string()),
      response_id_path: z.string().min(1),
    })
    .optional(),
  update: z
    .strictObject({
      endpoint: z.string().min(1),
      method: sendMethodSchema,
      path: z.string().startsWith('/'),
      headers: z.record(z.string(), z.string()),
    })
    .optional(),
});
export type CustomRequestPayload = z.infer<typeof customRequestPayloadSchema>;
