import { builtin, perSecondLimit, READ_ONLY_ATTRS } from './channel-builtins.js';
import { ATTR_NAME_MAX, ATTR_VALUE_MAX_BYTES, channelReasons, validChannelName } from './channel-limits.js';
import type { ChannelRegistry, ChannelState } from './channel-registry.js';
import { utf8Length } from './limits.js';
import { reasons } from './protocol.js';
import { ok, refuse, type CloudServer, type Reply } from './server.js';
import type { ServerSession } from './state.js';

/**
 * Channel attributes: `channel_set_attr` `{channel, name, value}`, `channel_del_attr`
 * `{channel, name}` and `channel_clear_attr` `{channel}`, the same functions whether they come
 * from a Channel object or from `invoke`. Every change reaches every member (its author
 * included) as `channel_attr_update` with type `update`, `del` or `clear`. Membership is not
 * required (the invoke twins exist to manage channels from outside); setting an attribute of a
 * channel that does not exist creates it, empty, with its TTL running.
 */
export function installChannelAttributes(server: CloudServer, registry: ChannelRegistry): void {
  server.handle('channel_set_attr', (session, args) => {
    const channelName = args.channel;
    const name = args.name;
    if (!validChannelName(channelName)) return refuse(channelReasons.badName);
    if (!validAttrName(name)) return refuse(channelReasons.badAttrName);
    if (args.value === undefined || args.value === null) return refuse(reasons.badArgs);
    // A value that is not a string is kept as its JSON text, like user attributes.
    const value = typeof args.value === 'string' ? args.value : JSON.stringify(args.value);
    if (utf8Length(value) > ATTR_VALUE_MAX_BYTES) return refuse(channelReasons.valueTooLong);
    if (READ_ONLY_ATTRS.includes(name)) return refuse(channelReasons.readOnlyAttr);
    const channel = registry.getOrCreate(session.app, channelName);
    const limited = rateLimit(server, channel, session);
    if (limited) return limited;
    channel.attrs.set(name, value);
    registry.broadcast(channel, { type: 'channel_attr_update', name, value, change: 'update' });
    registry.attributesChanged(channel);
    return ok();
  });

  server.handle('channel_del_attr', (session, args) => {
    const channelName = args.channel;
    const name = args.name;
    if (!validChannelName(channelName)) return refuse(channelReasons.badName);
    if (!validAttrName(name)) return refuse(channelReasons.badAttrName);
    if (READ_ONLY_ATTRS.includes(name)) return refuse(channelReasons.readOnlyAttr);
    const channel = registry.get(session.app, channelName);
    // Nothing to delete: the reply is ok and nobody is told (nothing changed).
    if (!channel || !channel.attrs.has(name)) return ok();
    const limited = rateLimit(server, channel, session);
    if (limited) return limited;
    channel.attrs.delete(name);
    registry.broadcast(channel, { type: 'channel_attr_update', name, value: '', change: 'del' });
    registry.attributesChanged(channel);
    return ok();
  });

  server.handle('channel_clear_attr', (session, args) => {
    const channelName = args.channel;
    if (!validChannelName(channelName)) return refuse(channelReasons.badName);
    const channel = registry.get(session.app, channelName);
    if (!channel || channel.attrs.size === 0) return ok();
    const limited = rateLimit(server, channel, session);
    if (limited) return limited;
    // Every attribute apps set goes, built-in settings included (back to their defaults).
    channel.attrs.clear();
    registry.broadcast(channel, { type: 'channel_attr_update', name: '', value: '', change: 'clear' });
    registry.attributesChanged(channel);
    return ok();
  });
}

function validAttrName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && [...name].length <= ATTR_NAME_MAX;
}

/** `_setattr_limit`: refuses (and logs) an update beyond n per second in this channel. */
function rateLimit(server: CloudServer, channel: ChannelState, session: ServerSession): Reply | undefined {
  const now = server.ctx.time.now();
  const limit = perSecondLimit(channel.attrs, builtin.setattrLimit);
  if (limit !== undefined && !channel.attrWindow.allows(now, limit)) {
    server.note('rate limited', session.account.account, [channel.name, `_setattr_limit ${limit}/s`]);
    return refuse(channelReasons.tooManyAttrUpdates);
  }
  channel.attrWindow.record(now);
  return undefined;
}
