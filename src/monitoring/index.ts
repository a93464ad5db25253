export * from './checks';
export * from './clients';
export * from './config';
export * from './evidence';
export * from './grading';
