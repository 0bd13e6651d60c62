import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { AiAnalysis } from '../../events/ai-analysis.js';
import type { RawCall } from '../../events/raw-call.js';
import type { Analyzer } from '../analyzer.js';
import type { AnalysisReply, AnalysisRequest } from './analysis-request.js';

export interface WorkerPoolOptions {
  /** Threads in the pool, at least 1. */
  size: number;
  /** The worker's entry; the pool's own analysis-worker by default (a test gives one that crashes). */
  script?: URL;
}

interface Pending {
  resolve: (analysis: AiAnalysis) => void;
  reject: (error: LeadstreamError) => void;
}

interface PoolThread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/** src/ runs as TypeScript (tsx, vitest), dist/ as JavaScript: the worker's file is beside this one either way. */
function defaultScript(): URL {
  return new URL(`./analysis-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);
}

/**
 * A thread running `script`. A TypeScript entry (src/ under tsx or vitest) is loaded through tsx's
 * require hook: Node 20 gives a worker neither the parent's loader hooks nor its own `--import`.
 */
function startThread(script: URL): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script);
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const entry = fileURLToPath(script);
  return new Worker(
    `require(${JSON.stringify(tsx)}).require(${JSON.stringify(entry)}, ${JSON.stringify(entry)});`,
    {
      eval: true,
    },
  );
}

/**
 * The embedded analyzer on worker threads, so text analysis (most of the enricher's CPU) runs beside the
 * main thread's Kafka work on the other cores. Each call goes to the thread with the fewest in hand,
 * as plain data: the call and the tenant's project types, which is all the analyzer reads, so its answer
 * is the in-thread analyzer's. Threads start with the first call and end with close(). A thread that
 * dies fails the calls it held as a retryable analysis_error (the runner tries them again) and is
 * replaced at once.
 */
export class WorkerPoolAnalyzer implements Analyzer {
  readonly name = 'embedded';
  private readonly script: URL;
  private readonly threads: PoolThread[] = [];
  private readonly typeIds = new WeakMap<object, number>();
  private nextTypesId = 1;
  private nextRequest = 0;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new LeadstreamError(
        'config_error',
        `an analysis pool needs at least 1 thread, not ${options.size}`,
      );
    }
    this.script = options.script ?? defaultScript();
  }

  /** Threads running now (0 before the first call and after close()). */
  get size(): number {
    return this.threads.length;
  }

  analyze(call: RawCall, tenant: TenantConfig): Promise<AiAnalysis> {
    if (this.closed) {
      return Promise.reject(new LeadstreamError('analysis_error', 'the analysis pool is closed'));
    }
    while (this.threads.length < this.options.size) this.threads.push(this.spawn());
    const thread = this.threads.reduce((least, candidate) =>
      candidate.pending.size < least.pending.size ? candidate : least,
    );
    const projectTypes = tenant.analysis.project_types;
    const request: AnalysisRequest = {
      id: this.nextRequest++,
      call,
      typesId: projectTypes ? this.typesIdOf(projectTypes) : 0,
      projectTypes,
    };
    return new Promise<AiAnalysis>((resolve, reject) => {
      try {
        thread.worker.postMessage(request);
      } catch (error) {
        // A value that cannot be copied to a thread (none a decoded RawCall holds): the analysis's bug.
        reject(
          new LeadstreamError('internal_error', 'the call could not be sent to an analysis thread', {
            cause: error,
          }),
        );
        return;
      }
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(request.id, { resolve, reject });
    });
  }

  /** Ends every thread; calls still in hand fail as retryable, to be analysed again after a restart. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    await Promise.all(threads.map(({ worker }) => worker.terminate()));
    for (const thread of threads) this.failAll(thread, 'the analysis pool was closed');
  }

  private spawn(): PoolThread {
    const worker = startThread(this.script);
    const thread: PoolThread = { worker, pending: new Map() };
    // An idle pool keeps no process alive; a thread with calls in hand does.
    worker.unref();
    worker.on('message', (reply: AnalysisReply) => {
      const pending = thread.pending.get(reply.id);
      if (!pending) return;
      thread.pending.delete(reply.id);
      if (thread.pending.size === 0) worker.unref();
      if ('analysis' in reply) pending.resolve(reply.analysis);
      else pending.reject(new LeadstreamError('internal_error', reply.failure));
    });
    let cause: unknown;
    worker.on('error', (error) => {
      cause = error;
    });
    worker.on('exit', (code) => {
      const index = this.threads.indexOf(thread);
      if (index < 0) return;
      const reason = cause instanceof Error ? `: ${cause.message}` : '';
      this.failAll(thread, `the analysis worker stopped (exit code ${code})${reason}`, cause);
      if (this.closed) this.threads.splice(index, 1);
      else this.threads[index] = this.spawn();
    });
    return thread;
  }

  private failAll(thread: PoolThread, message: string, cause?: unknown): void {
    for (const { reject } of thread.pending.values()) {
      reject(new LeadstreamError('analysis_error', message, { retryable: true, cause }));
    }
    thread.pending.clear();
  }

  /** The same configuration object, the same id: a worker compiles a tenant's project types once. */
  private typesIdOf(types: object): number {
    let id = this.typeIds.get(types);
    if (id === undefined) {
      id = this.nextTypesId++;
      this.typeIds.set(types, id);
    }
    return id;
  }
}
