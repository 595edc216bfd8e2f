'use strict';
// Preloaded into every emulator: `node --require kinesis-aggs-guard.js <emulator script> ...`.
//
// 1. The emulator exits as soon as its stdin closes. The JVM that started it holds the other
//    end of that pipe, so the pipe closes however the JVM ends (normal exit, Ctrl-C, SIGKILL)
//    and no emulator outlives the program that started it.
// 2. Every server the emulator opens listens on 127.0.0.1 only: kinesalite and kinesis-local
//    have no option for it and would otherwise listen on all interfaces.
const net = require('net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const callback = args.find((a) => typeof a === 'function');
    return callback
      ? listen.call(this, Number(first), '127.0.0.1', callback)
      : listen.call(this, Number(first), '127.0.0.1');
  }
  if (first !== null && typeof first === 'object' && 'port' in first) {
    args[0] = Object.assign({}, first, { host: '127.0.0.1' });
  }
  return listen.apply(this, args);
};

// An emulator that keeps its data on disk (kinesis-local) writes it out when it gets SIGTERM;
// the JVM asks for that with KINESIS_AGGS_GRACEFUL_EXIT. Otherwise there is nothing to save.
const graceful = process.env.KINESIS_AGGS_GRACEFUL_EXIT === 'true';
function lifelineClosed() {
  if (graceful) {
    setTimeout(() => process.exit(0), 10000);
    process.kill(process.pid, 'SIGTERM');
  } else {
    process.exit(0);
  }
}
process.stdin.on('end', lifelineClosed);
process.stdin.on('error', lifelineClosed);
process.stdin.resume();
