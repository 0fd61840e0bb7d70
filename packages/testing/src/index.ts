export { Fork, type ForkOptions } from './fork.js';
