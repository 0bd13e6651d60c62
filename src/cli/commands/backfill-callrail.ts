import { LeadstreamError } from '../../errors/leadstream-error.js';
import { createLogger } from '../../observability/logger.js';
import { OutboundGuard } from '../../outbound/outbound-guard.js';
import {
  type BackfillState,
  backfillStateFile,
  freshBackfillState,
  runCallRailBackfill,
} from '../../producers/callrail-backfill/callrail-backfill.js';
import { CallRailListClient } from '../../producers/callrail-backfill/callrail-list-client.js';
import { TokenBucket } from '../../rate-limits/token-bucket.js';
import { secretResolverFor } from '../../secrets/secret-resolver-for-settings.js';
import { defineCommand } from '../define-command.js';
import { INTERRUPTED_EXIT_CODE, listenForInterrupt } from '../interrupt.js';
import { loadNamedTenant } from '../named-tenant.js';
import { ProgressLine } from '../progress-line.js';
import { openRawCallsProducer } from '../raw-calls-producer.js';

const CALLRAIL_API_BASE_URL = 'https://api.callrail.com/v3';
const HOUR_MS = 3_600_000;

const usage = `usage: leadstream backfill callrail --tenant TENANT_ID --since ISO-TIME [--until ISO-TIME] [--dry-run]
                                  [--state PATH] [--restart] [--requests-per-hour N]

Reads the tenant's past CallRail calls, then its form submissions, from CallRail API v3
(GET /a/{account_id}/calls.json and form_submissions.json, 250 a page, oldest first, with the
transcription and attribution fields) with the account and key of the tenant's callrail block (the
tenant read where the roles read it: TENANT_STORE, the PostgreSQL store or TENANT_CONFIG_DIR), and
publishes each as a RawCall to raw-calls the way the gateway maps a CallRail webhook, with
source_name "callrail-backfill" (source_kind callrail_call or callrail_form). --until defaults to now:
set it to when the tenant's webhooks started, since calls delivered longer ago than the delivery
ledger keeps (7 days) are not recognised when sent again. --dry-run only counts what would be
published (2 requests) and sends nothing.

CallRail allows an account 1,000 requests an hour and 10,000 a day, shared with leadstream's own
transcript look-ups for webhooks (backfilled calls, whose list asked for their transcripts, are not
looked up again): the backfill spends at most --requests-per-hour (default 500). A 429 (CallRail
sends no Retry-After) waits a minute, doubling up to ten, and asks again until it clears.

Progress (done/total, rate, ETA) goes to standard error; a summary to standard output. Resumable:
the state file (default callrail-backfill-TENANT_ID.json) records the next page after each page's
calls were acknowledged by Kafka. Ctrl-C (SIGINT) or SIGTERM finishes the page in flight, records it
and exits 130; the same command again continues from that page and publishes nothing twice. A process
killed outright republishes at most one page, which the pipeline takes for redeliveries of the same
idempotency key (tenant_id + call_id). A state for another --since, --until, account or topic is
refused; --restart ignores it and starts over.`;

function isoOf(value: string): string | undefined {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value) ? undefined : at.toISOString();
}

