import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL served by eddy itself. yoga's page loads GraphiQL from a CDN (unpkg), which a machine
 * without the internet, or a browser behind a strict proxy, cannot reach. The same build, from
 * @graphql-yoga/render-graphiql, is served here from `<endpoint>/graphiql/<version>/…` under
 * long-lived cache headers (gzipped when the browser takes it), so a browser downloads them once
 * per version. The assets load on the first request for them: a server nobody opens GraphiQL on
 * never holds them in memory.
 */
const VERSION = (createRequire(import.meta.url)('@graphql-yoga/render-graphiql/package.json') as { version: string }).version;

type Build = typeof import('@graphql-yoga/render-graphiql/graphiql');
const JS = 'text/javascript; charset=utf-8';

/** Each file: its type, and its bytes in the build. */
const FILES: Record<string, { type: string; bytes: (build: Build) => Buffer }> = {
  'graphiql.css': { type: 'text/css; charset=utf-8', bytes: (b) => Buffer.from(b.css) },
  'graphiql.js': { type: JS, bytes: (b) => Buffer.from(b.js) },
  'editor.worker.js': { type: JS, bytes: (b) => Buffer.from(b.editorWorkerService) },
  'json.worker.js': { type: JS, bytes: (b) => Buffer.from(b.jsonWorker) },
  'graphql.worker.js': { type: JS, bytes: (b) => Buffer.from(b.graphqlWorker) },
  // The build has it as a data: URL.
  'favicon.ico': { type: 'image/x-icon', bytes: (b) => Buffer.from(b.favicon.slice(b.favicon.indexOf(',') + 1), 'base64') },
};

let build: Promise<Build> | undefined;
/** A file's bytes as sent: plain, and gzipped (text only, made off the event loop, once). */
const sent = new Map<string, Promise<{ plain: Buffer; gzipped?: Buffer }>>();
const gzipAsync = promisify(gzip);

function bytesOf(file: string): Promise<{ plain: Buffer; gzipped?: Buffer }> {
  let found = sent.get(file);
  if (found === undefined) {
    const { type, bytes } = FILES[file];
    build ??= import('@graphql-yoga/render-graphiql/graphiql');
    found = build.then(async (b) => {
      const plain = bytes(b);
      // Text compresses about fourfold: ~2.5 MB over the wire instead of ~9.
      return type.startsWith('text/') ? { plain, gzipped: await gzipAsync(plain) } : { plain };
    });
    sent.set(file, found);
  }
  return found;
}

/** GraphiQL's page for yoga's `renderGraphiQL`, its assets under `endpoint`. */
export function graphiqlPage(endpoint: string): (options: GraphiQLOptions) => string {
  const base = `${endpoint}/graphiql/${VERSION}`;
  // A script of ours: the options are JSON, and `<` is escaped so that no value can end the tag.
  return (options) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${base}/favicon.ico" />
    <link rel="stylesheet" href="${base}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      const workers = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => '${base}/' + workers[label] };
    </script>
    <script src="${base}/graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${JSON.stringify(options).replace(/</g, '\\u003c')});
    </script>
  </body>
</html>
`;
}

/**
 * Answers a GET for one of GraphiQL's assets under `endpoint`; returns false, having touched
 * nothing, for any other request.
 */
export function serveGraphiqlAsset(endpoint: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  const prefix = `${endpoint}/graphiql/`;
  return (req, res) => {
    if (req.method !== 'GET' || req.url === undefined || !req.url.startsWith(prefix)) return false;
    const [version, file, ...rest] = req.url.slice(prefix.length).split('?')[0].split('/');
    if (version !== VERSION || rest.length > 0 || !Object.hasOwn(FILES, file)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return true;
    }
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    bytesOf(file).then(
      ({ plain, gzipped }) => {
        const body = gzip && gzipped !== undefined ? gzipped : plain;
        res.writeHead(200, {
          'content-type': FILES[file].type,
          'content-length': body.length,
          ...(body === gzipped ? { 'content-encoding': 'gzip' } : {}),
          vary: 'accept-encoding',
          // The version is in the path: a new build is a new URL.
          'cache-control': 'public, max-age=31536000, immutable',
        });
        res.end(body);
      },
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('GraphiQL is not available\n'),
    );
    return true;
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
