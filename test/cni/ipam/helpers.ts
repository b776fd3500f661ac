import { CniVersion, JsonObject, LintResult, ParseOptions, formatProblem, lintCniConfig, Severity } from '../../../lib';

/** Lints a macvlan list carrying `ipam`. */
export function lintIpam(ipam: JsonObject, opts: ParseOptions & { cniVersion?: CniVersion; extra?: JsonObject } = {}): LintResult {
  return lintCniConfig({ cniVersion: opts.cniVersion ?? '1.0.0', name: 'net1', plugins: [{ type: 'macvlan', master: 'eth0', ...opts.extra, ipam }] }, opts);
}

/** The rendered errors of a lint. */
export function errorsOf(r: LintResult): string[] {
  return r.problems.filter((p) => p.severity === Severity.ERROR).map(formatProblem);
}

/** The rendered warnings of a lint. */
export function warningsOf(r: LintResult): string[] {
  return r.problems.filter((p) => p.severity === Severity.WARNING).map(formatProblem);
}
