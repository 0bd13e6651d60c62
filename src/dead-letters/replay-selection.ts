import type { IHeaders } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '../kafka/dead-letter-writer.js';

/** Which dead letters to send back; every given criterion must hold. */
export interface ReplaySelection {
  errorType?: string | undefined;
  tenantId?: string | undefined;
  stage?: string | undefined;
  /** Only letters that failed at or after this instant. */
  since?: Date | undefined;
}

export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export function isSelected(headers: IHeaders | undefined, selection: ReplaySelection): boolean {
  const has = (name: string, wanted: string | undefined) =>
    wanted === undefined || headerText(headers, name) === wanted;
  if (!has(DEAD_LETTER_HEADERS.errorType, selection.errorType)) return false;
  if (!has(DEAD_LETTER_HEADERS.tenantId, selection.tenantId)) return false;
  if (!has(DEAD_LETTER_HEADERS.stage, selection.stage)) return false;
  if (selection.since) {
    const failedAt = Date.parse(headerText(headers, DEAD_LETTER_HEADERS.failedAt) ?? '');
    if (Number.isNaN(failedAt) || failedAt < selection.since.getTime()) return false;
  }
  return true;
}

/** The letter's own headers as they were before it was dead-lettered. */
export function originalHeaders(headers: IHeaders | undefined): IHeaders {
  const dead = new Set<string>(Object.values(DEAD_LETTER_HEADERS));
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !dead.has(name)));
}
