import { copyData, describeArg, readDuration, readOptions } from '../arguments.js';
import { invariant } from '../errors.js';
import type { Task } from '../time/scheduler.js';
import { PHONE_NUMBER, type Invite, type Invites, type RelayedType } from './invites.js';

/** What a scripted phone does when an invite rings. */
export type PhoneAnswer = 'accept' | 'refuse' | 'ignore';

export interface PhoneScript {
  /**
   * `'accept'` or `'refuse'` each invite `after` ms after it rings; `'ignore'` (default) lets
   * it ring until the test calls `phone.accept()` / `phone.refuse()`, the caller hangs up, or
   * the invite's `_timeout` passes.
   */
  answer?: PhoneAnswer;
  /** Ms between ringing and the scripted answer (default 0). */
  after?: number;
  /** Ms between accepting and hanging up (default: the phone never hangs up by itself). */
  hangUpAfter?: number;
}

/** An invite as the phone received it. */
export interface PhoneInvite {
  /** The caller's account. */
  from: string;
  channel: string;
  /** The invite's `extra`, as the caller sent it. */
  extra: unknown;
  /** `extra.srcNum`: the number shown on the phone (passed through by the cloud). */
  srcNum: unknown;
  /** `extra.destMediaUid`: the uid the phone joins the media channel with (passed through). */
  destMediaUid: unknown;
  /** Virtual ms it rang. */
  at: number;
}

/** `idle`: no call; `ringing`: an invite waits for an answer; `connected`: in a call. */
export type PhoneState = 'idle' | 'ringing' | 'connected';

/**
 * A telephone reached through the SIP gateway, scripted by the test: `channelInviteUser2(ch,
 * '+15551234', extra)` rings it. The gateway acknowledges at once (the caller gets
 * `onInviteReceivedByPeer`); then the phone answers as scripted, or as the test says with
 * {@link ScriptedPhone.accept}, {@link ScriptedPhone.refuse} and {@link ScriptedPhone.hangUp}.
 * It takes one call at a time: an invite while it is busy is refused with `{"reason":"busy"}`.
 * Every action is logged (`kind: 'server'`, `client`: the number).
 *
 * @example
 * const phone = cloud.phone('+15551234', { answer: 'accept', after: 3000 });
 * const call = session.channelInviteUser2('room', '+15551234', { srcNum: '+15550000' });
 * await cloud.advance(3000);            // the caller gets onInviteAcceptedByPeer
 * call.channelInviteDTMF('42#');
 * await cloud.flush();
 * expect(phone.dtmf).toBe('42#');
 */
export class ScriptedPhone {
  /** The phone's number. */
  readonly number: string;
  /** The script it follows. */
  readonly script: Readonly<Required<Omit<PhoneScript, 'hangUpAfter'>> & Pick<PhoneScript, 'hangUpAfter'>>;
  /** Every invite that rang it, in order (a busy one too). */
  readonly received: PhoneInvite[] = [];
  /** The DTMF digits it received, in order, across its calls. */
  dtmf = '';
  readonly #invites: Invites;
  #call: Invite | undefined;
  #timers: Task[] = [];

  /** @internal Use `cloud.phone(number, script)`. */
  constructor(invites: Invites, number: string, script: PhoneScript) {
    this.#invites = invites;
    this.number = number;
    this.script = { answer: script.answer ?? 'ignore', after: script.after ?? 0, hangUpAfter: script.hangUpAfter };
  }

