export * from './macvlan';
