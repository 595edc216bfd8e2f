// Drives awslabs' aws-kinesis-agg (Node) for NodeKinesisAggCompatibilityIT.
// stdin, one record per line, fields separated by tabs, text fields base64-encoded:
//   U <partitionKey> <explicitHashKey or -> <data>   a user record for Node to aggregate
//   F                                                 build the aggregate of the user records so far
//   A <partitionKey> <data>                           an aggregate written by us, for Node to deaggregate
// stdout:
//   N <partitionKey> <explicitHashKey or -> <data>   an aggregate built by Node
//   D <aggregate#> <subSequenceNumber> <partitionKey> <explicitHashKey or -> <data>
//   E <aggregate#> <message>                          Node could not deaggregate it
'use strict';
const agg = require('aws-kinesis-agg');

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s) => Buffer.from(s, 'base64').toString('utf8');
const out = [];
let aggregator = new agg.RecordAggregator();
let aggregateNumber = 0;

const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
for (const line of lines) {
  const f = line.split('\t');
  if (f[0] === 'U') {
    const record = { partitionKey: unb64(f[1]), data: Buffer.from(f[3], 'base64') };
    if (f[2] !== '-') {
      record.explicitHashKey = unb64(f[2]);
    }
    aggregator.addUserRecord(record);
  } else if (f[0] === 'F') {
    const encoded = aggregator.build();
    out.push(['N', b64(encoded.partitionKey), encoded.ExplicitHashKey ? b64(encoded.ExplicitHashKey) : '-',
      encoded.data.toString('base64')].join('\t'));
  } else if (f[0] === 'A') {
    const n = aggregateNumber++;
    const kinesisRecord = { partitionKey: unb64(f[1]), sequenceNumber: '1', data: f[2] };
    agg.deaggregateSync(kinesisRecord, true, (err, userRecords) => {
      if (err) {
        out.push(['E', n, String(err.message).replace(/\s+/g, ' ')].join('\t'));
        return;
      }
      userRecords.forEach((r) => out.push(['D', n, r.subSequenceNumber, b64(r.partitionKey),
        r.explicitPartitionKey === undefined ? '-' : b64(r.explicitPartitionKey), r.data].join('\t')));
    });
  } else {
    throw new Error('unknown line type ' + f[0]);
  }
}
process.stdout.write(out.join('\n') + '\n');
