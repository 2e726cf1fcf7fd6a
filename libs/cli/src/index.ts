export { EXIT, helpText, parseCommandLine, runCli, UsageError } from './lib/command-line';
export type { CliDeclaration, CommandDeclaration, CommandLine, OptionDeclaration, ParsedCommandLine } from './lib/command-line';
export { recordsTable, textTable } from './lib/text-table';
