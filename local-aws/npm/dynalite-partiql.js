'use strict';
// Preloaded into dynalite after the guard: `node --require kinesis-aggs-guard.js --require dynalite-partiql.js dynalite/cli.js`.
//
// dynalite 4.0.0 predates PartiQL and answers ExecuteStatement and BatchExecuteStatement with UnknownOperationException.
// This serves the one PartiQL statement the project's function writes with, an INSERT of one item whose values are all
// parameters, as DynamoDB documents it ("PartiQL insert statements for DynamoDB"):
//
//   INSERT INTO "table" VALUE {'name': ?, 'other': ?, ...}
//
// An INSERT is a put that fails when an item with the same primary key exists (DuplicateItemException alone,
// error code DuplicateItem in a batch). Each one is served as exactly that, by dynalite itself: a PutItem of the item
// conditioned on attribute_not_exists of the table's partition key, sent to this same server, so that every check
// dynalite makes of a PutItem (key types and sizes, numbers, item size, the table's existence) is made of it, and two
// INSERTs of one key from two clients race as two conditional puts do (one wins). A batch's statements run
// concurrently, each with its own answer, in order, as DynamoDB's BatchExecuteStatement answers: HTTP 200 and an
// Error per statement that failed. Any other statement (SELECT, UPDATE, DELETE, literal values) is refused with a
// ValidationException for the whole request that says this emulator does not serve it, before anything is written:
// nothing here pretends to more PartiQL than it has.
const http = require('http');

const MAX_STATEMENTS = 25; // BatchExecuteStatement's documented limit
// a table name unquoted is an identifier; any other (with - or .) must be in double quotes, as in DynamoDB's PartiQL
const INSERT = /^\s*INSERT\s+INTO\s+(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_]*))\s+VALUE\s+\{(.*)\}\s*;?\s*$/is;

// a PutItem error's __type (after the #) to the code of a statement's error in a batch (BatchStatementError)
const STATEMENT_ERRORS = {
  ConditionalCheckFailedException: 'DuplicateItem',
  ValidationException: 'ValidationError',
  SerializationException: 'ValidationError',
  ResourceNotFoundException: 'ResourceNotFound',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  ThrottlingException: 'ThrottlingError',
  RequestLimitExceeded: 'RequestLimitExceeded',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  TransactionConflictException: 'TransactionConflict',
};

class StatementError extends Error {
  constructor(type, message, status) {
    super(message);
    this.type = type; // DynamoDB's exception name, e.g. ValidationException
    this.status = status || 400;
  }
}

/** The table and attribute names of an INSERT whose values are all parameters; a StatementError for anything else. */
function parseInsert(statement) {
  const match = INSERT.exec(statement || '');
  if (!match) {
    throw new StatementError('ValidationException', 'This emulator (dynalite with kinesis-aggs\' PartiQL INSERT) serves only '
      + 'INSERT INTO "table" VALUE {\'name\': ?, ...}, not: ' + String(statement).slice(0, 200));
  }
  const table = match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2];
  const names = [];
  const tuple = match[3];
  let i = 0;
  const skipSpace = () => { while (i < tuple.length && /\s/.test(tuple[i])) i++; };
  skipSpace();
  while (i < tuple.length) {
    if (tuple[i] !== '\'') throw notServed(statement);
    let name = '';
    i++;
    for (;;) {
      if (i >= tuple.length) throw notServed(statement);
      if (tuple[i] === '\'') {
        if (tuple[i + 1] === '\'') { name += '\''; i += 2; continue; }
        i++;
        break;
      }
      name += tuple[i++];
    }
    skipSpace();
    if (tuple[i++] !== ':') throw notServed(statement);
    skipSpace();
    if (tuple[i++] !== '?') throw notServed(statement);
    names.push(name);
    skipSpace();
    if (i < tuple.length) {
      if (tuple[i++] !== ',') throw notServed(statement);
      skipSpace();
    }
  }
  if (names.length === 0) throw notServed(statement);
  if (new Set(names).size !== names.length) {
    throw new StatementError('ValidationException', 'Duplicate attribute name in the item of: ' + String(statement).slice(0, 200));
  }
  return { table, names };
}

function notServed(statement) {
  return new StatementError('ValidationException', 'This emulator serves only an INSERT whose values are all parameters '
    + '(INSERT INTO "table" VALUE {\'name\': ?, ...}), not: ' + String(statement).slice(0, 200));
}

