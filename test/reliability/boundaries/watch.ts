// What every boundary's invariant watches besides its own checks: exceptions that escape to
// the process, and the built-in prototypes (a polluted one changes every object of the process).

/** The prototypes a pollution would reach, with the descriptors they have now. */
const PROTOTYPES: ReadonlyArray<[string, object]> = [
  ['Object', Object.prototype],
  ['Array', Array.prototype],
  ['Function', Function.prototype],
  ['String', String.prototype],
  ['Number', Number.prototype],
  ['Boolean', Boolean.prototype],
  ['Map', Map.prototype],
  ['Set', Set.prototype],
  ['Promise', Promise.prototype],
  ['Error', Error.prototype],
  ['RegExp', RegExp.prototype],
  ['Date', Date.prototype],
];

export interface PrototypeWatch {
  /** What changed on a built-in prototype since the watch began (empty when nothing did). */
  changes(): string[];
}

/**
 * Snapshots the built-in prototypes: every own key and what it holds. `changes()` compares
 * (cheap: a few hundred identity checks).
 */
export function watchPrototypes(): PrototypeWatch {
  const before = PROTOTYPES.map(([name, proto]) => ({
    name,
    proto,
    descriptors: new Map(Reflect.ownKeys(proto).map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)!] as const)),
    prototype: Object.getPrototypeOf(proto) as unknown,
  }));
  return {
    changes() {
      const out: string[] = [];
      for (const { name, proto, descriptors, prototype } of before) {
        if (Object.getPrototypeOf(proto) !== prototype) out.push(`${name}.prototype has another prototype`);
        const keys = Reflect.ownKeys(proto);
        for (const k of keys) {
          const was = descriptors.get(k);
          const now = Object.getOwnPropertyDescriptor(proto, k)!;
          if (!was) out.push(`${name}.prototype gained ${String(k)}`);
          else if (was.value !== now.value || was.get !== now.get || was.set !== now.set) out.push(`${name}.prototype.${String(k)} changed`);
        }
        if (keys.length < descriptors.size) out.push(`${name}.prototype lost a property`);
      }
      // for…in over a fresh object sees inherited enumerable names: a polluter's favourite.
      for (const k in {}) out.push(`every object inherits an enumerable ${k}`);
      return out;
    },
  };
}

export interface CrashWatch {
  /** Exceptions and rejections that reached the process since the watch began. */
  readonly escaped: unknown[];
  stop(): void;
}

/** Records what escapes to the process (and keeps it from ending the process while watched). */
export function watchCrashes(): CrashWatch {
  const escaped: unknown[] = [];
  const record = (error: unknown): void => void escaped.push(error);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    escaped,
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}

/** An escaped exception in one line, whatever it is. */
export function describeEscaped(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : Object.prototype.toString.call(error);
  } catch {
    return 'an exception that cannot be described';
  }
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
