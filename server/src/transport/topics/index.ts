export * from './publish-topic.ts';
export * from './wildcards.ts';
