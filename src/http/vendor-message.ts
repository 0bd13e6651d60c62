/** How much of a vendor's answer an error quotes by default: enough to act on, not a whole HTML page. */
const DEFAULT_LIMIT = 300;

function textAt(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (typeof value === 'string' && value !== '') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return textAt(value as Record<string, unknown>, 'message');
  }
  if (Array.isArray(value) && value.length > 0) {
    const first = value[0];
    if (typeof first === 'string' && first !== '') return first;
    if (first !== null && typeof first === 'object')
      return textAt(first as Record<string, unknown>, 'message');
  }
  return undefined;
}

/** A vendor's text cut to `limit` characters, an ellipsis marking the cut. */
export function truncated(text: string, limit = DEFAULT_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/**
 * The vendor's explanation in an error answer's body, wherever common REST APIs put it: `message`,
 * `error` (text, as CallRail sends, or an object with a message, as OpenAI-compatible servers send),
 * `error_description` (OAuth), `errors[0].message`, `detail` / `title` (RFC 9457); the first two
 * distinct ones joined. Else the body's first characters with its whitespace collapsed (a proxy's
 * HTML page). At most `limit` characters, an ellipsis marking a cut.
 */
export function vendorMessage(text: string, limit = DEFAULT_LIMIT): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const parts = ['message', 'error', 'error_description', 'errors', 'detail', 'title']
      .map((key) => textAt(record, key))
      .filter((part): part is string => part !== undefined);
    const distinct = [...new Set(parts)].slice(0, 2);
    if (distinct.length > 0) return truncated(distinct.join(': '), limit);
  }
  return truncated(text.replace(/\s+/g, ' ').trim(), limit);
}
