import { describe, expect, it } from 'vitest';
import { Timekeeper } from './timekeeper.js';

const timekeeper = () => new Timekeeper({ mode: 'virtual', startTime: 1_000, loopLimit: 1_000, describe: () => '' });

describe('Timekeeper', () => {
  it('makes its fake-timers clock when first asked for, at the time then, and its timers run as time moves', () => {
    const time = timekeeper();
    time.advanceSync(500);
    const clock = time.clock!;
    expect(clock.now).toBe(1_500);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(time.now()), 200);
    time.schedule(300, 'cloud task', () => fired.push(-time.now()));
    time.advanceSync(1_000);
    expect(fired).toEqual([1_700, -1_800]);
    expect(time.now()).toBe(2_500);
    expect(clock.now).toBe(2_500);
  });

  it('counts times since it started as small whole numbers', () => {
    const time = timekeeper();
    time.advanceSync(42);
    expect(time.since(time.now())).toBe(42);
    expect(time.origin + time.since(time.now() + 0.5)).toBe(time.now() + 0.5);
  });
});
