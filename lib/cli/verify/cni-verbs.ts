import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { show } from '../dataplane/argv-values';
import { CniConfigList, CniError, ListOutcome, PluginOutcome, pluginTypesOf, pluginVersionInfo } from '../dataplane/cni-exec';
import { VerbNote } from './types';

/**
 * CNI 1.1's STATUS and GC verbs as verify sends them: where they can be sent (the config's version
 * and every plugin binary's VERSION answer), what a STATUS failure says, and what GC or the run's
 * state directory show as leaked. Pure but for reading plugin VERSION answers (cached per run) and
 * listing the run's own state directory.
 */

/** The spec version that added STATUS and GC. */
export const CNI_1_1 = '1.1.0';

/** The highest spec version libcni (v1.3, as in Multus 4.3.0) implements: `cniVersions` entries above it are ignored. */
export const LIBCNI_MAX_VERSION = '1.1.0';

/**
 * A version as libcni's `version.ParseVersion` reads it (containernetworking/cni v1.3
 * pkg/version/plugin.go): `""` is 0.1.0; one to three dot-separated integers (`"1"`, `"1.0"` and
 * `"1.0.0"` alike); anything else is an error (the message libcni gives).
 */
export function parseLibcniVersion(v: string): [number, number, number] | string {
  if (v === '') return [0, 1, 0];
  const parts = v.split('.');
  if (parts.length >= 4) return `invalid version ${JSON.stringify(v)}: too many parts`;
  const out: number[] = [0, 0, 0];
  const names = ['major', 'minor', 'micro'];
  for (let i = 0; i < parts.length; i++) {
    // Go's strconv.Atoi: an optional sign and decimal digits, within 64 bits
    if (!/^[+-]?[0-9]{1,18}$/.test(parts[i])) return `failed to convert ${names[i]} version part ${JSON.stringify(parts[i])}`;
    out[i] = Number(parts[i]);
  }
  return [out[0], out[1], out[2]];
}

function compareParsed(a: readonly number[], b: readonly number[]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const LIBCNI_MAX = parseLibcniVersion(LIBCNI_MAX_VERSION) as [number, number, number];
const CNI_1_1_PARSED = parseLibcniVersion(CNI_1_1) as [number, number, number];

/**
 * Why libcni refuses a list's `cniVersions` (libcni `ConfListFromBytes`: not a list, an entry that
 * is not a string or not a version, or then a `cniVersion` that is not one), in libcni's words;
 * undefined when it reads it.
 */
export function cniVersionsProblem(list: CniConfigList): string | undefined {
  const raw = (list as { cniVersions?: unknown }).cniVersions;
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) return 'error parsing configuration list: invalid type for cniVersions (not a list)';
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (typeof v !== 'string') return `error parsing configuration list: invalid type for cniVersions index ${i}`;
    const parsed = parseLibcniVersion(v);
    if (typeof parsed === 'string') return `error parsing configuration list: invalid cniVersions entry ${show(v)} at index ${i}: ${parsed}`;
  }
  const own = (list as { cniVersion?: unknown }).cniVersion;
  if (typeof own === 'string' && own !== '' && typeof parseLibcniVersion(own) === 'string') {
    return `error parsing configuration list: invalid cniVersion ${show(own)}: ${parseLibcniVersion(own) as string}`;
  }
  return undefined;
}

/**
 * The version libcni runs a list at: with `cniVersions`, the highest entry (or `cniVersion`) not
 * above {@link LIBCNI_MAX_VERSION} (libcni `ConfListFromBytes`, versions read as libcni reads
 * them); else `cniVersion`. A list libcni refuses ({@link cniVersionsProblem}) keeps its own.
 */
export function effectiveCniVersion(list: CniConfigList): string | undefined {
  const versions = list.cniVersions;
  if (!Array.isArray(versions) || cniVersionsProblem(list) !== undefined) return list.cniVersion;
  const candidates = [...versions, ...(list.cniVersion !== undefined && list.cniVersion !== '' ? [list.cniVersion] : [])]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => [v, parseLibcniVersion(v)] as const)
    .filter((e): e is readonly [string, [number, number, number]] => typeof e[1] !== 'string' && compareParsed(e[1], LIBCNI_MAX) <= 0);
  if (candidates.length === 0) return list.cniVersion;
  return [...candidates].sort((a, b) => compareParsed(a[1], b[1]))[candidates.length - 1][0];
}

/**
 * The list as libcni runs it: with `cniVersions`, `cniVersion` set to {@link effectiveCniVersion}
 * (every verb then goes at that version, ADD included); otherwise the list itself.
 */
export function withEffectiveVersion(list: CniConfigList): CniConfigList {
  const v = effectiveCniVersion(list);
  return v === undefined || v === list.cniVersion ? list : { ...list, cniVersion: v };
}

/** Whether a list can get STATUS and GC here: the list to send them with, or why not. */
export type VerbSupport =
  | { readonly ok: true; readonly list: CniConfigList }
  | { readonly ok: false; readonly reason: string };

/** VERSION answers of plugin binaries, by type: the supported versions, or why none could be read. */
export type VersionCache = Map<string, readonly string[] | string>;

function versionsOf(type: string, searchPath: readonly string[], cache: VersionCache): readonly string[] | string {
  const have = cache.get(type);
  if (have !== undefined) return have;
  const o = pluginVersionInfo(type, searchPath);
  let answer: readonly string[] | string;
  if (o.kind === 'missing-plugin') answer = `plugin binary ${JSON.stringify(type)} is not in ${searchPath.join(':')}`;
  else if (o.kind === 'error') answer = `plugin ${JSON.stringify(type)} answers VERSION with an error: ${o.error.msg}`;
  else {
    const list = o.result?.supportedVersions;
    answer = Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : `plugin ${JSON.stringify(type)} answers VERSION without supportedVersions`;
  }
  cache.set(type, answer);
  return answer;
}

