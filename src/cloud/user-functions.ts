import { reasons } from './protocol.js';
import { ok, refuse, type CloudServer } from './server.js';

/**
 * The user invoke functions of the documentation: status and attributes of accounts.
 * Attributes belong to the account and outlive its sessions.
 */
export function installUserFunctions(server: CloudServer): void {
  server.handle('user_query_user_status', (session, args) => {
    if (typeof args.account !== 'string') return refuse(reasons.badArgs);
    return ok({ status: session.app.sessions.has(args.account) ? 1 : 0 });
  });

  server.handle('user_set_attr', (session, args) => {
    if (typeof args.name !== 'string' || args.name === '') return refuse(reasons.badArgs);
    const value = args.value;
    if (value === undefined || value === null || value === '') session.account.attrs?.delete(args.name);
    else (session.account.attrs ??= new Map()).set(args.name, typeof value === 'string' ? value : JSON.stringify(value));
    return ok();
  });

  server.handle('user_get_attr', (session, args) => {
    if (typeof args.account !== 'string' || typeof args.name !== 'string') return refuse(reasons.badArgs);
    const value = session.app.accounts.get(args.account)?.attrs?.get(args.name);
    return ok({ value: value ?? null });
  });

  server.handle('user_get_attr_all', (session, args) => {
    if (typeof args.account !== 'string') return refuse(reasons.badArgs);
    const attrs = session.app.accounts.get(args.account)?.attrs;
    return ok({ value: Object.fromEntries(attrs ?? []) });
  });
}
