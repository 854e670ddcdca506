// Starts kinesalite bound to 127.0.0.1 on a free port and prints "LISTENING <port>" once ready.
// The stock CLI listens on every interface; tests must stay on loopback.
//
// AWS's per-shard write limit, which kinesalite lacks
// ---------------------------------------------------
// Kinesis accepts at most 1,000 records/s and 1 MiB/s per shard and refuses the rest: PutRecords
// answers 200 with those entries marked ErrorCode "ProvisionedThroughputExceededException" (and
// FailedRecordCount set), PutRecord answers 400 with that __type. kinesalite never refuses, so a
// producer's retry path would never run against it. When KINESALITE_WRITE_LIMIT_RECORDS_PER_SEC is
// set (per shard; KINESALITE_WRITE_LIMIT_BYTES_PER_SEC defaults to 1 MiB), kinesalite's request
// handler is wrapped:
//   - PutRecords: each entry is routed to its open shard (MD5 of the partition key, or the
//     ExplicitHashKey, within the shard's hash-key range, as Kinesis does) and charged to that
//     shard's token buckets (records, and data + partition key bytes; each bucket holds one
//     second's worth). Only the accepted entries are forwarded to kinesalite; the answer merges
//     kinesalite's results with the refused entries, in request order.
//   - PutRecord: refused with HTTP 400 when its shard's buckets are empty.
//   - Everything else, and any request the wrapper cannot read (CBOR bodies, malformed JSON, an
//     unknown stream, more than 500 entries), goes to kinesalite untouched, so errors are its own.
const crypto = require('crypto');
const { EventEmitter } = require('events');
const kinesalite = require('kinesalite');

const shardLimit = parseInt(process.env.KINESALITE_SHARD_LIMIT || '100', 10);
const recordsPerSec = parseFloat(process.env.KINESALITE_WRITE_LIMIT_RECORDS_PER_SEC || '0');
const bytesPerSec = parseFloat(process.env.KINESALITE_WRITE_LIMIT_BYTES_PER_SEC || String(1024 * 1024));
// The same account id kinesalite puts in its own messages.
const accountId = (process.env.AWS_ACCOUNT_ID || '0000-0000-0000').replace(/[^\d]/g, '');

const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit });
if (recordsPerSec > 0) {
  const handler = server.listeners('request')[0];
  server.removeAllListeners('request');
  server.on('request', writeLimited(handler));
}
server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

function writeLimited(handler) {
  const buckets = new Map(); // "stream/shardId" -> {records, bytes, at}

  return (req, res) => {
    const target = req.headers['x-amz-target'] || '';
    const op = target === 'Kinesis_20131202.PutRecords' ? 'PutRecords'
      : target === 'Kinesis_20131202.PutRecord' ? 'PutRecord' : null;
    if (!op || !(req.headers['content-type'] || '').startsWith('application/x-amz-json')) {
      return handler(req, res);
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      limit(req, op, body).then(
        (answer) => reply(res, answer),
        (err) => { res.statusCode = 500; res.end(String(err && err.stack)); });
    });
  };

  async function limit(req, op, body) {
    const forward = () => invoke(handler, req.headers, body);
    let data;
    try { data = JSON.parse(body.toString('utf8')); } catch (e) { return forward(); }
    const entries = op === 'PutRecords' ? data && data.Records : [data];
    if (!data || typeof data.StreamName !== 'string' || !Array.isArray(entries)
        || entries.length === 0 || entries.length > 500) {
      return forward();
    }
    const listed = await invoke(handler, req.headers,
      Buffer.from(JSON.stringify({ StreamName: data.StreamName })), 'Kinesis_20131202.ListShards');
    if (listed.statusCode !== 200) return forward();
    const shards = JSON.parse(listed.body).Shards
      .filter((s) => s.SequenceNumberRange.EndingSequenceNumber == null)
      .map((s) => ({ id: s.ShardId, start: BigInt(s.HashKeyRange.StartingHashKey),
        end: BigInt(s.HashKeyRange.EndingHashKey) }));

    const now = Date.now();
    const refused = entries.map((e) => {
      const shard = shardOf(shards, e);
      if (!shard) return null; // let kinesalite judge an entry it cannot route
      const size = Buffer.byteLength(String(e.Data || ''), 'base64') + Buffer.byteLength(String(e.PartitionKey || ''));
      return take(data.StreamName + '/' + shard.id, size, now)
        ? null : 'Rate exceeded for shard ' + shard.id + ' in stream ' + data.StreamName
          + ' under account ' + accountId + '.';
    });
    const refusedCount = refused.filter((r) => r).length;
    if (refusedCount === 0) return forward();
    if (op === 'PutRecord') {
      return json(400, { __type: 'ProvisionedThroughputExceededException', message: refused[0] });
    }

    const accepted = entries.filter((e, i) => !refused[i]);
    let results = [];
    let failed = 0;
    if (accepted.length > 0) {
      const done = await invoke(handler, req.headers,
        Buffer.from(JSON.stringify(Object.assign({}, data, { Records: accepted }))));
      if (done.statusCode !== 200) return done;
      const out = JSON.parse(done.body);
      results = out.Records;
      failed = out.FailedRecordCount || 0;
    }
    let next = 0;
    const merged = refused.map((message) => message
      ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: message }
      : results[next++]);
    return json(200, { FailedRecordCount: failed + refusedCount, Records: merged });
  }

  // Token buckets holding one second's worth each; an entry is accepted only if both have room.
  function take(key, size, now) {
    let b = buckets.get(key);
    if (!b) {
      b = { records: recordsPerSec, bytes: bytesPerSec, at: now };
      buckets.set(key, b);
    }
    const elapsed = (now - b.at) / 1000;
    b.records = Math.min(recordsPerSec, b.records + elapsed * recordsPerSec);
    b.bytes = Math.min(bytesPerSec, b.bytes + elapsed * bytesPerSec);
    b.at = now;
    if (b.records < 1 || b.bytes < size) return false;
    b.records -= 1;
    b.bytes -= size;
    return true;
  }
}

function shardOf(shards, entry) {
  let hash;
  try {
    hash = entry.ExplicitHashKey != null ? BigInt(entry.ExplicitHashKey)
      : BigInt('0x' + crypto.createHash('md5').update(String(entry.PartitionKey), 'utf8').digest('hex'));
  } catch (e) {
    return null;
  }
  return shards.find((s) => hash >= s.start && hash <= s.end);
}

// Calls kinesalite's own handler in-process with a buffered body; resolves with its answer.
function invoke(handler, headers, body, target) {
  return new Promise((resolve) => {
    const req = new EventEmitter();
    req.method = 'POST';
    req.url = '/';
    req.headers = Object.assign({}, headers, { 'content-length': String(body.length) });
    if (target) req.headers['x-amz-target'] = target;
    const answer = { statusCode: 200, headers: {}, body: '' };
    const res = {
      set statusCode(code) { answer.statusCode = code; },
      get statusCode() { return answer.statusCode; },
      setHeader(name, value) { answer.headers[name.toLowerCase()] = value; },
      end(b) { answer.body = b == null ? '' : b.toString('utf8'); resolve(answer); },
    };
    handler(req, res);
    req.emit('data', body);
    req.emit('end');
  });
}

function json(statusCode, data) {
  return { statusCode, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(data) };
}

function reply(res, answer) {
  for (const [name, value] of Object.entries(answer.headers)) {
    if (name !== 'content-length') res.setHeader(name, value);
  }
  res.statusCode = answer.statusCode;
  res.setHeader('Content-Length', Buffer.byteLength(answer.body, 'utf8'));
  res.end(answer.body);
}
