/**
 * What the deployment files may name, as the code declares it: the service's settings (env.example,
 * held equal to the API's CONFIG_DEFAULTS by apps/api/src/config/api-config.spec.ts) and the
 * options of the built command lines (their --help, derived from the one declaration per CLI).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, run } from './scratch';

/** The settings of env.example with their default values, in file order. */
export function envExample(): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const line of readFileSync(path.join(ROOT, 'env.example'), 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) settings[match[1]] = match[2];
  }
  return settings;
}

/** The options (`--model`, `-h`, ...) that `node <entry> --help` lists, for a built entry under dist/apps. */
export function helpOptions(entry: string): Set<string> {
  const help = run(process.execPath, [entry, '--help'], { cwd: ROOT });
  if (help.status !== 0) throw new Error(`node ${entry} --help failed (${help.status}):\n${help.output}`);
  const options = new Set<string>();
  for (const match of help.stdout.matchAll(/^ {2}(?:(-[a-z]), )?(--[a-z][a-z-]*)/gm)) {
    if (match[1]) options.add(match[1]);
    options.add(match[2]);
  }
  if (options.size === 0) throw new Error(`node ${entry} --help lists no option:\n${help.output}`);
  return options;
}
