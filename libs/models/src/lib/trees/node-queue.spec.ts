import { NodeQueue } from './node-queue';

describe('NodeQueue', () => {
  it('pops items in the order `before` defines, whatever the push order', () => {
    const queue = new NodeQueue<{ gain: number; id: number }>((a, b) => a.gain > b.gain || (a.gain === b.gain && a.id < b.id));
    const gains = [0.5, 3, 1, 3, 0.1, 2, 7, 1];
    gains.forEach((gain, id) => queue.push({ gain, id }));
    const popped: number[] = [];
    for (let item = queue.pop(); item; item = queue.pop()) popped.push(item.id);
    expect(popped).toEqual([6, 1, 3, 5, 2, 7, 0, 4]);
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
  });

  it('hands back what is left', () => {
    const queue = new NodeQueue<number>((a, b) => a < b);
    [3, 1, 2].forEach((v) => queue.push(v));
    expect(queue.drain().sort()).toEqual([1, 2, 3]);
    expect(queue.size).toBe(0);
  });
});
