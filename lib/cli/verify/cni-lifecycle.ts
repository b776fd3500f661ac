import { ListOutcome, RuntimeConf, gcNetworkList, statusNetworkList } from '../dataplane/cni-exec';
import { VerbSupport, VersionCache, failedStepText, hostLocalReservations, statusFailureReason, verbSupport } from './cni-verbs';
import { PlannedAttachment } from './plan';
import { CheckKind, CheckResult, VerbNote, VerifyCheck } from './types';

/**
 * CNI 1.1 around an engine's ADDs and DELs, as a CNI 1.1 runtime sends the verbs: STATUS before
 * the first ADD of a network on a node (its answer decides every ADD of that network there), GC
 * once per network and node after the run's DELs, and the leaks found; with a note per network of
 * what was sent or not, and why. Where the verbs can be sent is {@link verbSupport}'s decision.
 */
export class CniLifecycle {
  private readonly versions: VersionCache = new Map();
  private readonly support = new Map<string, VerbSupport>();
  private readonly status = new Map<string, ListOutcome>();
  private readonly statusNotes = new Map<string, VerbNote>();
  /** The networks ADD ran for (by network key), with the nodes. */
  private readonly ran = new Map<string, { a: PlannedAttachment; nodes: Set<number> }>();
  private readonly alive = new Set<PlannedAttachment>();

  constructor(private readonly cniPath: readonly string[]) {}

  /** How a network is named in the notes and gc rows. */
  public static label(a: PlannedAttachment): string {
    return `${a.network?.object ?? a.networkName}${a.claim ? ` request ${a.claim.request}` : ''}`;
  }

  private supportOf(a: PlannedAttachment): VerbSupport {
    const key = a.network!.key;
    let s = this.support.get(key);
    if (!s) {
      s = verbSupport(a.list!, this.cniPath, this.versions);
      this.support.set(key, s);
    }
    return s;
  }

  /**
   * Before an ADD: STATUS where it can be sent (once per network and node). Returns why the
   * attachment fails (its ADD is then not run), or undefined when ADD may go on (it is recorded
   * for GC).
   */
  public beforeAdd(a: PlannedAttachment, rt: RuntimeConf): string | undefined {
    const support = this.supportOf(a);
    const label = CniLifecycle.label(a);
    if (!support.ok) {
      if (!this.statusNotes.has(label)) this.statusNotes.set(label, { verb: 'STATUS', network: label, sent: false, detail: support.reason });
    } else {
      const key = `${a.network!.key}@${a.pod.node}`;
      let st = this.status.get(key);
      if (!st) {
        st = statusNetworkList(support.list, rt);
        this.status.set(key, st);
        const have = this.statusNotes.get(label);
        if (!have || (have.sent && have.detail === 'ready' && !st.ok)) {
          this.statusNotes.set(label, { verb: 'STATUS', network: label, sent: true, detail: st.ok ? 'ready' : failedStepText(st) });
        }
      }
      if (!st.ok) return statusFailureReason(st);
    }
    const ran = this.ran.get(a.network!.key) ?? { a, nodes: new Set<number>() };
    ran.nodes.add(a.pod.node);
    this.ran.set(a.network!.key, ran);
    return undefined;
  }

  /** An attachment whose DEL failed: still alive, so GC must keep what it holds. */
  public delFailed(a: PlannedAttachment): void {
    this.alive.add(a);
  }

  /**
   * After the run's DELs: GC once per network and node ADD ran on, where it can be sent, with
   * `cni.dev/valid-attachments` the attachments still alive (those whose DEL failed; none after a
   * clean run). What GC released is a leak the DELs left (a FAILED gc row), and so is any
   * host-local reservation still in the node's state afterwards (whether or not GC could be sent),
   * except those of attachments still alive. `runtimeOf` gives the runtime of a plugin call on a
   * node (its namespace and state directory), `containerIdOf` an attachment's container id.
   */
  public finish(runtimeOf: (a: PlannedAttachment, node: number) => RuntimeConf, containerIdOf: (a: PlannedAttachment) => string): { rows: VerifyCheck[]; notes: VerbNote[] } {
    const rows: VerifyCheck[] = [];
    const gcNotes = new Map<string, VerbNote>();
    const alive = new Map<string, Array<{ containerID: string; ifname: string }>>();
    for (const a of this.alive) {
      const key = `${a.network!.key}@${a.pod.node}`;
      alive.set(key, [...(alive.get(key) ?? []), { containerID: containerIdOf(a), ifname: a.ifname }]);
    }
    const reservationsChecked = new Set<string>();
    const row = (node: number, network: string, reason: string) =>
      rows.push({ check: CheckKind.GC, from: `node${node}`, to: '-', network, result: CheckResult.FAILED, reason });
    for (const [key, { a, nodes }] of this.ran) {
      const label = CniLifecycle.label(a);
      const support = this.supportOf(a);
      for (const node of [...nodes].sort((x, y) => x - y)) {
        const rt = runtimeOf(a, node);
        if (!support.ok) {
          gcNotes.set(label, { verb: 'GC', network: label, sent: false, detail: support.reason });
        } else {
          const gc = gcNetworkList(support.list, rt, alive.get(`${key}@${node}`) ?? []);
          if (gc.skipped) {
            gcNotes.set(label, { verb: 'GC', network: label, sent: false, detail: gc.skipped });
          } else {
            const detail = !gc.ok ? failedStepText(gc) : gc.released.length > 0 ? `released ${gc.released.length} leaked state file(s)` : 'nothing to release';
            if (!gcNotes.get(label)?.sent || !gc.ok || gc.released.length > 0) gcNotes.set(label, { verb: 'GC', network: label, sent: true, detail });
            if (!gc.ok) row(node, a.networkName, `${label}: ${failedStepText(gc)}`);
            if (gc.released.length > 0) row(node, a.networkName, `${label}: GC released state the run's DEL left behind (a leak): ${gc.released.join(', ')}`);
          }
        }
        // host-local keeps one directory per network name: checked once per node and name
        const name = (support.ok ? support.list : a.list!).name;
        if (reservationsChecked.has(`${node}/${name}`)) continue;
        reservationsChecked.add(`${node}/${name}`);
        const keep = new Set([...alive.entries()].filter(([k]) => k.endsWith(`@${node}`)).flatMap(([, v]) => v.map((x) => x.containerID)));
        const left = hostLocalReservations(rt.stateDir, name).filter((r) => !keep.has(r.containerId));
        if (left.length > 0) {
          row(node, a.networkName, `${label}: host-local reservations left in the run's state after DEL${support.ok ? ' and GC' : ''} (a leak): ${left.map((r) => r.file).join(', ')}`);
        }
      }
    }
    return { rows, notes: [...this.statusNotes.values(), ...gcNotes.values()] };
  }
}
