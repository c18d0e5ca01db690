// A built single-page app served on the mock server's own origin, so its requests, cookies and tabs all share
// one server. Paths are resolved inside the root and checked, after resolving symlinks, never to leave it.
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

export interface StaticFiles {
  /** Serves the file for `pathname` and resolves true, or resolves false when there is nothing to serve. */
  serve(pathname: string, res: ServerResponse, headOnly: boolean): Promise<boolean>
}

export interface StaticFilesOptions {
  /** Path prefixes that never fall back to index.html (API routes answer 404 there, not the app). */
  noFallbackUnder?: readonly string[]
}

/** `root` must be an existing directory; the index.html fallback lets client-side routes load the app. */
export async function createStaticFiles(root: string, options: StaticFilesOptions = {}): Promise<StaticFiles> {
  const noFallbackUnder = options.noFallbackUnder ?? []
  const realRoot = await realpath(resolve(root))
  if (!(await stat(realRoot)).isDirectory()) throw new TypeError(`staticDir is not a directory: ${root}`)

  async function findFile(pathname: string): Promise<string | undefined> {
    const decoded = safeDecode(pathname)
    if (decoded === undefined || decoded.includes('\0')) return undefined
    const candidate = await existingFile(resolve(realRoot, `.${decoded}`))
    if (candidate) return candidate
    // A client-side route (no file extension) gets the app's index.html.
    const lastSegment = decoded.slice(decoded.lastIndexOf('/') + 1)
    if (lastSegment.includes('.') || noFallbackUnder.some((prefix) => decoded.startsWith(prefix))) return undefined
    return existingFile(resolve(realRoot, 'index.html'))
  }

  async function existingFile(path: string): Promise<string | undefined> {
    if (!inside(realRoot, path)) return undefined
    try {
      let real = await realpath(path)
      if (!inside(realRoot, real)) return undefined
      if ((await stat(real)).isDirectory()) real = await realpath(resolve(real, 'index.html'))
      if (!inside(realRoot, real) || !(await stat(real)).isFile()) return undefined
      return real
    } catch {
      return undefined
    }
  }

  return {
    async serve(pathname, res, headOnly) {
      const file = await findFile(pathname)
      if (!file) return false
      const { size } = await stat(file)
      res.writeHead(200, {
        'Content-Type': contentTypeOf(file),
        'Content-Length': size,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      })
      if (headOnly) res.end()
      else createReadStream(file).on('error', () => res.destroy()).pipe(res)
      return true
    },
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

function safeDecode(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return undefined
  }
}
