/**
 * The ceiling: a bare `node:http` cluster answering a constant JSON (after reading the body, as
 * any real POST handler must). Usage: `node --import tsx bench/server/bare-http.ts PORT WORKERS`.
 */
import { createServer } from 'node:http';
import { runCluster } from './cluster.js';

const body = JSON.stringify({ data: { hello: 'world' } });

runCluster(() =>
  createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  }),
);
