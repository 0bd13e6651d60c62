import { z } from 'zod';

/**
 * The payload_json of each HubSpot operation in a CrmCommand: what the mapper writes and the HubSpot
 * adapter reads. Property values are those HubSpot's API takes (it stores everything as strings).
 */
const hubspotPropertiesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const hubspotObjectPayloadSchema = z
  .object({
    properties: hubspotPropertiesSchema,
    /** An owner given by email in configuration (`contact_owner`); the adapter resolves it to an owner id. */
    owner_email: z.string().optional(),
  })
  .strict();

export type HubSpotObjectPayload = z.infer<typeof hubspotObjectPayloadSchema>;
