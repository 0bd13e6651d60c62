#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIO } from './cli-command.js';
import { HELP_OPTION, parseArgsRefusal, refuseCommandLine } from './command-line.js';
import { analyzeCommand } from './commands/analyze.js';
import { backfillCallRailCommand } from './commands/backfill-callrail.js';
import { crmProvisionCommand } from './commands/crm-provision.js';
import { crmTestCommand } from './commands/crm-test.js';
import { dbMigrateCommand } from './commands/db-migrate.js';
import { dlqReplayCommand } from './commands/dlq-replay.js';
import { eventsPublishCommand } from './commands/events-publish.js';
import { eventsValidateCommand } from './commands/events-validate.js';
import { mapCommand } from './commands/map.js';
import { runCommand } from './commands/run.js';
import { tenantsApplyCommand } from './commands/tenants-apply.js';
import { tenantsDiffCommand } from './commands/tenants-diff.js';
import { tenantsDisableCommand, tenantsEnableCommand } from './commands/tenants-enable.js';
import { tenantsGetCommand } from './commands/tenants-get.js';
import { tenantsListCommand } from './commands/tenants-list.js';
import { tenantsValidateCommand } from './commands/tenants-validate.js';
import { packageVersion } from './package-version.js';

/** Every subcommand, one line each; a command named in two words ("crm test") is in a group ("crm"). */
const COMMANDS: readonly CliCommand[] = [
  runCommand,
  mapCommand,
  analyzeCommand,
  tenantsValidateCommand,
  tenantsApplyCommand,
  tenantsGetCommand,
  tenantsListCommand,
  tenantsDiffCommand,
  tenantsDisableCommand,
  tenantsEnableCommand,
  crmProvisionCommand,
  crmTestCommand,
  dlqReplayCommand,
  eventsValidateCommand,
  eventsPublishCommand,
  backfillCallRailCommand,
  dbMigrateCommand,
];

const TOP_LEVEL_OPTIONS = { ...HELP_OPTION, version: { type: 'boolean' } } as const;

/** The usage of the top level (group "") or of a group such as "crm": its commands, one line each. */
function groupUsage(group: string): string {
  const prefix = group === '' ? '' : `${group} `;
  const lines = COMMANDS.filter(({ name }) => name.startsWith(prefix)).map(
    ({ name, summary }) => `  ${name.slice(prefix.length).padEnd(18)} ${summary}`,
  );
  const options = [
    `  -h, --help         print this usage (after a command: that command's usage)`,
    ...(group === '' ? [`  --version          print leadstream's version`] : []),
  ];
  return [
    `usage: leadstream ${prefix}<command> [options]`,
    '',
    'commands:',
    ...lines,
    '',
    'options:',
    ...options,
  ].join('\n');
}

/**
 * Runs the command the words of argv name below group: options before the first word belong to the
 * group (--help, and --version at the top level), the rest to the command, which parses them itself.
 */
async function dispatch(group: string, argv: readonly string[], io: CliIO): Promise<number> {
  const usage = groupUsage(group);
  const firstWord = argv.findIndex((arg) => !arg.startsWith('-'));
  const options = firstWord < 0 ? argv : argv.slice(0, firstWord);
  const words = firstWord < 0 ? [] : argv.slice(firstWord);
  let values: { help?: boolean; version?: boolean };
  try {
    values = parseArgs({
      args: [...options],
      options: group === '' ? TOP_LEVEL_OPTIONS : HELP_OPTION,
      strict: true,
    }).values;
  } catch (error) {
    const reason = parseArgsRefusal(error);
    if (reason === undefined) throw error;
    return refuseCommandLine(io, group, reason, usage);
  }
  if (values.version === true) {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const [word, ...rest] = words;
  if (values.help === true || (group === '' && (word === undefined || word === 'help'))) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  if (word === undefined) return refuseCommandLine(io, group, 'missing command', usage);
  const name = group === '' ? word : `${group} ${word}`;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command) return command.run(rest, io);
  if (COMMANDS.some((candidate) => candidate.name.startsWith(`${name} `))) return dispatch(name, rest, io);
  return refuseCommandLine(io, group, `unknown command "${word}"`, usage);
}

export function main(argv: readonly string[], io: CliIO): Promise<number> {
  return dispatch('', argv, io);
}

function invokedAsProgram(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedAsProgram()) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`leadstream: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
