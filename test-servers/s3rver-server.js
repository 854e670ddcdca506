// Starts s3rver bound to 127.0.0.1 on a free port and prints "LISTENING <port>" once ready.
// Usage: node s3rver-server.js DATA_DIR [BUCKET...]
//
// The stock CLI needs a fixed port; tests pick none. Signatures are checked for form only
// (allowMismatchedSignatures), so any credentials work. Objects are kept under DATA_DIR as
// <bucket>/<key>._S3rver_object (key prefixes as directories), with ._S3rver_metadata.json and
// ._S3rver_object.md5 beside each.
const fs = require('fs');
const S3rver = require('s3rver');

const [directory, ...buckets] = process.argv.slice(2);
if (!directory) {
  console.error('usage: node s3rver-server.js DATA_DIR [BUCKET...]');
  process.exit(2);
}
fs.mkdirSync(directory, { recursive: true });

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  allowMismatchedSignatures: true,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});
server.run().then(
  ({ port }) => console.log('LISTENING ' + port),
  (err) => { console.error(err && err.stack); process.exit(1); });
// Every stored object is on disk before its response is sent: nothing to flush on the way out.
process.on('SIGTERM', () => process.exit(0));
