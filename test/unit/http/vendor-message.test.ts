import { describe, expect, it } from 'vitest';
import { vendorMessage } from '../../../src/http/vendor-message.js';

describe('vendorMessage', () => {
  it('finds the message where common APIs put it', () => {
    expect(vendorMessage('{"error":"Call not found"}')).toBe('Call not found');
    expect(
      vendorMessage('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}'),
    ).toBe('Incorrect API key provided');
    expect(vendorMessage('{"error":"invalid_grant","error_description":"expired authorization code"}')).toBe(
      'invalid_grant: expired authorization code',
    );
    expect(vendorMessage('{"errors":[{"message":"email is invalid"}]}')).toBe('email is invalid');
    expect(vendorMessage('{"title":"Bad Request","detail":"phone must be E.164"}')).toBe(
      'phone must be E.164: Bad Request',
    );
  });

  it('quotes a body that is not JSON, or has no message, by its beginning with whitespace collapsed', () => {
    expect(vendorMessage('<html>\n  <h1>502 Bad Gateway</h1>\n</html>')).toBe(
      '<html> <h1>502 Bad Gateway</h1> </html>',
    );
    expect(vendorMessage('{"status":"down"}')).toBe('{"status":"down"}');
    expect(vendorMessage('')).toBe('');
  });

  it('cuts a long answer at the limit and marks the cut', () => {
    expect(vendorMessage('x'.repeat(1_000))).toBe(`${'x'.repeat(300)}…`);
    expect(vendorMessage(JSON.stringify({ message: 'y'.repeat(50) }), 10)).toBe(`${'y'.repeat(10)}…`);
  });
});
