import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { Scheduler } from './scheduler.js';

describe('Scheduler', () => {
  it('orders by due time, then by the order tasks were added', () => {
    const s = new Scheduler();
    const ran: string[] = [];
    const add = (due: number, name: string) => s.add(due, name, () => ran.push(name));
    add(5, 'c');
    add(1, 'a1');
    add(3, 'b');
    add(1, 'a2');
    const cancelled = add(2, 'x');
    add(1, 'a3');
    s.cancel(cancelled);
    for (let t = s.pop(); t; t = s.pop()) if (t.live) t.run();
    expect(ran).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
  });

  it('keeps the total order over many random insertions', () => {
    const rng = createRng(3);
    const s = new Scheduler();
    const added = Array.from({ length: 2000 }, (_, i) => s.add(rng.int(0, 50), String(i), () => {}));
    const popped = [];
    for (let t = s.pop(); t; t = s.pop()) popped.push(t);
    const expected = [...added].sort((x, y) => x.due - y.due || x.seq - y.seq);
    expect(popped.map((t) => t.seq)).toEqual(expected.map((t) => t.seq));
  });
});

describe('createRng', () => {
  it('draws the same sequence from the same seed, another from another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRng(seed).next);
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    const r = createRng(9);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 7);
      expect(v >= 3 && v <= 7 && Number.isInteger(v)).toBe(true);
    }
  });

  it('refuses a seed that is not a number', () => {
    expect(() => createRng(Number.NaN)).toThrow(/finite number/);
  });
});
