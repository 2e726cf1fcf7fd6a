import { UsageError } from '@purchase/cli';
import { dialectCharacterProblem } from '@purchase/preprocessing';

/** --delimiter, declared once for the train and predict CLIs; `spec` says whose dialect it overrides. */
export function delimiterOption(spec: string) {
  return {
    type: 'string',
    value: 'CHAR',
    defaultText: `the "csv" delimiter of ${spec}, else ","`,
    meaning: "the CSV field delimiter of the input file, over the dataset spec's (a tab: --delimiter $'\\t')",
  } as const;
}

/** The --delimiter value, checked; undefined when not given. Throws a UsageError naming the option. */
export function delimiterArgument(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const problem = dialectCharacterProblem(text);
  if (problem) throw new UsageError(`--delimiter ${problem}`);
  return text;
}
