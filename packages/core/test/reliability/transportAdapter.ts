import { AxiosError, CanceledError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'

/**
 * An axios adapter over a fetch-shaped transport, so axios and `auth.fetch` reach the same in-memory server:
 * axios' own behaviour (validateStatus, AxiosError for a network failure, CanceledError for an abort) is
 * kept, only the wire is replaced. `produced` holds every response it built, for the test to recognise them.
 */
export function transportAdapter(transport: typeof fetch, produced = new WeakSet<AxiosResponse>()): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig) => {
    const url = new URL(config.url ?? '', config.baseURL).href
    const headers = Object.fromEntries(
      Object.entries(config.headers.toJSON()).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    )
    let answer: Response
    try {
      answer = await transport(url, {
        method: config.method?.toUpperCase(),
        headers,
        body: typeof config.data === 'string' ? config.data : undefined,
        signal: config.signal as AbortSignal | undefined,
      })
    } catch (cause) {
      if ((cause as Error)?.name === 'AbortError') throw new CanceledError(undefined, undefined, config)
      throw new AxiosError('Network Error', AxiosError.ERR_NETWORK, config, {}, undefined)
    }
    const text = await answer.text()
    const response: AxiosResponse = {
      data: text,
      status: answer.status,
      statusText: answer.statusText,
      headers: Object.fromEntries(answer.headers),
      config,
      request: {},
    }
    produced.add(response)
    if (config.validateStatus && !config.validateStatus(response.status)) {
      const code = response.status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE
      throw new AxiosError(`Request failed with status code ${response.status}`, code, config, {}, response)
    }
    return response
  }
}
