#!/usr/bin/env node
// A WebSocket client under test: Node's `ws` from npm, permessage-deflate offered (the library's default).
//
// `ws` is loaded from $WS_MODULE when set (the directory ../shared/targets/ws-npm-install.sh prints), else by name.
//
//   Autobahn driver loop against `wsconform serve` (or Autobahn's fuzzingserver):
//       WS_MODULE=$(../shared/targets/ws-npm-install.sh) node node_ws_client.js ws://127.0.0.1:9001 node-ws
//   One case, for `wsconform run-client --exec`:
//       WS_MODULE=... node node_ws_client.js --url 'ws://127.0.0.1:PORT/runCase?case=N&agent=A'
//
// Either way every text and binary message is echoed until the server closes; ws answers pings and the closing
// handshake itself.
'use strict';
const WebSocket = require(process.env.WS_MODULE || 'ws');

// perMessageDeflate: true is the default, written out to make the offer visible.
const OPTIONS = { perMessageDeflate: true, handshakeTimeout: 10000 };

function echo(url) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, OPTIONS);
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', (e) => console.error(`client failed: ${e.message}`));
    ws.on('close', (code, reason) => {
      console.error(`connection closed: ${code} ${reason}`);
      resolve();
    });
  });
}

function receiveText(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, OPTIONS);
    const messages = [];
    ws.on('message', (data) => messages.push(data.toString()));
    ws.on('error', reject);
    ws.on('close', () => resolve(messages));
  });
}

async function driver(base, agent) {
  const count = parseInt((await receiveText(`${base}/getCaseCount`))[0], 10);
  console.error(`${count} case(s)`);
  for (let n = 1; n <= count; n++) await echo(`${base}/runCase?case=${n}&agent=${encodeURIComponent(agent)}`);
  await receiveText(`${base}/updateReports?agent=${encodeURIComponent(agent)}`);
}

const args = process.argv.slice(2);
let done;
if (args.length === 2 && args[0] === '--url') done = echo(args[1]);
else if ((args.length === 1 || args.length === 2) && !args[0].startsWith('-')) done = driver(args[0].replace(/\/+$/, ''), args[1] || 'node-ws');
else {
  console.error('usage: node_ws_client.js BASE_URL [AGENT] | --url CASE_URL');
  process.exit(2);
}
done.then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
