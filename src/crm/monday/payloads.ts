import { z } from 'zod';

/**
 * The payload_json of the Monday.com operation in a CrmCommand.
 *
 * - ref `item`, kind `upsert_contact`, object_type `items`: an item on `board_id` (in `group_id`)
 *   named `item_name`, its `columns` keyed by column title (the adapter resolves ids and formats each
 *   value for the column's type). `match_column` is the title of the column duplicates are found by
 *   (the phone column) with `match_value`, or null when detection is off.
 */
export const mondayItemPayloadSchema = z.strictObject({
  board_id: z.string().regex(/^\d+$/),
  group_id: z.string().nullable(),
  item_name: z.string().min(1),
  columns: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  match_column: z.string().nullable(),
  match_value: z.string().nullable(),
});
export type MondayItemPayload = z.infer<typeof mondayItemPayloadSchema>;

/**
 * - ref `call`, kind `log_call`, object_type `updates`, link_to `item`: an update on the item (its
 *   activity feed), `body` HTML, posted with `create_update`.
 */
export const mondayUpdatePayloadSchema = z.strictObject({ body: z.string().min(1) });
export type MondayUpdatePayload = z.infer<typeof mondayUpdatePayloadSchema>;
