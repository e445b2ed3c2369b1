import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cloud } from 'agora-signaling-emulator';
import { transcriptTest } from 'agora-signaling-emulator/node';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'transcripts-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

/** The app under test: bob answers every message. */
const chat = (reply: string) => async (cloud: Cloud) => {
  const signal = cloud.Signal('app');
  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onMessageInstantReceive = (from) => bob.messageInstantSend(from, reply);
  alice.onMessageInstantReceive = () => {};
  await cloud.advance(100);
  alice.messageInstantSend('bob', 'hello');
  await cloud.advance(100);
};

describe('transcriptTest', () => {
  it('record writes the fixture, and replay then passes against it', async () => {
    const file = join(dir, 'sub', 'chat.json');
    const recorded = await transcriptTest(file, chat('hi!'), { mode: 'record', cloud: { latency: 10 }, name: 'bob answers' });
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ version: 1, name: 'bob answers', latency: 10, handlers: 'declared' });
    expect(recorded.log.length).toBe(JSON.parse(text).expect.log.length);
    const replayed = await transcriptTest(file, chat('hi!'), { cloud: { latency: 10 } });
    expect(replayed.mode).toBe('replay');
  });

  it('replay fails with the first divergence when the app changed', async () => {
    const file = join(dir, 'chat.json');
    await transcriptTest(file, chat('hi!'), { mode: 'record' });
    // bob's own call changed, so the fixture's steps no longer match: record is the mode that works.
    await expect(transcriptTest(file, chat('yo!'))).rejects.toThrow(/the test's log differs from the fixture\nfirst divergence at expect\.log\[\d+\][\s\S]*args\[1\]: expected "hi!", got "yo!"[\s\S]*run with TRANSCRIPT_MODE=record to re-record the fixture/);
  });

  it('update rewrites only the expected log, keeping the steps and name', async () => {
    const file = join(dir, 'chat.json');
    await transcriptTest(file, chat('hi!'), { mode: 'record', name: 'bob answers' });
    const recorded = JSON.parse(readFileSync(file, 'utf8'));
    // A stale expected log (as after a change of the emulator): the steps still give the test's log.
    writeFileSync(file, JSON.stringify({ ...recorded, expect: { ...recorded.expect, log: recorded.expect.log.slice(0, -1) } }));
    await transcriptTest(file, chat('hi!'), { mode: 'update' });
    const after = JSON.parse(readFileSync(file, 'utf8'));
    expect(after.steps).toEqual(recorded.steps);
    expect(after.name).toBe('bob answers');
    expect(after.expect.log).toEqual(recorded.expect.log);
  });

  it('update leaves the fixture alone and names record when its steps no longer reproduce the test', async () => {
    const file = join(dir, 'chat.json');
    await transcriptTest(file, chat('hi!'), { mode: 'record', name: 'bob answers' });
    const before = readFileSync(file, 'utf8');
    // The fixture's steps say what bob does: a new expected log alone would contradict them.
    await expect(transcriptTest(file, chat('yo!'), { mode: 'update' })).rejects.toThrow(/not updated: the fixture's steps no longer reproduce the test's log[\s\S]*run with TRANSCRIPT_MODE=record/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('TRANSCRIPT_MODE chooses the mode', async () => {
    const file = join(dir, 'env.json');
    vi.stubEnv('TRANSCRIPT_MODE', 'record');
    expect((await transcriptTest(file, chat('hi!'))).mode).toBe('record');
    vi.stubEnv('TRANSCRIPT_MODE', 'replay');
    expect((await transcriptTest(file, chat('hi!'))).mode).toBe('replay');
    vi.stubEnv('TRANSCRIPT_MODE', 'recrod');
    await expect(transcriptTest(file, chat('hi!'))).rejects.toThrow('TRANSCRIPT_MODE must be one of replay, record, update, got "recrod"');
  });

  it('a missing fixture says how to record it', async () => {
    await expect(transcriptTest(join(dir, 'none.json'), chat('hi!'))).rejects.toThrow(/Failed to replay .*none\.json: there is no such fixture yet\. Record it with TRANSCRIPT_MODE=record/);
  });

  it('a fixture recorded with other cloud options says so', async () => {
    const file = join(dir, 'seeded.json');
    await transcriptTest(file, chat('hi!'), { mode: 'record', cloud: { seed: 3 } });
    await expect(transcriptTest(file, chat('hi!'), { cloud: { seed: 4 } })).rejects.toThrow(/was recorded with seed 3, but this test uses 4/);
  });

  it('keeps loose patterns an author wrote when updating', async () => {
    const file = join(dir, 'loose.json');
    await transcriptTest(file, chat('hi!'), { mode: 'record' });
    const t = JSON.parse(readFileSync(file, 'utf8'));
    t.expect.log[2].args = [{ $type: 'number' }];
    writeFileSync(file, JSON.stringify(t));
    await transcriptTest(file, chat('hi!'), { mode: 'update' });
    expect(JSON.parse(readFileSync(file, 'utf8')).expect.log[2].args).toEqual([{ $type: 'number' }]);
  });
});
