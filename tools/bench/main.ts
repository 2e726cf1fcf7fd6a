/**
 * npm run bench [-- section ...]   (`npm run bench -- --help` lists the sections: bench-cli.ts)
 * Runs the benchmark sections (all by default) and prints each one's table. Exits 0 done,
 * 1 failed, 2 usage.
 */
import { benchCli } from './bench-cli';

// Done: exitCode, as the tables may still be flushing to standard output. Failed: exit(), as a
// section that threw may have left a server or a child process holding the event loop.
benchCli(process.argv.slice(2)).then((code) => (code === 0 ? (process.exitCode = 0) : process.exit(code)));
