import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCloud, EventLog, toHtml, toMermaid, toSvg, type LogEntry } from 'agora-signaling-emulator';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * alice and bob chat; alice leaves a message for carol, who is offline (a server note); alice
 * logs in again elsewhere, which kicks her first session; the kicked session still tries to
 * send, and the request is dropped (a fault).
 */
async function peerMessagesAndKick() {
  const cloud = createCloud({ latency: 40 });
  const signal = cloud.Signal('demo-app');
  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onMessageInstantReceive = (from, _uid, msg) => bob.messageInstantSend(from, `re: ${msg}`);
  alice.onMessageInstantReceive = () => {};
  alice.onLogout = () => {};
  await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2);
  alice.messageInstantSend('bob', 'hello bob', () => {});
  alice.messageInstantSend('carol', 'see you later');
  await cloud.advance(1000);
  const laptop = signal.login('alice', '_no_need_token');
  laptop.onLoginSuccess = () => {};
  await cloud.advance(1000);
  alice.messageInstantSend('bob', 'are you there?');
  await cloud.advance(1000);
  return cloud;
}

interface SvgStep {
  classes: string[];
  seq: number;
  kind: string;
  from: string;
  to: string;
  y: number;
  title: string;
}

const unxml = (s: string) => s.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);

/** Reads the diagram back from the SVG text: lifelines left to right, and steps top to bottom. */
function parseSvg(svg: string): { lifelines: string[]; steps: SvgStep[] } {
  const lifelines = [...svg.matchAll(/<g class="participant[^"]*" data-participant="([^"]*)">/g)].map((m) => unxml(m[1]!));
  const steps = [...svg.matchAll(/<g class="(step [^"]*)" data-seq="(\d+)" data-kind="([a-z]+)" data-from="([^"]*)" data-to="([^"]*)"><title>([^<]*)<\/title>(.*?)<\/g>/g)].map((m) => ({
    classes: m[1]!.split(' '),
    seq: Number(m[2]),
    kind: m[3]!,
    from: unxml(m[4]!),
    to: unxml(m[5]!),
    title: unxml(m[6]!),
    y: Number(/ (?:y1|y)="([\d.]+)"/.exec(m[7]!)![1]),
  }));
  return { lifelines, steps };
}

