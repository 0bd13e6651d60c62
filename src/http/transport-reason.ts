/**
 * Why a request got no answer, in words for an error message. fetch throws "fetch failed" and keeps
 * the useful part (ECONNREFUSED, a DNS failure, a TLS error) in its cause; when both addresses of a
 * host refuse, that cause is an AggregateError with no message of its own, only a code.
 */
export function transportReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    if (cause.message !== '') return cause.message;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
  }
  return error.message;
}
