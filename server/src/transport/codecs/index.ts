export { codecForContentType } from './codec-for-content-type.ts';
export { jsonCodec } from './json-codec.ts';
export { msgpackCodec } from './msgpack-codec.ts';
export { rawCodec } from './raw-codec.ts';
