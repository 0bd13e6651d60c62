import { z } from 'zod';
import { strictObject } from '../../config/strict-object.js';
import {
  secretOrLiteralSchema,
  valueMapsSchema,
  workflowTriggersSchema,
} from '../../mapping/mapping-config.js';

export const customAuthenticationSchema = z.discriminatedUnion('type', [
  strictObject({ type: z.literal('none') }),
  strictObject({ type: z.literal('bearer'), token: secretOrLiteralSchema }),
  strictObject({
    type: z.literal('basic'),
    username: secretOrLiteralSchema,
    password: secretOrLiteralSchema,
  }),
  strictObject({
    type: z.literal('api_key'),
    key: secretOrLiteralSchema,
    /** Where the key travels: a header (default `X-API-Key`) or a query parameter. */
    in: z.enum(['header', 'query']).default('header'),
    name: z.string().min(1).default('X-API-Key'),
  }),
  strictObject({
    type: z.literal('oauth2_client_credentials'),
    token_url: z.url(),
    client_id: secretOrLiteralSchema,
    client_secret: secretOrLiteralSchema,
    scope: z.string().optional(),
  }),
]);
export type CustomAuthentication = z.infer<typeof customAuthenticationSchema>;

export const customEndpointSchema = strictObject({
  /** GET for a `find_<record>` endpoint, and only there. */
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH']),
  /** Appended to api_base_url; may hold `{{...}}` placeholders. */
  path: z.string().startsWith('/', 'a path starting with /'),
  headers: z.record(z.string().min(1), z.string()).default({}),
  /**
   * Where the record's id is in the response body (`id`, `data.id`; for a find, `data.0.id`), for later
   * operations to reference.
   */
  response_id_path: z.string().min(1).default('id'),
});
export type CustomEndpoint = z.infer<typeof customEndpointSchema>;

type TemplateValue = string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };
const templateValueSchema: z.ZodType<TemplateValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(templateValueSchema),
    z.record(z.string(), templateValueSchema),
  ]),
);

/** Any REST CRM: the setup guide's custom block. */
export const customCrmConfigSchema = strictObject({
  type: z.literal('custom'),
  api_base_url: z.url(),
  authentication: customAuthenticationSchema.default({ type: 'none' }),
  /**
   * `create_<record>` (or `<record>`) sends the record's payload template; `find_<record>` (GET), when
   * present, is asked first, and a record it finds is updated through `update_<record>` (its path
   * naming `{{<record>.id}}`) or else left as it is.
   */
  endpoints: z
    .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case endpoint name'), customEndpointSchema)
    .superRefine((endpoints, ctx) => {
      for (const [name, endpoint] of Object.entries(endpoints)) {
        const find = name.startsWith('find_');
        if (find === (endpoint.method === 'GET')) continue;
        ctx.addIssue({
          code: 'custom',
          path: [name, 'method'],
          message: find
            ? 'a find_ endpoint only reads: its method is GET'
            : 'GET is for find_ endpoints only; a record is sent with POST, PUT or PATCH',
        });
      }
    }),
  /** Request bodies by record name; `contact` is sent to the endpoint `create_contact` (or `contact`). */
  payload_templates: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), templateValueSchema).default({}),
  timeout_ms: z.number().int().positive().max(120_000).default(10_000),
  /**
   * A read-only request `leadstream crm test` sends with the tenant's credentials (`/me`, `/contacts?limit=1`);
   * without it the test can only show that the credentials resolve and the API answers.
   */
  health_check: strictObject({
    method: z.enum(['GET', 'HEAD']).default('GET'),
    path: z.string().startsWith('/', 'a path starting with /'),
  }).optional(),
  workflow_triggers: workflowTriggersSchema.default({}),
  value_maps: valueMapsSchema.default({}),
});

export type CustomCrmConfig = z.infer<typeof customCrmConfigSchema>;
export type { TemplateValue };
