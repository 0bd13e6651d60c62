import type { ModuleRecords, RecordResult, StoredRecord } from './module-records.js';
import { zohoError } from './zoho-errors.js';

const CALL_TYPES = ['Inbound', 'Outbound', 'Missed'];
/** Zoho's datetime: `yyyy-MM-ddTHH:mm:ss±HH:mm`. */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
/** `mm:ss`, minutes past 59 allowed (a long call). */
const DURATION = /^\d{1,4}:[0-5]\d$/;
const TEXT_LENGTHS: Readonly<Record<string, number>> = { Subject: 255, Description: 32_000 };
const KNOWN = new Set([
  'Subject',
  'Call_Type',
  'Call_Start_Time',
  'Call_Duration',
  'Description',
  'What_Id',
  'Who_Id',
  '$se_module',
]);

const invalid = (api_name: string, expected_data_type: string, index: number): RecordResult =>
  zohoError('INVALID_DATA', 'invalid data', {
    api_name,
    expected_data_type,
    json_path: `$.data[${index}].${api_name}`,
  });

const mandatory = (api_name: string, index: number): RecordResult =>
  zohoError('MANDATORY_NOT_FOUND', 'required field not found', {
    api_name,
    json_path: `$.data[${index}].${api_name}`,
  });

function lookupId(value: unknown): string | undefined {
  const id = value !== null && typeof value === 'object' ? (value as { id?: unknown }).id : value;
  return typeof id === 'string' && /^\d+$/.test(id) ? id : undefined;
}

/**
 * The Calls module as Zoho CRM checks an insert: Subject, Call_Type and Call_Start_Time mandatory, a
 * Call_Duration (mm:ss) for a call that was answered, a datetime with its offset, and the record the
 * call belongs to: What_Id with `$se_module` naming its module (a lead here) and existing there, or
 * Who_Id naming a contact (this account has none).
 */
export class CallRecords {
  private readonly records: StoredRecord[] = [];
  /** Zoho's Created_Time of each call, by id: a system field, not among the fields inserted. */
  private readonly createdTimes = new Map<string, string>();
  private nextId = 5_725_767_000_000_900_001n;

  constructor(private readonly leads: ModuleRecords) {}

  all(): StoredRecord[] {
    return [...this.records];
  }

  /** The calls linked to a record (What_Id or Who_Id), with their Created_Time, as its Calls related list. */
  relatedTo(recordId: string): Array<StoredRecord & { createdTime: string }> {
    return this.records
      .filter(
        (call) => lookupId(call.fields.What_Id) === recordId || lookupId(call.fields.Who_Id) === recordId,
      )
      .map((call) => ({ ...call, createdTime: this.createdTimes.get(call.id) ?? '' }));
  }

  insert(index: number, raw: unknown): RecordResult {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      return invalid('data', 'jsonobject', index);
    const record = Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).filter(([name]) => KNOWN.has(name)),
    );
    for (const name of ['Subject', 'Call_Type', 'Call_Start_Time']) {
      if (record[name] === undefined || record[name] === null || record[name] === '')
        return mandatory(name, index);
    }
    if (!CALL_TYPES.includes(String(record.Call_Type))) return invalid('Call_Type', 'picklist', index);
    if (typeof record.Call_Start_Time !== 'string' || !DATETIME.test(record.Call_Start_Time))
      return invalid('Call_Start_Time', 'datetime', index);
    if (record.Call_Type !== 'Missed' && (record.Call_Duration === undefined || record.Call_Duration === ''))
      return mandatory('Call_Duration', index);
    if (record.Call_Duration !== undefined && !DURATION.test(String(record.Call_Duration)))
      return invalid('Call_Duration', 'text', index);
    for (const [name, length] of Object.entries(TEXT_LENGTHS)) {
      const value = record[name];
      if (value !== undefined && (typeof value !== 'string' || value.length > length))
        return invalid(name, name === 'Description' ? 'textarea' : 'text', index);
    }
    if (record.Who_Id !== undefined) return invalid('Who_Id', 'lookup', index);
    if (record.What_Id !== undefined) {
      const id = lookupId(record.What_Id);
      if (record.$se_module !== 'Leads') return invalid('$se_module', 'text', index);
      if (id === undefined || !this.leads.all().some((lead) => lead.id === id))
        return invalid('What_Id', 'lookup', index);
    }
    const stored = { id: String(this.nextId++), fields: record };
    this.records.push(stored);
    // Zoho's datetime: seconds, with the offset.
    const at = new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
    this.createdTimes.set(stored.id, at);
    return {
      code: 'SUCCESS',
      duplicate_field: null,
      action: 'insert',
      details: { Modified_Time: at, Created_Time: at, id: stored.id },
      message: 'record added',
      status: 'success',
    };
  }
}
