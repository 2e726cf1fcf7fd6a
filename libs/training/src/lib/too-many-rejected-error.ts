/** The data is refused: more of its rows failed validation than the caller's `maxRejected` share allows. */
export class TooManyRejectedError extends Error {
  constructor(
    readonly file: string,
    readonly rejected: number,
    readonly total: number,
    readonly maxRejected: number,
  ) {
    super(`${file}: ${rejected} of ${total} rows rejected, more than the allowed share ${maxRejected}; fix the data or raise maxRejected`);
    this.name = 'TooManyRejectedError';
  }
}
