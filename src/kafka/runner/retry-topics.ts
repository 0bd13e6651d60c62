import type { IHeaders } from 'kafkajs';

/** One retry topic: messages wait there `delayMs` before another attempt. */
export interface RetryTier {
  topic: string;
  delayMs: number;
}

/**
 * Where a stage sends a message whose retries in process are spent while its error is still retryable:
 * retry topics with growing delays, until `windowMs` after its first failure. Waiting there survives a
 * restart and holds no partition: the input's offset commits once the message is on the retry topic.
 */
export interface RetryTopics {
  /** Ascending delays; the last one repeats until the window closes. */
  tiers: readonly RetryTier[];
  windowMs: number;
}

/** Headers a message carries on a retry topic; removed again when it is dead-lettered or replayed. */
export const RETRY_HEADERS = {
  dueAt: 'leadstream-retry-due-at',
  firstFailedAt: 'leadstream-retry-first-failed-at',
  hop: 'leadstream-retry-hop',
  attempts: 'leadstream-retry-attempts',
  sourceTopic: 'leadstream-retry-source-topic',
  errorType: 'leadstream-retry-error-type',
} as const;

/** How long a message has been retried, as its retry-topic headers say. */
export interface RetryState {
  /** Epoch ms before which it must not be tried. */
  dueAt: number;
  firstFailedAt: number;
  /** The index of the tier it waits on. */
  hop: number;
  /** Attempts of the stage's work so far, in every process. */
  attempts: number;
  /** The topic it was first consumed from, where a replayed dead letter goes back to. */
  sourceTopic: string;
}

/** crm-commands.retry.30s, crm-commands.retry.5m, crm-commands.retry.2h. */
export function retryTopicName(inputTopic: string, delayMs: number): string {
  const units: Array<[string, number]> = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  const [unit, size] = units.find(([, size]) => delayMs % size === 0) ?? ['ms', 1];
  return `${inputTopic}.retry.${delayMs / size}${unit}`;
}

export function retryTiers(inputTopic: string, delaysMs: readonly number[]): RetryTier[] {
  return [...delaysMs]
    .sort((a, b) => a - b)
    .map((delayMs) => ({ topic: retryTopicName(inputTopic, delayMs), delayMs }));
}

function headerNumber(headers: IHeaders | undefined, name: string): number | undefined {
  const raw = headers?.[name];
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : undefined;
  if (text === undefined || !/^\d{1,16}$/.test(text)) return undefined;
  return Number(text);
}

/** The retry state of a message consumed from a retry topic; undefined when its headers are not ours. */
export function readRetryState(headers: IHeaders | undefined): RetryState | undefined {
  const dueAt = headerNumber(headers, RETRY_HEADERS.dueAt);
  const firstFailedAt = headerNumber(headers, RETRY_HEADERS.firstFailedAt);
  const hop = headerNumber(headers, RETRY_HEADERS.hop);
  const attempts = headerNumber(headers, RETRY_HEADERS.attempts);
  const source = headers?.[RETRY_HEADERS.sourceTopic];
  const sourceTopic = Buffer.isBuffer(source)
    ? source.toString('utf8')
    : typeof source === 'string'
      ? source
      : '';
  if (dueAt === undefined || firstFailedAt === undefined || hop === undefined || attempts === undefined) {
    return undefined;
  }
  if (sourceTopic === '') return undefined;
  return { dueAt, firstFailedAt, hop, attempts, sourceTopic };
}

/**
 * The next wait of a message that failed again: the tier after the one it waited on (the first one when
 * it comes from the input topic), or a later one whose delay covers what the remote side asked for.
 * Undefined once the wait would end past the retry window: the message is dead-lettered instead.
 */
