// A bare Node `ws` client doing the round trips of one compression sub-category (Autobahn's 12.1: the JSON corpus as
// text), with no verdicts: the yardstick the `compression` benchmark holds `wsconform run --cases '12.1.*'` against
// (goal: the harness within 1.3x of this). Started by tests/Wsconform.Benchmarks/CompressionBenchmark.cs.
//
// usage: node bare_client.js WS_MODULE_DIR URL CORPUS_FILE ROWS_JSON MESSAGES PARALLEL
//   WS_MODULE_DIR  the npm-installed ws module (what ../shared/targets/ws-npm-install.sh prints); require()d
//   URL            ws://host:port/ of the echo server
//   CORPUS_FILE    the corpus as UTF-8 (the benchmark writes CompressionCorpora.Json's octets there)
//   ROWS_JSON      [{"size":16,"fragmentSize":0}, ...]: the 18 rows of Compression.SizeRows, in case order
//   MESSAGES       messages per row (1000)
//   PARALLEL       rows in flight at once (4, as the harness runs compression cases)
//
// Like the harness: message k of row size n is the n characters (UTF-16 code units, as C#'s string) of the corpus
// starting at character k*n mod length, wrapping around its end (MessageCorpus.Message), sent as a text message in
// UTF-8, each one only after the echo of the previous one; every row on its own connection, closed with 1000 at the
// end. permessage-deflate through ws (C zlib via Node's zlib binding), threshold 0 so every message is compressed, and
// otherwise ws's default offer ("permessage-deflate; client_max_window_bits"). Each echo is compared with the message
// sent (Buffer.equals, a memcmp: the least a client must do to know the trip worked); that is not a verdict, only a
// count printed so a broken run is not mistaken for a fast one.
//
// Rows with a fragment size (12.1.11-18: the compressed octets cut into frames of 256..32768 octets): ws cannot
// fragment the compressed octets of a message (its fragmentation API, send(..., {fin: false}), compresses each piece
// separately), so this client sends those messages whole, in one frame. The output says so ("fragmentsNotSent").
//
// Prints one line to stdout: "BARE-CLIENT-RESULT {json}" with the total and per-row wall times.
'use strict';

const fs = require('fs');

const [modPath, url, corpusPath, rowsJson, messagesText, parallelText] = process.argv.slice(2);
if (!parallelText) {
  console.error('usage: node bare_client.js WS_MODULE_DIR URL CORPUS_FILE ROWS_JSON MESSAGES PARALLEL');
  process.exit(2);
}
const WebSocket = require(modPath);
const wsVersion = require(modPath + '/package.json').version;
const rows = JSON.parse(rowsJson);
const messages = parseInt(messagesText, 10);
const parallel = parseInt(parallelText, 10);
const text = fs.readFileSync(corpusPath, 'utf8');
const length = text.length;

// Message k of size n: the ring buffer slice of MessageCorpus.TextMessage, encoded to UTF-8.
function message(k, n) {
  let start = (k * n) % length;
  let slice = '';
  for (let filled = 0; filled < n;) {
    const piece = Math.min(n - filled, length - start);
    slice += text.substring(start, start + piece);
    filled += piece;
    start = 0;
  }
  return Buffer.from(slice, 'utf8');
}

function runRow(row, index) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const ws = new WebSocket(url, { perMessageDeflate: { threshold: 0 } });
    let k = 0;
    let expected = null;
    let mismatches = 0;
    let extensions = '';
    const sendNext = () => {
      expected = message(k, row.size);
      ws.send(expected, { binary: false, compress: true });
    };
    ws.on('upgrade', (res) => {
      extensions = res.headers['sec-websocket-extensions'] || '';
    });
    ws.on('open', sendNext);
    ws.on('message', (data, isBinary) => {
      if (isBinary || !expected.equals(data)) mismatches++;
      k++;
      if (k < messages) sendNext();
      else ws.close(1000);
    });
    ws.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ row: index + 1, size: row.size, fragmentSize: row.fragmentSize, fragmentsNotSent: row.fragmentSize > 0,
        echoes: k, mismatches, closeCode: code, extensions, ms });
    });
    ws.on('error', (err) => reject(new Error(`row ${index + 1} (size ${row.size}): ${err.message}`)));
  });
}

async function main() {
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const results = new Array(rows.length);
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const i = next++;
      results[i] = await runRow(rows[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, rows.length) }, worker));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const summary = {
    ws: wsVersion,
    node: process.version,
    url,
    corpusCharacters: length,
    messagesPerRow: messages,
    parallel,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    echoes: results.reduce((n, r) => n + r.echoes, 0),
    mismatches: results.reduce((n, r) => n + r.mismatches, 0),
    fragmentsNotSent: results.filter((r) => r.fragmentsNotSent).length,
    extensions: results[0] ? results[0].extensions : '',
    rows: results,
  };
  console.log('BARE-CLIENT-RESULT ' + JSON.stringify(summary));
}

main().catch((err) => {
  console.error('bare_client: ' + err.message);
  process.exit(1);
});
