/**
 * Reads the environment the Helm chart gives each role (lines `DEPLOYMENT<TAB>NAME<TAB>VALUE`, VALUE as
 * YAML wrote it, as scripts/check-chart.sh extracts them from `helm template`) and checks the process would
 * accept it: loadSettings parses it, and every variable the chart sets is a setting leadstream reads, so a
 * renamed setting cannot leave the chart configuring nothing. Variables given with --allow (the value
 * set's extraEnv, meant for Node itself) are not settings. Each --expect DEPLOYMENT:NAME=VALUE (the value
 * set's `# expect-env:` lines) must hold for the setting as the process parses it, e.g. the backend the
 * secret-reading roles choose.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSettings, type Settings } from '../src/config/settings.js';

const { values, positionals } = parseArgs({
  options: {
    allow: { type: 'string', multiple: true, default: [] },
    expect: { type: 'string', multiple: true, default: [] },
  },
  allowPositionals: true,
});
const file = positionals[0];
if (file === undefined) {
  process.stderr.write(
    'usage: tsx scripts/check-chart-env.ts [--allow NAME]... [--expect DEPLOYMENT:NAME=VALUE]... ENV.tsv\n',
  );
  process.exit(2);
}

/** helm's `quote` writes a Go-quoted string, which for these values is a JSON string; toYaml leaves plain scalars bare. */
function scalar(text: string): string {
  return text.startsWith('"') ? (JSON.parse(text) as string) : text.replace(/^'(.*)'$/, '$1');
}

const byDeployment: Record<string, Record<string, string>> = {};
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (line === '') continue;
  const [deployment = '', name = '', value = ''] = line.split('\t');
  byDeployment[deployment] ??= {};
  byDeployment[deployment][name] = scalar(value);
}
// The registry credentials, the tenant store's URL and the SMTP relay's are optional settings: absent
// from the defaults, present only when set.
const optional = new Set([
  'LEADSTREAM_REGISTRY_USERNAME',
  'LEADSTREAM_REGISTRY_PASSWORD',
  'DATABASE_URL',
  'SMTP_URL',
]);
const known = new Set([...Object.keys(loadSettings({})), ...optional, ...values.allow]);

let problems = 0;
if (Object.keys(byDeployment).length === 0) {
  process.stderr.write(`${file}: no Deployment environment found\n`);
  problems += 1;
}
const parsed: Record<string, Settings> = {};
for (const [deployment, env] of Object.entries(byDeployment)) {
  for (const name of Object.keys(env)) {
    if (!known.has(name)) {
      process.stderr.write(`${deployment}: ${name} is not a leadstream setting (src/config/settings.ts)\n`);
      problems += 1;
    }
  }
  try {
    parsed[deployment] = loadSettings(env);
  } catch (error) {
    process.stderr.write(`${deployment}: ${(error as Error).message}\n`);
    problems += 1;
  }
}
for (const expectation of values.expect) {
  const match = /^([^:]+):([A-Z0-9_]+)=(.*)$/.exec(expectation);
  if (match === null) {
    process.stderr.write(`--expect ${expectation}: not DEPLOYMENT:NAME=VALUE\n`);
    problems += 1;
    continue;
  }
  const [, deployment = '', name = '', wanted = ''] = match;
  const settings = parsed[deployment];
  if (settings === undefined) {
    process.stderr.write(
      `${deployment}: no such Deployment (or its environment is refused), expected ${name}=${wanted}\n`,
    );
    problems += 1;
  } else if (!(name in settings)) {
    process.stderr.write(`${deployment}: ${name} is not a leadstream setting (src/config/settings.ts)\n`);
    problems += 1;
  } else {
    const got = String(settings[name as keyof Settings]);
    if (got !== wanted) {
      process.stderr.write(`${deployment}: ${name} is ${got} as leadstream reads it, expected ${wanted}\n`);
      problems += 1;
    }
  }
}
process.exit(problems > 0 ? 1 : 0);
