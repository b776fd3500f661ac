import * as fs from 'fs';
import * as path from 'path';

/**
 * Drives the real Pulumi engine offline: the CLI and the Kubernetes provider built by the
 * toolchain (toolchain/pulumi, toolchain/pulumi-resource-kubernetes), the program run in this
 * process through the Automation API's inline program (its language server is in-process, so no
 * `pulumi-language-nodejs` is needed: the Go proxy does not serve that module), state in a local
 * file backend, and nothing that reaches for the network. Reads no environment variables and
 * installs no signal handlers: the caller passes everything. Imports nothing of Pulumi (Pulumi
 * stays optional outside lib/pulumi): the caller makes the Automation API stack with
 * {@link pulumiEnvironment} as its `envVars`.
 */

/** The part of an Automation API engine event read here. */
export interface EngineEventLike {
  readonly resOutputsEvent?: { readonly metadata: { readonly op: string; readonly urn: string; readonly type: string; readonly diffs?: readonly string[] } };
  readonly diagnosticEvent?: { readonly severity: string; readonly message: string };
}

export interface PulumiEngineOptions {
  /** Folders put first on PATH, where the engine finds its plugins (pulumi-resource-kubernetes). */
  readonly pluginDirs: readonly string[];
  /** A folder owned by the caller: backend state, PULUMI_HOME and the workspace live in it. */
  readonly dir: string;
  /** The kubeconfig file the Kubernetes provider uses (KUBECONFIG). */
  readonly kubeconfig: string;
  /** The PATH after the plugin folders (the caller's, usually; `node` must be on it). */
  readonly path: string;
  /** The passphrase of the stack's secrets. @default '' */
  readonly passphrase?: string;
}

/** The environment of every pulumi invocation: offline, local state, no plugin downloads. */
export function pulumiEnvironment(options: PulumiEngineOptions): Record<string, string> {
  const state = path.join(options.dir, 'state');
  const home = path.join(options.dir, 'home');
  for (const d of [state, home]) fs.mkdirSync(d, { recursive: true });
  return {
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_HOME: home,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? '',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_SKIP_CONFIRMATIONS: 'true',
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
    KUBECONFIG: options.kubeconfig,
    PATH: [...options.pluginDirs, options.path].join(path.delimiter),
  };
}

/** One resource step the engine reported (`resOutputsEvent`: after the step, or its preview). */
export interface StepRecord {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  /** The properties the provider said differ (update/replace). */
  readonly diffs: readonly string[];
}

/** Collects the engine's steps and diagnostics; pass `onEvent` to up/preview/destroy. */
export function stepRecorder(): {
  readonly steps: StepRecord[];
  readonly errors: string[];
  readonly warnings: string[];
  readonly onEvent: (e: EngineEventLike) => void;
} {
  const steps: StepRecord[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const onEvent = (e: EngineEventLike): void => {
    const m = e.resOutputsEvent?.metadata;
    if (m) steps.push({ op: m.op, urn: m.urn, type: m.type, diffs: [...(m.diffs ?? [])] });
    if (e.diagnosticEvent?.severity === 'error') errors.push(e.diagnosticEvent.message);
    if (e.diagnosticEvent?.severity === 'warning') warnings.push(e.diagnosticEvent.message);
  };
  return { steps, errors, warnings, onEvent };
}