  /** `idle`, `ringing` or `connected`. */
  get state(): PhoneState {
    if (!this.#call) return 'idle';
    return this.#call.state === 'active' ? 'connected' : 'ringing';
  }

  /** Who is calling or connected now (the caller's account), if anyone. */
  get peer(): string | undefined {
    return this.#call?.caller.account.account;
  }

  /**
   * Picks up the ringing call: the caller gets `onInviteAcceptedByPeer(extra)`.
   *
   * @example
   * await cloud.until(() => phone.state === 'ringing');
   * phone.accept();
   */
  accept(extra: unknown = ''): void {
    const data = copyData(extra, `Failed to accept on phone '${this.number}'`, 'extra');
    const call = this.#expect('accept', 'ringing');
    this.#accept(call, data, 'by the test');
  }

  /**
   * Declines the ringing call: the caller gets `onInviteRefusedByPeer(extra)`.
   *
   * @example
   * phone.refuse('{"reason":"declined"}');
   */
  refuse(extra: unknown = ''): void {
    const data = copyData(extra, `Failed to refuse on phone '${this.number}'`, 'extra');
    const call = this.#expect('refuse', 'ringing');
    this.#refuse(call, data, 'by the test');
  }

  /**
   * Hangs up, ringing or connected: the caller gets `onInviteEndByPeer(extra)`.
   *
   * @example
   * phone.hangUp();
   */
  hangUp(extra: unknown = ''): void {
    const data = copyData(extra, `Failed to hang up phone '${this.number}'`, 'extra');
    const call = this.#expect('hang up', 'ringing or connected');
    this.#hangUp(call, data, 'by the test');
  }

  // ---- the gateway side (called by the cloud's invites) ----

  /** @internal An invite reaches the phone. */
  ring(invite: Invite): void {
    const time = this.#invites.server.ctx.time;
    const extra = invite.extra;
    const fields = extraFields(extra);
    this.received.push({
      from: invite.caller.account.account,
      channel: invite.channel,
      extra,
      srcNum: fields.srcNum,
      destMediaUid: fields.destMediaUid,
      at: time.now(),
    });
    if (this.#call) {
      this.#log(invite, 'phone busy', [`in a call with ${this.#call.caller.account.account}`]);
      this.#act(invite, 'voip_invite_refuse', JSON.stringify({ reason: 'busy' }));
      return;
    }
    this.#call = invite;
    this.#log(invite, 'phone ringing', [extra]);
    // The gateway acknowledges at once, as the SDK does for an app.
    this.#act(invite, 'voip_invite_ack', '');
    const { answer, after } = this.script;
    if (answer === 'ignore') return;
    this.#later(after, `phone ${this.number}: ${answer}`, () => {
      if (this.#call !== invite || invite.state !== 'ringing') return;
      if (answer === 'accept') this.#accept(invite, '', 'by script');
      else this.#refuse(invite, '', 'by script');
    });
  }

