import type { ChannelRegistry, ChannelState } from './channel-registry.js';
import type { CloudServer } from './server.js';
import type { AppState } from './state.js';

export const USER_ONLINE_CHANNEL = '_agora_user_online';
export const CHANNEL_EVENT_CHANNEL = '_agora_channel_event';

/**
 * What members of the special channels receive, as the `msg` of a channel message
 * (`onMessageChannelReceive(account, uid, msg)`, where `account` and `uid` are the user the
 * event is about). No public source gives the real format; this one is the emulator's, and it
 * stays stable:
 *
 * - `_agora_user_online`: `{"type":"login","account":"alice","uid":3,"ts":1704067200080}` and
 *   `{"type":"logout","account":"alice","uid":3,"ts":…,"reason":"logout"}` (reason `logout`,
 *   `kicked`, `disconnected` or `closed`).
 * - `_agora_channel_event`: `{"type":"join","channel":"room","account":"alice","uid":3,"ts":…}`
 *   and `{"type":"leave","channel":"room","account":"alice","uid":3,"ts":…,"reason":"leave"}`
 *   (reason `leave`, or how the session ended). Joins and leaves of the special channels
 *   themselves are not reported.
 *
 * `ts` is the virtual time of the event in Unix ms.
 */
export type SpecialChannelEvent =
  | { type: 'login'; account: string; uid: number; ts: number }
  | { type: 'logout'; account: string; uid: number; ts: number; reason: string }
  | { type: 'join'; channel: string; account: string; uid: number; ts: number }
  | { type: 'leave'; channel: string; account: string; uid: number; ts: number; reason: string };

/** Feeds the special channels from the server's session and membership events. */
export function installSpecialChannels(server: CloudServer, registry: ChannelRegistry): void {
  // Most apps have no such channel, or nobody in it: no event is made for nobody (one per
  // login, logout, join and leave).
  const listening = (app: AppState, channelName: string): ChannelState | undefined => {
    const channel = registry.get(app, channelName);
    return channel && channel.members.size > 0 ? channel : undefined;
  };
  const post = (channel: ChannelState, event: SpecialChannelEvent): void => {
    registry.broadcast(channel, { type: 'channel_msg', account: event.account, uid: event.uid, msg: JSON.stringify(event) });
  };
  const now = (): number => server.ctx.time.now();

  server.events.on('session:start', (session) => {
    const channel = listening(session.app, USER_ONLINE_CHANNEL);
    if (!channel) return;
    const { account, uid } = session.account;
    post(channel, { type: 'login', account, uid, ts: now() });
  });

  server.events.on('session:end', ({ session, why }) => {
    const channel = listening(session.app, USER_ONLINE_CHANNEL);
    if (!channel) return;
    const { account, uid } = session.account;
    post(channel, { type: 'logout', account, uid, ts: now(), reason: why });
  });

  registry.onMembership((kind, about, member, why) => {
    if (about.special) return;
    const channel = listening(about.app, CHANNEL_EVENT_CHANNEL);
    if (!channel) return;
    const { account, uid } = member;
    post(
      channel,
      kind === 'join'
        ? { type: 'join', channel: about.name, account, uid, ts: now() }
        : { type: 'leave', channel: about.name, account, uid, ts: now(), reason: why },
    );
  });
}
