/** The training CLI as a function: arguments in, exit code out (tests call it directly). */
import { USAGE, parseTrainArgs } from './cli-options';
import { runTraining } from './training-run';

export async function trainCli(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseTrainArgs(argv);
  } catch (err) {
    console.error(`train: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const started = performance.now();
    await runTraining({ ...options, log: (line) => console.log(line) });
    console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (err) {
    console.error(`train: ${(err as Error).message}`);
    return 1;
  }
}
