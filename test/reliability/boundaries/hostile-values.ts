// Arguments a test could hand the emulator's API by mistake or on purpose: JSON of any shape,
// numbers of any size (NaN, Infinity, 1e308), names valid and not, option objects with the right
// names and wrong values, objects with getters that throw, proxies whose every trap throws,
// null-prototype objects, cycles, deep nesting, class instances, symbols, BigInts, and
// functions. Built fresh for each case (fast-check values are replayed when shrinking, and an
// object a verb kept must not leak into the next case).
import fc from 'fast-check';

/** What a function handed to the API throws: the test's own error, which may propagate as it is. */
export class TestFunctionError extends Error {
  override name = 'TestFunctionError';
}

/** Names the Cloud API reads: accounts, apps, requests, directions, kinds, callbacks, dangerous keys. */
export const NAMES = [
  'alice',
  'bob',
  'nobody',
  'app',
  'secure',
  'room',
  '+15551234',
  'login',
  'user_sendmsg',
  'channel_join',
  'up',
  'down',
  'both',
  'msg',
  'connect',
  'call2-ret',
  'close',
  'error',
  'refused',
  'unanswered',
  'kick',
  'next-login',
  'accept',
  'refuse',
  'ignore',
  'virtual',
  'global',
  'relative',
  'absolute',
  'callback',
  'fault',
  'server',
  'onLogout',
  '__proto__',
  'constructor',
  'prototype',
  'valueOf',
  'toString',
  '',
  ' ',
  'x'.repeat(200),
] as const;

/** Every option name of the Cloud API, so that generated objects often hold the right keys. */
export const OPTION_NAMES = [
  'seed',
  'startTime',
  'latency',
  'apps',
  'appId',
  'certificate',
  'expiresIn',
  'within',
  'what',
  'reason',
  'account',
  'times',
  'effect',
  'for',
  'how',
  'attempts',
  'direction',
  'kind',
  'name',
  'answer',
  'after',
  'hangUpAfter',
  'maxMembers',
  'userMessagesPerSecond',
  'channelMessagesPerSecond',
  'userListSize',
  'perAccount',
  'perApp',
  'client',
  'kinds',
  'time',
  'epoch',
  'argsWidth',
  'highlight',
  'labelWidth',
  'maxSteps',
  'title',
  'timeline',
  'object',
  'session',
  'args',
  'from',
  'to',
  'unhandled',
  'where',
  'cleint',
  'whithin',
  '__proto__',
  'constructor',
] as const;

export const NUMBERS = [0, 1, 2, 5, 20, 100, 1_000, 5_000, 60_000, -1, -0, 0.5, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, 1e9, 31_536_000_001] as const;

/** How many outcomes generated functions have (see functionResult). */
const FUNCTION_RESULTS_COUNT = 9;

/** A recipe for a value; `make` builds it fresh. */
export type Recipe =
  | { t: 'json'; v: unknown }
  | { t: 'number'; v: number }
  | { t: 'name'; v: string }
  | { t: 'options'; entries: Array<[string, Recipe]> }
  | { t: 'getter'; key: string; throws: boolean }
  | { t: 'proxy' }
  | { t: 'null-proto'; entries: Array<[string, Recipe]> }
  | { t: 'array'; items: Recipe[]; getterAt?: number }
  | { t: 'function'; returns: number }
  | { t: 'odd'; what: 'symbol' | 'bigint' | 'cycle' | 'deep' | 'date' | 'map' | 'regexp' | 'undefined' | 'null' | 'true' };

const leafRecipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc.record({ t: fc.constant('json' as const), v: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ t: fc.constant('number' as const), v: fc.oneof(fc.constantFrom(...NUMBERS), fc.integer({ min: -10, max: 100_000 })) }),
  fc.record({ t: fc.constant('name' as const), v: fc.constantFrom(...NAMES) }),
  fc.record({ t: fc.constant('getter' as const), key: fc.constantFrom(...OPTION_NAMES), throws: fc.boolean() }),
  fc.constant({ t: 'proxy' as const }),
  fc.record({ t: fc.constant('function' as const), returns: fc.nat(FUNCTION_RESULTS_COUNT - 1) }),
  fc.record({ t: fc.constant('odd' as const), what: fc.constantFrom('symbol' as const, 'bigint' as const, 'cycle' as const, 'deep' as const, 'date' as const, 'map' as const, 'regexp' as const, 'undefined' as const, 'null' as const, 'true' as const) }),
);

