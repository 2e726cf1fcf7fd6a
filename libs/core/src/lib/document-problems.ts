/**
 * The problems of one document (a spec, a fitted pipeline, a model file), each at its path in the
 * document: a reader collects every problem it can find, then reports them in one message, so a
 * document edited by hand is fixed in one go. The one way every document of the workspace is
 * checked.
 */
export class DocumentProblems {
  readonly list: string[] = [];

  /** `path` is where in the document (`trees[2].left`), empty for the document itself. */
  add(path: string, message: string): void {
    this.list.push(path === '' ? message : `${path} ${message}`);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /**
   * Nothing when no problem was found; else one Error: `source: problem`, or for several
   * `source: N problems in the <what>:` and one line each.
   */
  throwIfAny(source: string, what: string): void {
    if (this.list.length === 1) throw new Error(`${source}: ${this.list[0]}`);
    if (this.list.length > 1) throw new Error(`${source}: ${this.list.length} problems in the ${what}:\n  - ${this.list.join('\n  - ')}`);
  }
}
