/**
 * A one-line progress bar on stderr. On a terminal it redraws in place; elsewhere (CI logs, pipes)
 * it prints a line at each tenth so logs stay short.
 */
export class ProgressBar {
  private lastDecile = -1;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly unit: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(done: number, total: number, detail = ''): void {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const line = `${this.label.padEnd(6)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${this.unit}${detail ? '  ' + detail : ''}`;
    if (this.tty) {
      this.stream.write(`\r${line}\x1b[K`);
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(line + '\n');
    }
  }

  /** Ends the bar with a final message on its line. */
  finish(message: string): void {
    this.stream.write(this.tty ? `\r${this.label.padEnd(6)} ${message}\x1b[K\n` : `${this.label.padEnd(6)} ${message}\n`);
  }
}
