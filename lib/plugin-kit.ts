// `cdk8s-nfv/plugin-kit`: for authors of CNI plugin and IPAM classes (and of checks in the same
// style): the field definitions the model's plugins are written with, the registry that
// parseCniConfig reads, and the problem helpers. Users of the constructs need none of this.
//
// A plugin class takes an optional ProblemSink as its last constructor argument and passes it on
// to super (CniPlugin, ThirdPartyPlugin, Ipam), and its spec's `create` passes the sink it is given:
// `create: (props, sink) => new MyPlugin(props, sink)`. Parsing (lintCniConfig, CniConfig.fromJson)
// then gets each problem of the plugin at its own field; a plugin that ignores the sink throws, and
// parsing reports that plugin as "could not be built" with the thrown message.

export { cniVersionsBetween } from './cni/cni-version';
export { DNS, NETWORK_NAME_RE, ROUTE, ROUTES } from './cni/common';
export { anyJson, arrayOf, bool, checkFields, cidr, field, fieldsFromJson, fieldsToJson, freeObject, ifname, int, interfaceNameProblem, ip, mac, mapOf, objectOf, oneOf, SHAPE, str } from './cni/field';
export type { CheckPhase, FieldDef, FieldType } from './cni/field';
export type { IpamSpec } from './cni/ipam';
export { parseIpam, parsePlugin } from './cni/parse';
export { capabilityFix } from './cni/plugin';
export type { ChainContext, PluginSpec } from './cni/plugin';
export { VETH_PLUGIN_TYPES } from './cni/plugins/bandwidth';
export { ThirdPartyIpam, ThirdPartyPlugin, thirdPartyIpamSpec, thirdPartyPluginSpec } from './cni/plugins/third-party-plugin';
export type { ThirdPartyIpamSpec, ThirdPartyPluginSpec } from './cni/plugins/third-party-plugin';
export { atPath, joinField, nestProblems, ProblemSink, renderValue, throwIfErrors } from './cni/problem';
export { ipamSpec, knownIpamTypes, knownPluginTypes, pluginSpec, registerIpam, registerPlugin } from './cni/registry';
