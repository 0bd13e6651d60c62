#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliCommand, CliIO } from './cli-command.js';
import { analyzeCommand } from './commands/analyze.js';
import { crmProvisionCommand } from './commands/crm-provision.js';
import { crmTestCommand } from './commands/crm-test.js';
import { dlqReplayCommand } from './commands/dlq-replay.js';
import { mapCommand } from './commands/map.js';
import { runCommand } from './commands/run.js';
import { tenantsValidateCommand } from './commands/tenants-validate.js';

/** Every subcommand, one line each. */
const COMMANDS: readonly CliCommand[] = [
  runCommand,
  mapCommand,
  analyzeCommand,
  tenantsValidateCommand,
  crmProvisionCommand,
  crmTestCommand,
  dlqReplayCommand,
];

function usage(io: CliIO): void {
  io.stdout.write('usage: leadstream <command> [options]\n\ncommands:\n');
  for (const command of COMMANDS) io.stdout.write(`  ${command.name.padEnd(18)} ${command.summary}\n`);
}

/** The command whose words start argv, longest name first ("tenants validate" before "tenants"). */
function findCommand(argv: readonly string[]): { command: CliCommand; rest: string[] } | undefined {
  const byLength = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of byLength) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    usage(io);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr.write(`leadstream: unknown command "${argv.join(' ')}"\n`);
    usage(io);
    return 2;
  }
  if (found.rest.includes('--help')) {
    io.stdout.write(`${found.command.usage}\n`);
    return 0;
  }
  return found.command.run(found.rest, io);
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
