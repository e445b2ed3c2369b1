/** The command-line flags of the fuzz scripts: `--name value`. */
const args = process.argv.slice(2);

/** The value after `--name`, if given. */
export function flag(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Whether `--name` is given (a switch without a value). */
export function has(name: string): boolean {
  return args.includes(`--${name}`);
}

/** The whole number after `--name` (at least `min`), if given; anything else ends the process with 2. */
export function wholeNumber(name: string, min = 0): number | undefined {
  const v = flag(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number${min === 0 ? '' : ` of at least ${min}`}, got ${v}`);
    process.exit(2);
  }
  return n;
}
