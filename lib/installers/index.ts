export * from './container-image';
export * from './node-agent';
export * from './node-agent-identity';
export * from './inventory';
export * from './crd';
export * from './multus-config';
export * from './multus';
export * from './cni-plugins';
