/**
 * The parsing entry points of the CNI model: `parseCniConfig` and `lintCniConfig` build a
 * `CniConfig` from JSON (through lib/cni/read.ts, which reads the parts, and lib/cni/config.ts,
 * which builds the config); `parsePlugin` and `parseIpam` read one plugin or IPAM object.
 */
import { JsonObject } from './common';
import { CniConfig, lintConfigJson } from './config';
import { Problem } from './problem';
import { ParseOptions } from './read';

export { parseIpam, parsePlugin } from './read';
export type { ParseOptions } from './read';

/** The outcome of {@link lintCniConfig}: the config when it could be built, and every problem. */
export interface LintResult {
  readonly config?: CniConfig;
  readonly problems: Problem[];
}

/**
 * Parses a CNI configuration (single plugin or list, as text or object) into the typed model and
 * checks it; throws one error listing every problem.
 */
export function parseCniConfig(json: string | JsonObject, opts: ParseOptions = {}): CniConfig {
  return CniConfig.fromJson(json, opts);
}

/** Parses and checks a CNI configuration, collecting every problem instead of throwing. */
export function lintCniConfig(json: string | JsonObject, opts: ParseOptions = {}): LintResult {
  return lintConfigJson(json, opts);
}
