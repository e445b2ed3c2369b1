import { describeArg } from '../arguments.js';
import { bounds } from '../bounds.js';
import { EmulatorError } from '../errors.js';
import { md5hex } from './md5.js';

/**
 * A SignalingToken in the real format:
 * `"1:" + appId + ":" + expiredTs + ":" + md5hex(account + appId + certificate + expiredTs)`.
 *
 * @param expiredTs expiry in Unix seconds
 * @example
 * const token = signalingToken(appId, certificate, 'alice', Math.floor(cloud.now() / 1000) + 3600);
 */
export function signalingToken(appId: string, certificate: string, account: string, expiredTs: number): string {
  for (const [name, value] of [['appId', appId], ['certificate', certificate], ['account', account]] as const) {
    if (typeof value !== 'string') throw new EmulatorError(`Failed to make a token: ${name} must be a string, got ${describeArg(value)}`);
  }
  const latest = bounds.maxVirtualTime / 1000;
  if (typeof expiredTs !== 'number' || !Number.isInteger(expiredTs) || expiredTs < 0 || expiredTs > latest) {
    // A token with any other expiredTs has a form no server takes (`TokenErrorFormat`).
    throw new EmulatorError(`Failed to make a token: expiredTs must be whole Unix seconds from 0 to ${latest}, got ${describeArg(expiredTs)}`);
  }
  return tokenText(appId, certificate, account, expiredTs);
}

function tokenText(appId: string, certificate: string, account: string, expiredTs: number): string {
  return `1:${appId}:${expiredTs}:${md5hex(`${account}${appId}${certificate}${expiredTs}`)}`;
}

/** The reason strings the server gives for a refused token (the SDK maps them to codes). */
export type TokenVerdict = 'ok' | 'TokenErrorExpired' | 'TokenErrorWrong' | 'TokenErrorFormat' | 'TokenErrorAppId';

/** Checks `token` for `account` of an app with `certificate` at virtual time `nowMs`. */
export function verifyToken(token: unknown, appId: string, certificate: string, account: string, nowMs: number): TokenVerdict {
  if (typeof token !== 'string') return 'TokenErrorFormat';
  const parts = token.split(':');
  if (parts.length !== 4 || parts[0] !== '1' || !/^\d+$/.test(parts[2]!)) return 'TokenErrorFormat';
  if (parts[1] !== appId) return 'TokenErrorAppId';
  const expiredTs = Number(parts[2]);
  if (token !== tokenText(appId, certificate, account, expiredTs)) return 'TokenErrorWrong';
  if (expiredTs * 1000 <= nowMs) return 'TokenErrorExpired';
  return 'ok';
}

/** When the token expires (Unix ms), or undefined when it is not a well-formed token. */
export function tokenExpiry(token: string): number | undefined {
  const parts = token.split(':');
  return parts.length === 4 && /^\d+$/.test(parts[2]!) ? Number(parts[2]) * 1000 : undefined;
}
