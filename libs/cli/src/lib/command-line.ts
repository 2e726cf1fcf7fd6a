/**
 * A command line declared once: every option's name, type, default and meaning, from which both the
 * parser and the `--help` text derive, so the help cannot drift from what is parsed. Every CLI of
 * this workspace exits the same way: 0 done, 1 failed, 2 usage, 130 / 143 interrupted.
 */
import { parseArgs } from 'node:util';

export interface OptionDeclaration {
  type: 'string' | 'boolean';
  /** What the help calls the value: FILE, DIR, N. */
  value?: string;
  short?: string;
  /** The value a string option takes when it is not given. */
  default?: string;
  /** What the help says instead of `default` when the default is not one fixed value. */
  defaultText?: string;
  required?: boolean;
  meaning: string;
}

export interface CliDeclaration {
  /** Starts every line the CLI writes on stderr: `train: ...`. */
  name: string;
  /** How a user runs it, up to its own arguments: `npm run train --`. */
  command: string;
  /** One line: what it does. */
  description: string;
  options: Readonly<Record<string, OptionDeclaration>>;
  /** Arguments that are not options (bench's sections); without this, none is accepted. */
  positionals?: { name: string; defaultText: string; choices: Readonly<Record<string, string>> };
  /**
   * Subcommands (`npm run models -- promote VERSION`): the first argument names one, the ones after
   * it are its arguments, as many as it declares. Not with `positionals`.
   */
  commands?: Readonly<Record<string, CommandDeclaration>>;
}

export interface CommandDeclaration {
  /** What the help calls each argument, in order: VERSION. */
  args?: readonly string[];
  meaning: string;
}

/** One convention for every CLI; 130 and 143 are what a shell reports for 128 + the signal's number. */
export const EXIT = { done: 0, failed: 1, usage: 2 } as const;

const EXIT_LINES = [
  '  0    done',
  '  1    failed; one line on stderr says why',
  '  2    usage: an unknown option, a missing or bad value; one line on stderr names it',
  '  130  interrupted by SIGINT (Ctrl-C)',
  '  143  interrupted by SIGTERM',
];

const HELP: OptionDeclaration = { type: 'boolean', short: 'h', meaning: 'print this help and exit' };
const HELP_WIDTH = 100;

/** A command line the CLI cannot run: names what is wrong. The CLI exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionValue<O extends OptionDeclaration> = O['type'] extends 'boolean'
  ? boolean
  : O extends { default: string } | { required: true }
    ? string
    : string | undefined;

export type CommandLine<D extends CliDeclaration> =
  | { help: true }
  | {
      help: false;
      values: { [K in keyof D['options']]: OptionValue<D['options'][K]> };
      positionals: string[];
      /** The options written on the command line, as opposed to defaulted. */
      given: ReadonlySet<string>;
    };

/** A command line that is to be run, not answered with the help. */
export type ParsedCommandLine<D extends CliDeclaration> = Extract<CommandLine<D>, { help: false }>;

/**
 * Parses `argv` by the declaration. `--help` anywhere wins over everything else. Throws a
 * UsageError for an unknown option, an option without its value, a value given to a flag, a
 * missing required option, or an argument the CLI does not take.
 */
export function parseCommandLine<D extends CliDeclaration>(cli: D, argv: readonly string[]): CommandLine<D> {
  const declared: Record<string, OptionDeclaration> = { ...cli.options, help: HELP };
  const options = Object.fromEntries(
    Object.entries(declared).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short === undefined ? {} : { short: o.short }), ...(o.default === undefined ? {} : { default: o.default }) },
    ]),
  );
  // Not strict: the tokens are checked here, so that each mistake gets a message of this workspace.
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };

  const given = new Set<string>();
  const commands = cli.commands;
  if (commands) checkCommand(commands, positionals);
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional' && commands) continue;
    if (token.kind === 'positional') {
      const p = cli.positionals;
      if (!p) throw new UsageError(`unexpected argument "${token.value}"`);
      if (!Object.hasOwn(p.choices, token.value)) {
        throw new UsageError(`unknown ${p.name} "${token.value}" (one of ${Object.keys(p.choices).join(', ')})`);
      }
      continue;
    }
    const option = Object.hasOwn(declared, token.name) ? declared[token.name] : undefined;
    if (!option) throw new UsageError(`unknown option ${token.rawName}`);
    if (option.type === 'boolean' && token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
    if (option.type === 'string' && token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
    if (option.type === 'string' && !token.inlineValue && /^-./.test(token.value!)) {
      throw new UsageError(`${token.rawName} needs a value (for one that starts with "-", write ${token.rawName}=${token.value})`);
    }
    given.add(token.name);
  }
  for (const [name, o] of Object.entries(cli.options)) {
    if (o.required && !given.has(name)) throw new UsageError(`--${name} is required`);
    if (o.type === 'boolean') values[name] ??= false;
  }
  delete values.help;
  return { help: false, values: values as ParsedCommandLine<D>['values'], positionals, given };
}

