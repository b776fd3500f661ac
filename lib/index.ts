export * from './addressing';
export * from './cni';
export * from './network-attachment-definition';
export * as nad from './imports/k8s.cni.cncf.io';
