import { z } from 'zod';
import { strictObject } from '../../config/strict-object.js';
import { fieldMappingSchema, secretOrLiteralSchema } from '../../mapping/mapping-config.js';
import { commonCrmConfigShape } from '../common-config.js';

/** A Monday.com tenant's `crm_config`: one item per lead on a board. */
export const mondayCrmConfigSchema = strictObject({
  type: z.literal('monday'),
  api_token: secretOrLiteralSchema,
  api_url: z.url().default('https://api.monday.com/v2'),
  /** Sent as the API-Version header; 2024-01, which the guide names, has been retired. */
  api_version: z
    .string()
    .regex(/^\d{4}-\d{2}$/, 'a version such as 2026-07')
    .default('2026-07'),
  board_id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(String),
  group_id: z.string().min(1).optional(),
  item_name_template: z.string().min(1).default('{{customer_name}}'),
  /** Column values by column title as shown on the board; ids are resolved at delivery. */
  column_mappings: z.record(z.string().min(1), fieldMappingSchema).default({}),
  ...commonCrmConfigShape,
});

export type MondayCrmConfig = z.infer<typeof mondayCrmConfigSchema>;