function checkCommand(commands: Readonly<Record<string, CommandDeclaration>>, positionals: readonly string[]): void {
  const names = Object.keys(commands).join(', ');
  const [name, ...args] = positionals;
  if (name === undefined) throw new UsageError(`a command is required (one of ${names})`);
  if (!Object.hasOwn(commands, name)) throw new UsageError(`unknown command "${name}" (one of ${names})`);
  const wanted = commands[name].args ?? [];
  if (args.length !== wanted.length) {
    const usage = [name, ...wanted].join(' ');
    throw new UsageError(args.length < wanted.length ? `${usage}: ${wanted.slice(args.length).join(' ')} is missing` : `${usage}: unexpected argument "${args[wanted.length]}"`);
  }
}

/** Usage, the one-line description, every option with its meaning and default, the exit codes. */
export function helpText(cli: CliDeclaration): string {
  const rows: [string, string][] = Object.entries(cli.options).map(([name, o]) => [optionLabel(name, o), optionMeaning(o)]);
  rows.push([optionLabel('help', HELP), HELP.meaning]);
  const p = cli.positionals;
  const commandRows = Object.entries(cli.commands ?? {}).map(([name, c]) => [[name, ...(c.args ?? [])].join(' '), c.meaning] as [string, string]);
  const labels = [...rows.map(([label]) => label), ...(p ? Object.keys(p.choices) : []), ...commandRows.map(([label]) => label)];
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  const lines = [`usage: ${usageLine(cli)}`, '', ...wrap(cli.description, 0), ''];
  if (commandRows.length > 0) {
    lines.push('commands:');
    for (const [label, meaning] of commandRows) lines.push(...wrap(`  ${label.padEnd(width)}${meaning}`, width + 2));
    lines.push('');
  }
  if (p) {
    lines.push(`${p.name}s (default: ${p.defaultText}):`);
    for (const [name, meaning] of Object.entries(p.choices)) lines.push(...wrap(`  ${name.padEnd(width)}${meaning}`, width + 2));
    lines.push('');
  }
  lines.push('options:');
  for (const [label, meaning] of rows) lines.push(...wrap(`  ${label.padEnd(width)}${meaning}`, width + 2));
  lines.push('', 'exit codes:', ...EXIT_LINES);
  return lines.join('\n');
}

/**
 * Runs a CLI: `--help` prints the help (exit 0); a UsageError, from the parser or thrown by `run`
 * while it reads the values, prints `<name>: <message>; see --help` (exit 2); any other error prints
 * `<name>: <message>` (exit 1). Resolves to the exit code; the entry point exits with it.
 */
export async function runCli<D extends CliDeclaration>(
  cli: D,
  argv: readonly string[],
  run: (args: ParsedCommandLine<D>) => Promise<void>,
): Promise<number> {
  try {
    const args = parseCommandLine(cli, argv);
    if (args.help) {
      console.log(helpText(cli));
      return EXIT.done;
    }
    await run(args);
    return EXIT.done;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${cli.name}: ${err.message}; see ${cli.command} --help`);
      return EXIT.usage;
    }
    console.error(`${cli.name}: ${(err as Error).message}`);
    return EXIT.failed;
  }
}

function usageLine(cli: CliDeclaration): string {
  const required = Object.entries(cli.options)
    .filter(([, o]) => o.required)
    .map(([name, o]) => optionLabel(name, o));
  const positionals = cli.positionals ? [`[${cli.positionals.name} ...]`] : [];
  const command = cli.commands ? ['COMMAND [ARG ...]'] : [];
  return [cli.command, ...command, ...required, '[options]', ...positionals].join(' ');
}

function optionLabel(name: string, o: OptionDeclaration): string {
  const value = o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : '';
  return `${o.short === undefined ? '' : `-${o.short}, `}--${name}${value}`;
}

function optionMeaning(o: OptionDeclaration): string {
  if (o.required) return `${o.meaning} (required)`;
  const fallback = o.defaultText ?? o.default;
  return fallback === undefined ? o.meaning : `${o.meaning} (default: ${fallback})`;
}

/** Breaks `text` at spaces to HELP_WIDTH columns; lines after the first are indented by `indent`. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  // Single spaces between words break; a column's padding does not, nor "(default: X)".
  for (const word of text.split(/(?<=\S)(?<!\(default:) (?=\S)/)) {
    if (line !== '' && line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}
