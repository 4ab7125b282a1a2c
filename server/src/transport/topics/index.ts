export * from './wildcards.ts';
