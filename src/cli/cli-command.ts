/** Where a command writes; tests pass buffers, main() passes the process streams. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/**
 * One `leadstream <name>` subcommand. run() parses its own arguments (see defineCommand: `--help` and
 * refused command lines included) and returns the process exit code.
 */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}
