import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const CHAOS_ROLES = ['gateway', 'enricher', 'mapper', 'delivery'] as const;
export type ChaosRole = (typeof CHAOS_ROLES)[number];

/** A port free now, for a role to listen on across its restarts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RoleEvent {
  at: number;
  role: ChaosRole;
  what: 'started' | 'ready' | 'sigkill' | 'exited' | 'crashed' | 'liveness-restart';
  detail?: string;
}

interface Managed {
  role: ChaosRole;
  opsPort: number;
  child: ChildProcess | undefined;
  failedHealthChecks: number;
  starts: number;
}

export interface RoleProcessOptions {
  /** The checkout whose CLI runs, from that directory. */
  sourceDir: string;
  /** dist/src/cli/main.js (npm run build) rather than src/cli/main.ts through tsx. */
  built: boolean;
  env: Record<string, string>;
  logDir: string;
  /** A process that exits by itself, or whose /healthz says 503 this many times in a row, is restarted. */
  livenessFailures: number;
}

/**
 * Every role as its own OS process, as the chart deploys them, with a supervisor that does what
 * Kubernetes would: restart a process that exited, and one whose /healthz keeps failing.
 */
export class RoleProcesses {
  readonly events: RoleEvent[] = [];
  private readonly managed = new Map<ChaosRole, Managed>();
  private readonly logs: WriteStream[] = [];
  /** Processes the runner stopped on purpose: their exit is not a crash to restart. */
  private readonly stopped = new WeakSet<ChildProcess>();
  private liveness: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly options: RoleProcessOptions) {}

  opsUrl(role: ChaosRole): string {
    const managed = this.managed.get(role);
    if (!managed) throw new Error(`role ${role} was never started`);
    return `http://127.0.0.1:${managed.opsPort}`;
  }

  async start(role: ChaosRole, extraEnv: Record<string, string> = {}): Promise<void> {
    const existing = this.managed.get(role);
    const managed: Managed = existing ?? {
      role,
      opsPort: await freePort(),
      child: undefined,
      failedHealthChecks: 0,
      starts: 0,
    };
    this.managed.set(role, managed);
    // One process per role: a restart already done (after a crash) is not doubled.
    if (managed.child !== undefined) return;
    managed.failedHealthChecks = 0;
    managed.starts += 1;
    const log = createWriteStream(join(this.options.logDir, `${role}.log`), { flags: 'a' });
    this.logs.push(log);
    const cli = this.options.built
      ? [join(this.options.sourceDir, 'dist/src/cli/main.js')]
      : ['--import', 'tsx', join(this.options.sourceDir, 'src/cli/main.ts')];
    const child = spawn(process.execPath, [...cli, 'run', '--role', role], {
      cwd: this.options.sourceDir,
      env: { ...this.options.env, ...extraEnv, OPS_PORT: String(managed.opsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    managed.child = child;
    this.events.push({ at: Date.now(), role, what: 'started', detail: `pid ${child.pid}` });
    child.once('exit', (code, signal) => {
      if (managed.child === child) managed.child = undefined;
      const expected = this.stopped.has(child) || this.stopping;
      this.events.push({
        at: Date.now(),
        role,
        what: expected ? 'exited' : 'crashed',
        detail: `code ${code} signal ${signal}`,
      });
      if (!expected) {
        // A crash: come back after a moment, as a restarted pod does.
        setTimeout(() => {
          if (!this.stopping && managed.child === undefined) void this.start(role);
        }, 1_000);
      }
    });
  }

  /** Waits until the role's /readyz answers 200 (every consumer joined its group). */
  async waitReady(role: ChaosRole, timeoutMs: number): Promise<void> {
    const since = Date.now();
    const deadline = since + timeoutMs;
    const logFile = join(this.options.logDir, `${role}.log`);
    while (Date.now() < deadline) {
      if (this.events.some((e) => e.role === role && e.what === 'crashed' && e.at >= since)) {
        const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
        throw new Error(`${role} exited while starting (${logFile}):\n${tail}`);
      }
      try {
        const response = await fetch(`${this.opsUrl(role)}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) {
          this.events.push({ at: Date.now(), role, what: 'ready' });
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Error(`${role} was not ready within ${timeoutMs} ms (see ${logFile})`);
  }

  /** SIGKILL: no drain, no commit, no goodbye to the group. False when the role was not running. */
  kill(role: ChaosRole): boolean {
    const managed = this.managed.get(role);
    const child = managed?.child;
    if (!managed || !child || child.pid === undefined) return false;
    this.stopped.add(child);
    // The role is down from now on, whenever the exit is reported: the next start is not refused.
    managed.child = undefined;
    this.events.push({ at: Date.now(), role, what: 'sigkill', detail: `pid ${child.pid}` });
    child.kill('SIGKILL');
    return true;
  }

  watchLiveness(intervalMs: number): void {
    this.liveness = setInterval(() => void this.checkLiveness(), intervalMs);
  }

  private async checkLiveness(): Promise<void> {
    for (const managed of this.managed.values()) {
      const child = managed.child;
      if (!child || child.pid === undefined) continue;
      let healthy = true;
      try {
        const response = await fetch(`http://127.0.0.1:${managed.opsPort}/healthz`, {
          signal: AbortSignal.timeout(2_000),
        });
        healthy = response.status === 200;
      } catch {
        // A process still starting does not listen yet; its exit is what counts then.
        healthy = true;
      }
      managed.failedHealthChecks = healthy ? 0 : managed.failedHealthChecks + 1;
      if (managed.failedHealthChecks >= this.options.livenessFailures && managed.child === child) {
        this.events.push({ at: Date.now(), role: managed.role, what: 'liveness-restart' });
        // Exiting restarts it (the exit handler), as the kubelet does after a failed liveness probe.
        child.kill('SIGKILL');
      }
    }
  }

  /** Asks every process to stop (SIGTERM), and kills what is still running after the grace period. */
  async stopAll(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.liveness) clearInterval(this.liveness);
    const exits = [...this.managed.values()].flatMap((managed) => {
      const child = managed.child;
      if (!child || child.pid === undefined) return [];
      this.stopped.add(child);
      return [
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
      ];
    });
    await Promise.all(exits);
    for (const log of this.logs) log.end();
  }

  starts(role: ChaosRole): number {
    return this.managed.get(role)?.starts ?? 0;
  }
}
