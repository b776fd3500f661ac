export * from './selection-element';
export * from './cni-args';
export * from './host-address';
