import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

interface Asset {
  type: string;
  body: Buffer;
  /** The body gzipped, made (off the event loop) on the first request that accepts it. */
  gzipped?: Promise<Buffer>;
}

const FILES = ['graphiql.css', 'graphiql.js', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js', 'favicon.ico'] as const;
type File = (typeof FILES)[number];

let assets: Promise<Map<File, Asset>> | undefined;
const gzipAsync = promisify(gzip);

function load(): Promise<Map<File, Asset>> {
  assets ??= import('@graphql-yoga/render-graphiql/graphiql').then((g) => {
    const js = 'text/javascript; charset=utf-8';
    const icon = /^data:([^;]+);base64,(.*)$/.exec(g.favicon);
    return new Map<File, Asset>([
      ['graphiql.css', { type: 'text/css; charset=utf-8', body: Buffer.from(g.css) }],
      ['graphiql.js', { type: js, body: Buffer.from(g.js) }],
      ['editor.worker.js', { type: js, body: Buffer.from(g.editorWorkerService) }],
      ['json.worker.js', { type: js, body: Buffer.from(g.jsonWorker) }],
      ['graphql.worker.js', { type: js, body: Buffer.from(g.graphqlWorker) }],
      ['favicon.ico', { type: icon?.[1] ?? 'image/x-icon', body: Buffer.from(icon?.[2] ?? '', 'base64') }],
    ]);
  });
  return assets;
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
    if (version !== VERSION || rest.length > 0 || !(FILES as readonly string[]).includes(file)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return true;
    }
    const accepts = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    load()
      .then(async (all) => {
        const asset = all.get(file as File);
        if (asset === undefined) return void res.writeHead(404).end();
        // Text compresses about fourfold: ~2.5 MB over the wire instead of ~9.
        const gzipped = accepts && asset.type.startsWith('text/');
        if (gzipped) asset.gzipped ??= gzipAsync(asset.body);
        const body = gzipped && asset.gzipped ? await asset.gzipped : asset.body;
        res.writeHead(200, {
          'content-type': asset.type,
          'content-length': body.length,
          ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
          vary: 'accept-encoding',
          // The version is in the path: a new build is a new URL.
          'cache-control': 'public, max-age=31536000, immutable',
        });
        res.end(body);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('GraphiQL is not available\n');
      });
    return true;
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
