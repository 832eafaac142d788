import { describe, expect, it } from 'vitest';
import { mapConcurrently } from '../../src/plugin/concurrency';

describe('mapConcurrently', () => {
  it('keeps at most `limit` calls pending and returns results in input order', async () => {
    let pending = 0;
    let most = 0;
    const results = await mapConcurrently([30, 5, 20, 1, 10, 2, 7], 3, async (ms) => {
      pending++;
      most = Math.max(most, pending);
      await new Promise((resolve) => setTimeout(resolve, ms));
      pending--;
      return ms * 2;
    });
    expect(results).toEqual([60, 10, 40, 2, 20, 4, 14]);
    expect(most).toBe(3);
  });

  it('rejects with the first error and starts nothing after it', async () => {
    const started: number[] = [];
    const run = mapConcurrently([1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
      return n;
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });

  it('handles no items and refuses a limit below 1', async () => {
    expect(await mapConcurrently([], 4, async () => 1)).toEqual([]);
    await expect(mapConcurrently([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
