/**
 * Server scripts turned into JavaScript ahead of time, so that a server runs in plain `node` as a
 * deployed one does, with nothing but its own code on its heap.
 *
 * Running `node --import tsx server.ts` would transpile in the measured process, and what that
 * leaves on the heap (tsx turns source maps on, so node keeps one per transpiled module) grows with
 * the number of modules: ≈ 2.6 MB of old generation for the 93 of Marshal's WebSocket benchmark
 * server, ≈ 0.2 MB for raw's 6. On Node 20 (V8 11.3) that decides how a server receiving bytes
 * collects garbage: every 32 MB of socket reads V8 scavenges, counts the buffers not yet swept as
 * old-generation bytes, and starts a mark-compact whenever the old generation is above 8 MB (its
 * incremental-marking threshold) with less room left than that. tsx put Marshal's servers at
 * 10 MB and raw's at 7: 20–38 mark-compacts per 320 MiB uploaded against 0–1 (README.md,
 * "WebSocket", "Why upload and echo missed under tsx").
 *
 * So esbuild bundles the TypeScript a server runs (the script, the benchmark's modules and, with
 * `sources`, @marshal/*'s src/) and leaves every JavaScript file, dependencies and dist/ alike, to
 * node at the path it resolves to from the importing file, as tsx would have loaded it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type Plugin, build } from 'esbuild';

export interface BundleOptions {
  /** @marshal/* from their TypeScript sources (the "source" export condition) rather than dist/. */
  readonly sources: boolean;
  /** A file that stands for @marshal/server (marshal@DIR: a saved copy's index.ts). */
  readonly marshalServer?: string;
}

/** Marks the resolutions the plugin asks esbuild for itself, so that it does not see them again. */
const ownResolution = Symbol('own resolution');
const typeScript = /\.[cm]?tsx?$/;

/** TypeScript files are bundled; any other import is left external at its resolved absolute path. */
function javaScriptExternal(marshalServer: string | undefined): Plugin {
  return {
    name: 'javascript-external',
    setup(bundler) {
      bundler.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === ownResolution || args.kind === 'entry-point' || isBuiltin(args.path)) return undefined;
        if (marshalServer !== undefined && args.path === '@marshal/server') return { path: marshalServer };
        const { path, errors } = await bundler.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: ownResolution });
        if (errors.length > 0) return { errors };
        return typeScript.test(path) ? { path } : { path, external: true };
      });
    },
  };
}

let outDir: string | undefined;
const bundles = new Map<string, Promise<string>>();

/** The path of `script` bundled as an ES module; built once per runner process. */
export function bundleServer(script: string, options: BundleOptions): Promise<string> {
  const key = JSON.stringify([script, options.sources, options.marshalServer]);
  let bundle = bundles.get(key);
  if (bundle === undefined) {
    if (outDir === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'marshal-bench-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      outDir = dir;
    }
    const outfile = join(outDir, `${bundles.size}-${basename(script, '.ts')}.mjs`);
    bundle = build({
      entryPoints: [script],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      conditions: options.sources ? ['source'] : [],
      plugins: [javaScriptExternal(options.marshalServer)],
      logLevel: 'error',
    }).then(() => outfile);
    bundles.set(key, bundle);
  }
  return bundle;
}