export const backfillCallRailCommand = defineCommand({
  name: 'backfill callrail',
  summary: "publish a tenant's past CallRail calls and form submissions to raw-calls, resumably",
  usage,
  options: {
    tenant: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    state: { type: 'string' },
    restart: { type: 'boolean', default: false },
    'requests-per-hour': { type: 'string' },
  },
  positionals: false,
  async run({ values, refuse }, io) {
    if (values.tenant === undefined) return refuse('missing --tenant TENANT_ID');
    if (values.since === undefined) return refuse('missing --since ISO-TIME');
    const since = isoOf(values.since);
    if (since === undefined) return refuse(`--since "${values.since}" is not an ISO date-time`);
    const until = values.until === undefined ? undefined : isoOf(values.until);
    if (values.until !== undefined && until === undefined) {
      return refuse(`--until "${values.until}" is not an ISO date-time`);
    }
    if (until !== undefined && until <= since) return refuse('--until must be after --since');
    const perHour = values['requests-per-hour'] === undefined ? 500 : Number(values['requests-per-hour']);
    if (!Number.isInteger(perHour) || perHour < 1) {
      return refuse(`--requests-per-hour "${values['requests-per-hour']}" is not a whole number ≥ 1`);
    }

    const named = await loadNamedTenant(values.tenant, 'backfill callrail', io);
    if (named === undefined) return 2;
    const { tenant, settings } = named;
    if (!named.enabled) {
      io.stderr.write(
        `leadstream backfill callrail: tenant ${tenant.tenant_id} is disabled, and the pipeline would keep every call published as a dead letter: ` +
          `\`leadstream tenants enable ${tenant.tenant_id}\` first\n`,
      );
      return 1;
    }
    const callrail = tenant.callrail;
    if (callrail?.account_id === undefined || callrail.api_key === undefined) {
      io.stderr.write(
        `leadstream backfill callrail: tenant ${tenant.tenant_id} has no callrail.account_id and api_key to read CallRail's API with\n`,
      );
      return 1;
    }

    const stateFile = backfillStateFile(values.state ?? `callrail-backfill-${tenant.tenant_id}.json`);
    const identity = {
      tenant_id: tenant.tenant_id,
      account_id: callrail.account_id,
      topic: settings.TOPIC_RAW_CALLS,
      since,
    };
    const earlier = values.restart ? undefined : await stateFile.read();
    if (earlier !== undefined) {
      const differs = (['tenant_id', 'account_id', 'topic', 'since'] as const).find(
        (key) => earlier[key] !== identity[key],
      );
      const otherUntil = until !== undefined && earlier.until !== until;
      if (differs !== undefined || otherUntil) {
        const what = differs ?? 'until';
        io.stderr.write(
          `${stateFile.path}: it records a backfill whose ${what} is ${earlier[what]}, not ${what === 'until' ? until : identity[what]}: ` +
            'pass --restart to start over, or --state for another file\n',
        );
        return 1;
      }
    }
    const from: BackfillState =
      earlier ?? freshBackfillState({ ...identity, until: until ?? new Date().toISOString() });

    const logger = createLogger({ level: settings.LOG_LEVEL === 'info' ? 'warn' : settings.LOG_LEVEL });
    const outbound = new OutboundGuard(settings.OUTBOUND_ALLOWED_HOSTS);
    const interrupt = listenForInterrupt(io);
    const progress = new ProgressLine(io.stderr, { label: 'published' });
    if (from.kind === 'done' && !values['dry-run']) {
      io.stdout.write(
        `${tenant.tenant_id}: this backfill is complete (${stateFile.path}); --restart runs it again\n`,
      );
      return 0;
    }
    let current = from;
    try {
      const apiKey = await secretResolverFor(settings).resolve(callrail.api_key);
      const list = new CallRailListClient({
        baseUrl: callrail.api_base_url ?? CALLRAIL_API_BASE_URL,
        accountId: callrail.account_id,
        apiKey,
        outbound,
        budget: new TokenBucket({ requests: perHour, perMs: HOUR_MS, burst: Math.min(perHour, 50) }),
        signal: interrupt.signal,
        onWait: (reason, ms) =>
          progress.update(doneOf(current), `${reason}: waiting ${Math.round(ms / 1000)} s`),
      });
      const window = { since: from.since, until: from.until };
      const [calls, forms] = [
        await list.page('calls', window, 1, 1),
        await list.page('form_submissions', window, 1, 1),
      ];
      const pages =
        Math.ceil(calls.totalRecords / from.per_page) + Math.ceil(forms.totalRecords / from.per_page);
      const range = `since ${from.since} until ${from.until}`;
      if (values['dry-run']) {
        io.stdout.write(
          `dry run: would publish ${calls.totalRecords} calls and ${forms.totalRecords} form submissions of CallRail account ${callrail.account_id} ` +
            `for ${tenant.tenant_id} to ${settings.TOPIC_RAW_CALLS}, ${range}, in ${pages} page requests` +
            (earlier === undefined
              ? ''
              : earlier.kind === 'done'
                ? `; ${stateFile.path} says it is complete (--restart runs it again)`
                : `; ${stateFile.path} would resume at ${earlier.kind} page ${earlier.next_page}`) +
            '; nothing sent\n',
        );
        return 0;
      }
      progress.setTotal(calls.totalRecords + forms.totalRecords);
      progress.resume(doneOf(from));
      if (earlier)
        io.stderr.write(`resuming at ${earlier.kind} page ${earlier.next_page} (${stateFile.path})\n`);
      const producer = await openRawCallsProducer(settings, logger, 'backfill');
      try {
        const result = await runCallRailBackfill({
          list,
          publisher: producer.publisher,
          state: stateFile,
          from,
          transcriptLimit: {
            maxTranscriptChars: settings.GATEWAY_MAX_TRANSCRIPT_CHARS,
            onTruncated: () => undefined,
          },
          signal: interrupt.signal,
          onProgress: (state) => {
            current = state;
            progress.update(doneOf(state));
          },
          onRefused: (kind, id, reason) => {
            progress.finish();
            io.stderr.write(`CallRail ${kind} ${id} not published: ${reason}\n`);
          },
        });
        progress.finish();
        const { published, refused } = result.state;
        const summary =
          `${published.calls} calls and ${published.form_submissions} form submissions of CallRail account ${callrail.account_id} ` +
          `published to ${producer.topic} for ${tenant.tenant_id}, ${range}` +
          (refused.calls + refused.form_submissions > 0
            ? `; ${refused.calls + refused.form_submissions} refused (listed above)`
            : '');
        if (result.error) {
          io.stderr.write(
            `Kafka did not acknowledge a call of ${result.state.kind} page ${result.state.next_page}: ${result.error.message}\n` +
              `${summary}; the same command resumes at that page\n`,
          );
          return 1;
        }
        if (result.interrupted) {
          io.stdout.write(`interrupted: ${summary}; the same command continues (${stateFile.path})\n`);
          return INTERRUPTED_EXIT_CODE;
        }
        io.stdout.write(`${summary}\n`);
        return 0;
      } finally {
        await producer.close();
      }
    } catch (error) {
      if (interrupt.signal.aborted) {
        progress.finish();
        io.stdout.write(
          `interrupted while waiting for CallRail; the same command continues (${stateFile.path})\n`,
        );
        return INTERRUPTED_EXIT_CODE;
      }
      if (!(error instanceof LeadstreamError)) throw error;
      progress.finish();
      io.stderr.write(
        `leadstream backfill callrail: ${error.message}; the same command resumes (${stateFile.path})\n`,
      );
      return 1;
    } finally {
      interrupt.release();
      await outbound.close();
    }
  },
});

function doneOf(state: BackfillState): number {
  return (
    state.published.calls +
    state.published.form_submissions +
    state.refused.calls +
    state.refused.form_submissions
  );
}
