import { channelReasons, validChannelName } from './channel-limits.js';
import type { ChannelRegistry, ChannelState } from './channel-registry.js';
import { reasons } from './protocol.js';
import { ok, refuse, type CloudServer } from './server.js';

/** By default `channel_query_userlist_all` lists up to 1000 × 1000 members (the doc's default `num`). */
const USERLIST_ALL_DEFAULT = 1000 * 1000;

/**
 * The channel invoke functions of the documentation. A channel that does not exist has no
 * members: `num` 0, `isin` 0, `list` []. Lists are `[[account, uid], …]`, the latest members,
 * oldest first.
 */
export function installChannelQueries(server: CloudServer, registry: ChannelRegistry): void {
  server.handle('channel_query_num', (session, args) => {
    if (!validChannelName(args.name)) return refuse(channelReasons.badName);
    const channel = registry.get(session.app, args.name);
    return ok({ num: channel?.members.size ?? 0 });
  });

  server.handle('channel_query_user_isin', (session, args) => {
    if (!validChannelName(args.name)) return refuse(channelReasons.badName);
    if (typeof args.account !== 'string') return refuse(reasons.badArgs);
    const channel = registry.get(session.app, args.name);
    return ok({ isin: channel?.members.has(args.account) ? 1 : 0 });
  });

  server.handle('channel_query_userlist', (session, args) => {
    if (!validChannelName(args.name)) return refuse(channelReasons.badName);
    const channel = registry.get(session.app, args.name);
    return ok({ num: channel?.members.size ?? 0, list: channel ? userList(channel, registry.limits.userListSize) : [] });
  });

  server.handle('channel_query_userlist_all', (session, args) => {
    if (!validChannelName(args.name)) return refuse(channelReasons.badName);
    const num = args.num === undefined ? USERLIST_ALL_DEFAULT : args.num;
    if (typeof num !== 'number' || !Number.isInteger(num) || num < 0) return refuse(reasons.badArgs);
    const channel = registry.get(session.app, args.name);
    return ok({ num: channel?.members.size ?? 0, list: channel ? userList(channel, num) : [] });
  });
}

/** The latest `max` members as `[[account, uid], …]`, oldest first (a fresh array each time). */
export function userList(channel: ChannelState, max: number): Array<[string, number]> {
  return channel.members.latest(max, (m) => [m.account, m.uid]);
}
