import { LeadstreamError } from '../../errors/leadstream-error.js';
import { readPhone } from '../../identity/phone-identity.js';
import type { BoardColumn } from './board-columns.js';
import type { MondayItemPayload } from './payloads.js';

type Scalar = MondayItemPayload['columns'][string];

/** Columns Monday computes itself; a value sent to one is refused. */
const READ_ONLY_TYPES = new Set([
  'auto_number',
  'creation_log',
  'formula',
  'item_id',
  'last_updated',
  'mirror',
  'progress',
  'subtasks',
  'button',
]);

function refuse(column: BoardColumn, problem: string): LeadstreamError {
  return new LeadstreamError(
    'field_mapping_error',
    `Monday column "${column.title}" (${column.type}) ${problem}: fix crm_config.column_mappings`,
    { details: { operation: 'column_values', column_id: column.id, column_type: column.type } },
  );
}

/**
 * What a refused value was, for the error: numbers and booleans as they are, text only by its length,
 * since a mapping may send the transcript or the caller's details, and the message reaches logs and
 * dead-letter headers.
 */
function described(value: Scalar): string {
  return typeof value === 'string' ? `text of ${value.length} characters` : JSON.stringify(value);
}

function dateValue(column: BoardColumn, value: Scalar): { date: string; time?: string } {
  const instant = typeof value === 'number' ? new Date(value) : new Date(String(value));
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { date: value };
  if (Number.isNaN(instant.getTime())) throw refuse(column, `takes a date, not ${described(value)}`);
  const iso = instant.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

const PHONE_SHAPED = /^\s*\+?[\d\s().-]{7,24}\s*$/;

/**
 * The JSON Monday takes for one column in `column_values`, by the column's type (phone with its
 * country, email, status label, ...); other types take the value as text. Undefined means "send
 * nothing": an empty mapping result leaves the item's value alone.
 */
export function columnValue(column: BoardColumn, value: Scalar): unknown {
  if (value === null || value === '') return undefined;
  if (READ_ONLY_TYPES.has(column.type)) throw refuse(column, 'is computed by Monday and cannot be written');
  const text = String(value);
  switch (column.type) {
    case 'phone': {
      // libphonenumber finds a number inside any text; a sentence is not a phone number.
      const phone = PHONE_SHAPED.test(text) ? readPhone(text) : undefined;
      if (!phone?.country) throw refuse(column, `takes a phone number, not ${described(text)}`);
      return { phone: phone.number, countryShortName: phone.country };
    }
    case 'email':
      return { email: text, text };
    case 'numbers': {
      const number = typeof value === 'number' ? value : Number(text);
      if (!Number.isFinite(number) || typeof value === 'boolean')
        throw refuse(column, `takes a number, not ${described(value)}`);
      return String(number);
    }
    case 'status':
      return { label: text };
    case 'dropdown':
      return { labels: [text] };
    case 'long_text':
      return { text };
    case 'date':
      return dateValue(column, value);
    case 'checkbox':
      return value === true || text === 'true' ? { checked: 'true' } : null;
    case 'link':
      return { url: text, text };
    case 'rating': {
      const rating = Number(value);
      if (!Number.isInteger(rating)) throw refuse(column, `takes a whole number, not ${described(value)}`);
      return { rating };
    }
    default:
      return text;
  }
}

/** `column_values` for create_item / change_multiple_column_values: a JSON object keyed by column id. */
export function columnValuesJson(
  columns: MondayItemPayload['columns'],
  resolved: ReadonlyMap<string, BoardColumn>,
): string {
  const values: Record<string, unknown> = {};
  for (const [title, value] of Object.entries(columns)) {
    const column = resolved.get(title);
    if (column === undefined) continue;
    const formatted = columnValue(column, value);
    if (formatted !== undefined) values[column.id] = formatted;
  }
  return JSON.stringify(values);
}

/**
 * What items_page_by_column_values is asked for: the value as written and, for a phone, the forms a
 * number typed in on the board is kept in (with or without "+" and country code), since the search
 * compares text.
 */
export function searchValues(column: BoardColumn, value: string): string[] {
  if (column.type !== 'phone') return [value];
  const phone = readPhone(value);
  if (!phone) return [value];
  return [...new Set([phone.number, phone.number.replace(/\D/g, ''), String(phone.nationalNumber)])];
}
