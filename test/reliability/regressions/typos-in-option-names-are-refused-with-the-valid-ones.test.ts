// Regression (issue 17, item 4): typos passed silently. `cloud.log.filter({ cleint: 'bob' })`
// returned every entry, and `cloud.until(p, { whithin: 100 })` waited the default 60 s. Every
// API that takes names or options now refuses an unknown one with the valid list, as
// createCloud, net.disconnect, phone and setChannelLimits already did. (The matchers'
// callback names are checked in their own file.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkDeterminism,
  compareLog,
  createCloud,
  EmulatorError,
  formatTimeline,
  record,
  replay,
  sweepSeeds,
  toHtml,
  toMermaid,
  toSvg,
  updateExpectation,
  validateTranscript,
  type Cloud,
} from 'agora-signaling-emulator';
import { transcriptTest } from 'agora-signaling-emulator/node';

type Row = [what: string, call: (cloud: Cloud) => unknown, message: string | RegExp];

const transcript = { version: 1 as const, steps: [], expect: { match: 'exact' as const, log: [] } };

const rows: Row[] = [
  // the log's queries
  ['log.filter', (c) => c.log.filter({ cleint: 'bob' } as never), "Failed to filter the log: unknown field 'cleint' (known: kind, client, name, object, session, args, from, to, error, unhandled, where)"],
  ['log.first', (c) => c.log.first({ nmae: 'onLogout' } as never), /^Failed to find the first log entry: unknown field 'nmae' \(known: kind, client, name, /],
  ['log.last', (c) => c.log.last({ knid: 'fault' } as never), /^Failed to find the last log entry: unknown field 'knid'/],
  ['log.count', (c) => c.log.count({ sesion: 1 } as never), /^Failed to count log entries: unknown field 'sesion'/],
  ['a query of a view since a mark', (c) => c.log.since(c.log.mark()).filter({ clinet: 'bob' } as never), /unknown field 'clinet'/],
  ['a log query with a kind that does not exist', (c) => c.log.filter({ kind: 'callbacks' as never }), /kind must be one of 'call', 'callback', 'fault', 'server' \(or a list of them\), got "callbacks"/],
  ['a log query with a time that is not a number', (c) => c.log.filter({ from: '1000' as never }), /from must be virtual Unix ms \(e\.g\. cloud\.startTime \+ 1000\), got "1000"/],
  // time
  ['until with a misspelt option', (c) => c.until(() => true, { whithin: 100 } as never), "Failed to run until: unknown option 'whithin' (known: within, what)"],
  ['until with a misspelt field of its log match', (c) => c.until({ cleint: 'bob' } as never), /^Failed to run until: unknown field 'cleint' \(known: kind, client, /],
  ['settle with a misspelt option', (c) => c.settle({ witin: 100 } as never), "Failed to settle: unknown option 'witin' (known: within)"],
  // text and pictures
  ['cloud.timeline', (c) => c.timeline({ clients: 'bob' } as never), /^Failed to draw the timeline: unknown option 'clients' \(known: client, kinds, time, epoch, argsWidth, highlight\)/],
  ['log.timeline', (c) => c.log.timeline({ kind: ['fault'] } as never), /^Failed to draw the timeline: unknown option 'kind' \(known: client, kinds, /],
  ['formatTimeline', (c) => formatTimeline(c.log.entries, { width: 40 } as never), /^Failed to format the timeline: unknown option 'width'/],
  ['log.toMermaid', (c) => c.log.toMermaid({ labelwidth: 40 } as never), /^Failed to draw the Mermaid diagram: unknown option 'labelwidth' \(known: epoch, maxSteps, time, labelWidth\)/],
  ['log.toSvg', (c) => c.log.toSvg({ maxstep: 4 } as never), /^Failed to draw the SVG: unknown option 'maxstep' \(known: epoch, maxSteps\)/],
  ['log.toHtml', (c) => c.log.toHtml({ titel: 'x' } as never), /^Failed to draw the HTML page: unknown option 'titel' \(known: epoch, maxSteps, title, timeline\)/],
  ['toMermaid', (c) => toMermaid(c.log.entries, { tiem: true } as never), /unknown option 'tiem'/],
  ['toSvg', (c) => toSvg(c.log.entries, { epoc: 0 } as never), /unknown option 'epoc'/],
  ['toHtml', (c) => toHtml(c.log.entries, { timline: false } as never), /unknown option 'timline'/],
  // cloud verbs
  ['createApp', (c) => c.createApp({ appid: 'x' } as never), "Failed to create an app: unknown option 'appid' (known: appId, certificate)"],
  ['token', (c) => c.token('secure', 'alice', { expiresin: 60 } as never), "Failed to make a token: unknown option 'expiresin' (known: expiresIn)"],
  ['kick', (c) => c.kick('alice', { appid: 'app' } as never), "Failed to kick: unknown option 'appid' (known: appId, reason)"],
  ['closeSession', (c) => c.closeSession('alice', { app: 'app' } as never), "Failed to close a session: unknown option 'app' (known: appId)"],
  ['expireToken', (c) => c.expireToken('alice', { efect: 'kick' } as never), "Failed to expire a token: unknown option 'efect' (known: appId, effect)"],
  ['failNext', (c) => c.failNext('login', { reason: 'x', time: 2 } as never), "Failed to arm failNext('login'): unknown option 'time' (known: reason, account, appId, times)"],
  ['refuseLogin', (c) => c.refuseLogin('bob', 'x', { time: 2 } as never), "Failed to refuse a login: unknown option 'time' (known: times, appId)"],
  ['outage', (c) => c.outage(10, { for: 10 } as never), "Failed to start an outage: unknown option 'for' (known: how, attempts)"],
  ['setStoredMessageLimits', (c) => c.setStoredMessageLimits({ perUser: 2 } as never), /unknown limit 'perUser' \(known: perAccount, perApp\)/],
  ['net.rule', (c) => c.net.rule(() => 'pass', { nmae: 'x' } as never), "Failed to add a rule: unknown option 'nmae' (known: name, account, direction, kind)"],
  ['net.latency filter', (c) => c.net.latency(10, { direction: 'down', acount: 'bob' } as never), "Failed to set latency: unknown filter field 'acount' (known: account, direction, kind)"],
  ['net.hold filter', (c) => c.net.hold({ kinds: 'msg' } as never), /^Failed to hold: unknown filter field 'kinds'/],
  // determinism and transcripts
  ['checkDeterminism', () => checkDeterminism(() => {}, { run: 3 } as never), "Failed to check determinism: unknown option 'run' (known: runs, seed, seeds, cloud)"],
  ['sweepSeeds', () => sweepSeeds(() => {}, { seed: 3 } as never), "Failed to sweep seeds: unknown option 'seed' (known: seeds, cloud)"],
  ['record', (c) => record(c, { nmae: 'x' } as never), "Failed to record: unknown option 'nmae' (known: name, description)"],
  ['replay', () => replay(transcript, { sed: 3 } as never), "Failed to replay: unknown option 'sed' (known: file, seed, dispose)"],
  ['transcriptTest', () => transcriptTest(join(mkdtempSync(join(tmpdir(), 'typo-')), 'x.json'), () => {}, { mdoe: 'record' } as never), /^Failed to run a transcript test: unknown option 'mdoe' \(known: cloud, mode, name, description\)/],
  ['compareLog', (c) => compareLog(transcript.expect, c.log.entries, { epoch: 0, name: () => [] } as never), "Failed to compare the log: unknown option 'name' (known: epoch, names)"],
  ['updateExpectation', (c) => updateExpectation(transcript, c.log.entries, { epoc: 0 } as never), /^Failed to update the expectation: unknown option 'epoc'/],
];

describe('an unknown option or name is an error that lists the valid ones', () => {
  for (const [what, call, message] of rows) {
    it(what, async () => {
      const cloud = createCloud({ apps: [{ appId: 'secure', certificate: 'cert' }] });
      cloud.Signal('app').login('alice', '_no_need_token');
      cloud.flushSync();
      let error: unknown;
      try {
        await call(cloud);
      } catch (e) {
        error = e;
      }
      cloud.dispose();
      expect(error, 'it was accepted without a word').toBeInstanceOf(EmulatorError);
      if (typeof message === 'string') expect((error as Error).message).toBe(message);
      else expect((error as Error).message).toMatch(message);
    });
  }

  it('a transcript step with a key it does not have says which keys it has', () => {
    const t = {
      version: 1,
      steps: [{ advance: 10, whithin: 5 }, { client: 'alice', call: 'login', ass: 'x' }, { client: 'alice', call: 'logout', args: [{ $token: { expiresin: 5 } }] }],
      expect: { match: 'exact', log: [{ cleint: 'alice' }] },
    };
    expect(validateTranscript(t)).toEqual([
      { path: 'steps[0].whithin', message: 'unknown field for an advance step (known: at, note, advance)' },
      { path: 'steps[1].ass', message: 'unknown field for a call step (known: at, note, client, object, call, args, as, app)' },
      { path: 'steps[2].args[0].$token.expiresin', message: 'unknown field for a $token (known: app, account, expiresIn)' },
      { path: 'expect.log[0].cleint', message: 'unknown field for a log entry (known: t, client, kind, name, object, args, session, error, unhandled)' },
    ]);
  });
});
