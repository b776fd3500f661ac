import * as pulumi from '@pulumi/pulumi';

/**
 * Pulumi mocks that record every registration with the options the engine would see: parent,
 * dependencies, retainOnDelete, protect, provider, ignoreChanges. `setMocks` only hands
 * `newResource` the type, name and inputs, so this wraps the mock monitor's `registerResource`
 * (reached through `pulumi.runtime.getMonitor()`) and reads the request itself.
 */

/** One registration, as the engine would receive it. */
export interface Registration {
  /** 0, 1, 2 ... in the order the requests reached the monitor. */
  readonly order: number;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** The parent URN ('' for none). */
  readonly parent: string;
  /** URNs of the resources this one waits for (dependsOn, expanded through components). */
  readonly dependencies: string[];
  readonly inputs: any;
  readonly retainOnDelete?: boolean;
  readonly protect?: boolean;
  /** The provider reference (`<urn>::<id>`), '' for the default provider. */
  readonly provider: string;
  readonly ignoreChanges: string[];
  /** Set once the monitor has answered. */
  urn?: string;
}

/** What the recording mocks captured. */
export interface Recorder {
  readonly registrations: Registration[];
  /** Outputs passed to `registerOutputs`, by URN. */
  readonly outputs: Map<string, unknown>;
  /** Resolves once `count` registrations have been answered. */
  registered(count: number): Promise<void>;
  /** Resolves once the resource with this URN has called `registerOutputs`. */
  outputsRegistered(urn: string): Promise<void>;
  /** The registration of this URN. */
  byUrn(urn: string): Registration;
}

/** The value of an output, once known. */
export function valueOf<T>(o: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
  return new Promise<T>((resolve) => pulumi.output(o).apply((v) => {
    resolve(v as T);
    return v;
  }));
}

/** Waits until every given resource is registered and returns their URNs. */
export function urnsOf(resources: readonly pulumi.Resource[]): Promise<string[]> {
  return Promise.all(resources.map((r) => valueOf(r.urn)));
}

/**
 * Installs recording mocks. Call it (and await it) before loading code that creates resources.
 * `newResource` answers `{ id: '<name>_id', state: inputs }`; invokes answer `{}`.
 */
export async function installRecordingMocks(): Promise<Recorder> {
  const registrations: Registration[] = [];
  const outputs = new Map<string, unknown>();
  let answered = 0;
  const countWaiters: { count: number; resolve: () => void }[] = [];
  const outputWaiters = new Map<string, (() => void)[]>();

  await pulumi.runtime.setMocks({
    newResource: (args) => ({ id: args.custom ? `${args.name}_id` : undefined, state: args.inputs }),
    call: () => ({}),
  });

  const monitor = pulumi.runtime.getMonitor() as any;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, res: any) => void) => {
    const reg: Registration = {
      order: registrations.length,
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent(),
      dependencies: req.getDependenciesList(),
      inputs: pulumi.runtime.deserializeProperties(req.getObject()),
      retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
      protect: req.hasProtect() ? req.getProtect() : undefined,
      provider: req.getProvider(),
      ignoreChanges: req.getIgnorechangesList(),
    };
    registrations.push(reg);
    return registerResource(req, (err: any, res: any) => {
      if (res) reg.urn = res.getUrn();
      callback(err, res);
      answered++;
      for (const w of countWaiters.filter((x) => x.count <= answered)) {
        countWaiters.splice(countWaiters.indexOf(w), 1);
        w.resolve();
      }
    });
  };
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: any, callback: (err: any, res: any) => void) => {
    const urn = req.getUrn();
    outputs.set(urn, pulumi.runtime.deserializeProperties(req.getOutputs()));
    registerResourceOutputs(req, callback);
    for (const w of outputWaiters.get(urn) ?? []) w();
    outputWaiters.delete(urn);
  };

  return {
    registrations,
    outputs,
    registered: (count) => (answered >= count ? Promise.resolve() : new Promise((resolve) => countWaiters.push({ count, resolve }))),
    outputsRegistered: (urn) => (outputs.has(urn) ? Promise.resolve() : new Promise((resolve) => {
      outputWaiters.set(urn, [...(outputWaiters.get(urn) ?? []), resolve]);
    })),
    byUrn: (urn) => {
      const r = registrations.find((x) => x.urn === urn);
      if (!r) throw new Error(`no registration with URN ${urn}`);
      return r;
    },
  };
}
