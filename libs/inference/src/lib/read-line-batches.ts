import type { Readable } from 'node:stream';

/** Longer than any CSV record of this project by far; a file without newlines must not fill memory. */
export const MAX_LINE_LENGTH = 1 << 20;

/**
 * The lines of a text stream, yielded a chunk's worth at a time (one await per ~64 KiB, not per
 * line), in constant memory: only the current chunk and an unfinished last line are held. Lines are
 * split on "\n"; a "\r" before it is left for the CSV splitter, which drops it.
 */
export async function* readLineBatches(stream: Readable, maxLineLength = MAX_LINE_LENGTH): AsyncGenerator<string[]> {
  stream.setEncoding('utf8'); // decodes multi-byte characters split across chunks
  let carry = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop() as string;
    if (carry.length > maxLineLength) throw new Error(`a line is longer than ${maxLineLength} characters: not a CSV file of records?`);
    if (lines.length > 0) yield lines;
  }
  if (carry.length > 0) yield [carry];
}
