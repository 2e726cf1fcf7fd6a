import { PassThrough } from 'node:stream';
import { readLineBatches } from './read-line-batches';

function streamOf(chunks: Buffer[]): PassThrough {
  const stream = new PassThrough();
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return stream;
}

async function collect(stream: PassThrough, maxLineLength?: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of readLineBatches(stream, maxLineLength)) lines.push(...batch);
  return lines;
}

describe('readLineBatches', () => {
  it('joins lines split across chunks, including a character split between its bytes', async () => {
    const bytes = Buffer.from('a,b\r\nCafé,1\n\nlast', 'utf8');
    const cut = bytes.indexOf(0xa9); // the second byte of "é"
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, cut), bytes.subarray(cut)];
    expect(await collect(streamOf(chunks))).toEqual(['a,b\r', 'Café,1', '', 'last']);
  });

  it('yields nothing for an empty stream and no empty last line after a final newline', async () => {
    expect(await collect(streamOf([]))).toEqual([]);
    expect(await collect(streamOf([Buffer.from('x\n')]))).toEqual(['x']);
  });

  it('refuses a line longer than the limit instead of holding it', async () => {
    await expect(collect(streamOf([Buffer.from('ok\n'), Buffer.from('y'.repeat(50))]), 40)).rejects.toThrow(
      'a line is longer than 40 characters: not a CSV file of records?',
    );
  });
});
