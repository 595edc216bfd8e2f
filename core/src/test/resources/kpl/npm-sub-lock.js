// Writes, into the directory argv[3], a package.json and a package-lock.json that hold only the package argv[4] and
// what it needs, each at the version and integrity the lockfile argv[2] pins: `npm ci` there then installs that
// package exactly as the full lockfile does, without the rest of the tree (tens of MB the test never runs).
'use strict';
const fs = require('fs');
const path = require('path');

const [source, target, name] = process.argv.slice(2);
const lock = JSON.parse(fs.readFileSync(source, 'utf8'));
const packages = lock.packages;

// Node's resolution: a dependency of the package at `from` is the nearest node_modules/<dep> up its path; null when
// the lockfile has none (an optional or peer dependency it left out).
function resolve(from, dep) {
  for (let dir = from; ; dir = dir.slice(0, Math.max(dir.lastIndexOf('/node_modules/'), 0))) {
    const candidate = (dir ? dir + '/' : '') + 'node_modules/' + dep;
    if (packages[candidate]) return candidate;
    if (!dir) return null;
  }
}

const kept = {};
const top = resolve('', name);
if (!top) throw new Error(`${name} is not in ${source}`);
const pending = [top];
while (pending.length) {
  const at = pending.pop();
  if (kept[at]) continue;
  kept[at] = packages[at];
  const { dependencies = {}, optionalDependencies = {}, peerDependencies = {} } = packages[at];
  for (const dep of Object.keys(dependencies)) {
    const found = resolve(at, dep);
    if (!found) throw new Error(`${dep} (needed by ${at || 'the root'}) is not in ${source}`);
    pending.push(found);
  }
  // those the full install has, this one must have too, or npm ci finds the two out of step
  for (const dep of Object.keys(Object.assign({}, optionalDependencies, peerDependencies))) {
    const found = resolve(at, dep);
    if (found) pending.push(found);
  }
}

const version = packages['node_modules/' + name].version;
const root = { name: 'kpl-interop', version: '0.0.0', dependencies: { [name]: version } };
fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify(root, null, 2) + '\n');
fs.writeFileSync(path.join(target, 'package-lock.json'), JSON.stringify({
  name: root.name, version: root.version, lockfileVersion: lock.lockfileVersion, requires: true,
  packages: Object.assign({ '': root }, kept),
}, null, 2) + '\n');
console.log(Object.keys(kept).length + ' packages');
