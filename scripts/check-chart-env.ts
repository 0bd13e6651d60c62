/**
 * Reads the environment the Helm chart gives each role (lines `DEPLOYMENT<TAB>NAME<TAB>VALUE`, VALUE as
 * YAML wrote it, as scripts/check-chart.sh extracts them from `helm template`) and checks the process would
 * accept it: loadSettings parses it, and every variable the chart sets is a setting leadstream reads, so a
 * renamed setting cannot leave the chart configuring nothing. Variables given with --allow (the value
 * set's extraEnv, meant for Node itself) are not settings.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSettings } from '../src/config/settings.js';

const { values, positionals } = parseArgs({
  options: { allow: { type: 'string', multiple: true, default: [] } },
  allowPositionals: true,
});
const file = positionals[0];
if (file === undefined) {
  process.stderr.write('usage: tsx scripts/check-chart-env.ts [--allow NAME]... ENV.tsv\n');
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
// The registry credentials are optional settings: absent from the defaults, present only when set.
const optional = new Set(['LEADSTREAM_REGISTRY_USERNAME', 'LEADSTREAM_REGISTRY_PASSWORD']);
const known = new Set([...Object.keys(loadSettings({})), ...optional, ...values.allow]);

let problems = 0;
if (Object.keys(byDeployment).length === 0) {
  process.stderr.write(`${file}: no Deployment environment found\n`);
  problems += 1;
}
for (const [deployment, env] of Object.entries(byDeployment)) {
  for (const name of Object.keys(env)) {
    if (!known.has(name)) {
      process.stderr.write(`${deployment}: ${name} is not a leadstream setting (src/config/settings.ts)\n`);
      problems += 1;
    }
  }
  try {
    loadSettings(env);
  } catch (error) {
    process.stderr.write(`${deployment}: ${(error as Error).message}\n`);
    problems += 1;
  }
}
process.exit(problems > 0 ? 1 : 0);