export function nextRetry(
  previous: Pick<RetryState, 'hop' | 'firstFailedAt'> | undefined,
  requestedDelayMs: number | undefined,
  now: number,
  topics: RetryTopics,
): { tier: RetryTier; hop: number; dueAt: number; firstFailedAt: number } | undefined {
  const last = topics.tiers.length - 1;
  if (last < 0) return undefined;
  const firstFailedAt = previous?.firstFailedAt ?? now;
  let hop = previous === undefined ? 0 : Math.min(previous.hop + 1, last);
  while (hop < last && (topics.tiers[hop]?.delayMs ?? 0) < (requestedDelayMs ?? 0)) hop++;
  const tier = topics.tiers[hop] as RetryTier;
  const dueAt = now + Math.max(tier.delayMs, requestedDelayMs ?? 0);
  if (dueAt - firstFailedAt > topics.windowMs) return undefined;
  return { tier, hop, dueAt, firstFailedAt };
}

/** The message's own headers, without any retry header, plus the new retry state. */
export function withRetryHeaders(
  headers: IHeaders | undefined,
  state: RetryState,
  errorType: string,
): IHeaders {
  return {
    ...withoutRetryHeaders(headers),
    [RETRY_HEADERS.dueAt]: String(state.dueAt),
    [RETRY_HEADERS.firstFailedAt]: String(state.firstFailedAt),
    [RETRY_HEADERS.hop]: String(state.hop),
    [RETRY_HEADERS.attempts]: String(state.attempts),
    [RETRY_HEADERS.sourceTopic]: state.sourceTopic,
    [RETRY_HEADERS.errorType]: errorType,
  };
}

export function withoutRetryHeaders(headers: IHeaders | undefined): IHeaders {
  const ours = new Set<string>(Object.values(RETRY_HEADERS));
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !ours.has(name)));
}

/** Where a key's waiting message is: its retry topic and when it is due. */
export interface RetryRoute {
  tier: RetryTier;
  hop: number;
  dueAt: number;
}

/** A key of a stage's input, within its tenant. */
export interface WaitingKey {
  tenant: string;
  key: string;
}

/**
 * Keys with a message waiting on a retry topic: a later message of such a key follows it onto the same
 * retry topic, due with it, instead of overtaking it. A key stays marked until its waiting message
 * finishes (delivered or dead-lettered); moved on to a later retry topic, it is marked with the new
 * route, and the messages that followed it follow again. `mark` and `release` resolve once the change is
 * as durable as the implementation makes it: the input's offset commits only after that.
 */
export interface WaitingKeys {
  mark(key: WaitingKey, route: RetryRoute): Promise<void>;
  /** The route of the key's waiting message; undefined when nothing of the key waits. */
  routeOf(key: WaitingKey): RetryRoute | undefined;
  /** The waiting message due at `dueAt` finished; a later mark (it moved on) is kept. */
  release(key: WaitingKey, dueAt: number): Promise<void>;
}

/**
 * WaitingKeys of one process: enough while the process lives. Delivery uses the ledger's
 * (src/crm/ledger/ledger-waiting-keys.ts), which a restarted or another process also reads.
 */
export class InProcessWaitingKeys implements WaitingKeys {
  private readonly waiting = new Map<string, RetryRoute>();

  constructor(private readonly windowMs: number = Number.POSITIVE_INFINITY) {}

  async mark(key: WaitingKey, route: RetryRoute): Promise<void> {
    this.waiting.set(waitingKeyId(key), route);
  }

  routeOf(key: WaitingKey): RetryRoute | undefined {
    const id = waitingKeyId(key);
    const route = this.waiting.get(id);
    // A mark whose message never finished (its process gone before it could say) ends with the window.
    if (route !== undefined && route.dueAt + this.windowMs < Date.now()) {
      this.waiting.delete(id);
      return undefined;
    }
    return route;
  }

  async release(key: WaitingKey, dueAt: number): Promise<void> {
    const id = waitingKeyId(key);
    const route = this.waiting.get(id);
    if (route !== undefined && route.dueAt <= dueAt) this.waiting.delete(id);
  }
}

export function waitingKeyId(key: WaitingKey): string {
  return `${key.tenant}\u0000${key.key}`;
}
