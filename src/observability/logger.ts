import { pino } from 'pino';
import { redactSecrets } from './log-redaction.js';

export type Logger = pino.Logger;

/** Pipeline stages as they appear in the `workflow_step` log field. */
export type WorkflowStep =
  | 'intake'
  | 'transcript_fetch'
  | 'enrichment'
  | 'analysis'
  | 'mapping'
  | 'crm_push'
  | 'notify'
  | 'dead_letter'
  | 'startup'
  | 'shutdown';

const SEVERITY: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/**
 * JSON lines with `severity` (what Cloud Logging filters on) beside pino's numeric `level`, so the
 * guide's queries such as `severity>=ERROR` work on our logs. Tokens, secrets and transcripts are
 * redacted at any depth whatever the key's case (./log-redaction.ts): pino's `redact` paths cannot say
 * "any depth" or "any case".
 */
export function createLogger(
  options: { level?: string; name?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const logger = pino(
    {
      name: options.name ?? 'leadstream',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label, number) => ({ level: number, severity: SEVERITY[label] ?? 'DEFAULT' }),
        log: redactSecrets,
      },
    },
    options.destination,
  );
  redactBindings(logger);
  return logger;
}

/**
 * A child's bindings are written once, when the child is made, and pino passes them through no formatter
 * (`formatters.bindings` is reset for children), so they are redacted on the way in. Children inherit
 * these methods from the root, so grandchildren are covered too.
 */
function redactBindings(logger: Logger): void {
  const makeChild = logger.child;
  const setBindings = logger.setBindings;
  logger.child = function child(this: Logger, bindings, childOptions) {
    return makeChild.call(this, redactSecrets(bindings), childOptions);
  } as Logger['child'];
  logger.setBindings = function replaceBindings(this: Logger, bindings) {
    setBindings.call(this, redactSecrets(bindings));
  };
}
