import type { AddressInfo } from 'node:net'
import { basename, dirname } from 'node:path'
import { preview } from 'vite'

export interface StaticHost {
  origin: string
  close(): Promise<void>
}

/** A built app served by Vite's preview server on 127.0.0.1 and a free port: static files and nothing else. */
export async function serveStatic(dir: string): Promise<StaticHost> {
  const host = await preview({
    configFile: false,
    root: dirname(dir),
    logLevel: 'warn',
    build: { outDir: basename(dir) },
    preview: { host: '127.0.0.1', port: 0, open: false },
  })
  return {
    origin: `http://127.0.0.1:${(host.httpServer.address() as AddressInfo).port}`,
    close: () => host.close(),
  }
}
