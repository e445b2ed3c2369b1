import type { ChannelRegistry } from './channel-registry.js';
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
  const post = (app: AppState, channelName: string, event: SpecialChannelEvent): void => {
    const channel = registry.get(app, channelName);
    if (!channel || channel.members.size === 0) return;
    registry.broadcast(channel, { type: 'channel_msg', account: event.account, uid: event.uid, msg: JSON.stringify(event) });
  };
  const now = (): number => server.ctx.time.now();

  server.events.on('session:start', (session) => {
    // Most apps have no such channel: no event is made for nobody (one per login).
    if (!registry.get(session.app, USER_ONLINE_CHANNEL)) return;
    const { account, uid } = session.account;
    post(session.app, USER_ONLINE_CHANNEL, { type: 'login', account, uid, ts: now() });
  });

  server.events.on('session:end', ({ session, why }) => {
    const { account, uid } = session.account;
    post(session.app, USER_ONLINE_CHANNEL, { type: 'logout', account, uid, ts: now(), reason: why });
  });

  registry.onMembership(({ kind, channel, member, why }) => {
    // Most apps have no such channel: no event is made for nobody (one per join and leave).
    if (channel.special || !registry.get(channel.app, CHANNEL_EVENT_CHANNEL)) return;
    const { account, uid } = member;
    const event: SpecialChannelEvent =
      kind === 'join'
        ? { type: 'join', channel: channel.name, account, uid, ts: now() }
        : { type: 'leave', channel: channel.name, account, uid, ts: now(), reason: why };
    post(channel.app, CHANNEL_EVENT_CHANNEL, event);
  });
}
