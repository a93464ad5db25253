export * from './api-errors';
export * from './cleanup';
export * from './client';
export * from './deploy';
export * from './health';
export * from './measure';
export * from './render';
export * from './types';
