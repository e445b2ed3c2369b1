/**
 * The full logs of a fixed set of runs, one JSON entry per line: every bundled fixture replayed
 * with its own seed and with seeds 7 and 13, and channel fan-outs meeting faults in their middle
 * (holds, disconnects, jitter, loss, logouts, leaves, a throwing callback), each driven once with
 * `advance` and once with `advanceSync`. Two builds that behave the same give the same
 * snapshot, byte for byte: `npm run log-snapshot -- before.txt`, change the code, run it again
 * to `after.txt`, and `cmp` them (a refactor of a hot path should change nothing here).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCloud, replay, type Channel, type Cloud, type Session } from 'agora-signaling-emulator';

export interface LogSnapshot {
  lines: string[];
  /** Runs in it, and fan-out scenarios whose awaited and synchronous drives logged differently. */
  runs: number;
  syncDiffers: number[];
}

export async function logSnapshot(fixtures: string): Promise<LogSnapshot> {
  const lines: string[] = [];
  let runs = 0;
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.json')).sort()) {
    const transcript = JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as unknown;
    for (const seed of [undefined, 7, 13]) {
      const result = await replay(transcript, { file, ...(seed !== undefined ? { seed } : {}) });
      lines.push(`## ${file} seed ${seed ?? 'own'}${seed === undefined ? ` pass=${result.pass}` : ''}`);
      for (const e of result.log) lines.push(JSON.stringify(e));
      runs++;
    }
  }
  const syncDiffers: number[] = [];
  const quiet = console.error;
  console.error = () => {}; // the scripted throw is printed by the SDK, as 1.4.0 does
  try {
    for (const seed of [1, 7, 13, 21]) {
      const awaited = await fanOutScenario(seed, false);
      const sync = await fanOutScenario(seed, true);
      lines.push(`## fan-outs meeting faults, seed ${seed}`, ...awaited);
      if (awaited.join('\n') !== sync.join('\n')) {
        syncDiffers.push(seed);
        lines.push(`## seed ${seed}, driven synchronously (differs)`, ...sync);
      }
      runs += 2;
    }
  } finally {
    console.error = quiet;
  }
  return { lines, runs, syncDiffers };
}

/**
 * Runs the fan-out scenario, moving time with `advanceSync` or with an awaited `advance`.
 * Synchronously nothing is awaited at all (an await would let the cloud's own flush start).
 */
async function fanOutScenario(seed: number, sync: boolean): Promise<string[]> {
  const cloud = createCloud({ seed });
  for (const ms of fanOutScript(cloud, seed)) {
    if (sync) cloud.advanceSync(ms);
    else await cloud.advance(ms);
  }
  const lines = cloud.log.entries.map((e) => JSON.stringify(e));
  cloud.dispose();
  return lines;
}

/** 25 members in two channels; twelve messages to 'hall' while faults come and go. Yields each time to move. */
function* fanOutScript(cloud: Cloud, seed: number): Generator<number> {
  const signal = cloud.Signal('app');
  const sessions: Session[] = Array.from({ length: 25 }, (_, i) => signal.login(`u${i}`, '_no_need_token'));
  yield 0;
  const channels: Channel[] = sessions.map((s, i) => {
    const c = s.channelJoin(i % 5 === 0 ? 'other' : 'hall')!;
    c.onMessageChannelReceive = (_account: string, _uid: number, m: string) => {
      if (m === 'ping 3' && i === 4) c.messageChannelSend('pong from 4');
      if (m === 'ping 5' && i === 6) sessions[7]!.logout();
      if (m === 'ping 6' && i === 8) c.channelLeave();
      if (m === 'ping 7' && i === 2) cloud.net.hold({ account: 'u14', direction: 'down' });
      if (m === 'ping 8' && i === 3) cloud.net.disconnect('u16', { for: 500 });
      if (m === 'ping 9' && i === 17) throw new Error('app bug in u17');
    };
    c.onChannelUserJoined = () => {};
    return c;
  });
  yield 100;
  for (let k = 0; k < 12; k++) {
    channels[1]!.messageChannelSend(`ping ${k}`);
    if (k === 2) cloud.net.hold({ account: 'u3', direction: 'down' });
    if (k === 4) cloud.net.disconnect('u9', { for: 3000 });
    if (k === 5) cloud.net.latency([5, 80]);
    if (k === 7) cloud.net.release();
    if (k === 8) cloud.net.latency(0);
    if (k === 9) {
      sessions[11]!.logout();
      channels[12]!.channelLeave();
    }
    if (k === 10) cloud.net.loss(0.3, { direction: 'down' });
    if (k === 11) cloud.net.release();
    if (k % 3 === 0) yield seed % 5;
  }
  yield 10_000;
}