/** A recipe for any argument. */
export const recipe: fc.Arbitrary<Recipe> = fc.letrec<{ r: Recipe }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small' },
    { arbitrary: leafRecipe, weight: 4 },
    { arbitrary: fc.record({ t: fc.constant('options' as const), entries: fc.array(fc.tuple(fc.constantFrom(...OPTION_NAMES), tie('r')), { maxLength: 4 }) }), weight: 3 },
    fc.record({ t: fc.constant('null-proto' as const), entries: fc.array(fc.tuple(fc.constantFrom(...OPTION_NAMES), tie('r')), { maxLength: 3 }) }),
    fc.record({ t: fc.constant('array' as const), items: fc.array(tie('r'), { maxLength: 3 }), getterAt: fc.option(fc.nat(3), { nil: undefined }) }),
  ),
})).r;

/** What generated functions return (as a rule: pass, drop, fail, a delay; as a predicate: true, false) or throw. */
function functionResult(n: number): unknown {
  switch (n) {
    case 0:
      return true;
    case 1:
      return false;
    case 2:
      return 'pass';
    case 3:
      return 'drop';
    case 4:
      return { delay: 5 };
    case 5:
      return { delay: 1e308 };
    case 6:
      return 'explode';
    case 7:
      return undefined;
    default:
      throw new TestFunctionError('a function of the test threw');
  }
}

/** Builds the value a recipe describes (a fresh one each time). */
export function make(r: Recipe): unknown {
  switch (r.t) {
    case 'json':
      return structuredClone(r.v);
    case 'number':
    case 'name':
      return r.v;
    case 'options': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of r.entries) Object.defineProperty(out, k, { value: make(v), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case 'null-proto': {
      const out = Object.create(null) as Record<string, unknown>;
      for (const [k, v] of r.entries) out[k] = make(v);
      return out;
    }
    case 'getter': {
      const out: Record<string, unknown> = {};
      Object.defineProperty(out, r.key, {
        enumerable: true,
        get: () => {
          if (r.throws) throw new TypeError('a getter that throws');
          return 5;
        },
      });
      return out;
    }
    case 'proxy':
      return new Proxy(
        {},
        {
          get: () => {
            throw new TypeError('a proxy that throws (get)');
          },
          ownKeys: () => {
            throw new TypeError('a proxy that throws (ownKeys)');
          },
          getOwnPropertyDescriptor: () => {
            throw new TypeError('a proxy that throws (getOwnPropertyDescriptor)');
          },
          getPrototypeOf: () => {
            throw new TypeError('a proxy that throws (getPrototypeOf)');
          },
          has: () => {
            throw new TypeError('a proxy that throws (has)');
          },
          set: () => {
            throw new TypeError('a proxy that throws (set)');
          },
        },
      );
    case 'array': {
      const items = r.items.map(make);
      if (r.getterAt !== undefined) {
        Object.defineProperty(items, Math.min(r.getterAt, items.length), {
          enumerable: true,
          get: () => {
            throw new TypeError('an array element that throws');
          },
        });
      }
      return items;
    }
    case 'function':
      return () => functionResult(r.returns);
    case 'odd':
      switch (r.what) {
        case 'symbol':
          return Symbol('s');
        case 'bigint':
          return 10n;
        case 'cycle': {
          const o: Record<string, unknown> = { account: 'bob' };
          o.self = o;
          return o;
        }
        case 'deep': {
          let v: unknown = 'x';
          for (let i = 0; i < 200; i++) v = { a: v, client: 'bob' };
          return v;
        }
        case 'date':
          return new Date(0);
        case 'map':
          return new Map([['account', 'bob']]);
        case 'regexp':
          return /alice|bob/;
        case 'undefined':
          return undefined;
        case 'null':
          return null;
        case 'true':
          return true;
      }
  }
}