/** Calls this same dynalite: the client's own signature headers, another operation. */
function callSelf(req, operation, body) {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': payload.length,
      'x-amz-target': 'DynamoDB_20120810.' + operation,
      authorization: req.headers.authorization,
      'x-amz-date': req.headers['x-amz-date'] || new Date().toISOString().replace(/[-:]|\.\d+/g, ''),
    };
    const call = http.request({ host: '127.0.0.1', port: req.socket.localPort, method: 'POST', path: '/', headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        try {
          resolve({ status: res.statusCode, answer: text ? JSON.parse(text) : {} });
        } catch {
          // never taken for a success: an answer that cannot be read is a server error, tried again by the client
          resolve({ status: 500, answer: { __type: '#InternalServerError', message: text.slice(0, 200) } });
        }
      });
      res.on('error', reject);
    });
    call.on('error', reject);
    call.end(payload);
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function errorOf(result) {
  const type = String(result.answer.__type || 'InternalServerError').split('#').pop();
  return new StatementError(type, result.answer.message || result.answer.Message || type, result.status);
}

/** The partition key's attribute name, from dynalite's own DescribeTable. */
async function partitionKey(req, table) {
  const result = await callSelf(req, 'DescribeTable', { TableName: table });
  if (result.status !== 200) throw errorOf(result);
  return result.answer.Table.KeySchema.find((k) => k.KeyType === 'HASH').AttributeName;
}

/** The statement's table and names, and its parameters; a StatementError when it is not an INSERT served here. */
function parse(request) {
  const { table, names } = parseInsert(request.Statement);
  const parameters = request.Parameters || [];
  if (parameters.length !== names.length) {
    throw new StatementError('ValidationException', `The statement has ${names.length} parameters, and ${parameters.length} values were given`);
  }
  return { table, names, parameters };
}

/** One INSERT, parsed, as a conditional PutItem; resolves, or rejects with a StatementError. */
async function insert(req, { table, names, parameters }, keys) {
  if (!keys.has(table)) keys.set(table, partitionKey(req, table));
  const key = await keys.get(table);
  const item = {};
  names.forEach((name, k) => { item[name] = parameters[k]; });
  if (!(key in item)) {
    throw new StatementError('ValidationException', `One or more parameter values were invalid: Missing the key ${key} in the item`);
  }
  const result = await callSelf(req, 'PutItem', {
    TableName: table,
    Item: item,
    ConditionExpression: 'attribute_not_exists(#key)',
    ExpressionAttributeNames: { '#key': key },
  });
  if (result.status !== 200) {
    const error = errorOf(result);
    if (error.type === 'ConditionalCheckFailedException') {
      throw new StatementError('DuplicateItemException', 'Duplicate primary key exists in table');
    }
    throw error;
  }
  return { TableName: table };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/x-amz-json-1.0');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('x-amzn-RequestId', 'partiql-' + Date.now().toString(36) + Math.random().toString(36).slice(2));
  res.end(text);
}

function sendError(res, error) {
  send(res, error.status || 400, { __type: 'com.amazonaws.dynamodb.v20120810#' + error.type, message: error.message });
}

async function serve(req, res, operation, data) {
  const keys = new Map();
  if (operation === 'ExecuteStatement') {
    await insert(req, parse(data), keys);
    return send(res, 200, {});
  }
  const statements = Array.isArray(data.Statements) ? data.Statements : [];
  if (statements.length < 1 || statements.length > MAX_STATEMENTS) {
    throw new StatementError('ValidationException', `1 validation error detected: Value at 'statements' failed to satisfy `
      + `constraint: Member must have length less than or equal to ${MAX_STATEMENTS} and greater than or equal to 1`);
  }
  // a statement that is not an INSERT served here refuses the whole request, before anything is written
  const parsed = statements.map(parse);
  const answers = await Promise.all(parsed.map((s) => insert(req, s, keys).then(
    (ok) => ok,
    (error) => ({
      Error: {
        Code: STATEMENT_ERRORS[error.type] || (error.type === 'DuplicateItemException' ? 'DuplicateItem' : 'InternalServerError'),
        Message: error.message,
      },
    }))));
  return send(res, 200, { Responses: answers });
}

const createServer = http.createServer;
http.createServer = function (...args) {
  const index = args.findIndex((a) => typeof a === 'function');
  if (index < 0) return createServer.apply(this, args);
  const dynalite = args[index];
  args[index] = function (req, res) {
    const target = String(req.headers['x-amz-target'] || '');
    const operation = target.slice(target.indexOf('.') + 1);
    if (req.method !== 'POST' || (operation !== 'ExecuteStatement' && operation !== 'BatchExecuteStatement')
        || !String(req.headers.authorization || '').startsWith('AWS4-')) {
      return dynalite.call(this, req, res); // dynalite's own, and its answer to a request without a signature
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let data;
      try {
        data = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      } catch {
        return send(res, 400, { __type: 'com.amazon.coral.service#SerializationException' });
      }
      serve(req, res, operation, data).catch((error) => sendError(res, error instanceof StatementError
        ? error : new StatementError('InternalServerError', String(error && error.stack || error), 500)));
    });
  };
  return createServer.apply(this, args);
};
