import { ArgvValueError, isIpAddress, linkName, netnsName } from '../dataplane/argv-values';


/** The kernel's answer to a route that exists (EEXIST), as iproute2 prints it. */
const EXISTS_RE = /File exists/;

/** The default destination of a gateway's family. */
function defaultDestinationOf(gateway: string): '::/0' | '0.0.0.0/0' {
  return gateway.includes(':') ? '::/0' : '0.0.0.0/0';
}

/**
 * The processes {@link applyGatewayRequest} runs, one per gateway, in order:
 * `ip -n <ns> route add <0.0.0.0/0|::/0> via <gateway> dev <ifname>`, each value its own argv
 * element (the namespace is the run's own, the interface and every gateway passed the argv
 * grammar first). Throws {@link ArgvValueError} naming the field before anything runs.
 */
export function gatewayRouteArgv(netns: string, ifname: string, gateways: readonly string[]): string[][] {
  const ns = netnsName(netns);
  const dev = linkName(ifname, 'interface');
  const gws = gateways.map((g, i) => {
    if (isIpAddress(g)) return g;
    throw new ArgvValueError(`default-route[${i}]`, g, 'is not an IP address', 'write the gateway address without prefix');
  });
  return gws.map((g) => ['-n', ns, 'route', 'add', defaultDestinationOf(g), 'via', g, 'dev', dev]);
}

/**
 * Multus 4.3.0's `default-route` (`SetDefaultGW`), for the emulated engine: one default route
 * through each requested gateway is added on the interface, as `ip route add` (create, exclusive:
 * what netlink's RouteAdd asks the kernel), one process per gateway in order (see
 * {@link gatewayRouteArgv}); a route that exists (the pod already has a default route of that
 * family, on any interface) is ignored, as Multus ignores EEXIST; no route is removed (Multus's
 * `DeleteDefaultGW` removes none, see `gatewayRequestOf` in multus.ts). Like Multus, which keeps
 * only the last RouteAdd's error, only the last gateway's other error fails the attachment.
 * Returns why it failed, or undefined.
 */
export async function applyGatewayRequest(
  procs: { run(command: string, args: readonly string[], input?: string): Promise<{ status: number | null; stderr: string }> },
  netns: string, ifname: string, gateways: readonly string[],
): Promise<string | undefined> {
  const argvs = gatewayRouteArgv(netns, ifname, gateways);
  let last: { status: number | null; stderr: string } | undefined;
  for (const argv of argvs) last = await procs.run('ip', argv);
  if (!last || last.status === 0) return undefined;
  const message = last.stderr.replace(/\s+/g, ' ').trim() || (last.status === null ? 'the run was stopped' : `ip exited with status ${last.status}`);
  if (EXISTS_RE.test(message)) return undefined;
  return `default-route ${gateways[gateways.length - 1]} on ${ifname}: ${message}`;
}