  /** @internal A call message from the caller or the cloud. */
  hear(invite: Invite, type: string, extra: unknown): void {
    if (invite !== this.#call) return;
    switch (type) {
      case 'voip_invite_msg': {
        const msg = parseJson(extra);
        if (msg && typeof msg === 'object' && (msg as { msgtype?: unknown }).msgtype === 'dtmf') {
          const digits = String((msg as { msgdata?: unknown }).msgdata ?? '');
          this.dtmf += digits;
          this.#log(invite, 'phone got DTMF', [digits]);
        } else {
          this.#log(invite, 'phone got message', [extra]);
        }
        return;
      }
      case 'voip_invite_bye':
        this.#log(invite, 'phone call ended', ['the caller hung up', extra]);
        return this.#idle();
      case 'voip_invite_failed':
        this.#log(invite, 'phone call ended', [String((parseJson(extra) as { reason?: unknown } | undefined)?.reason ?? extra)]);
        return this.#idle();
      default:
        return;
    }
  }

  // ---- internals ----

  #accept(call: Invite, extra: unknown, by: string): void {
    this.#log(call, 'phone accept', [extra, by]);
    this.#act(call, 'voip_invite_accept', extra);
    const hangUpAfter = this.script.hangUpAfter;
    if (hangUpAfter !== undefined) {
      this.#later(hangUpAfter, `phone ${this.number}: hang up`, () => {
        if (this.#call === call) this.#hangUp(call, '', 'by script');
      });
    }
  }

  #refuse(call: Invite, extra: unknown, by: string): void {
    this.#log(call, 'phone refuse', [extra, by]);
    this.#idle();
    this.#act(call, 'voip_invite_refuse', extra);
  }

  #hangUp(call: Invite, extra: unknown, by: string): void {
    this.#log(call, 'phone hang up', [extra, by]);
    this.#idle();
    this.#act(call, 'voip_invite_bye', extra);
  }

  #act(invite: Invite, type: RelayedType, extra: unknown): void {
    const err = this.#invites.act(invite, 'callee', type, extra);
    invariant(err === undefined, () => `Phone ${this.number} could not send ${type}: ${err}`);
  }

  #idle(): void {
    this.#call = undefined;
    for (const t of this.#timers) this.#invites.server.ctx.time.cancel(t);
    this.#timers = [];
  }

  #later(ms: number, label: string, fn: () => void): void {
    this.#timers.push(this.#invites.server.ctx.time.schedule(ms, label, fn));
  }

  #expect(verb: string, wanted: 'ringing' | 'ringing or connected'): Invite {
    const call = this.#call;
    const okState = call && (wanted === 'ringing' ? call.state === 'ringing' : true);
    invariant(
      okState,
      () =>
        `Cannot ${verb} on phone '${this.number}': it is ${this.state}, not ${wanted} ` +
        `(it has received ${this.received.length} invite${this.received.length === 1 ? '' : 's'}). ` +
        `Wait for the invite first, e.g. await cloud.until(() => phone.state === 'ringing')`,
    );
    return call!;
  }

  #log(invite: Invite, name: string, args: unknown[]): void {
    this.#invites.server.ctx.log.append({
      kind: 'server',
      client: this.number,
      name,
      args,
      object: `call:${invite.channel}/${invite.caller.account.account}`,
    });
  }
}

/**
 * Registers a scripted phone on the cloud's SIP gateway.
 * @internal Use `cloud.phone(number, script)`.
 */
export function registerPhone(invites: Invites, number: string, script: PhoneScript = {}): ScriptedPhone {
  invariant(
    typeof number === 'string' && PHONE_NUMBER.test(number),
    () => `Failed to register a phone: ${describeArg(number)} is not a phone number (digits, an optional leading '+', at least 3 digits, e.g. '+15551234')`,
  );
  invariant(
    !invites.phones.has(number),
    `Failed to register phone '${number}': it is already registered; keep the handle cloud.phone() returned the first time`,
  );
  const what = `Failed to register phone '${number}'`;
  invariant(script !== null && typeof script === 'object' && !Array.isArray(script), `${what}: the script must be an object like { answer: 'accept', after: 1000 }`);
  const o = readOptions(script, ['answer', 'after', 'hangUpAfter'], what, "{ answer: 'accept', after: 1000 }", 'script option');
  invariant(
    o.answer === undefined || o.answer === 'accept' || o.answer === 'refuse' || o.answer === 'ignore',
    () => `${what}: answer must be 'accept', 'refuse' or 'ignore', got ${describeArg(o.answer)}`,
  );
  const checked: PhoneScript = {};
  if (o.answer !== undefined) checked.answer = o.answer as PhoneAnswer;
  if (o.after !== undefined) checked.after = readDuration(o.after, what, 'after');
  if (o.hangUpAfter !== undefined) checked.hangUpAfter = readDuration(o.hangUpAfter, what, 'hangUpAfter');
  const phone = new ScriptedPhone(invites, number, checked);
  invites.phones.set(number, phone);
  return phone;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function extraFields(extra: unknown): { srcNum: unknown; destMediaUid: unknown } {
  const v = parseJson(extra);
  if (!v || typeof v !== 'object') return { srcNum: undefined, destMediaUid: undefined };
  const o = v as Record<string, unknown>;
  return { srcNum: o.srcNum, destMediaUid: o.destMediaUid };
}
