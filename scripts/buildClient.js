// Bundles the browser scripts in views/client/*.ts into views/public/js/ with esbuild.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const dir = path.join(__dirname, '..', 'views', 'client');
const entries = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')) : [];
if (entries.length) {
  esbuild.buildSync({
    entryPoints: entries.map((f) => path.join(dir, f)),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: ['es2020'],
    outdir: path.join(__dirname, '..', 'views', 'public', 'js'),
    logLevel: 'warning',
  });
}
