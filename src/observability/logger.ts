import { pino } from 'pino';

export type Logger = pino.Logger;

/** Pipeline stages as they appear in the `workflow_step` log field. */
export type WorkflowStep =
  | 'intake'
  | 'transcript_fetch'
  | 'enrichment'
  | 'analysis'
  | 'mapping'
  | 'crm_push'
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
 * Keys whose values must never reach a log line, at the top level or one level down (pino's paths take
 * no recursive wildcard, and each level costs on every line). Transcripts are excluded too: they carry
 * what customers said on the phone.
 */
const REDACTED_PATHS = [
  'authorization',
  'token',
  'api_token',
  'access_token',
  'refresh_token',
  'private_key',
  'client_secret',
  'signing_secret',
  'password',
  'transcription',
  '*.authorization',
  '*.token',
  '*.api_token',
  '*.access_token',
  '*.refresh_token',
  '*.private_key',
  '*.client_secret',
  '*.signing_secret',
  '*.password',
  '*.transcription',
  'req.headers.authorization',
  'req.headers.signature',
  'req.headers["x-callrail-signature"]',
];

/**
 * JSON lines with `severity` (what Cloud Logging filters on) beside pino's numeric `level`, so the
 * guide's queries such as `severity>=ERROR` work on our logs.
 */
export function createLogger(
  options: { level?: string; name?: string; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      name: options.name ?? 'leadstream',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: {
        level: (label, number) => ({ level: number, severity: SEVERITY[label] ?? 'DEFAULT' }),
      },
    },
    options.destination,
  );
}
