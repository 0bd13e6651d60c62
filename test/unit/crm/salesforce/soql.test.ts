import { describe, expect, it } from 'vitest';
import {
  leadMatchQuery,
  phoneSpellings,
  soqlString,
  taskMarkerQuery,
} from '../../../../src/crm/salesforce/soql.js';
import { parseSoql } from '../../../emulators/salesforce/soql.js';

describe('SOQL built from call values', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(soqlString('o\'brien\\x"y\nz')).toBe("'o\\'brien\\\\x\\\"y\\nz'");
  });

  it('cannot be broken out of by an injected value', () => {
    const soql = leadMatchQuery({ email: "x' OR Name != '" });
    const parsed = parseSoql(soql);
    expect(parsed.where).toMatchObject({
      kind: 'and',
      right: { kind: 'compare', field: 'Email', value: "x' OR Name != '" },
    });
  });

  it('looks a US number up under the spellings an org stores', () => {
    expect(phoneSpellings('+15125550143')).toEqual([
      '+15125550143',
      '5125550143',
      '(512) 555-0143',
      '512-555-0143',
    ]);
    expect(phoneSpellings('+442071838750')).toEqual(['+442071838750']);
  });

  it('asks for open leads by phone or email, oldest first, and for a task by its marker', () => {
    expect(leadMatchQuery({ phone: '+442071838750', email: 'a@b.io' })).toBe(
      "SELECT Id, Phone, Email FROM Lead WHERE IsConverted = false AND (Phone IN ('+442071838750') OR Email = 'a@b.io') ORDER BY CreatedDate ASC LIMIT 20",
    );
    expect(taskMarkerQuery('leadstream:abc')).toBe(
      "SELECT Id, WhoId FROM Task WHERE CallObject = 'leadstream:abc' LIMIT 1",
    );
  });
});
