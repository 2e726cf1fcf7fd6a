/**
 * npm run data -- [options]   (`npm run data -- --help` lists them: DATA_CLI in data-cli.ts)
 * Writes generated sessions as CSV. Exits 0 done, 1 failed, 2 usage.
 */
import { dataCli } from './data-cli';

// Done: exitCode, not exit(), as `--out -` may still be flushing standard output.
dataCli(process.argv.slice(2)).then((code) => (code === 0 ? (process.exitCode = 0) : process.exit(code)));
