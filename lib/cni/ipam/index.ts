export * from './host-local';
export * from './static';
export * from './dhcp';
export * from './whereabouts';
