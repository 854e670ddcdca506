// Starts kinesalite bound to 127.0.0.1 on a free port and prints "LISTENING <port>" once ready.
// The stock CLI listens on every interface; tests must stay on loopback.
const kinesalite = require('kinesalite');
const shardLimit = parseInt(process.env.KINESALITE_SHARD_LIMIT || '100', 10);
const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit });
server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
