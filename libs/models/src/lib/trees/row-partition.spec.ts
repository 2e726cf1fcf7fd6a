import { partitionRows } from './row-partition';

describe('partitionRows', () => {
  it('moves the rows going left first, both sides keeping their order, and counts them', () => {
    const rows = Uint32Array.of(9, 0, 2, 3, 5, 7, 8, 1);
    const column = Uint8Array.of(0, 1, 2, 0, 0, 2, 0, 1, 2, 0); // bin of each row id
    const goesLeft = new Uint8Array(256);
    goesLeft[1] = 1;
    goesLeft[2] = 1;
    // Partition the middle range rows[1..7): ids 0 2 3 5 7 8 with bins 0 2 0 2 1 2.
    const nLeft = partitionRows(rows, new Uint32Array(8), 1, 7, column, goesLeft);
    expect(nLeft).toBe(4);
    expect(Array.from(rows)).toEqual([9, 2, 5, 7, 8, 0, 3, 1]);
  });
});
