// Public entry of @realtimemap/shared: everything the server and the web app import from here.
export * from './api.ts';
export * from './geo/index.ts';
export * from './hfp/index.ts';
export * from './position.ts';
export * from './protocol/codec.ts';
export * from './protocol/messages.ts';
