import { LeadstreamError } from '../errors/leadstream-error.js';
import { findOption } from '../identity/option-match.js';
import { calendarTime } from './expressions/calendar.js';
import { type ExpressionValue, typeName } from './expressions/expression-value.js';
import type { EnumerationOption, PropertyType } from './mapping-config.js';

export type TypedValue = string | number | boolean;

function invalid(field: string, expected: string, value: ExpressionValue): never {
  throw new LeadstreamError(
    'field_mapping_error',
    `Invalid value for field ${field}: expected ${expected}, got ${typeName(value)}`,
    { details: { field } },
  );
}

const optionValue = (option: EnumerationOption) => (typeof option === 'string' ? option : option.value);
const optionLabel = (option: EnumerationOption) => (typeof option === 'string' ? option : option.label);

/**
 * The option a value means, by findOption's rule (exact value or label, then ignoring case and
 * punctuation, then accents when only one option fits), so an analysis value (`whole_home`) finds a
 * Salesforce picklist label (`Whole Home`) and a HubSpot label finds its internal value. Returns the
 * option's value, what the CRM stores.
 */
export function matchOption(value: string, options: readonly EnumerationOption[]): string | undefined {
  const option = findOption(value, options, (o) => [optionValue(o), optionLabel(o)]);
  return option === undefined ? undefined : optionValue(option);
}

/**
 * A custom property's value in its declared type, failing in the guide's words
 * (`Invalid value for field ai_lead_score: expected number, got string`). Numbers are not guessed
 * from text: a string where a number belongs is a mapping mistake to fix, not to hide.
 */
export function coerceTyped(
  field: string,
  type: PropertyType,
  value: ExpressionValue,
  options?: readonly EnumerationOption[],
): TypedValue | null {
  if (value === null || value === '') return null;
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : invalid(field, 'number', value);
    case 'bool':
      return typeof value === 'boolean' ? value : invalid(field, 'bool', value);
    case 'date':
      if (typeof value !== 'string' || calendarTime(value) === undefined)
        return invalid(field, 'date', value);
      return value.slice(0, 10);
    case 'datetime': {
      const time = typeof value === 'string' ? calendarTime(value) : undefined;
      return time === undefined ? invalid(field, 'datetime', value) : new Date(time).toISOString();
    }
    case 'enumeration': {
      if (typeof value !== 'string') return invalid(field, 'enumeration', value);
      if (options === undefined) return value;
      const matched = matchOption(value, options);
      if (matched === undefined) {
        throw new LeadstreamError(
          'field_mapping_error',
          `Invalid value for field ${field}: expected one of ${options.map(optionValue).join(', ')}, got "${value}"`,
          { details: { field } },
        );
      }
      return matched;
    }
    case 'string':
      return typeof value === 'boolean' ? invalid(field, 'string', value) : String(value);
  }
}
