// The text form of primitives is @marshal/serialization's (one for URLs and map keys). This
// re-export is kept only until compiled/compiled-endpoint.ts imports it from there.
export { textCodecFor, type TextCodec } from '@marshal/serialization';
