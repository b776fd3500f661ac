import { ProblemSink, reportProblems } from '../cni/problem';
import { assertProps, pAny, pEnum, propsShape } from '../cni/props-check';
import * as mnp from '../imports/multi-networkpolicy-k8s.cni.cncf.io';

/** The transport protocol of a port. */
export enum MultiNetworkPolicyProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

/** Properties of {@link MultiNetworkPolicyPort.of}. */
export interface MultiNetworkPolicyPortProps {
  /**
   * The protocol.
   * @default MultiNetworkPolicyProtocol.TCP
   */
  readonly protocol?: MultiNetworkPolicyProtocol;
  /**
   * The port number, 1 to 65535, or the first port of a range.
   * @default - every port of the protocol
   */
  readonly port?: number;
  /**
   * The last port of a range (inclusive), at least `port`.
   * @default - the single port `port`
   */
  readonly endPort?: number;
}

/** A `ports` entry in Kubernetes form. */
export interface PortJson {
  readonly protocol: string;
  readonly port?: mnp.MultiNetworkPolicySpecIngressPortsPort;
}

/** The shape of {@link MultiNetworkPolicyPortProps} (the numbers are checked by the port itself). */
const PORT_SHAPE = propsShape('MultiNetworkPolicyPortProps', {
  protocol: pEnum(MultiNetworkPolicyProtocol, 'MultiNetworkPolicyProtocol'),
  port: pAny('a port from 1 to 65535'),
  endPort: pAny('a port from 1 to 65535'),
});

/** A destination port, a port range, or all ports of a protocol. */
export class MultiNetworkPolicyPort {
  /**
   * The largest range written out: v1beta1 has no `endPort`, so a range becomes one entry per
   * port (and one netfilter rule per port and interface in the implementation).
   */
  public static readonly MAX_RANGE_PORTS = 64;

  /** One TCP port. */
  public static tcp(port: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.TCP, port });
  }

  /** TCP ports `startPort` to `endPort`, inclusive. */
  public static tcpRange(startPort: number, endPort: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.TCP, port: startPort, endPort });
  }

  /** Every TCP port. */
  public static allTcp(): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.TCP });
  }

  /** One UDP port. */
  public static udp(port: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.UDP, port });
  }

  /** UDP ports `startPort` to `endPort`, inclusive. */
  public static udpRange(startPort: number, endPort: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.UDP, port: startPort, endPort });
  }

  /** Every UDP port. */
  public static allUdp(): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.UDP });
  }

  /** One SCTP port. */
  public static sctp(port: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.SCTP, port });
  }

  /** SCTP ports `startPort` to `endPort`, inclusive. */
  public static sctpRange(startPort: number, endPort: number): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.SCTP, port: startPort, endPort });
  }

  /** Every SCTP port. */
  public static allSctp(): MultiNetworkPolicyPort {
    return MultiNetworkPolicyPort.of({ protocol: MultiNetworkPolicyProtocol.SCTP });
  }

  /** A port from its properties. */
  public static of(props: MultiNetworkPolicyPortProps = {}): MultiNetworkPolicyPort {
    assertProps(PORT_SHAPE, props, 'MultiNetworkPolicyPort');
    return new MultiNetworkPolicyPort(props.protocol ?? MultiNetworkPolicyProtocol.TCP, props.port, props.endPort);
  }

  private constructor(
    public readonly protocol: MultiNetworkPolicyProtocol,
    public readonly port?: number,
    public readonly endPort?: number,
  ) {
    const sink = new ProblemSink();
    const protocols = Object.values(MultiNetworkPolicyProtocol) as string[];
    if (!protocols.includes(protocol)) {
      sink.error('protocol', `must be one of ${protocols.map((p) => JSON.stringify(p)).join(', ')}`, protocol, 'use MultiNetworkPolicyProtocol.TCP, .UDP or .SCTP');
    }
    const isPort = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;
    if (port !== undefined && !isPort(port)) {
      sink.error('port', 'must be an integer from 1 to 65535', port, 'use a port number such as 8805');
    }
    if (endPort !== undefined) {
      if (port === undefined) {
        sink.error('endPort', 'needs a first port', endPort, `set port as well, e.g. ${protocol.toLowerCase()}Range(2000, ${endPort})`);
      } else if (!isPort(endPort)) {
        sink.error('endPort', 'must be an integer from 1 to 65535', endPort, 'use the last port of the range, such as 2100');
      } else if (isPort(port) && endPort < port) {
        sink.error('endPort', `must be at least port ${port}`, endPort, `swap the bounds: ${protocol.toLowerCase()}Range(${endPort}, ${port})`);
      } else if (isPort(port) && endPort - port + 1 > MultiNetworkPolicyPort.MAX_RANGE_PORTS) {
        sink.error('endPort', `makes a range of ${endPort - port + 1} ports, more than the ${MultiNetworkPolicyPort.MAX_RANGE_PORTS} written out one by one `
          + '(MultiNetworkPolicy v1beta1 has no endPort)', endPort,
        `narrow the range to at most ${MultiNetworkPolicyPort.MAX_RANGE_PORTS} ports, or allow every ${protocol} port and restrict the peers instead`);
      }
    }
    reportProblems(sink.problems, 'MultiNetworkPolicyPort');
  }

  /** @internal The `ports` entries this port becomes: one per port of a range (v1beta1 has no endPort). */
  public _toJson(): PortJson[] {
    const protocol: string = this.protocol;
    if (this.port === undefined) return [{ protocol }];
    const last = this.endPort ?? this.port;
    const out: PortJson[] = [];
    for (let p = this.port; p <= last; p++) out.push({ protocol, port: mnp.MultiNetworkPolicySpecIngressPortsPort.fromNumber(p) });
    return out;
  }
}
