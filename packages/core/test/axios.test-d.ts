import { attachAxios, type AttachAxiosOptions } from '@tokenrail/core/axios'
import axios, { type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios'
import { describe, expectTypeOf, it } from 'vitest'
import { createAuthClient, type AuthClient } from '../src'

describe('@tokenrail/core/axios types', () => {
  const auth = createAuthClient({ baseURL: 'https://api.example.com' })
  const api = axios.create({ baseURL: 'https://api.example.com' })

  it('attachAxios takes a client, an instance and options, and returns detach', () => {
    expectTypeOf(attachAxios(auth, api)).toEqualTypeOf<() => void>()
    expectTypeOf(attachAxios(auth, api, { statusCodes: [401, 419] })).toEqualTypeOf<() => void>()
    expectTypeOf<AttachAxiosOptions['statusCodes']>().toEqualTypeOf<readonly number[] | undefined>()
    // any client, whatever its user type
    expectTypeOf<AuthClient<{ tenant: string }>>().toMatchTypeOf<Parameters<typeof attachAxios>[0]>()
    // @ts-expect-error statusCodes is a list of statuses
    attachAxios(auth, api, { statusCodes: 401 })
    // @ts-expect-error the second argument is an axios instance
    attachAxios(auth, {})
  })

  it('skipAuth is accepted on request configs, as a boolean', () => {
    expectTypeOf<AxiosRequestConfig['skipAuth']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<InternalAxiosRequestConfig['skipAuth']>().toEqualTypeOf<boolean | undefined>()
    void api.get('/api/todos', { skipAuth: true })
    void api.post('/auth/login', { username: 'demo' }, { skipAuth: true })
    void api.request({ url: '/api/todos', skipAuth: false })
    // @ts-expect-error skipAuth is a boolean
    void api.get('/api/todos', { skipAuth: 'yes' })
  })
})
