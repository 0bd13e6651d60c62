import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/embedded/embedded-analyzer.js';
import { WorkerPoolAnalyzer } from '../../../src/analysis/worker-pool/worker-pool-analyzer.js';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { CRASH } from '../../support/crashing-analysis-worker.js';
import { callFrom, loadLabelledCases, tenantWith } from './labelled-cases.js';

const pools: WorkerPoolAnalyzer[] = [];
function pool(options: ConstructorParameters<typeof WorkerPoolAnalyzer>[0]): WorkerPoolAnalyzer {
  const created = new WorkerPoolAnalyzer(options);
  pools.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

describe('the embedded analyzer on a pool of worker threads', () => {
  it('gives every labelled call and form exactly the analysis the main thread gives', async () => {
    const cases = loadLabelledCases();
    const inThread = new EmbeddedAnalyzer();
    const threads = pool({ size: 2 });
    const analysed = await Promise.all(cases.map(({ call, tenant }) => threads.analyze(call, tenant)));
    expect(cases.some(({ tenant }) => tenant.analysis.project_types !== undefined)).toBe(true);
    expect(analysed).toEqual(cases.map(({ call, tenant }) => inThread.analyzeNow(call, tenant)));
    expect(threads.size).toBe(2);
  });

  it('starts no thread before the first call and none after close()', async () => {
    const threads = pool({ size: 2 });
    expect(threads.size).toBe(0);
    await threads.analyze(
      callFrom({ id: 'first', transcript: ['Caller: a quote for a kitchen'] }),
      tenantWith(),
    );
    expect(threads.size).toBe(2);
    await threads.close();
    expect(threads.size).toBe(0);
    await expect(
      threads.analyze(callFrom({ id: 'late', transcript: ['Caller: hello'] }), tenantWith()),
    ).rejects.toMatchObject({ type: 'analysis_error' });
  });

  it('fails a call that cannot be copied to a thread as a bug, and goes on with the next', async () => {
    const threads = pool({ size: 1 });
    const tenant = tenantWith();
    const call = callFrom({ id: 'copyable', transcript: ['Caller: a quote for a new kitchen, please.'] });
    const uncopyable = { ...call, marketing: { campaign: (() => 'x') as unknown as string } };
    await expect(threads.analyze(uncopyable, tenant)).rejects.toMatchObject({ type: 'internal_error' });
    expect(await threads.analyze(call, tenant)).toEqual(new EmbeddedAnalyzer().analyzeNow(call, tenant));
  });

  it('fails the calls a crashed thread held as retryable, and replaces the thread', async () => {
    const threads = pool({
      size: 1,
      script: new URL('../../support/crashing-analysis-worker.ts', import.meta.url),
    });
    const tenant = tenantWith();
    const crash = threads.analyze(callFrom({ id: 'crash', transcript: [CRASH] }), tenant);
    const error = await crash.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(LeadstreamError);
    expect(error).toMatchObject({ type: 'analysis_error', retryable: true });

    const call = callFrom({
      id: 'after',
      transcript: ['Caller: we want a quote for a new bathroom, budget about ten thousand.'],
    });
    expect(await threads.analyze(call, tenant)).toEqual(new EmbeddedAnalyzer().analyzeNow(call, tenant));
    expect(threads.size).toBe(1);
  });
});
