import { codecFor } from '@marshal/serialization';
import { Project, buildProject } from './model.js';
const codec = codecFor(Project);
const g = buildProject();
const json = JSON.parse(JSON.stringify(codec.encode(g)));
const which = process.argv[2];
const end = Date.now() + 4000;
let n = 0;
while (Date.now() < end) { which === 'encode' ? codec.encode(g) : codec.decode(json); n++; }
console.log(which, n / 4);
