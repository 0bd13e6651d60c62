import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { captureLogLines } from '../../support/log-capture.js';

describe('logger', () => {
  it('writes severity for Cloud Logging beside the fields the guide queries', () => {
    const out = captureLogLines();
    const logger = createLogger({ destination: out.stream });
    logger.error({ workflow_step: 'crm_push', status: 'failed', error_type: 'crm_rejected' }, 'rejected');
    logger.warn('slow');
    const [error, warn] = out.lines();
    expect(error).toMatchObject({ severity: 'ERROR', workflow_step: 'crm_push', error_type: 'crm_rejected' });
    expect(warn).toMatchObject({ severity: 'WARNING', message: 'slow' });
  });

  it('maps every level to the Cloud Logging severity that `severity>=ERROR` compares', () => {
    const out = captureLogLines();
    const logger = createLogger({ destination: out.stream, level: 'trace' });
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(out.lines().map((line) => [line.severity, line.level])).toEqual([
      ['DEBUG', 10],
      ['DEBUG', 20],
      ['INFO', 30],
      ['WARNING', 40],
      ['ERROR', 50],
      ['CRITICAL', 60],
    ]);
  });

  it('keeps the fields of a child logger on every line, as the stage runner and delivery use it', () => {
    const out = captureLogLines();
    const logger = createLogger({ destination: out.stream }).child({
      tenant_id: 't1',
      call_id: 'CAL1',
      workflow_step: 'mapping',
    });
    logger.error({ status: 'dead_lettered', error_type: 'field_mapping_error' }, 'bad date');
    expect(out.lines()[0]).toMatchObject({
      severity: 'ERROR',
      tenant_id: 't1',
      call_id: 'CAL1',
      workflow_step: 'mapping',
      status: 'dead_lettered',
      error_type: 'field_mapping_error',
      message: 'bad date',
    });
  });

  it('never writes tokens, secrets or transcripts', () => {
    const out = captureLogLines();
    const logger = createLogger({ destination: out.stream });
    logger.info(
      {
        api_token: 'pat-na1-abc',
        call: { transcription: 'my address is...', access_token: 'x' },
        authorization: 'Bearer y',
      },
      'config',
    );
    const text = JSON.stringify(out.lines());
    for (const secret of ['pat-na1-abc', 'my address is', '"x"', 'Bearer y'])
      expect(text).not.toContain(secret);
  });
});
