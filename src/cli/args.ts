import { invalidOption, MediaError } from '../core/errors.js';
import type { CliIo } from './io.js';

export type OptionKind = 'string' | 'number' | 'boolean' | 'strings';
export interface OptionSpec {
  readonly kind: OptionKind;
  readonly expected?: string; // shown in "Expected X for --name"
  readonly choices?: readonly string[];
}
export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Record<string, string | number | boolean | string[] | undefined>;
}

/** A small strict parser: unknown options and bad values fail at once, naming the option, what it expects and what it got. */
export function parseArgs(argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPositionals || !arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (!spec) {
      if (name.startsWith('no-') && specs[name.slice(3)]?.kind === 'boolean') {
        options[name.slice(3)] = false;
        continue;
      }
      throw new MediaError(
        'INVALID_OPTION',
        `Unknown option --${name}. Known options: ${Object.keys(specs)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    }
    if (spec.kind === 'boolean') {
      if (eq !== -1) {
        const v = arg.slice(eq + 1);
        if (v !== 'true' && v !== 'false') throw invalidOption(`--${name}`, 'true or false', v);
        options[name] = v === 'true';
      } else options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2))
        throw invalidOption(`--${name}`, spec.expected ?? `a ${spec.kind === 'number' ? 'number' : 'value'}`, undefined);
      i++;
    }
    if (spec.choices && !spec.choices.includes(value)) throw invalidOption(`--${name}`, `one of ${spec.choices.join(', ')}`, value);
    if (spec.kind === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw invalidOption(`--${name}`, spec.expected ?? 'a number', value);
      options[name] = n;
    } else if (spec.kind === 'strings') {
      const prev = options[name];
      options[name] = Array.isArray(prev) ? [...prev, value] : [value];
    } else options[name] = value;
  }
  return { positionals, options };
}

/**
 * A command's arguments, with `--help` (and `-h`) known to every command: on a help request it prints the
 * command's help and returns undefined, so each command starts with one call instead of its own help branch.
 */
export function parseCommandArgs(
  argv: readonly string[],
  specs: OptionSpecs,
  help: string | (() => string),
  io: Pick<CliIo, 'stdout'>,
): ParsedArgs | undefined {
  const parsed = parseArgs(argv, { ...specs, help: { kind: 'boolean' } });
  if (parsed.options.help !== true && !parsed.positionals.includes('-h')) return parsed;
  io.stdout.write(typeof help === 'string' ? help : help());
  return undefined;
}
