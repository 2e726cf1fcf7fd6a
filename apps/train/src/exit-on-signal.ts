import { onSignalWhileTracking, removeTrackedTemps, removedTempsLine } from '@purchase/core';

/** 128 + the signal's number: what a shell reports for a process the signal ended. */
const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Makes Ctrl-C and `kill` leave nothing half-written behind: on SIGINT or SIGTERM while files are
 * being written, they are removed (synchronously), one line on stderr says which, and the process
 * exits 130 or 143. At other times (training a model) the signal ends the process at once, as
 * Node does by default; a shell reports the same 130 or 143.
 */
export function exitOnSignal(cli: string): void {
  onSignalWhileTracking((signal) => {
    const { removed, failed } = removeTrackedTemps();
    const left = failed.length > 0 ? `; could not remove ${failed.join(', ')}` : '';
    // On a terminal a progress bar may hold the cursor in the middle of its line.
    const newline = process.stderr.isTTY ? '\n' : '';
    process.stderr.write(`${newline}${cli}: interrupted by ${signal}; ${removedTempsLine(removed, 'own')}${left}\n`);
    process.exit(EXIT_CODES[signal] ?? 1);
  });
}
