export * from './resource-claim';
export * from './cni-dra-driver';
export * from './sriov-dra-driver';
export * from './dranet';
export * from './network-claim-checks';
export * from './render';
