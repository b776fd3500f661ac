import {
  DEFAULT_CNI_PATH,
  KernelFeature,
  LinkType,
  Unsupported,
  UnsupportedKind,
  findPluginBinary,
  probeCapabilities,
} from '../../../lib/cli/dataplane';

/**
 * Decides at module load, synchronously, whether each dataplane test can run here, and registers
 * it as `test(...)` or as `test.skip(...)` with the reason in its name. Skips never count as
 * passes. With CDK8S_NFV_REQUIRE_DATAPLANE=1 (CI), a missing prerequisite FAILS the test instead,
 * except for what the project's machines are documented not to have (below).
 */

/** Whether CI demands the dataplane tests run. */
export const REQUIRE_DATAPLANE = process.env.CDK8S_NFV_REQUIRE_DATAPLANE === '1';

/**
 * Plugin binaries the project's machines cannot have: dummy and tap are not in Debian's
 * containernetworking-plugins 1.1.1; the others belong to separate projects installed by their
 * own DaemonSets.
 */
export const KNOWN_ABSENT_PLUGINS: readonly string[] = ['dummy', 'tap', 'sriov', 'ovs', 'bond', 'whereabouts', 'route-override'];

/** Link types the project's machines' kernels do not have. */
export const KNOWN_ABSENT_LINK_TYPES: readonly LinkType[] = [LinkType.IPVLAN, LinkType.VLAN, LinkType.DUMMY, LinkType.BOND, LinkType.VRF];

/** Kernel features the project's machines do not have. */
export const KNOWN_ABSENT_FEATURES: readonly KernelFeature[] = [KernelFeature.BRIDGE_VLAN_FILTERING];

/** What a test needs. */
export interface Needs {
  /** Plugin binaries (main and IPAM). */
  readonly plugins?: readonly string[];
  /** Kernel link types. */
  readonly links?: readonly LinkType[];
  /** Kernel features. */
  readonly features?: readonly KernelFeature[];
}

/** Whether a reason is one the documented facts allow even under CI (so it stays a skip). */
export function isExpectedAbsence(u: Unsupported): boolean {
  switch (u.kind) {
    case UnsupportedKind.MISSING_PLUGIN: return KNOWN_ABSENT_PLUGINS.includes(u.plugin ?? '');
    case UnsupportedKind.MISSING_LINK_TYPE: return KNOWN_ABSENT_LINK_TYPES.includes(u.linkType!);
    case UnsupportedKind.MISSING_FEATURE: return KNOWN_ABSENT_FEATURES.includes(u.feature!);
    case UnsupportedKind.NOT_EMULATED: return true;
    default: return false;
  }
}

/** The reasons a test with these needs cannot run here (environment first). */
export function blockersOf(needs: Needs): Unsupported[] {
  const caps = probeCapabilities();
  const out: Unsupported[] = [];
  if (!caps.environment.ok) {
    out.push({ kind: UnsupportedKind.ENVIRONMENT, environment: caps.environment.problem, message: caps.environment.reason ?? 'no dataplane' });
  }
  for (const p of needs.plugins ?? []) {
    if (!findPluginBinary(p, DEFAULT_CNI_PATH)) {
      out.push({ kind: UnsupportedKind.MISSING_PLUGIN, plugin: p, message: `plugin binary ${JSON.stringify(p)} is not in ${DEFAULT_CNI_PATH.join(':')}` });
    }
  }
  if (!caps.environment.ok) return out;
  for (const l of needs.links ?? []) {
    if (!caps.linkTypes[l]) out.push({ kind: UnsupportedKind.MISSING_LINK_TYPE, linkType: l, message: `the kernel has no ${l} links` });
  }
  for (const f of needs.features ?? []) {
    if (!caps.features[f]) out.push({ kind: UnsupportedKind.MISSING_FEATURE, feature: f, message: `the kernel has no ${f}` });
  }
  return out;
}

const skipped: string[] = [];
const forcedFailures: string[] = [];

/** Records a skip for the summary. */
export function noteSkip(name: string, reason: string): void {
  skipped.push(`${name}: ${reason}`);
}

/**
 * Registers a test whose gating is decided from `reasons`: none → `test`; only expected
 * absences, or no CI requirement → `test.skip` named "... [skipped: unsupported here (<why>)]";
 * otherwise (CI) → a test that fails with the reason.
 */
export function gatedTest(name: string, reasons: readonly Unsupported[], fn: jest.ProvidesCallback, timeout?: number): void {
  if (reasons.length === 0) {
    test(name, fn, timeout);
    return;
  }
  const why = reasons.map((r) => r.message).join('; ');
  const blocking = reasons.filter((r) => !isExpectedAbsence(r));
  if (REQUIRE_DATAPLANE && blocking.length > 0) {
    forcedFailures.push(`${name}: ${why}`);
    test(`${name} [required by CDK8S_NFV_REQUIRE_DATAPLANE=1]`, () => {
      throw new Error(`dataplane test required but cannot run: ${blocking.map((r) => r.message).join('; ')}`);
    });
    return;
  }
  noteSkip(name, why);
  test.skip(`${name} [skipped: unsupported here (${why})]`, fn);
}

/** Registers a test that needs the dataplane (root, iproute2, namespaces) plus `needs`. */
export function dataplaneTest(name: string, needs: Needs, fn: jest.ProvidesCallback, timeout?: number): void {
  gatedTest(name, blockersOf(needs), fn, timeout);
}

/** Registers an `afterAll` that prints what this file skipped and why (one summary line per file). */
export function printSkipSummary(file: string): void {
  afterAll(() => {
    const lines = [
      ...(skipped.length ? [`${file}: skipped ${skipped.length} dataplane test(s):`, ...skipped.map((s) => `  - ${s}`)] : [`${file}: no dataplane test skipped`]),
      ...forcedFailures.map((s) => `  ! required but unsupported: ${s}`),
    ];
    console.log(lines.join('\n'));
  });
}
