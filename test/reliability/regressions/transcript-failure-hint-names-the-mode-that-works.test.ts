// Regression (issue 17, item 5): after an app change, transcriptTest's failure said to run with
// TRANSCRIPT_MODE=update, which rewrote `expect.log`, kept the old steps, and then failed with
// "the fixture's steps do not reproduce its expected log". The hint now names the mode that
// will work: `update` only when the fixture's steps reproduce the test's new log (the expected
// log alone is stale), `record` otherwise; and update writes nothing it cannot pass.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cloud } from 'agora-signaling-emulator';
import { transcriptTest } from 'agora-signaling-emulator/node';

/** alice greets bob with `text`. */
const greet = (text: string) => async (cloud: Cloud) => {
  const signal = cloud.Signal('app');
  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onMessageInstantReceive = () => {};
  await cloud.advance(100);
  alice.messageInstantSend('bob', text);
  await cloud.advance(100);
};

describe('when a transcript test no longer matches its fixture', () => {
  it('an app that now does something else is told to record: update would not pass', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hint-')), 'greet.json');
    await transcriptTest(file, greet('hello'), { mode: 'record' });
    const error = await transcriptTest(file, greet('hi')).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/the test's log differs from the fixture[\s\S]*run with TRANSCRIPT_MODE=record to re-record the fixture: its steps no longer reproduce the test's log, so TRANSCRIPT_MODE=update would not pass\)$/);
    // …and it is right: update refuses, record works.
    const before = readFileSync(file, 'utf8');
    await expect(transcriptTest(file, greet('hi'), { mode: 'update' })).rejects.toThrow(/not updated/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    await transcriptTest(file, greet('hi'), { mode: 'record' });
    await transcriptTest(file, greet('hi'));
  });

  it('a stale expected log (the steps still give the test\'s log) is told to update, which then passes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hint-')), 'greet.json');
    await transcriptTest(file, greet('hello'), { mode: 'record' });
    const fixture = JSON.parse(readFileSync(file, 'utf8'));
    fixture.expect.log = fixture.expect.log.slice(0, -2);
    writeFileSync(file, JSON.stringify(fixture));
    await expect(transcriptTest(file, greet('hello'))).rejects.toThrow(/run with TRANSCRIPT_MODE=update to rewrite the expected log: the fixture's steps reproduce the new one\)$/);
    await transcriptTest(file, greet('hello'), { mode: 'update' });
    await transcriptTest(file, greet('hello'));
  });
});
