import { connect } from 'node:net'

export interface RawResponse {
  status: number
  headers: Array<[string, string]>
  body: string
  raw: string
}

/** Sends bytes exactly as given (no URL normalisation, unlike fetch) and reads until the server closes. */
export function rawRequest(url: string, request: string): Promise<RawResponse> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve(parse(Buffer.concat(chunks).toString('latin1'))))
    socket.write(request)
  })
}

export function rawGet(url: string, target: string, headers: string[] = []): Promise<RawResponse> {
  const { host } = new URL(url)
  return rawRequest(url, [`GET ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close', ...headers, '', ''].join('\r\n'))
}

function parse(raw: string): RawResponse {
  const [head = '', ...rest] = raw.split('\r\n\r\n')
  const [statusLine = '', ...headerLines] = head.split('\r\n')
  const status = Number(statusLine.split(' ')[1] ?? 0)
  const headers = headerLines.map((line): [string, string] => {
    const colon = line.indexOf(':')
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
  })
  return { status, headers, body: rest.join('\r\n\r\n'), raw }
}
