// Regression: a dashboard control whose fields were objects (`{"verb":{"toString":1}}`) made
// `String()` throw inside the request's `end` handler, outside any guard: an uncaughtException,
// which ends `serve`. Controls are now checked field by field (known names, their types) before
// anything reads them, and nothing thrown while running one escapes. Found by fuzzing the HTTP
// side (test/reliability/boundaries/wire-http.boundary.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCloud, type Cloud, type WireServer } from 'agora-signaling-emulator';

const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => void uncaught.push(error);
let cloud: Cloud;
let server: WireServer;

beforeEach(async () => {
  process.on('uncaughtException', onUncaught);
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen({ dashboard: true });
});

afterEach(async () => {
  await server.close();
  cloud.dispose();
  process.off('uncaughtException', onUncaught);
});

const post = async (body: unknown): Promise<[number, unknown]> => {
  const res = await fetch(`${server.dashboardUrl}_dashboard/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return [res.status, await res.json()];
};

describe('a dashboard control whose values throw when read as text', () => {
  it('is answered 400 with what is wrong, and the server goes on', async () => {
    const toString = { toString: 1, valueOf: 1 };
    expect(await post({ verb: toString })).toEqual([400, { error: 'Failed to run a control: no control named here (available: kick, closeSession, expireToken, disconnect, reconnect, latency, outage, endOutage)' }]);
    expect(await post({ verb: 'disconnect', account: 'alice', seconds: toString })).toEqual([400, { error: 'Failed to run a control: seconds must be a number' }]);
    expect(await post({ verb: 'latency', ms: toString })).toEqual([400, { error: 'Failed to run a control: ms must be a number' }]);
    expect(await post({ verb: 'expireToken', account: 'alice', effect: toString })).toEqual([400, { error: 'Failed to run a control: effect must be a string of at most 1024 characters' }]);
    expect(await post({ verb: 'kick', account: toString })).toEqual([400, { error: 'Failed to run a control: account must be a string of at most 1024 characters' }]);
    expect(await post({ verb: 'kick', account: 'alice', __proto__x: 1, force: true })).toEqual([400, { error: 'Failed to run a control: no field "__proto__x" (fields: verb, account, appId, seconds, ms, effect)' }]);
    expect(await post(['kick'])).toEqual([400, { error: 'Failed to run a control: expected a JSON object like {"verb":"kick","account":"alice"}' }]);
    // A number the page sends as null (an empty input) still gets the range message.
    expect(await post({ verb: 'outage', seconds: null })).toEqual([400, { error: 'Failed to start an outage: seconds must be more than 0 and at most 3600, got null' }]);
    expect(await post({ verb: 'latency', ms: 20 })).toEqual([200, { ok: true, done: 'latency 20 ms each way' }]);
    expect(uncaught).toEqual([]);
  });
});
