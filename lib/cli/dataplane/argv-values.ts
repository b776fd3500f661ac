import { isIP } from 'net';

/**
 * The grammar of every value verify passes to a process (`ip`, `ping`, a plugin's environment).
 * Values from the inputs are checked here first; what fails becomes a FAILED row naming the
 * object and field, never an argument. Values that pass are plain tokens (no whitespace, quotes,
 * `#`, `;`, `$`, newlines, iproute2 keywords), so they are safe as argv elements. verify runs no
 * `ip -batch` script and no shell: every `ip` command is its own argv; {@link batchLine} is the
 * plain-token check every token of those commands passes, and their text in messages.
 */

/** The longest Linux interface name (IFNAMSIZ - 1). */
export const MAX_LINK_NAME = 15;

/** The form of a link name: a letter or digit, then letters, digits, `_`, `.`, `-`. */
export const LINK_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/**
 * Words iproute2 reads as keywords where a link name may stand (`ip link add <name> ...`,
 * `dev <name>`), and names every namespace already has: never accepted as a link name.
 */
export const RESERVED_LINK_NAMES: ReadonlySet<string> = new Set([
  'lo', 'all', 'any', 'default', 'dev', 'name', 'type', 'netns', 'link', 'master', 'nomaster', 'peer',
  'up', 'down', 'address', 'broadcast', 'mtu', 'help', 'via', 'table', 'group', 'alias', 'index',
  'vf', 'add', 'del', 'delete', 'set', 'show', 'list', 'exec', 'force', 'batch',
]);

/** A MAC address: six colon-separated pairs of hex digits. */
export const MAC_RE = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;

/** The MTU range verify creates links with. */
export const MTU_MIN = 68;
export const MTU_MAX = 65535;

/** The form of names verify gives its namespaces: `nfv` + lowercase hex/digits, a dash, a role. */
export const NETNS_NAME_RE = /^nfv[0-9a-f]{4,16}-[a-z]{1,8}[0-9]{0,6}$/;

/** The form of a run prefix. */
export const RUN_PREFIX_RE = /^nfv[0-9a-f]{4,16}$/;

/** Why a value was refused: the house error style, to be prefixed by the field. */
export class ArgvValueError extends Error {
  constructor(public readonly field: string, public readonly value: unknown, what: string, fix: string) {
    super(`'${field}' ${what}: got ${show(value)}; ${fix}`);
    this.name = 'ArgvValueError';
  }
}

/** A value as quoted in messages: JSON, so control characters are escaped; long ones cut. */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Whether a value is a link name verify accepts (form, length, not a keyword). */
export function isLinkName(v: unknown): v is string {
  return typeof v === 'string' && LINK_NAME_RE.test(v) && !RESERVED_LINK_NAMES.has(v.toLowerCase());
}

/** Checks a link name from an input; throws {@link ArgvValueError} naming the field. */
export function linkName(v: unknown, field: string): string {
  if (isLinkName(v)) return v;
  if (typeof v === 'string' && LINK_NAME_RE.test(v)) {
    throw new ArgvValueError(field, v, 'is a reserved name', "use another interface name ('lo' and iproute2 keywords such as 'type' or 'netns' are refused)");
  }
  throw new ArgvValueError(field, v, 'is not a valid link name', `use a Linux interface name of at most ${MAX_LINK_NAME} characters from [A-Za-z0-9_.-]`);
}

/** Whether a value is a MAC address (six hex pairs, colons). */
export function isMac(v: unknown): v is string {
  return typeof v === 'string' && MAC_RE.test(v);
}

/** Checks a MAC from an input. */
export function macAddress(v: unknown, field: string): string {
  if (isMac(v)) return v.toLowerCase();
  throw new ArgvValueError(field, v, 'is not a MAC address', 'write six pairs of hex digits separated by colons, e.g. 02:00:00:00:00:01');
}

/** Checks an MTU from an input: an integer from {@link MTU_MIN} to {@link MTU_MAX}. */
export function mtuValue(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= MTU_MIN && v <= MTU_MAX) return v;
  throw new ArgvValueError(field, v, `is not an MTU from ${MTU_MIN} to ${MTU_MAX}`, 'write a whole number of bytes, e.g. 1500 or 9000');
}

/** Whether a value is a plain IPv4 or IPv6 address (no zone, no prefix). */
export function isIpAddress(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 45 && isIP(v) !== 0 && !v.includes('%');
}

/** Checks an address (e.g. from a plugin's result) before it becomes a `ping` argument. */
export function ipAddress(v: unknown, field: string): string {
  if (isIpAddress(v)) return v;
  throw new ArgvValueError(field, v, 'is not an IP address', 'a plugin result must hold plain IPv4 or IPv6 addresses');
}

/** Checks a namespace name verify made (never an input). */
export function netnsName(v: unknown, field = 'netns'): string {
  if (typeof v === 'string' && NETNS_NAME_RE.test(v)) return v;
  throw new ArgvValueError(field, v, 'is not a namespace name of this run', 'namespaces are named <prefix>-<role><n> by verify');
}

/** A token of a batch line: something that passed one of the checks above, or a fixed word. */
export type BatchToken = string | number;

const FIXED_TOKEN_RE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;

/**
 * The default destinations, IPv4 and IPv6: the only batch tokens besides plain addresses that may
 * start with `:` (`::/0` does not match the plain-token form).
 */
export const DEFAULT_DESTINATIONS: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);

/** Whether a value may be a token of a batch line: a plain token, a default destination, or a plain address. */
export function isBatchToken(s: string): boolean {
  if (s.length > 64) return false;
  return FIXED_TOKEN_RE.test(s) || DEFAULT_DESTINATIONS.has(s) || (/^::[0-9A-Fa-f:.]*$/.test(s) && isIpAddress(s));
}

/**
 * One `ip -batch` line from tokens that already passed the grammar; refuses (throws) any token
 * with a character iproute2's batch reader treats specially (whitespace, quotes, `#`, `\`) so a
 * line can never become two commands or swallow the next. Besides plain tokens it accepts exactly
 * the default destinations (`0.0.0.0/0`, `::/0`) and IPv6 addresses written with a leading `::`.
 */
export function batchLine(...tokens: BatchToken[]): string {
  for (const t of tokens) {
    const s = String(t);
    if (!isBatchToken(s)) {
      throw new ArgvValueError('batch token', s, 'is not a plain token', 'only values that passed the argv grammar may enter a batch');
    }
  }
  return tokens.join(' ');
}
