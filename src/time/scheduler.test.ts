import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { FnTask, Scheduler, type Batch, type Task } from './scheduler.js';

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

describe('Scheduler runs (tasks due at the same time kept together)', () => {
  it('keeps the total order when tasks due at different times interleave and most are cancelled', () => {
    const rng = createRng(7);
    const s = new Scheduler();
    const added = Array.from({ length: 6000 }, (_, i) => s.add(rng.int(0, 5) * 1000, String(i), () => {}));
    for (const t of added) if (rng.chance(0.7)) s.cancel(t);
    // More tasks after the cancellations compacted the heap: they join the runs of their time.
    const later = Array.from({ length: 500 }, (_, i) => s.add(rng.int(0, 5) * 1000, `later ${i}`, () => {}));
    const popped = [];
    for (let t = s.pop(); t; t = s.pop()) popped.push(t);
    const expected = [...added, ...later].filter((t) => t.live).sort((x, y) => x.due - y.due || x.seq - y.seq);
    expect(popped.map((t) => t.seq)).toEqual(expected.map((t) => t.seq));
  });

  it('keeps the total order with few due times pending and with many (both sides of the list kept while they are few)', () => {
    for (const times of [2, 8, 9, 40]) {
      const rng = createRng(times);
      const s = new Scheduler();
      const added: Task[] = [];
      // Bursts at one time (they make runs) between single tasks at others.
      for (let i = 0; i < 3000; ) {
        const due = 1_704_067_200_000 + rng.int(0, times - 1) * 20;
        const burst = rng.chance(0.3) ? rng.int(2, 6) : 1;
        for (let k = 0; k < burst; k++, i++) added.push(s.add(due, String(i), () => {}));
      }
      for (const t of added) if (rng.chance(0.4)) s.cancel(t);
      const popped: Task[] = [];
      // Take half, add more at the same times (they join the runs still pending), take the rest.
      for (let i = 0; i < 1000; i++) popped.push(s.pop()!);
      const later = Array.from({ length: 500 }, (_, i) => s.add(1_704_067_200_000 + rng.int(0, times - 1) * 20, `later ${i}`, () => {}));
      for (let t = s.pop(); t; t = s.pop()) popped.push(t);
      const live = popped.filter((t) => t.live);
      const expected = [...added, ...later].filter((t) => t.live).sort((x, y) => x.due - y.due || x.seq - y.seq);
      const first = new Set(popped.slice(0, 1000));
      // The first thousand popped came in order; the rest, with the later ones, after them in order.
      expect(live.filter((t) => first.has(t)).map((t) => t.seq)).toEqual(expected.filter((t) => first.has(t)).map((t) => t.seq));
      expect(live.filter((t) => !first.has(t)).map((t) => t.seq)).toEqual(expected.filter((t) => !first.has(t)).map((t) => t.seq));
    }
  });

  it('runs a task added while the tasks of its time run right after them, before a later time', () => {
    const s = new Scheduler();
    const ran: string[] = [];
    const add = (due: number, name: string) => s.add(due, name, () => ran.push(name));
    add(5, 'a');
    add(9, 'late');
    add(5, 'b');
    for (let t = s.pop(); t; t = s.pop()) {
      t.run();
      if (t.label === 'a') add(5, 'c');
    }
    expect(ran).toEqual(['a', 'b', 'c', 'late']);
  });

  it('hands out the items of a batch one by one in order, and a task added in between ends the batch', () => {
    const s = new Scheduler();
    const ran: string[] = [];
    const first = listBatch(['b1'], ran);
    s.insertBatch(first.batch, 10);
    expect(s.openBatch(10)).toBe(first.batch);
    first.items.push('b2');
    s.extendBatch();
    s.add(10, 'task', () => ran.push('task'));
    expect(s.openBatch(10)).toBeUndefined();
    const second = listBatch(['b3'], ran);
    s.insertBatch(second.batch, 10);
    first.items[1] = ''; // b2 cancelled
    expect(s.pending().map((t) => t.seq)).toEqual([0, 2, 3]);
    for (let t = s.pop(); t; t = s.pop()) t.run();
    expect(ran).toEqual(['b1', 'task', 'b3']);
  });

  it('runs a batch in place, in order, within a budget, skipping cancelled items; what comes next still waits', () => {
    const s = new Scheduler();
    const ran: string[] = [];
    s.add(5, 'early', () => ran.push('early'));
    const { items, batch } = listBatch(['b1'], ran);
    s.insertBatch(batch, 10);
    for (const name of ['b2', 'b3', 'b4', 'b5']) {
      items.push(name);
      s.extendBatch();
    }
    s.add(10, 'after', () => ran.push('after'));
    items[2] = ''; // b3 cancelled
    expect(s.runBatch(10, 10)).toBe(0); // the next item is a task, not the batch's
    s.pop()!.run();
    expect(s.runBatch(9, 10)).toBe(0); // not due yet
    expect(s.runBatch(10, 2)).toBe(2);
    expect(ran).toEqual(['early', 'b1', 'b2']);
    expect(s.runBatch(10, 10)).toBe(2);
    expect(ran).toEqual(['early', 'b1', 'b2', 'b4', 'b5']);
    expect(s.pending().map((t) => t.label)).toEqual(['after']);
    expect(s.runBatch(10, 10)).toBe(0);
    s.pop()!.run();
    expect(ran.at(-1)).toBe('after');
    expect(s.nextDue()).toBeUndefined();
  });
});

/** A batch over a list of names ('' once cancelled); each item records its name when it runs. */
function listBatch(items: string[], ran: string[]): { items: string[]; batch: Batch } {
  const batch: Batch = {
    get length() {
      return items.length;
    },
    live: (i) => items[i] !== '',
    task: (i) => itemTask(items[i]!, ran),
    take: (i) => itemTask(items[i]!, ran),
    runItems: (cursor, budget) => {
      let n = 0;
      while (n < budget && !cursor.stopped && cursor.next < items.length) {
        const i = cursor.next++;
        if (items[i] === '') continue;
        ran.push(items[i]!);
        items[i] = '';
        n++;
      }
      return n;
    },
  };
  return { items, batch };
}

function itemTask(name: string, ran: string[]): Task {
  return new FnTask(name, () => ran.push(name));
}

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
