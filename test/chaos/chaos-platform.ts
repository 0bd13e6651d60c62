import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The broker and registry a chaos run uses, and how to restart that broker: scripts/platform.sh with the
 * same KAFKA_PORT, KAFKA_CONTROLLER_PORT, REGISTRY_PORT and LEADSTREAM_PLATFORM_DIR the instance was
 * brought up with, so a run against a second instance never touches the default one.
 */
export interface ChaosPlatform {
  brokers: string;
  registryUrl: string;
  /** The platform.sh variables of the instance, passed to `platform.sh restart kafka`. */
  platformEnv: Record<string, string>;
  /** Why the broker may not be restarted by this run; undefined when it may. */
  restartRefusal: string | undefined;
}

const PLATFORM_VARIABLES = [
  'KAFKA_PORT',
  'KAFKA_CONTROLLER_PORT',
  'REGISTRY_PORT',
  'LEADSTREAM_PLATFORM_DIR',
  'KAFKA_HEAP',
  'REGISTRY_HEAP',
  'JAVA_HOME',
] as const;

export function chaosPlatform(env: NodeJS.ProcessEnv): ChaosPlatform {
  const kafkaPort = env.KAFKA_PORT ?? '9092';
  const registryPort = env.REGISTRY_PORT ?? '8081';
  const own = `127.0.0.1:${kafkaPort}`;
  const brokers = env.KAFKA_BROKERS ?? own;
  const registryUrl = env.LEADSTREAM_REGISTRY_URL ?? `http://127.0.0.1:${registryPort}/apis/ccompat/v7`;
  const platformEnv: Record<string, string> = {};
  for (const name of PLATFORM_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') platformEnv[name] = value;
  }
  // Restarting is only safe for the broker platform.sh manages at KAFKA_PORT: a KAFKA_BROKERS naming
  // another broker would have this run restart a broker it does not test, perhaps someone else's.
  const restartRefusal =
    brokers === own ? undefined : `KAFKA_BROKERS=${brokers} is not the platform's broker ${own}`;
  return { brokers, registryUrl, platformEnv, restartRefusal };
}

/** `bash scripts/platform.sh restart kafka` for this instance; resolves when the broker answers again. */
export async function restartBroker(platform: ChaosPlatform, log: (line: string) => void): Promise<void> {
  if (platform.restartRefusal !== undefined)
    throw new Error(`broker restart refused: ${platform.restartRefusal}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', ['scripts/platform.sh', 'restart', 'kafka'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...platform.platformEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      for (const line of output.join('').split('\n').filter(Boolean)) log(line);
      if (code === 0) resolve();
      else reject(new Error(`platform.sh restart kafka exited ${code}`));
    });
  });
}
