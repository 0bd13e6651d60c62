import { LeadstreamError } from '../../src/errors/leadstream-error.js';

/** The LeadstreamError a promise rejects with; a test expecting one fails on anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<LeadstreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LeadstreamError) return error;
    throw error;
  }
  throw new Error('expected a LeadstreamError, but the promise resolved');
}
