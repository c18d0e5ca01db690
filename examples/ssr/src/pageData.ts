import type { AuthSnapshot } from '@tokenrail/react'

export interface Todo {
  id: string
  title: string
}

/** What the server puts in the page beside the HTML, for hydration: plain data, never a token. */
export interface PageData {
  snapshot: AuthSnapshot<User>
  /** The todos the server fetched for the user, or null when it could not. */
  todos: Todo[] | null
}

export interface User {
  sub: string
  name: string
}

/** The global the server's inline script sets and the browser bundle reads. */
export const PAGE_DATA = '__TOKENRAIL_PAGE__'

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`. */
export const scriptJson = (data: PageData) => JSON.stringify(data).replace(/</g, '\\u003c')
