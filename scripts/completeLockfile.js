// Adds the other platforms' optional native packages (esbuild/swc/msgpackr/unrs bindings) back to
// package-lock.json. On these machines the npm registry serves only this platform's binaries and
// npm is set to omit registry addresses from the lock, so `npm install` writes a lock without those
// entries and `npm ci` then refuses it ("Missing: @swc/core-darwin-arm64@ from lock file").
// The entries carry os/cpu/libc, so npm ci skips them everywhere they do not apply.
// Run after any `npm install` that changes the lock: node scripts/completeLockfile.js
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkgs = lock.packages;
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32'];
let added = 0;
for (const [key, parent] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(parent.optionalDependencies ?? {})) {
    const nested = `${key ? `${key}/` : ''}node_modules/${name}`;
    if (pkgs[nested] || pkgs[`node_modules/${name}`]) continue;
    const base = name.split('/').pop();
    const os = OS.find((o) => new RegExp(`(^|-)${o}($|-)`).test(base));
    const cpu = CPU.find((c) => new RegExp(`(^|-)${c}($|-)`).test(base));
    if (!os && !cpu) continue; // not a platform binary: leave it to npm
    const entry = { version: String(spec).replace(/^[\^~=]/, '') };
    if (cpu) entry.cpu = [cpu];
    if (parent.dev) entry.dev = true;
    if (os === 'linux' && /-musl/.test(base)) entry.libc = ['musl'];
    else if (os === 'linux' && /-gnu/.test(base)) entry.libc = ['glibc'];
    entry.optional = true;
    if (os) entry.os = [os];
    pkgs[`node_modules/${name}`] = entry;
    added++;
  }
}
if (added) {
  lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`completeLockfile: added ${added} platform entries`);
