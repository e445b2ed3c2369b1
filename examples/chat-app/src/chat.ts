import type { Call, Session, SignalFactory } from './signaling.js';

/** A small chat client on the Signaling SDK: log in, send and receive peer messages, accept calls. */
export class ChatClient {
  readonly inbox: string[] = [];
  readonly calls: string[] = [];
  #session: Session | undefined;

  constructor(
    private readonly Signal: SignalFactory,
    private readonly appId: string,
  ) {}

  /** Logs in; resolves with the uid, rejects with the SDK's code. */
  login(account: string): Promise<number> {
    const session = this.Signal(this.appId).login(account, '_no_need_token');
    this.#session = session;
    session.onMessageInstantReceive = (from, _uid, msg) => this.inbox.push(`${from}: ${msg}`);
    session.onInviteReceived = (call: Call) => {
      this.calls.push(call.peer);
      call.channelInviteAccept();
    };
    return new Promise((resolve, reject) => {
      session.onLoginSuccess = resolve;
      session.onLoginFailed = (code) => reject(new Error(`login failed: ${code}`));
    });
  }

  /** Sends a peer message; resolves once the server has it. */
  send(peer: string, text: string): Promise<void> {
    const session = this.#session;
    if (!session) throw new Error('not logged in');
    return new Promise((resolve, reject) => session.messageInstantSend(peer, text, (isError) => (isError ? reject(new Error('not sent')) : resolve())));
  }

  /** Calls `peer`; resolves when the call is accepted. */
  call(peer: string, channel: string): Promise<void> {
    const session = this.#session;
    if (!session) throw new Error('not logged in');
    const call = session.channelInviteUser2(channel, peer);
    return new Promise((resolve) => (call.onInviteAcceptedByPeer = () => resolve()));
  }
}
