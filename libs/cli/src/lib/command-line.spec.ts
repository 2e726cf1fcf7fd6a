import { helpText, parseCommandLine, runCli, UsageError, type CliDeclaration } from './command-line';

const CLI = {
  name: 'demo',
  command: 'npm run demo --',
  description: 'Shows what a declaration gives.',
  options: {
    input: { type: 'string', value: 'FILE', required: true, meaning: 'what to read' },
    rows: { type: 'string', value: 'N', default: '500', meaning: 'how many rows' },
    cost: { type: 'string', value: 'N', defaultText: "the spec's, else 2", meaning: 'what a row costs' },
    note: { type: 'string', meaning: 'free text' },
    dry: { type: 'boolean', short: 'n', meaning: 'write nothing' },
  },
} as const satisfies CliDeclaration;

const SECTIONS = {
  ...CLI,
  options: {},
  positionals: { name: 'section', defaultText: 'all', choices: { data: 'the generator', api: 'the service' } },
} as const satisfies CliDeclaration;

const COMMANDS = {
  ...CLI,
  options: { models: { type: 'string', value: 'DIR', default: 'models', meaning: 'where the bundles are' } },
  commands: { list: { meaning: 'every bundle' }, promote: { args: ['VERSION'], meaning: 'make VERSION current' }, diff: { args: ['A', 'B'], meaning: 'A beside B' } },
} as const satisfies CliDeclaration;

function parsed(argv: string[]) {
  const args = parseCommandLine(CLI, argv);
  if (args.help) throw new Error('expected a command line, not --help');
  return args;
}

describe('parseCommandLine', () => {
  it('fills in defaults and tells given options from defaulted ones', () => {
    const args = parsed(['--input', 'a.csv', '-n']);
    expect(args.values).toEqual({ input: 'a.csv', rows: '500', dry: true });
    expect([...args.given].sort()).toEqual(['dry', 'input']);
    expect(parsed(['--input=a.csv', '--rows=3']).values).toEqual({ input: 'a.csv', rows: '3', dry: false });
  });

  it('answers --help or -h anywhere, before checking anything else', () => {
    expect(parseCommandLine(CLI, ['--nope', '--help'])).toEqual({ help: true });
    expect(parseCommandLine(CLI, ['-h'])).toEqual({ help: true });
  });

  it.each([
    [['--input', 'a', '--nope'], 'unknown option --nope'],
    [['--input', 'a', '-x'], 'unknown option -x'],
    [['--input'], '--input needs a value'],
    [['--input', 'a', '--rows', '-1'], '--rows needs a value (for one that starts with "-", write --rows=-1)'],
    [['--input', 'a', '--dry=yes'], '--dry takes no value'],
    [['--input', 'a', 'extra'], 'unexpected argument "extra"'],
    [['--rows', '3'], '--input is required'],
  ])('refuses %j with "%s"', (argv, message) => {
    expect(() => parseCommandLine(CLI, argv)).toThrow(new UsageError(message));
  });

  it('takes declared positionals, and names the choices of an unknown one', () => {
    const args = parseCommandLine(SECTIONS, ['api', 'data']);
    expect(args.help === false && args.positionals).toEqual(['api', 'data']);
    expect(() => parseCommandLine(SECTIONS, ['apx'])).toThrow(new UsageError('unknown section "apx" (one of data, api)'));
  });
});

describe('helpText', () => {
  it('gives the usage, the description, every option with its meaning and default, and the exit codes', () => {
    expect(helpText(CLI)).toBe(
      [
        'usage: npm run demo -- --input FILE [options]',
        '',
        'Shows what a declaration gives.',
        '',
        'options:',
        '  --input FILE  what to read (required)',
        '  --rows N      how many rows (default: 500)',
        "  --cost N      what a row costs (default: the spec's, else 2)",
        '  --note VALUE  free text',
        '  -n, --dry     write nothing',
        '  -h, --help    print this help and exit',
        '',
        'exit codes:',
        '  0    done',
        '  1    failed; one line on stderr says why',
        '  2    usage: an unknown option, a missing or bad value; one line on stderr names it',
        '  130  interrupted by SIGINT (Ctrl-C)',
        '  143  interrupted by SIGTERM',
      ].join('\n'),
    );
  });

  it('lists the positionals with their default, and wraps long meanings under their column', () => {
    const long = { ...SECTIONS, positionals: { ...SECTIONS.positionals, choices: { data: 'word '.repeat(30).trim() } } };
    const lines = helpText(long).split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'usage: npm run demo -- [options] [section ...]',
      '',
      'Shows what a declaration gives.',
      '',
      'sections (default: all):',
      `  data        ${'word '.repeat(17).trim()}`,
    ]);
    expect(lines[6]).toBe(`              ${'word '.repeat(13).trim()}`);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
  });
});

describe('runCli', () => {
  let out: string[];
  let err: string[];
  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  it('exits 0 after printing the help to stdout', async () => {
    expect(await runCli(CLI, ['--help'], async () => undefined)).toBe(0);
    expect(out).toEqual([helpText(CLI)]);
    expect(err).toEqual([]);
  });

  it('exits 2 with one line naming the mistake, whether the parser or the run finds it', async () => {
    const run = jest.fn(async () => undefined);
    expect(await runCli(CLI, ['--input', 'a', '--nope'], run)).toBe(2);
    expect(run).not.toHaveBeenCalled();
    expect(await runCli(CLI, ['--input', 'a', '--rows', 'many'], async () => Promise.reject(new UsageError('--rows must be a number, got "many"')))).toBe(2);
    expect(err).toEqual([
      'demo: unknown option --nope; see npm run demo -- --help',
      'demo: --rows must be a number, got "many"; see npm run demo -- --help',
    ]);
  });

  it('exits 1 with the message when the run fails, and 0 when it completes', async () => {
    expect(await runCli(CLI, ['--input', 'a'], async () => Promise.reject(new Error('a: no such file')))).toBe(1);
    expect(err).toEqual(['demo: a: no such file']);
    expect(await runCli(CLI, ['--input', 'a'], async () => undefined)).toBe(0);
  });
});

describe('commands', () => {
  it('takes a command and exactly its arguments, options anywhere', () => {
    const args = parseCommandLine(COMMANDS, ['promote', '--models', 'm', 'v2']);
    expect(args).toMatchObject({ help: false, positionals: ['promote', 'v2'], values: { models: 'm' } });
    expect(parseCommandLine(COMMANDS, ['list'])).toMatchObject({ positionals: ['list'], values: { models: 'models' } });
  });

  it('names what is wrong', () => {
    expect(() => parseCommandLine(COMMANDS, [])).toThrow(new UsageError('a command is required (one of list, promote, diff)'));
    expect(() => parseCommandLine(COMMANDS, ['lsit'])).toThrow(new UsageError('unknown command "lsit" (one of list, promote, diff)'));
    expect(() => parseCommandLine(COMMANDS, ['promote'])).toThrow(new UsageError('promote VERSION: VERSION is missing'));
    expect(() => parseCommandLine(COMMANDS, ['diff', 'a'])).toThrow(new UsageError('diff A B: B is missing'));
    expect(() => parseCommandLine(COMMANDS, ['list', 'extra'])).toThrow(new UsageError('list: unexpected argument "extra"'));
  });

  it('lists the commands with their arguments in the help', () => {
    const help = helpText(COMMANDS);
    expect(help.split('\n')[0]).toBe('usage: npm run demo -- COMMAND [ARG ...] [options]');
    expect(help).toMatch(/^commands:\n  list +every bundle\n  promote VERSION +make VERSION current\n  diff A B +A beside B\n$/m);
  });
});

