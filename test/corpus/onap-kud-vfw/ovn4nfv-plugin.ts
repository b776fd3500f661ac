import { IpamUse, PluginBaseProps, PluginRole } from '../../../lib';
import { ThirdPartyPlugin, ThirdPartyPluginSpec, registerPlugin, thirdPartyPluginSpec } from '../../../lib/plugin-kit';

/**
 * `ovn4nfvk8s-cni`, the Multus entry point of OVN4NFV (opnfv/ovn4nfv-k8s-plugin, archived; now
 * akraino Nodus), written as a user would with the plugin kit: the project is no longer maintained,
 * so it is not part of the library. The config has no keys of its own: the interfaces are described
 * in the pod annotation `k8s.plugin.opnfv.org/nfn-network`.
 */
export type Ovn4nfvProps = PluginBaseProps;

const SPEC: ThirdPartyPluginSpec = {
  type: 'ovn4nfvk8s-cni',
  thirdPartyProject: 'ovn4nfv-k8s-plugin',
  role: PluginRole.INTERFACE,
  ipam: IpamUse.NONE,
  dns: false,
  consumes: [],
  fields: {},
  create: (props: Ovn4nfvProps) => new Ovn4nfvPlugin(props),
};

export class Ovn4nfvPlugin extends ThirdPartyPlugin {
  public static readonly SPEC = thirdPartyPluginSpec(SPEC);

  constructor(props: Ovn4nfvProps = {}) {
    super(SPEC, Ovn4nfvPlugin.SPEC, props);
  }
}

registerPlugin(Ovn4nfvPlugin.SPEC);
