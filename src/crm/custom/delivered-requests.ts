import { z } from 'zod';
import { type CreatedRecords, createdStrings } from '../created-records.js';
import type { RecordLedger } from '../ledger/record-ledger.js';

/**
 * What settled one operation: the endpoint and method of the request whose answer did (the create, the
 * update of a found record, or the find alone), and the id it gave, if any.
 */
export interface DeliveredRequest {
  endpoint: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  id: string | number | null;
}

const deliveredRequestSchema = z.strictObject({
  endpoint: z.string().min(1),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH']),
  id: z.union([z.string().min(1), z.number(), z.null()]),
});

/**
 * The requests each command's operations got a success for, so that a command retried after a later
 * operation failed (a 429 on the opportunity) does not send its contact again, and later operations still
 * get the contact's id for their `{{contact.id}}`: a generic REST API offers no search to find it by.
 * Remembered even without an id, since a retry must not create a record no later request names.
 *
 * In front of the delivery ledger when the process has one (delivery does), so a redelivery on another
 * process after a crash finds them too; the ledger holds one record id per entry, so a request is kept
 * there as its JSON text, read back through the schema (the same CreatedRecords as every CRM's). Without a ledger the memory lives as long as
 * the process. Either way each create also carries an `Idempotency-Key` header (the command's key and
 * the operation's ref), which APIs honouring that convention use to close the window the ledger leaves:
 * a crash between the CRM's answer and the ledger's write.
 */
export class DeliveredRequests {
  private readonly records: CreatedRecords<string>;

  constructor(options: { ledger?: RecordLedger | undefined } = {}) {
    this.records = createdStrings(options.ledger);
  }

  get(tenantId: string, idempotencyKey: string, ref: string): DeliveredRequest | undefined {
    const text = this.records.get(tenantId, idempotencyKey, ref);
    return text === undefined ? undefined : parsed(text);
  }

  remember(tenantId: string, idempotencyKey: string, ref: string, request: DeliveredRequest): void {
    this.records.remember(tenantId, idempotencyKey, ref, JSON.stringify(request));
  }
}

function parsed(text: string): DeliveredRequest | undefined {
  try {
    const result = deliveredRequestSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
