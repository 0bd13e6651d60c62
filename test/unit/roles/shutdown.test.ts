import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { Shutdown } from '../../../src/roles/shutdown.js';
import { captureLogLines } from '../../support/log-capture.js';

describe('Shutdown', () => {
  it('closes the gateway first and the ops server last, whatever order they started in', async () => {
    const closed: string[] = [];
    const shutdown = new Shutdown();
    const closing = (name: string) => async () => {
      closed.push(name);
    };
    shutdown.add('outbound', closing('outbound'));
    shutdown.add('producer', closing('producer'));
    shutdown.add('ops', closing('ops'));
    shutdown.add('consumers', closing('enricher'));
    shutdown.add('consumers', closing('mapper'));
    shutdown.add('consumer_lag', closing('consumer_lag'));
    shutdown.add('gateway', closing('gateway'));

    await shutdown.run(createLogger({ level: 'silent' }));

    expect(closed).toEqual(['gateway', 'enricher', 'mapper', 'consumer_lag', 'producer', 'outbound', 'ops']);
  });

  it('still closes the rest when one component fails to close, logs it, and rejects with that failure', async () => {
    const closed: string[] = [];
    const shutdown = new Shutdown();
    const stuck = new Error('broker gone');
    shutdown.add('producer', () => Promise.reject(stuck));
    shutdown.add('ops', async () => {
      closed.push('ops');
    });
    const log = captureLogLines();

    await expect(shutdown.run(createLogger({ destination: log.stream }))).rejects.toBe(stuck);

    expect(closed).toEqual(['ops']);
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ severity: 'ERROR', status: 'close_failed', component: 'producer' }),
    );
  });

  it('is begun from the first run() on, and closes each component once however often it is run', async () => {
    let closes = 0;
    const shutdown = new Shutdown();
    shutdown.add('ops', async () => {
      closes += 1;
    });
    expect(shutdown.begun).toBe(false);
    const logger = createLogger({ level: 'silent' });

    await Promise.all([shutdown.run(logger), shutdown.run(logger)]);
    await shutdown.run(logger);

    expect(shutdown.begun).toBe(true);
    expect(closes).toBe(1);
  });
});
