export { EXIT, helpText, parseCommandLine, runCli, UsageError } from './lib/command-line';
export type { CliDeclaration, CommandLine, OptionDeclaration, ParsedCommandLine } from './lib/command-line';
