'use strict';
// Preloaded into every emulator: `node --require kinesis-aggs-guard.js <emulator script> ...`.
//
// 1. The emulator exits as soon as its stdin closes. The JVM that started it holds the other
//    end of that pipe, so the pipe closes however the JVM ends (normal exit, Ctrl-C, SIGKILL)
//    and no emulator outlives the program that started it.
// 2. Every server the emulator opens listens on 127.0.0.1 only: kinesalite and kinesis-local
//    have no option for it and would otherwise listen on all interfaces.
// 3. dynalite closes the LevelDB iterators of its reads (see below).
// 4. A client that closes its connection in the middle of a request does not end the emulator (see below).
// 5. Each server says on standard output when it listens, and on which port: the JVM waits for
//    that line before it believes an answer on the port, which might otherwise come from another
//    run's emulator that took the same port a moment before (this one then dies of EADDRINUSE).
const net = require('net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') {
      console.log(`kinesis-aggs-guard: listening on ${address.port}`);
    }
  });
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

// dynalite 4.0.0 reads through abstract-level iterators wrapped in streams whose destroy() calls
// iterator.return(), a method these iterators do not have, so no iterator of a Query or Scan is
// ever closed. Each open iterator pins the LevelDB version of its time (memtable and table files,
// or memory-level's tree): with data on disk, memory and disk grew with every read (a demo at
// 1,000 trips/s kept 448 table files where 24 were live). Giving them a return() that closes
// them makes dynalite close each iterator when its stream ends or is cut short.
if (/[\\/]dynalite[\\/]cli\.js$/.test(process.argv[1] || '')) {
  const level = require('abstract-level');
  for (const Iterator of [level.AbstractIterator, level.AbstractKeyIterator, level.AbstractValueIterator]) {
    if (typeof Iterator.prototype.return !== 'function') {
      Iterator.prototype.return = function () {
        // the stream that calls it may not wait for the answer: a close that fails must not fail anything
        const done = () => ({ done: true, value: undefined });
        return this.close().then(done, done);
      };
    }
  }
}

// A client that goes away in the middle of a request (a call cut by its timeout, a function's environment killed by
// its own timeout) makes node emit ECONNRESET "aborted" on the request, and dynalite and kinesalite both answer that
// with `req.on('error', function (err) { throw err })`: the emulator died (exit code 1) under every test and demo
// still using it. The client is gone and will never read an answer: a request cut while its body was on the way is not
// applied (both read the whole body first); one cut while it was being answered may have been, as on AWS when a
// client's timeout cuts a call, and the client's retry must cope either way. So the error is logged, not thrown, and
// the emulator goes on.
const http = require('http');
const emitOnRequest = http.IncomingMessage.prototype.emit;
http.IncomingMessage.prototype.emit = function (event, ...args) {
  if (event === 'error' && args[0] && args[0].code === 'ECONNRESET') {
    console.log(`kinesis-aggs-guard: a client closed its connection in the middle of ${this.method} ${this.url} (the emulator goes on)`);
    return false;
  }
  return emitOnRequest.call(this, event, ...args);
};

// A promise that fails with no one waiting for it ends a node process (node 15 and later): in an emulator that is most
// often a clean-up of a request already answered (an iterator closed after its stream ended). The emulator goes on, and
// says so in its log; a request that really failed still fails for its caller, who waits for it.
process.on('unhandledRejection', (reason) => {
  console.log(`kinesis-aggs-guard: a promise failed with no one waiting for it (the emulator goes on): ${reason && reason.stack ? reason.stack : reason}`);
});

// s3rver 3.7.1 knows one key pair, S3RVER/S3RVER, and refuses any other access key id (even with
// --allow-mismatched-signatures): give it the key pair the JVM's clients and child processes use.
if (/[\\/]s3rver[\\/]bin[\\/]s3rver\.js$/.test(process.argv[1] || '') && process.env.KINESIS_AGGS_S3_KEY_PAIR) {
  const [accessKeyId, secretAccessKey] = process.env.KINESIS_AGGS_S3_KEY_PAIR.split(':');
  require('s3rver/lib/models/account').DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}

// An emulator that keeps its data on disk (kinesis-local) writes it out when it gets SIGTERM;
// the JVM asks for that with KINESIS_AGGS_GRACEFUL_EXIT. Otherwise there is nothing to save.
const graceful = process.env.KINESIS_AGGS_GRACEFUL_EXIT === 'true';

// kinesis-local's server, asked to stop, waits for every open connection to close before it writes its data and
// exits, and a JVM keeps its idle HTTP connections open for up to 10 s after its SDK client is closed (the JDK's
// keep-alive cache, which the URL connection client uses): each graceful stop took the JVM's full 10 s grace, and
// ended in SIGKILL rather than in the final save. On SIGTERM each connection reads as ended by its client (the end
// of its stream), and the server closes it. A request still arriving then fails (the server answers 500), as it would
// a moment later when the emulator is gone: the JVM stops an emulator once its own calls are done. (Only for graceful
// stops: a SIGTERM listener replaces node's default exit.)
if (graceful) {
  const connections = new Set();
  const onConnection = (socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  };
  const listenAndTrack = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...args) {
    this.on('connection', onConnection);
    return listenAndTrack.apply(this, args);
  };
  process.on('SIGTERM', () => connections.forEach((socket) => socket.push(null)));
}
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