/**
 * Whether STATUS and GC can be sent for a list: its effective version is at least 1.1.0 and every
 * plugin binary it runs (IPAM included) lists 1.1.0 in its VERSION answer. A plugin that predates
 * 1.1 answers STATUS with an error of its own (Debian's 1.1.1: "missing containerID"), which would
 * be no finding about the config.
 */
export function verbSupport(list: CniConfigList, searchPath: readonly string[], cache: VersionCache): VerbSupport {
  const version = effectiveCniVersion(list);
  // read as libcni reads it ("1.1" is 1.1.0), as the version the list runs at was picked
  const parsed = parseLibcniVersion(version ?? '');
  if (typeof parsed === 'string' || compareParsed(parsed, CNI_1_1_PARSED) < 0) {
    return { ok: false, reason: `cniVersion ${JSON.stringify(version ?? '0.1.0')}${Array.isArray(list.cniVersions) ? ` (cniVersions ${JSON.stringify(list.cniVersions)})` : ''} has no STATUS or GC (CNI ${CNI_1_1} added them)` };
  }
  for (const type of pluginTypesOf(list)) {
    const v = versionsOf(type, searchPath, cache);
    if (typeof v === 'string') return { ok: false, reason: v };
    if (!v.includes(CNI_1_1)) {
      const highest = v.filter((x) => semver.valid(x) !== null).sort(semver.compare).pop();
      return { ok: false, reason: `plugin ${JSON.stringify(type)} in ${searchPath.join(':')} supports CNI up to ${highest ?? 'no version'}, not ${CNI_1_1} (its VERSION answer)` };
    }
  }
  return { ok: true, list: version === list.cniVersion ? list : { ...list, cniVersion: version } };
}

function errorText(e: CniError): string {
  return `error ${e.code}: ${e.msg}${e.details ? ` (${e.details})` : ''}`;
}

/** How a failed plugin call of a list reads in a row: `STATUS bridge (plugins[0]): error 50: <msg>`. */
export function failedStepText(o: ListOutcome): string {
  const f = o.failed as PluginOutcome | undefined;
  const at = `${o.command} ${f?.plugin ?? '?'}${o.failedIndex !== undefined ? ` (plugins[${o.failedIndex}])` : ''}`;
  if (!f) return `${at}: failed`;
  if (f.kind === 'missing-plugin') return `${at}: plugin binary ${JSON.stringify(f.plugin)} is not in ${f.searchPath.join(':')}`;
  return f.kind === 'error' ? `${at}: ${errorText(f.error)}` : `${at}: failed`;
}

/** The reason of an attachment whose STATUS failed: ADD was not run. */
export function statusFailureReason(o: ListOutcome): string {
  return `${failedStepText(o)}; ADD not run (the plugin says it is not ready)`;
}

/** Files host-local keeps per network that are no address reservation. */
const HOST_LOCAL_BOOKKEEPING = /^(lock|last_reserved_ip\.\d+)$/;

/**
 * The address reservations host-local still holds for a network under a node's state directory
 * (`<nodeDir>/host-local/<network name>/<address>`), each with the container it names, sorted.
 * The network name passed the libcni name grammar (no path separator), so the directory is the
 * run's own.
 */
export function hostLocalReservations(nodeDir: string, networkName: string): Array<{ readonly file: string; readonly containerId: string }> {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(networkName)) return [];
  const dir = path.join(nodeDir, 'host-local', networkName);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => !HOST_LOCAL_BOOKKEEPING.test(n)).sort().map((n) => {
    let containerId = '';
    try {
      containerId = fs.readFileSync(path.join(dir, n), 'utf8').split(/\r?\n/)[0].trim();
    } catch {
      // unreadable: counted without an owner
    }
    return { file: `host-local/${networkName}/${n}`, containerId };
  });
}

/**
 * The notes as report lines, grouped: the verbs of a network with one outcome and detail go
 * together, then networks with the same verbs, outcome and detail:
 * `STATUS and GC not sent to 2 networks (cniVersion "1.0.0" has no STATUS or GC ...): <networks>`.
 */
export function formatVerbNotes(notes: readonly VerbNote[]): string[] {
  const perNetwork = new Map<string, { verbs: string[]; sent: boolean; detail: string; network: string }>();
  for (const n of notes) {
    const key = `${n.network}\0${n.sent}\0${n.detail}`;
    const g = perNetwork.get(key) ?? { verbs: [], sent: n.sent, detail: n.detail, network: n.network };
    if (!g.verbs.includes(n.verb)) g.verbs.push(n.verb);
    perNetwork.set(key, g);
  }
  const groups = new Map<string, { verbs: string; sent: boolean; detail: string; networks: string[] }>();
  for (const n of perNetwork.values()) {
    const verbs = n.verbs.join(' and ');
    const key = `${verbs}\0${n.sent}\0${n.detail}`;
    const g = groups.get(key) ?? { verbs, sent: n.sent, detail: n.detail, networks: [] };
    g.networks.push(n.network);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const count = `${g.networks.length} network${g.networks.length === 1 ? '' : 's'}`;
    return `${g.verbs} ${g.sent ? 'sent to' : 'not sent to'} ${count} (${g.detail}): ${g.networks.join(', ')}`;
  });
}
