// Regression: invoke() with a function name that is not a string returned quietly, where 1.4.0
// throws a TypeError (it calls `e.startsWith(…)` on whatever it is given). An app that passed
// undefined (a missing constant) saw nothing in the emulator and crashed in production. Found
// by the bad-input table (test/reliability/bad-input), checked against the real SDK.
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('invoke() with a function name that is not a string', () => {
  it('throws the TypeError 1.4.0 throws', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.until(() => alice.getStatus() === 2);
    expect(() => alice.invoke(undefined as never, {})).toThrow(new TypeError("Cannot read properties of undefined (reading 'startsWith')"));
    expect(() => alice.invoke(null as never, {})).toThrow(new TypeError("Cannot read properties of null (reading 'startsWith')"));
    expect(() => alice.invoke(42 as never, {})).toThrow(new TypeError('e.startsWith is not a function'));
    cloud.dispose();
  });
});