describe('the sequence picture', () => {
  it('as HTML: one lifeline per client Session and the cloud, every entry a step in log order', async () => {
    const cloud = await peerMessagesAndKick();
    const html = cloud.log.toHtml({ title: 'peer messages and a kick' });
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(`${artifacts}peer-messages-and-kick.html`, html);

    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>peer messages and a kick</title>');
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
    const { lifelines, steps } = parseSvg(svg);
    expect(lifelines).toEqual(['alice', 'alice#2', 'cloud', 'bob']);

    // Every entry is drawn, in log order, each row lower than the one before.
    const entries = cloud.log.entries;
    expect(steps.map((s) => s.seq)).toEqual(entries.map((e) => e.seq));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.y).toBeGreaterThan(steps[i - 1]!.y);

    // Calls go client → cloud, callbacks cloud → client, server notes sit on the cloud, faults span client and cloud.
    const who = (e: LogEntry) => (e.session && e.session > 1 ? `${e.client}#${e.session}` : e.client);
    steps.forEach((s, i) => {
      const e = entries[i]!;
      expect(s.kind).toBe(e.kind);
      if (e.kind === 'call') expect([s.from, s.to, s.classes.includes('arrow')]).toEqual([who(e), 'cloud', true]);
      if (e.kind === 'callback') expect([s.from, s.to, s.classes.includes('arrow')]).toEqual(['cloud', who(e), true]);
      if (e.kind === 'server') expect([s.from, s.to, s.classes.includes('note')]).toEqual(['cloud', 'cloud', true]);
      if (e.kind === 'fault') expect([s.from, s.to, s.classes.includes('note')]).toEqual([who(e), 'cloud', true]);
    });
    expect(steps.filter((s) => s.kind === 'fault').map((s) => s.title)).toEqual([
      expect.stringContaining('✗ request dropped("user_sendmsg", "socket closed")'),
    ]);
    expect(steps.find((s) => s.kind === 'server')!.title).toContain('carol: message stored("alice", "instant", 3600)');
    expect(steps.filter((s) => s.classes.includes('unhandled')).map((s) => s.title)).toEqual([
      expect.stringContaining('onLoginSuccess(1)  (not set)'),
      expect.stringContaining('onLoginSuccess(2)  (not set)'),
    ]);
  });

  it('as HTML, a call scenario: invite, ack, accept, DTMF and hang-up drawn in order between the two lifelines', async () => {
    const cloud = createCloud({ latency: 30 });
    const signal = cloud.Signal('demo-app');
    const alice = signal.login('alice', '_no_need_token');
    const bob = signal.login('bob', '_no_need_token');
    await cloud.until(() => alice.getStatus() === 2 && bob.getStatus() === 2);
    bob.onInviteReceived = (call) => call.channelInviteAccept('');
    const call = alice.channelInviteUser2('room', 'bob', '');
    call.onInviteAcceptedByPeer = () => call.channelInviteDTMF('42#');
    await cloud.advance(1000);
    call.channelInviteEnd('');
    await cloud.advance(1000);

    const html = cloud.log.toHtml({ title: 'a call' });
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(`${artifacts}call.html`, html);
    const { lifelines, steps } = parseSvg(html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6));
    expect(lifelines).toEqual(['alice', 'cloud', 'bob']);
    expect(steps.map((s) => s.seq)).toEqual(cloud.log.entries.map((e) => e.seq));
    const flow = steps
      .filter((s) => s.kind !== 'server' && /Invite|invite/.test(s.title))
      .map((s) => `${s.from}→${s.to} ${/(channelInvite\w+|onInvite\w+)/.exec(s.title)![1]}`);
    expect(flow).toEqual([
      'alice→cloud channelInviteUser2',
      'cloud→bob onInviteReceived',
      'bob→cloud channelInviteAccept',
      'cloud→alice onInviteReceivedByPeer',
      'cloud→alice onInviteAcceptedByPeer',
      'alice→cloud channelInviteDTMF',
      'cloud→bob onInviteMsg',
      'alice→cloud channelInviteEnd',
      'cloud→alice onInviteEndByMyself',
      'cloud→bob onInviteEndByPeer',
    ]);
  });

  it('as HTML is self-contained: no scripts, nothing fetched', async () => {
    const html = (await peerMessagesAndKick()).log.toHtml();
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|src=|href=/i);
    expect(html.match(/https?:\/\/[^"\s]*/g)).toEqual(['http://www.w3.org/2000/svg']); // the SVG namespace, never fetched
    expect(html.match(/url\([^)]*\)/g)!.every((u) => u.startsWith('url(#'))).toBe(true);
  });

  it('escapes every text it draws', () => {
    const log = new EventLog(() => 0, { epoch: 0 });
    const evil = `</svg><script>alert("x")</script>`;
    log.append({ kind: 'call', client: '<b>&\'"', name: 'messageInstantSend', args: ['bob', evil], session: 1 });
    log.append({ kind: 'server', client: 'bob', name: `note ${evil}`, args: ['\u0000\u0007'] });
    const html = toHtml(log.entries, { title: `title ${evil}` });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;/svg&gt;&lt;script&gt;');
    expect(html).toContain('data-participant="&lt;b&gt;&amp;&#39;&quot;"');
    expect(html).not.toMatch(/[\u0000-\u0008]/);
    expect(html.match(/<svg/g)).toHaveLength(1);
    const mermaid = toMermaid(log.entries);
    const texts = mermaid.split('\n').slice(1).map((l) => (l.includes(': ') ? l.slice(l.indexOf(': ') + 2) : l.replace(/^ *participant p\d+ as /, '')));
    expect(texts.every((t) => !/[<>;#&]/.test(t.replace(/#\d+;/g, '')))).toBe(true);
    expect(mermaid).toContain('participant p0 as #60;b#62;#38;\'"');
  });

  it('draws entries of features it does not know (Calls, network faults) from the entry shape alone', () => {
    let now = 0;
    const log = new EventLog(() => now, { epoch: 0 });
    log.append({ kind: 'call', client: 'alice', name: 'channelInviteUser2', args: ['lobby', 'bob', '{}'], session: 1, object: 'call:lobby/bob' });
    now = 40;
    log.append({ kind: 'callback', client: 'bob', name: 'onInviteReceived', args: [], session: 1 });
    log.append({ kind: 'fault', client: 'bob', name: 'disconnect', args: [{ for: 5000 }] });
    now = 20_040;
    log.append({ kind: 'server', client: 'alice', name: 'invite timed out', args: ['lobby', 'bob'], object: 'call:lobby/bob' });
    log.append({ kind: 'callback', client: 'alice', name: 'onInviteFailed', args: ['{"reason":"timeout"}'], session: 1, object: 'call:lobby/bob' });
    const { lifelines, steps } = parseSvg(toSvg(log.entries));
    expect(lifelines).toEqual(['alice', 'cloud', 'bob']);
    expect(steps.map((s) => `${s.from}→${s.to} ${s.kind} ${s.title.split('  ').slice(-1)[0]}`)).toEqual([
      'alice→cloud call channelInviteUser2("lobby", "bob", "{}") [call:lobby/bob]',
      'cloud→bob callback onInviteReceived()',
      'cloud→bob fault ✗ disconnect({"for":5000})',
      'cloud→cloud server alice: invite timed out("lobby", "bob") [call:lobby/bob]',
      'cloud→alice callback onInviteFailed("{\\"reason\\":\\"timeout\\"}") [call:lobby/bob]',
    ]);
  });

  it('as Mermaid text: participants, solid arrows for calls, dashed for callbacks, notes, red faults', async () => {
    const cloud = await peerMessagesAndKick();
    expect(cloud.log.toMermaid()).toMatchInlineSnapshot(`
      "sequenceDiagram
          participant p0 as alice
          participant p1 as alice#35;2
          participant p2 as cloud
          participant p3 as bob
          p0->>p2: login("alice", "_no_need_token")
          p3->>p2: login("bob", "_no_need_token")
          p2-->>p0: onLoginSuccess(1)  (not set)
          p2-->>p3: onLoginSuccess(2)  (not set)
          p0->>p2: messageInstantSend("bob", "hello bob")
          p0->>p2: messageInstantSend("carol", "see you later")
          Note over p2: carol: message stored("alice", "instant", 3600)
          p2-->>p3: onMessageInstantReceive("alice", 0, "hello bob")
          p3->>p2: messageInstantSend("alice", "re: hello bob")
          p2-->>p0: messageInstantSend:cb(false)
          p2-->>p0: onMessageInstantReceive("bob", 0, "re: hello bob")
          p1->>p2: login("alice", "_no_need_token")
          Note over p2: alice: kick("logged in elsewhere")
          Note over p2: alice: session ended("kicked")
          p2-->>p0: onLogout(103)
          p2-->>p1: onLoginSuccess(1)
          p0->>p2: messageInstantSend("bob", "are you there?")
          rect rgb(255, 228, 225)
          Note over p0,p2: ✗ request dropped("user_sendmsg", "socket closed")
          end"
    `);
    expect(cloud.log.since(cloud.log.first({ name: 'kick' })!).toMermaid({ time: true }).split('\n').slice(-3)).toMatchInlineSnapshot(`
      [
        "    rect rgb(255, 228, 225)",
        "    Note over p0,p1: +2.160s ✗ request dropped("user_sendmsg", "socket closed")",
        "    end",
      ]
    `);
  });

  it('draws at most maxSteps entries and counts the rest', async () => {
    const cloud = await peerMessagesAndKick();
    const svg = toSvg(cloud.log.entries, { maxSteps: 5 });
    expect(parseSvg(svg).steps).toHaveLength(5);
    expect(svg).toContain(`… ${cloud.log.entries.length - 5} more entries not drawn`);
    expect(toMermaid(cloud.log.entries, { maxSteps: 5 }).split('\n').slice(-1)[0]).toBe(`    Note over p1: … ${cloud.log.entries.length - 5} more entries not drawn`);
  });
});
