import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/** Where `npm run train` publishes, and the entry point it runs (relative to the workspace root). */
export const DEFAULT_MODEL_DIR = 'models/current';
export const TRAIN_ENTRY = 'apps/train/src/main.ts';
/** The training app of the production build (npm run build), beside this app's own. */
export const BUILT_TRAIN_ENTRY = 'dist/apps/train/main.js';

/** How the training app is run: its build when this is the build, its sources through esbuild otherwise. */
function trainCommand(): string[] {
  return process.env.PURCHASE_BUILD === 'dist' ? [BUILT_TRAIN_ENTRY] : ['tools/run-ts.mjs', TRAIN_ENTRY];
}

/**
 * `npm start` on a fresh clone: when the default bundle does not exist yet, train it by running
 * the training app as a child process (the API never imports training code), with its output on
 * stderr. Returns whether a bundle is now there; when it is not (a custom MODEL_DIR that is empty,
 * no training app, training failed), the service starts without a model and says so.
 */
export async function ensureModel(modelDir: string, logger: Logger, root = process.cwd()): Promise<boolean> {
  if (existsSync(path.resolve(root, modelDir))) return true;
  if (path.resolve(root, modelDir) !== path.resolve(root, DEFAULT_MODEL_DIR)) {
    logger.warn({ model_dir: modelDir }, 'no model bundle at MODEL_DIR; serving 503 until one is there, then SIGHUP or POST /admin/reload');
    return false;
  }
  const command = trainCommand();
  const entry = command[command.length - 1];
  if (!existsSync(path.resolve(root, entry))) {
    logger.warn(
      { model_dir: modelDir, train_entry: entry },
      `no model bundle at ${modelDir} and the training app is missing; train one with "npm run train", then SIGHUP or POST /admin/reload`,
    );
    return false;
  }
  logger.info({ model_dir: modelDir }, 'no model bundle yet: training the default model first (npm run train)');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, command, { cwd: root, stdio: ['ignore', 2, 2] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !existsSync(path.resolve(root, modelDir))) {
    logger.error({ exit_code: code, model_dir: modelDir }, 'training the default model failed; serving 503 until a bundle is there');
    return false;
  }
  return true;
}
