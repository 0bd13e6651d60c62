/**
 * An answer's body: its JSON, or the raw text when it is not JSON (gateways answer 502/503 with an
 * HTML page; the status then decides).
 */
export async function answerBody(response: Response): Promise<unknown> {
  const raw = await response.text().catch(() => '');
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** An answer's JSON object, or an empty one when the body is not JSON: the status then decides. */
export async function answerObject(response: Response): Promise<Record<string, unknown>> {
  const body: unknown = await response.json().catch(() => undefined);
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/** A field of an answer when it holds text, else undefined (absent, empty, or of another type). */
export function nonEmptyText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
