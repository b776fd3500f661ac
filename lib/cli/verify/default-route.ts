import { ArgvValueError, batchLine, isIpAddress, linkName, netnsName } from '../dataplane/argv-values';
import { failedBatchLines } from './processes';


/** The kernel's answer to a route that exists (EEXIST), as iproute2 prints it. */
const EXISTS_RE = /File exists/;

/**
 * Multus 4.3.0's `default-route` (`SetDefaultGW`), for the emulated engine: one default route
 * through each requested gateway is added on the interface, as `ip route add` (create, exclusive:
 * what netlink's RouteAdd asks the kernel); a route that exists (the pod already has a default
 * route of that family, on any interface) is ignored, as Multus ignores EEXIST; no route is
 * removed (Multus's `DeleteDefaultGW` removes none, see `gatewayRequestOf` in multus.ts). Like Multus,
 * only the last gateway's other error fails the attachment. Every value passes the argv grammar;
 * the batch runs with `-force`. Returns why it failed, or undefined.
 */
export async function applyGatewayRequest(
  procs: { run(command: string, args: readonly string[], input?: string): Promise<{ status: number | null; stderr: string }> },
  netns: string, ifname: string, gateways: readonly string[],
): Promise<string | undefined> {
  const ns = netnsName(netns);
  const dev = linkName(ifname, 'interface');
  const gws = gateways.map((g, i) => {
    if (isIpAddress(g)) return g;
    throw new ArgvValueError(`default-route[${i}]`, g, 'is not an IP address', 'write the gateway address without prefix');
  });
  if (gws.length === 0) return undefined;
  const lines = gws.map((g) => batchLine('route', 'add', g.includes(':') ? '::/0' : '0.0.0.0/0', 'via', g, 'dev', dev));
  const r = await procs.run('ip', ['-n', ns, '-force', '-batch', '-'], `${lines.join('\n')}\n`);
  if (r.status === 0) return undefined;
  const failed = failedBatchLines(r.stderr, r.status);
  const last = failed.get(lines.length - 1);
  if (last === undefined || EXISTS_RE.test(last)) return undefined;
  return `default-route ${gws[gws.length - 1]} on ${dev}: ${last}`;
}
