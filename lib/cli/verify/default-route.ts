import { batchLine, ipAddress, linkName, netnsName } from '../dataplane/argv-values';
import { Processes } from './processes';

/**
 * Multus's `default-route` (netutils DeleteDefaultGW then SetDefaultGW), for the emulated engine:
 * the interface's default routes (both families) are removed, then one default route through each
 * requested gateway is added on it. Every value passes the argv grammar; the batch runs with
 * `-force` so an existing route is not an error. Returns why it failed, or undefined.
 */
export async function applyGatewayRequest(procs: Processes, netns: string, ifname: string, gateways: readonly string[]): Promise<string | undefined> {
  const ns = netnsName(netns);
  const dev = linkName(ifname, 'interface');
  const gws = gateways.map((g, i) => ipAddress(g, `default-route[${i}]`));
  const lines: string[] = [];
  for (const [family, any] of [['-4', '0.0.0.0/0'], ['-6', '::/0']]) {
    const r = await procs.run('ip', ['-n', ns, '-j', family, 'route', 'show', 'default', 'dev', dev]);
    let routes: Array<{ gateway?: string }> = [];
    try {
      routes = JSON.parse(r.stdout || '[]');
    } catch {
      routes = [];
    }
    for (const x of routes) {
      lines.push(x.gateway ? batchLine('route', 'del', any, 'via', ipAddress(x.gateway, 'gateway'), 'dev', dev) : batchLine('route', 'del', any, 'dev', dev));
    }
  }
  for (const g of gws) lines.push(batchLine('route', 'add', g.includes(':') ? '::/0' : '0.0.0.0/0', 'via', g, 'dev', dev));
  const r = await procs.run('ip', ['-n', ns, '-force', '-batch', '-'], `${lines.join('\n')}\n`);
  return r.status === 0 ? undefined : `default-route ${gws.join(', ')} on ${dev}: ${r.stderr.trim().split('\n')[0] ?? `status ${r.status}`}`;
}
