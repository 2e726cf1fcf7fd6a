/** The training CLI as a function: arguments in, exit code out (tests call it directly). */
import path from 'node:path';
import { importBundle } from '@purchase/inference';
import { removedTempsLine } from '@purchase/core';
import { TRAIN_CLI, trainCommand } from './cli-options';
import { runCli } from '@purchase/cli';
import { runTraining } from './training-run';

export function trainCli(argv: string[]): Promise<number> {
  return runCli(TRAIN_CLI, argv, async (args) => {
    const { fromBundle, ...options } = trainCommand(args);
    const log = (line: string) => console.log(line);
    const started = performance.now();
    if (fromBundle === undefined) {
      await runTraining({ ...options, log });
    } else {
      const bundle = await importBundle(fromBundle, options.out);
      const how = bundle.reused ? 'already there, reused' : `copied from ${fromBundle}`;
      log(`bundle: ${bundle.dir} (version ${bundle.version}, ${how}); ${path.join(options.out, 'current')} -> ${bundle.version}`);
      if (bundle.removedTemps.length > 0) log(removedTempsLine(bundle.removedTemps, 'stale'));
    }
    log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
}
