import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CliCommand, CliIO } from './cli-command.js';
import { HELP_OPTION, parseArgsRefusal, refuseCommandLine } from './command-line.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A command's options as parseArgs types them: a string option is string | undefined unless defaulted. */
export type OptionValues<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>['values'];

/** What a command's body receives once its command line parsed. */
export interface CommandInput<O extends OptionsConfig> {
  values: OptionValues<O>;
  positionals: string[];
  /** Refuses the command line (a value or argument that parsed but is wrong or missing): exit code 2. */
  refuse(reason: string): number;
}

export interface CommandDefinition<O extends OptionsConfig> {
  name: string;
  summary: string;
  usage: string;
  options: O;
  /** Whether it takes arguments besides its options (FILE...); without, any is refused. */
  positionals: boolean;
  run(input: CommandInput<O>, io: CliIO): Promise<number>;
}

/**
 * A command whose options parseArgs reads: `--help`/`-h` prints its usage and exits 0; an unknown
 * option, a missing option value or an unexpected argument is refused with the reason and the usage
 * (exit 2) before the command does anything.
 */
export function defineCommand<const O extends OptionsConfig>(definition: CommandDefinition<O>): CliCommand {
  const { name, summary, usage } = definition;
  return {
    name,
    summary,
    usage,
    async run(args, io) {
      const refuse = (reason: string) => refuseCommandLine(io, name, reason, usage);
      let parsed: ReturnType<typeof parseArgs>;
      try {
        parsed = parseArgs({
          args,
          options: { ...definition.options, ...HELP_OPTION },
          allowPositionals: definition.positionals,
          strict: true,
        });
      } catch (error) {
        const reason = parseArgsRefusal(error);
        if (reason === undefined) throw error;
        return refuse(reason);
      }
      if (parsed.values.help === true) {
        io.stdout.write(`${usage}\n`);
        return 0;
      }
      const { help: _help, ...values } = parsed.values;
      // parseArgs was given exactly definition.options (and help, removed above), so its values have O's shape.
      return definition.run(
        { values: values as OptionValues<O>, positionals: parsed.positionals, refuse },
        io,
      );
    },
  };
}
