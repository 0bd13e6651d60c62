import type { CliIO } from './cli-command.js';

/** Every level of the command line, the top, a group ("crm") and each command, takes it. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Refuses a command line: one line naming what is wrong, then the usage of the command it was meant
 * for, both on stderr, so a script's output stays clean and a person sees what to type instead. Its
 * exit code is 2, as for every command line refused before anything ran.
 */
export function refuseCommandLine(io: CliIO, command: string, reason: string, usage: string): number {
  io.stderr.write(`leadstream${command === '' ? '' : ` ${command}`}: ${reason}\n${usage}\n`);
  return 2;
}

/**
 * Why parseArgs refused a command line (it throws a TypeError coded ERR_PARSE_ARGS_*), first line only:
 * its "ambiguous" message goes on to suggest a spelling. Undefined for any other error.
 */
export function parseArgsRefusal(error: unknown): string | undefined {
  const code: unknown = error instanceof TypeError ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return undefined;
  return (error as TypeError).message.split('\n')[0];
}
