import { describe, expect, it } from 'vitest';
import { idAt, idFromLocation } from '../../../../src/crm/custom/response-id.js';

describe('response ids', () => {
  it('are read at dotted paths, with array indexes either way', () => {
    const body = { data: [{ id: 'c_9' }], result: { records: [{ Id: 42 }] } };
    expect(idAt({ id: 'c_1' }, 'id')).toBe('c_1');
    expect(idAt(body, 'data[0].id')).toBe('c_9');
    expect(idAt(body, 'result.records.0.Id')).toBe(42);
  });

  it('are missing where the path leads nowhere or to something that is not an id', () => {
    expect(idAt({ data: { id: 'x' } }, 'id')).toBeUndefined();
    expect(idAt({ id: { value: 1 } }, 'id')).toBeUndefined();
    expect(idAt({ id: '' }, 'id')).toBeUndefined();
    expect(idAt(undefined, 'id')).toBeUndefined();
    expect(idAt({}, 'constructor')).toBeUndefined();
  });

  it('come from a Location header when the answer has no body', () => {
    expect(idFromLocation('https://crm.example.com/v1/contacts/c%2F7?expand=all')).toBe('c/7');
    expect(idFromLocation(null)).toBeUndefined();
  });
});
